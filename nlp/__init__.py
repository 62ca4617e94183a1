"""Entities, enforcement actions and statements in article text (the stage after extract/, before index/).
May import common/ and extract/; never index/, ingest/, the drivers or a front end.

    from nlp import Analyzer, Gazetteer
    analysis = Analyzer().analyze("Title\\n\\nFirst paragraph.\\n\\nSecond paragraph.")
"""

from .errors import DataFileError, GazetteerError, NLPError, PatternError
from .gazetteer import Gazetteer, GazetteerEntry
from .model import ACTION_TAGS, ENTITY_TYPES, Action, Analysis, Entity



def __getattr__(name: str):
    # The analyzer loads spaCy (a second of start-up); index/ and the CLI import this package for
    # ENTITY_TYPES and ACTION_TAGS alone, so the analyzer is imported when first asked for.
    if name in ("Analyzer", "DEFAULT_MODEL"):
        from . import analyzer
        return getattr(analyzer, name)
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")


__all__ = [
    "ACTION_TAGS",
    "DEFAULT_MODEL",
    "ENTITY_TYPES",
    "Action",
    "Analysis",
    "Analyzer",
    "DataFileError",
    "Entity",
    "Gazetteer",
    "GazetteerEntry",
    "GazetteerError",
    "NLPError",
    "PatternError",
]
