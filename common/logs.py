"""Log levels of the libraries PolicyWatch runs, set where logging is configured (the CLI, a
worker process)."""
from __future__ import annotations

import logging

# trafilatura and htmldate log an ERROR for every page that is not an article ("empty HTML
# tree", no date found): the ingest path already counts those as skips with a reason.
LIBRARY_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext")


def quiet_libraries(verbose: int = 0) -> None:
    """Keep the extraction libraries' own log lines out of a user's terminal (shown with -vv)."""
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose >= 2 else logging.CRITICAL)
