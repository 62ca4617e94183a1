"""The search page's state, kept whole in the URL, and how it becomes a SearchRequest.

Filters from the form are added to the query tree as Filter nodes (never pasted into the query
text): several outlets are alternatives (OR); entities, types and actions each narrow (AND).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Mapping
from urllib.parse import urlencode

from index import QueryError, SearchRequest, SearchResult
from index.base import INTERVALS, SORTS
from index.query import And, Filter, MatchAll, Node, Or, action_filter, collection_filter, type_filter
from index.timeline import next_period
from common.errors import BadUsage
from core.config import parse_range
from core.notes import search_notes

from .errors import BadRequest

PAGE_SIZE = 20
MAX_PAGE = 500
LIST_FIELDS = ("source", "lang", "entity", "type", "action", "collection")
FIELD_LABELS = {"source": "Outlet", "lang": "Language", "entity": "Entity", "type": "Type", "action": "Action",
                "collection": "Collection"}
MEASURES = ("articles", "share")          # the coverage chart: matching articles, or their share of all


@dataclass
class SearchForm:
    """Everything the search page shows, as read from (and written back to) the query string."""
    q: str = ""
    date_from: str = ""          # as typed: YYYY-MM-DD or an ISO date-time
    date_to: str = ""
    source: list[str] = field(default_factory=list)
    entity: list[str] = field(default_factory=list)
    type: list[str] = field(default_factory=list)
    action: list[str] = field(default_factory=list)
    lang: list[str] = field(default_factory=list)      # article languages (ISO 639-1), the language facet
    sort: str = "relevance"
    page: int = 1
    collection: list[str] = field(default_factory=list)
    collapse: bool = False       # one result per story: syndicated copies folded; the chart counts stories
    interval: str = "month"      # the coverage chart's periods
    measure: str = "articles"    # … and what it plots (MEASURES)

    @classmethod
    def of(cls, q: str | None = "", date_from: str | None = "", date_to: str | None = "",
           source=(), entity=(), type=(), action=(), sort: str | None = "relevance", page=1,
           lang=(), collection=(), collapse=False, interval: str | None = "month",
           measure: str | None = "articles") -> "SearchForm":
        """A cleaned form: blank values dropped, repeats removed, sort and page checked."""
        def values(items) -> list[str]:
            seen: list[str] = []
            for v in items or ():
                v = v.strip()
                if v and v not in seen:
                    seen.append(v)
            return seen

        sort = (sort or "relevance").strip()
        if sort not in SORTS:
            raise BadRequest(f"unknown sort '{sort}' — use one of: {', '.join(SORTS)}")
        page_text = str(page or 1).strip()
        if not page_text.isdigit() or not 1 <= int(page_text) <= MAX_PAGE:
            raise BadRequest(f"page must be a number from 1 to {MAX_PAGE}")
        interval = (interval or "month").strip()
        if interval not in INTERVALS:
            raise BadRequest(f"unknown interval '{interval}' — use one of: {', '.join(INTERVALS)}")
        measure = (measure or "articles").strip()
        if measure not in MEASURES:
            raise BadRequest(f"unknown measure '{measure}' — use one of: {', '.join(MEASURES)}")
        return cls(q=(q or "").strip(), date_from=(date_from or "").strip(), date_to=(date_to or "").strip(),
                   source=values(source), lang=values(lang), entity=values(entity), type=values(type),
                   action=values(action), sort=sort, page=int(page_text),
                   collection=[v.lower() for v in values(collection)], collapse=_flag(collapse),
                   interval=interval, measure=measure)

    @classmethod
    def from_saved(cls, query: str, filters: Mapping) -> "SearchForm":
        return cls.of(query, filters.get("from"), filters.get("to"),
                      **{f: filters.get(f, []) for f in LIST_FIELDS}, sort=filters.get("sort"),
                      collapse=filters.get("collapse"))

    def query_text(self) -> str:
        """The search as one query of the language (its filters as source:, entity:… terms), its
        dates and sort left out: what an alert made from it watches (alerts/)."""
        def any_of(field_: str, values: list[str]) -> str:
            terms = [f'{field_}:"{v}"' for v in values]
            return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"
        parts = [f"({self.q})"] if self.q else []
        parts += [any_of(f, getattr(self, f)) for f in ("source", "lang", "collection") if getattr(self, f)]
        parts += [f'{f}:"{v}"' for f in ("entity", "type", "action") for v in getattr(self, f)]
        return " ".join(parts)

    # -- back to a URL ---------------------------------------------------------------------------
    def filters(self) -> dict:
        """The state besides the query text and the page: what a saved search keeps."""
        data: dict = {f: list(getattr(self, f)) for f in LIST_FIELDS if getattr(self, f)}
        if self.date_from:
            data["from"] = self.date_from
        if self.date_to:
            data["to"] = self.date_to
        if self.sort != "relevance":
            data["sort"] = self.sort
        if self.collapse:
            data["collapse"] = True
        return data

    def pairs(self) -> list[tuple[str, str]]:
        items: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        if self.date_from:
            items.append(("from", self.date_from))
        if self.date_to:
            items.append(("to", self.date_to))
        items += [(f, v) for f in LIST_FIELDS for v in getattr(self, f)]
        if self.sort != "relevance":
            items.append(("sort", self.sort))
        if self.collapse:
            items.append(("collapse", "true"))
        if self.interval != "month":
            items.append(("interval", self.interval))
        if self.measure != "articles":
            items.append(("measure", self.measure))
        if self.page != 1:
            items.append(("page", str(self.page)))
        return items

    def url(self, path: str = "/") -> str:
        query = urlencode(self.pairs())
        return f"{path}?{query}" if query else path

    def adding(self, field_: str, value: str) -> str:
        values = getattr(self, field_)
        return replace(self, page=1, **{field_: values if value in values else [*values, value]}).url()

    def removing(self, field_: str, value: str) -> str:
        return replace(self, page=1, **{field_: [v for v in getattr(self, field_) if v != value]}).url()

    def on_day(self, day: str) -> str:
        return replace(self, date_from=day, date_to=day, page=1).url()

    def without_dates(self) -> str:
        return replace(self, date_from="", date_to="", page=1).url()

    def sorted_by(self, sort: str) -> str:
        return replace(self, sort=sort, page=1).url()

    def at_page(self, page: int) -> str:
        return replace(self, page=page).url()

    def collapsed(self, on: bool) -> str:
        return replace(self, collapse=on, page=1).url()

    def charted(self, **changes) -> str:
        """This search with the coverage chart's interval or measure changed."""
        return replace(self, page=1, **changes).url()

    def in_period(self, start: str, interval: str) -> str:
        """The results of one chart period (whole UTC days, as the date filters are)."""
        first = date.fromisoformat(start)
        last = next_period(first, interval) - timedelta(days=1)
        return replace(self, date_from=first.isoformat(), date_to=last.isoformat(), page=1).url()

    def export_url(self, fmt: str) -> str:
        return "/api/export?" + urlencode([*replace(self, page=1).pairs(), ("format", fmt)])

    def chips(self) -> list[dict]:
        """The active filters, each with the URL that removes it."""
        chips = []
        if self.date_from or self.date_to:
            label = (self.date_from if self.date_from == self.date_to
                     else f"{self.date_from or '…'} – {self.date_to or '…'}")
            chips.append({"field": "Dates", "value": label, "remove": self.without_dates()})
        for f in LIST_FIELDS:
            for v in getattr(self, f):
                chips.append({"field": FIELD_LABELS[f], "value": v, "remove": self.removing(f, v)})
        return chips


# -- running it ------------------------------------------------------------------------------------
def build_query(services, form: SearchForm) -> Node:
    """The query text's tree with the form's filters added. Raises QueryError."""
    items: list[Node] = []
    base = services.parse_query(form.q)
    if not isinstance(base, MatchAll):
        items.append(base)
    if form.source:
        sources = [Filter("source", s.lower()) for s in form.source]
        items.append(sources[0] if len(sources) == 1 else Or(tuple(sources)))
    if form.lang:
        languages = [Filter("lang", v.lower()) for v in form.lang]
        items.append(languages[0] if len(languages) == 1 else Or(tuple(languages)))
    items += [Filter("entity", services.canonical(e)) for e in form.entity]
    items += [type_filter(t) for t in form.type]
    items += [action_filter(a) for a in form.action]
    if form.collection:                                 # several collections: any of them
        made = [collection_filter(c, lambda n: services.collections().get(n, [])) for c in form.collection]
        items.append(made[0] if len(made) == 1 else Or(tuple(made)))
    if not items:
        return MatchAll()
    return items[0] if len(items) == 1 else And(tuple(items))


def build_request(services, form: SearchForm, limit: int = PAGE_SIZE, facets: bool = True) -> SearchRequest:
    """Raises QueryError for a malformed query, BadUsage for a bad date."""
    date_from, date_to = parse_range(form.date_from or None, form.date_to or None)
    return SearchRequest(query=build_query(services, form), date_from=date_from, date_to=date_to, sort=form.sort,
                         limit=limit, offset=(form.page - 1) * limit, facets=facets, collapse=form.collapse)


@dataclass
class SearchPage:
    form: SearchForm
    result: SearchResult | None = None
    error: str | None = None           # a malformed query or date, shown above the results
    notes: list[str] = field(default_factory=list)   # hints: unknown outlet, lower-case operators
    page_size: int = PAGE_SIZE

    @property
    def status(self) -> int:
        return 400 if self.error else 200

    @property
    def pages(self) -> int:
        return math.ceil(self.result.total / self.page_size) if self.result else 0

    def page_links(self, around: int = 2) -> list[int | None]:
        """Page numbers to link, None where a gap is: [1, None, 4, 5, 6, None, 12]."""
        last, current = self.pages, self.form.page
        wanted = sorted({1, last, *range(current - around, current + around + 1)} & set(range(1, last + 1)))
        links: list[int | None] = []
        for n in wanted:
            if links and n - links[-1] > 1:
                links.append(None)
            links.append(n)
        return links

    def facet(self, name: str) -> list[tuple[str, int]]:
        return list(self.result.facets.get(name, [])) if self.result else []

    collection_facet: list[tuple[str, int]] = field(default_factory=list)   # from the outlet counts

    def entity_facet(self) -> list[dict]:
        rows = []
        for key, count in self.facet("entity"):
            name, _, type_ = key.rpartition("|")
            rows.append({"name": name, "type": type_, "count": count})
        return rows


def run_search(services, form: SearchForm, limit: int = PAGE_SIZE, facets: bool = True) -> SearchPage:
    try:
        request = build_request(services, form, limit, facets)
    except (QueryError, BadUsage) as exc:
        return SearchPage(form, error=str(exc), page_size=limit)
    result = services.index.search(request)
    return SearchPage(form, result, page_size=limit,
                      notes=search_notes(services.index, form.q, request.query, result.total),
                      collection_facet=collection_counts(services.collections(), result.facets.get("source", [])))


def collection_counts(groups: dict[str, list[str]], sources: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Matching articles per collection, summed from the outlet facet (an article has one outlet,
    so this is exact); collections with no match left out, biggest first."""
    per_source = {name.lower(): n for name, n in sources}
    counts = [(name, sum(per_source.get(s.lower(), 0) for s in members)) for name, members in groups.items()]
    return sorted(((n, c) for n, c in counts if c), key=lambda t: (-t[1], t[0]))


def _flag(value) -> bool:
    """A checkbox or API flag: true/1/on/yes (any case) are on; absent or anything else off."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("true", "1", "on", "yes")


def hit_record(hit) -> dict:
    """A hit for the JSON API: the CLI's search record plus entities and actions."""
    return dict(hit.record(), entities=hit.entities, actions=hit.actions)


def api_result(page: SearchPage) -> dict:
    result = page.result
    return {
        "query": page.form.q, "filters": page.form.filters(), "notes": page.notes, "total": result.total,
        "page": page.form.page,
        "pages": page.pages, "hits": [hit_record(h) for h in result.hits],
        "facets": {
            "source": [{"name": n, "count": c} for n, c in page.facet("source")],
            "language": [{"name": n, "count": c} for n, c in page.facet("language")],
            "entity": [{"name": e["name"], "type": e["type"], "count": e["count"]} for e in page.entity_facet()],
            "type": [{"name": n, "count": c} for n, c in page.facet("type")],
            "action": [{"name": n, "count": c} for n, c in page.facet("action")],
            "collection": [{"name": n, "count": c} for n, c in page.collection_facet],
        },
    }


class OutletList:
    """Every outlet in the index, for the filter's drop-down; refreshed every few minutes."""

    def __init__(self, ttl: float = 300.0):
        self.ttl = ttl
        self._names: list[str] = []
        self._at = -math.inf

    def get(self, index) -> list[str]:
        if time.monotonic() - self._at > self.ttl:
            result = index.search(SearchRequest(query=MatchAll(), limit=0, facets=True))
            self._names = sorted(name for name, _ in result.facets.get("source", []))
            self._at = time.monotonic()
        return self._names
