"""The article page: the body with recognised entities marked, and actions with their sentences."""
from __future__ import annotations

import re
from dataclasses import dataclass

from index import Article
from nlp.korean import AFTER_NAME

from .errors import NotFound


@dataclass(frozen=True)
class Segment:
    """A run of body text; `entity` is (canonical name, type) when the run names one."""
    text: str
    entity: tuple[str, str] | None = None


@dataclass
class ArticleView:
    article: Article
    paragraphs: list[list[Segment]]
    entities: list               # EntityRef, most mentioned first
    actions: list[tuple[str, list[str]]]   # (action, sentences), in the order first tagged


def surfaces(article: Article, aliases) -> dict[str, tuple[str, str]]:
    """Every form an entity may take in the text → (canonical name, type): the canonical name,
    the gazetteer's aliases and, for a person, the surname (the analyzer folds surname-only
    mentions into the full name)."""
    found: dict[str, tuple[str, str]] = {}
    for e in article.entities:
        found.setdefault(e.name, (e.name, e.type))
        for alias in aliases(e.name):
            found.setdefault(alias, (e.name, e.type))
    for e in article.entities:
        parts = e.name.split()
        if e.type == "PERSON" and len(parts) > 1 and len(parts[-1]) > 2:
            found.setdefault(parts[-1], (e.name, e.type))
    return found


def mark(text: str, forms: dict[str, tuple[str, str]]) -> list[Segment]:
    """Split text into plain runs and entity runs; the longest form wins where forms overlap."""
    if not forms:
        return [Segment(text)]
    # a Korean name may carry particles (텔레그램이, 경찰청에서): the name is marked, not the particle
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
                         + r")(?:(?<=[\uac00-\ud7a3])(?=" + AFTER_NAME + r")|(?!\w))")
    segments: list[Segment] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            segments.append(Segment(text[pos:m.start()]))
        segments.append(Segment(m.group(0), forms[m.group(0)]))
        pos = m.end()
    if pos < len(text):
        segments.append(Segment(text[pos:]))
    return segments


def article_view(services, article_id: str) -> ArticleView:
    article = services.index.get(article_id)
    if article is None:
        raise NotFound(f"no article with id '{article_id}'")
    forms = surfaces(article, services.aliases)
    actions: dict[str, list[str]] = {}
    for ref in article.actions:
        sentences = actions.setdefault(ref.action, [])
        if ref.sentence not in sentences:
            sentences.append(ref.sentence)
    return ArticleView(article=article, paragraphs=[mark(p, forms) for p in article.body],
                       entities=sorted(article.entities, key=lambda e: (-e.mentions, e.name)),
                       actions=list(actions.items()))


def article_record(services, article_id: str) -> dict:
    article = services.index.get(article_id)
    if article is None:
        raise NotFound(f"no article with id '{article_id}'")
    return dict(article.export_record(), modified=article.modified, section=article.section,
                image=article.image)
