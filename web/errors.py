"""The web stage's errors. Each carries the HTTP status it becomes; app.py turns them into a page
or a JSON body in one place."""
from __future__ import annotations


class WebError(Exception):
    """str() is a message fit for a user."""
    status = 500


class BadRequest(WebError):
    status = 400


class Forbidden(WebError):
    status = 403


class NotFound(WebError):
    status = 404


class Conflict(WebError):
    status = 409
