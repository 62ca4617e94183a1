"""What a digest holds: the stories new to a channel, counted by story (near-duplicate copies,
index/dedup.py's clusters, are one item: "and 3 more outlets"), each with what a reader needs to
decide whether to open it."""
from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field
from urllib.parse import quote

from index.base import SearchRequest
from index.query import And, Indexed, Node

from .coverage import Coverage
from .model import Alert

MAX_ITEMS = 25          # stories shown in one message; the rest are counted, with a link to the search
ENTITIES_SHOWN = 4
ACTIONS_SHOWN = 3


@dataclass
class Item:
    title: str
    url: str                 # the original page
    link: str | None         # the article's page in the PolicyWatch web UI (None without a base URL)
    source: str
    published: str | None
    language: str | None
    snippet: str             # plain text
    more: int                # other matching copies of the story (other outlets)
    entities: list[dict] = field(default_factory=list)   # {name, type, sentence}
    actions: list[dict] = field(default_factory=list)    # {action, sentence}


@dataclass
class Digest:
    alert: str
    query: str
    every: str
    start: str | None        # indexed since (sortable UTC); None: from the beginning
    end: str                 # indexed before
    coverage: Coverage
    items: list[Item] = field(default_factory=list)
    stories: int = 0         # new stories in all (items shows at most MAX_ITEMS)
    articles: int = 0        # new matching articles, copies included
    search_link: str | None = None

    @property
    def empty(self) -> bool:
        return not self.items

    def record(self) -> dict:
        data = asdict(self)
        data["coverage"] = self.coverage.record()
        return data


def _plain(marked: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", marked))


def _first(sentences) -> str:
    return sentences[0] if sentences else ""


def build(index, alert: Alert, query: Node, start: str | None, end: str, coverage: Coverage,
          base_url: str | None) -> Digest:
    """The stories matching `query` among articles indexed in [start, end)."""
    window = And((query, Indexed(start, end)))
    found = index.search(SearchRequest(window, sort="date", limit=MAX_ITEMS, collapse=True, count_limit=None))
    articles = index.search(SearchRequest(window, limit=0, count_limit=None)).total
    base = base_url.rstrip("/") if base_url else None
    digest = Digest(alert.name, alert.query_text(), alert.every, start, end, coverage, stories=found.total,
                    articles=articles,
                    search_link=f"{base}/?q={quote(alert.query_text())}&sort=date" if base else None)
    for hit in found.hits:
        article = index.get(hit.id)
        entities, actions, language = [], [], None
        if article is not None:
            language = article.language
            ordered = sorted(article.entities, key=lambda e: (e.name != alert.entity, -e.mentions))
            entities = [{"name": e.name, "type": e.type, "sentence": _first(e.sentences)}
                        for e in ordered[:ENTITIES_SHOWN]]
            actions = [{"action": a.action, "sentence": a.sentence} for a in article.actions[:ACTIONS_SHOWN]]
        digest.items.append(Item(
            title=hit.title, url=hit.url, link=f"{base}/articles/{quote(hit.id)}" if base else None,
            source=hit.source, published=hit.published, language=language, snippet=_plain(hit.snippet),
            more=max(hit.copies - 1, 0), entities=entities, actions=actions))
    return digest
