"""Errors raised by the nlp package; each carries the file it came from."""

from __future__ import annotations

from pathlib import Path

from common.errors import BadUsage, PolicyWatchError


class NLPError(PolicyWatchError):
    """Base class for nlp/ errors."""


class DataFileError(NLPError, BadUsage):
    """A gazetteer or pattern file is malformed.

    ``path`` and ``where`` (e.g. ``"entries[12]"``) say which file and which
    item, so a user editing their own file can find the mistake.
    """

    def __init__(self, path: str | Path, where: str, message: str) -> None:
        self.path = str(path)
        self.where = where
        super().__init__(f"{self.path}: {where}: {message}")


class GazetteerError(DataFileError):
    """A gazetteer file is malformed."""


class PatternError(DataFileError):
    """An action pattern file is malformed."""
