"""The article record every backend stores: the contract between the pipeline and the index."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class EntityRef:
    name: str          # canonical name
    type: str          # PERSON AGENCY PLATFORM ORG GPE LAW
    mentions: int
    sentences: list[str] = field(default_factory=list)   # one per mention, for timelines


@dataclass
class ActionRef:
    action: str        # investigation arrest prosecution court legislation regulation penalty takedown cooperation
    sentence: str


@dataclass
class StatementRef:
    """Who acts against whom in one action sentence (nlp/cases.py; index/cases.py merges them
    into cases)."""
    authority: str
    role: str
    country: str | None
    track: str
    action: str
    stage: str
    target: str
    target_type: str
    status: str                         # happened planned denied
    when: str | None
    sentence: str
    related: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Article:
    id: str
    url: str
    source: str
    title: str
    body: list[str]                     # paragraphs
    published: str | None = None        # ISO 8601 with offset, as the outlet gave it
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    section: str | None = None
    image: str | None = None
    fetched: str | None = None          # ISO 8601 UTC
    content_hash: str = ""
    entities: list[EntityRef] = field(default_factory=list)
    actions: list[ActionRef] = field(default_factory=list)
    statements: list[StatementRef] = field(default_factory=list)
    # Set by the index on write, not by the pipeline:
    revisions: int = 0                  # earlier versions kept (title or body changed)
    cluster: str | None = None          # story cluster: the id of the first-seen near-duplicate copy
    first_seen: str | None = None       # when this article was first indexed (ISO 8601 UTC)
    # Optional, set by the crawl's worker processes so the index writer does not spend its time on
    # it: the body's MinHash signature (index/dedup.py, hex). The index computes it when absent.
    fingerprint: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.body)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Article":
        data = dict(data)
        data["entities"] = [e if isinstance(e, EntityRef) else EntityRef(**e) for e in data.get("entities") or []]
        data["actions"] = [a if isinstance(a, ActionRef) else ActionRef(**a) for a in data.get("actions") or []]
        data["statements"] = [s if isinstance(s, StatementRef) else StatementRef(**s) for s in data.get("statements") or []]
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})

    def export_record(self) -> dict[str, Any]:
        """The documented export shape (one JSONL line)."""
        return {
            "id": self.id, "url": self.url, "source": self.source, "title": self.title,
            "body": self.text, "published": self.published, "authors": list(self.authors),
            "language": self.language,
            "entities": [{"name": e.name, "type": e.type, "mentions": e.mentions} for e in self.entities],
            "actions": [{"action": a.action, "sentence": a.sentence} for a in self.actions],
            "statements": [_export_statement(st) for st in self.statements],
            "revisions": self.revisions, "cluster": self.cluster or self.id,
            "first_copy": (self.cluster or self.id) == self.id,
        }


def case_key(st: StatementRef) -> str:
    """'KR|criminal|telegram': a country's authorities on one track, or one authority (no country)."""
    who = f"{st.country}|{st.track}" if st.country and st.track != "own" else f"@{st.authority.casefold()}"
    return f"{who}|{' '.join(st.target.casefold().split())}"


def case_id(st: StatementRef) -> str:
    """The stable id of the case a statement belongs to, whatever the outlet or language
    (index/cases.py merges the statements of one id into a case)."""
    return hashlib.sha1(case_key(st).encode()).hexdigest()[:12]


def _export_statement(st: StatementRef) -> dict[str, Any]:
    """A statement as exports give it: who, what, on whom, and the case it belongs to."""
    return {"authority": st.authority, "action": st.action, "stage": st.stage, "target": st.target,
            "target_type": st.target_type, "status": st.status, "when": st.when, "sentence": st.sentence,
            "case": case_id(st)}


def content_hash(title: str, body: list[str]) -> str:
    """What decides 'unchanged': title and body only, so a new ad or timestamp does not re-run NLP."""
    h = hashlib.sha256()
    h.update(title.strip().encode())
    for para in body:
        h.update(b"\x00" + para.strip().encode())
    return h.hexdigest()
