"""One error hierarchy for every stage. str() of each is a one-line message fit for a user.

The edges turn them into output in one place each: the CLI (policywatch/cli.py::main) prints
`policywatch: MESSAGE` and exits with `exit_code`; the web app (web/app.py) answers `http_status`.
"""
from __future__ import annotations


class PolicyWatchError(Exception):
    """Root of PolicyWatch's own errors."""
    exit_code = 1
    http_status = 500

    def user_message(self) -> str:
        return str(self)


class BadUsage(PolicyWatchError, ValueError):
    """The caller asked for something malformed (a flag, a query, a date, a sources file): exit 2, HTTP 400.
    Also a ValueError, as the checks it replaced were."""
    exit_code = 2
    http_status = 400


class WorkFailed(PolicyWatchError):
    """The request was fine but the work could not be done (index down or missing, page not fetched):
    exit 1, HTTP 503."""
    exit_code = 1
    http_status = 503
