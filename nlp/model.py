"""Plain result types returned by :class:`nlp.Analyzer`.

They hold only strings and lists so that ``index/`` can store them without
importing spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The six entity types an :class:`Entity` can have.
ENTITY_TYPES = ("PERSON", "AGENCY", "PLATFORM", "ORG", "GPE", "LAW")

#: The enforcement-action tags an :class:`Action` can have (see ``nlp/actions.yaml``).
ACTION_TAGS = (
    "investigation",
    "arrest",
    "prosecution",
    "court",
    "legislation",
    "regulation",
    "penalty",
    "takedown",
    "cooperation",
)


@dataclass
class Entity:
    """An entity of one article, with every mention folded onto its canonical name."""

    name: str
    type: str
    mentions: int
    # One sentence per mention, in document order; a sentence naming the entity
    # twice appears twice, so len(sentences) == mentions.
    sentences: list[str] = field(default_factory=list)


@dataclass
class Action:
    """An enforcement-action tag and the first sentence that triggered it."""

    action: str
    sentence: str


@dataclass
class Analysis:
    entities: list[Entity] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
