"""The web stage's errors: PolicyWatchErrors that carry the HTTP status they become; app.py turns
every PolicyWatchError into a page or a JSON body in one place."""
from __future__ import annotations

from common.errors import BadUsage, PolicyWatchError


class WebError(PolicyWatchError):
    """str() is a message fit for a user."""
    http_status = 500


class BadRequest(WebError, BadUsage):
    http_status = 400


class Forbidden(WebError):
    http_status = 403


class NotFound(WebError):
    http_status = 404


class Conflict(WebError):
    http_status = 409
