"""Entity pages: who an entity is (gazetteer, else the index), its timeline, alone or against
up to three others, who it appears with, and the latest sentences that mention it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator

from index import SearchRequest, cases
from index.base import INTERVALS, TimelineRow
from index.query import Filter
from index.timeline import parse_utc, zone

from core import output
from core.config import parse_range
from core.notes import nearest_entities

from . import charts
from .errors import BadRequest, NotFound
from .urls import entity_url, timeline_url

MAX_COMPARE = 3          # others besides the page's entity: four lines at most
CO_MENTIONED = 15
LATEST = 8
TIMELINE_COLUMNS = output.TIMELINE_COLUMNS
DETAIL_COLUMNS = ["date", "entity", "source", "url", "title", "sentence"]


@dataclass
class EntityInfo:
    name: str                   # canonical
    type: str | None
    aliases: list[str]
    articles: int = 0           # articles that mention it
    mentions: int = 0
    stories: int = 0            # distinct stories among those articles (syndicated copies once)
    in_gazetteer: bool = False


@dataclass
class MentioningArticle:
    """An article that mentions the entity, with the sentence that does (the entity page's latest list);
    the mention itself, as found in text, is nlp.entities.EntityMention."""
    article_id: str
    title: str
    source: str
    published: str | None
    sentence: str | None


@dataclass
class TimelineOptions:
    interval: str = "month"
    metric: str = "articles"
    tz: str | None = None
    from_text: str = ""          # as typed: YYYY-MM-DD or an ISO date-time
    to_text: str = ""
    date_from: datetime | None = field(init=False, default=None)
    date_to: datetime | None = field(init=False, default=None)

    def __post_init__(self):
        if self.interval not in INTERVALS:
            raise BadRequest(f"unknown interval '{self.interval}' — use one of: {', '.join(INTERVALS)}")
        if self.metric not in charts.METRICS:
            raise BadRequest(f"unknown metric '{self.metric}' — use one of: {', '.join(charts.METRICS)}")
        zone(self.tz)       # an unknown zone fails here, as IndexConfigError (400)
        # a bad date or a reversed range: BadUsage (400)
        self.date_from, self.date_to = parse_range(self.from_text or None, self.to_text or None)

    def params(self) -> dict:
        """The options as URL parameters, defaults left out."""
        return {k: v for k, v in (("interval", self.interval), ("metric", self.metric), ("tz", self.tz),
                                  ("from", self.from_text), ("to", self.to_text))
                if v and (k, v) not in (("interval", "month"), ("metric", "articles"))}


@dataclass
class EntityPage:
    info: EntityInfo
    options: TimelineOptions
    compared: list[EntityInfo]
    chart: charts.Chart
    co_mentioned: list = field(default_factory=list)     # EntityCount
    latest: list[MentioningArticle] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    cases: dict = field(default_factory=dict)          # {"authority"|"target"|"related": [Case]}

    @property
    def compared_names(self) -> list[str]:
        return [e.name for e in self.compared]

    def url(self, **changes) -> str:
        """This page's URL with some parameters changed (compare=[...] replaces the list)."""
        params = {**self.options.params(), "compare": self.compared_names, **changes}
        return entity_url(self.info.name, **params)

    def downloads(self) -> dict[str, dict[str, str]]:
        """{"timeline"|"mentions": {"csv"|"json": URL}} for the data as charted now."""
        params = {**self.options.params(), "compare": self.compared_names}
        return {what: {fmt: timeline_url(self.info.name, **params, **extra, format=fmt) for fmt in ("csv", "json")}
                for what, extra in (("timeline", {}), ("mentions", {"detail": "true"}))}


def entity_info(services, name: str, with_neighbours: bool = False):
    """The entity a name (canonical or alias) stands for; (info, co-mentioned counts).
    Raises NotFound when neither the gazetteer nor the index knows it."""
    found = services.resolve(name)
    canonical, type_ = found if found else (name.strip(), None)
    counts = services.index.entity_counts(Filter("entity", canonical), None, CO_MENTIONED + 10)
    own = next((c for c in counts if c.name.casefold() == canonical.casefold()), None)
    if own is None and not found:
        close = nearest_entities(services.index, canonical)
        raise NotFound(f"no entity named '{canonical}' in the gazetteer or the index"
                       + (f"; nearest known names: {', '.join(close)}" if close else ""))
    info = EntityInfo(name=own.name if own and not found else canonical, type=type_ or (own.type if own else None),
                      aliases=services.aliases(canonical) if found else [],
                      articles=own.articles if own else 0, mentions=own.mentions if own else 0,
                      stories=own.stories if own else 0,
                      in_gazetteer=found is not None)
    neighbours = [c for c in counts if c is not own][:CO_MENTIONED] if with_neighbours else []
    return info, neighbours


def latest_mentions(services, name: str, limit: int = LATEST) -> list[MentioningArticle]:
    """The newest articles naming the entity, each with the first sentence that mentions it."""
    result = services.index.search(SearchRequest(query=Filter("entity", name), sort="date", limit=limit))
    latest = []
    for hit in result.hits:
        article = services.index.get(hit.id)
        ref = next((e for e in (article.entities if article else []) if e.name.casefold() == name.casefold()), None)
        latest.append(MentioningArticle(hit.id, hit.title, hit.source, hit.published,
                              ref.sentences[0] if ref and ref.sentences else None))
    return latest


def entity_page(services, name: str, compare: list[str], options: TimelineOptions) -> EntityPage:
    info, neighbours = entity_info(services, name, with_neighbours=True)
    notices, compared = [], []
    others = [c for c in compare if c.strip()]
    if len(others) > MAX_COMPARE:
        notices.append(f"A chart compares at most {MAX_COMPARE + 1} entities; the first {MAX_COMPARE} others are shown.")
    for other in others[:MAX_COMPARE]:
        try:
            extra, _ = entity_info(services, other)
        except NotFound as exc:
            notices.append(str(exc))
            continue
        if extra.name.casefold() != info.name.casefold() and all(c.name != extra.name for c in compared):
            compared.append(extra)
    named_rows = [(e.name, timeline(services, e.name, options)) for e in [info, *compared]]
    return EntityPage(info=info, options=options, compared=compared,
                      chart=charts.timeline_chart(named_rows, options.interval, options.metric),
                      co_mentioned=neighbours, latest=latest_mentions(services, info.name), notices=notices,
                      cases=cases.for_entity(services.index, info.name))


def timeline(services, name: str, options: TimelineOptions) -> list[TimelineRow]:
    return services.index.timeline(name, options.interval, options.tz, options.date_from, options.date_to)


def timeline_records(services, names: list[str], options: TimelineOptions) -> list[dict]:
    """`policywatch timeline` rows for each entity in turn."""
    return [vars(row) for name in names for row in timeline(services, name, options)]


def detail_records(services, names: list[str], options: TimelineOptions, newest: int | None = None) -> Iterator[dict]:
    """`policywatch timeline --detail` rows, streamed: one per mention, with its sentence (only the
    newest N of each entity, newest first, with newest=N)."""
    tz = zone(options.tz)
    for name in names:
        for published, source, url, title, sentence in services.index.mentions(name, options.date_from,
                                                                                options.date_to, newest):
            yield {"date": parse_utc(published).astimezone(tz).isoformat(), "entity": name, "source": source,
                   "url": url, "title": title, "sentence": sentence}


def entity_names(services, name: str, compare: list[str]) -> list[str]:
    """Canonical names for a timeline download: the entity, then up to three to compare."""
    names: list[str] = []
    for n in [name, *[c for c in compare if c.strip()][:MAX_COMPARE]]:
        canonical = services.canonical(n.strip())
        if canonical not in names:
            names.append(canonical)
    return names


def entity_record(services, name: str) -> dict:
    info, neighbours = entity_info(services, name, with_neighbours=True)
    return {"name": info.name, "type": info.type, "aliases": info.aliases, "articles": info.articles,
            "stories": info.stories, "mentions": info.mentions, "in_gazetteer": info.in_gazetteer,
            "co_mentioned": [vars(c) for c in neighbours]}
