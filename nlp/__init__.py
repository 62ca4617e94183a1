"""Entities and enforcement actions in news text (the nlp stage: crawler -> nlp -> index).

    from nlp import Analyzer, Gazetteer
    analysis = Analyzer().analyze("Title\\n\\nFirst paragraph.\\n\\nSecond paragraph.")

This package must not import crawler/ or index/.
"""

from .analyzer import DEFAULT_MODEL, Analyzer
from .errors import DataFileError, GazetteerError, NLPError, PatternError
from .gazetteer import Gazetteer, GazetteerEntry
from .model import ACTION_TAGS, ENTITY_TYPES, Action, Analysis, Entity, Mention

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
    "Mention",
    "NLPError",
    "PatternError",
]
