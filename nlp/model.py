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


#: What a statement says of its action (nlp/cases.py).
STATUSES = ("happened", "planned", "denied")


@dataclass
class Statement:
    """Who acts against whom in one action sentence (nlp/cases.py)."""

    authority: str          # canonical name, or a role word's body ("Korean National Police Agency")
    role: str               # police prosecutor court regulator government legislature agency
    country: str | None     # ISO code of the authority's country (EU for the Union), when known
    track: str              # criminal regulatory legislative own: the matter a case follows
    action: str             # one of ACTION_TAGS
    stage: str              # the action, "charge" for prosecution, bill/passed/in force for legislation
    target: str             # canonical name of a platform, company, person (or law)
    target_type: str
    status: str             # one of STATUSES
    when: str | None        # the sentence's date phrase ("on Monday", "Sept. 2", "2일"), if any
    sentence: str
    related: list[str] = field(default_factory=list)   # other platforms/companies the sentence names


@dataclass
class Analysis:
    entities: list[Entity] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
