"""Reading: search (highlighted snippets, facets, collapse), articles, exports, mentions,
timelines, period and entity counts, history and stats — the same answers as index/sqlite/search.py."""
from __future__ import annotations

from datetime import date
from itertools import islice
from typing import Iterator

from elasticsearch import ApiError, NotFoundError, TransportError

from . import docs
from . import query as dsl
from .. import timeline as tl
from ..base import (INTERVALS, EntityCount, Hit, IndexConfigError, PeriodCounts, Revision, SearchRequest,
                    SearchResult, StatementRow, TimelineRow)
from ..document import Article, StatementRef
from ..query import Node
from .schema import KOREAN_LABELS, SCHEMA_VERSION

SCAN_SIZE = 1000

MENTION_SCAN_SIZE = 10_000      # mention rows are small: fewer, bigger pages (the default result window)
# Distinct story clusters. Exact below the threshold (40,000 clusters in one bucket), as the
# collapsed search total: the same numbers as SQLite's count(DISTINCT cluster).
STORIES = {"cardinality": {"field": "cluster", "precision_threshold": 40_000}}


class Search:
    """ElasticIndex's reading half (self.client, self.name, self.run, self._search, self._stored)."""

    def history(self, article_id: str) -> list[Revision]:
        found = self.run(self._stored, [article_id], ["fetched", "title", "body", "content_hash", "detail.revisions"])
        if article_id not in found:
            return []
        d = found[article_id]
        body = d.get("body") or ""
        return [Revision(**r) for r in (d.get("detail") or {}).get("revisions", [])] + [
            Revision(d.get("fetched"), d["title"], body.split("\n\n") if body else [], d["content_hash"])]

    def search(self, request: SearchRequest) -> SearchResult:
        query = dsl.with_dates(dsl.compile_query(request.query, self.korean()), request.date_from, request.date_to)
        newest = {"published_utc": {"order": "desc", "missing": "_last"}}
        sort = (["_score", newest, {"id": "asc"}] if request.sort == "relevance" else [newest, {"id": "asc"}])
        body = {"query": query, "sort": sort, "from_": request.offset, "size": request.limit,
                "track_total_hits": True if request.collapse or request.count_limit is None else request.count_limit,
                "source": docs.HIT_SOURCE}
        aggs: dict = {}
        marks = dsl.highlight(request.query, self.korean())
        if marks:
            body["highlight"] = marks
        if request.facets:
            aggs.update(docs.FACET_AGGS)
        if request.collapse:        # one hit per story cluster: its best, with how many copies matched
            body["collapse"] = {"field": "cluster", "inner_hits": {"name": "copies", "size": 0}}
            aggs["clusters"] = {"cardinality": {"field": "cluster", "precision_threshold": 40_000}}
        if aggs:
            body["aggs"] = aggs
        response = self._search(**body)
        hits = []
        for h in response["hits"]["hits"]:
            d = h["_source"]
            detail = d.get("detail") or {}
            marked = next(iter((h.get("highlight") or {}).values()), [None])[0]
            copies = h["inner_hits"]["copies"]["hits"]["total"]["value"] if request.collapse else 1
            hits.append(Hit(id=d["id"], url=d["url"], title=d["title"], source=d["source"],
                            published=d.get("published"), score=float(h.get("_score") or 0.0),
                            snippet=dsl.snippet(marked, d.get("body") or ""),
                            entities=sorted(detail.get("entities") or [], key=lambda e: -e["mentions"]),
                            actions=sorted({x["action"] for x in detail.get("actions") or []}),
                            copies=copies, revisions=d.get("revisions") or 0))
        found = response.get("aggregations") or {}
        counted = response["hits"]["total"]
        total = found["clusters"]["value"] if request.collapse else counted["value"]
        capped = not request.collapse and counted.get("relation") == "gte"     # stopped at count_limit
        return SearchResult(total=total, hits=hits, facets=docs.facets(found) if request.facets else {},
                            capped=capped)

    def get(self, article_id: str) -> Article | None:
        def fetch():
            try:
                return self.client.get(index=self.name, id=article_id,
                                       source_excludes=docs.ARTICLE_SOURCE["excludes"]).body["_source"]
            except NotFoundError:
                return None
        found = self.run(fetch)
        return docs.from_doc(found) if found else None

    def _scan(self, query: dict, sort: list, source, index: str | None = None, size: int = SCAN_SIZE) -> Iterator[dict]:
        """Every match, through a point in time and search_after: no 10,000-hit window."""
        pit = self.run(lambda: self.client.open_point_in_time(index=index or self.name, keep_alive="2m").body["id"])
        try:
            after = None
            while True:
                body = {"query": query, "sort": sort, "size": size, "source": source,
                        "pit": {"id": pit, "keep_alive": "2m"}, "track_total_hits": False}
                if after is not None:
                    body["search_after"] = after
                response = self.run(lambda: self.client.search(**body).body)
                pit = response.get("pit_id", pit)
                hits = response["hits"]["hits"]
                yield from hits
                if len(hits) < size:
                    return
                after = hits[-1]["sort"]
        finally:
            try:
                self.client.close_point_in_time(id=pit)
            except (TransportError, ApiError):
                pass                                   # it expires by itself after keep_alive

    _OLDEST_FIRST = [{"published_utc": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]

    def export(self, query: Node, date_from=None, date_to=None) -> Iterator[Article]:
        q = dsl.with_dates(dsl.compile_query(query, self.korean()), date_from, date_to)
        for hit in self._scan(q, self._OLDEST_FIRST, docs.ARTICLE_SOURCE):
            yield docs.from_doc(hit["_source"])

    # what a statement row needs of its article: statements only come with an action tag
    _STATEMENT_FIELDS = ["id", "url", "title", "source", "published", "language", "cluster", "indexed",
                         "detail.statements"]

    def statements(self, case: str | None = None, names: list[str] | None = None) -> Iterator[StatementRow]:
        # detail is not indexed: the articles are found by their keyword fields case_ids and
        # case_names, and their statements filtered here, as SQLite's statements table holds them
        cases = {case} if case else None
        if names is not None:       # the cases naming them, then every article of those cases
            named = {cid for hit in self._scan({"terms": {"case_names": [n.casefold() for n in names]}},
                                               [{"id": "asc"}], ["case_ids"])
                     for cid in hit["_source"].get("case_ids") or []}
            cases = named & cases if cases else named
            if not cases:
                return
        query = {"terms": {"case_ids": sorted(cases)}} if cases else {"exists": {"field": "case_ids"}}
        for hit in self._scan(query, self._OLDEST_FIRST, self._STATEMENT_FIELDS):
            d = hit["_source"]
            for st in (d.get("detail") or {}).get("statements") or []:
                if cases is None or st.get("case") in cases:
                    yield StatementRow(d["id"], d["url"], d["title"], d["source"], d.get("published"),
                                       d.get("language"), d.get("cluster") or d["id"],
                                       StatementRef(**{k: v for k, v in st.items() if k != "case"}),
                                       d.get("indexed"))

    def _entity_query(self, entity: str, date_from, date_to) -> dict:
        q = {"bool": {"filter": [{"nested": {"path": "entities", "query": {"term": {"entities.name": entity}}}},
                                 {"exists": {"field": "published_utc"}}]}}
        return dsl.with_dates(q, date_from, date_to)

    def mentions(self, entity: str, date_from=None, date_to=None,
                 newest: int | None = None) -> Iterator[tuple[str, str, str, str, str]]:
        keys = docs.mention_keys(entity)
        fields = ["published_utc", "source", "url", "title", "detail.keyed"] + [f"detail.mentions.{k}" for k in keys]
        query = self._entity_query(entity, date_from, date_to)
        if newest is None:
            hits = self._scan(query, self._OLDEST_FIRST, fields, size=MENTION_SCAN_SIZE)
        else:
            hits = self._pages(query, [{"published_utc": "desc"}, {"id": "desc"}], fields, size=newest)
        return islice(self._mention_rows(entity, hits), newest)

    def _pages(self, query: dict, sort: list, source, size: int) -> Iterator[dict]:
        """Matches page by page (search_after), a page only when the one before is used up: the
        first pages of a long list, without the point in time a full scan keeps open."""
        after = None
        while True:
            body = {"query": query, "sort": sort, "size": size, "source": source, "track_total_hits": False}
            if after is not None:
                body["search_after"] = after
            hits = self._search(**body)["hits"]["hits"]
            yield from hits
            if len(hits) < size:
                return
            after = hits[-1]["sort"]

    def _mention_rows(self, entity: str, hits: Iterator[dict]) -> Iterator[tuple[str, str, str, str, str]]:
        wanted = entity.lower()
        for hit in hits:
            d = hit["_source"]
            detail = d.get("detail") or {}
            if detail.get("keyed"):
                # the entity's sentences, per type in the article's entity order: as SQLite, by seq
                found = detail.get("mentions") or {}
                lists = [sentences for k in found for sentences in found[k]]
            else:                # written before the sentences were keyed: read them all
                older = self.run(self._stored, [hit["_id"]], ["detail.entities"]).get(hit["_id"], {})
                lists = [e.get("sentences") or [] for e in (older.get("detail") or {}).get("entities") or []
                         if e["name"].lower() == wanted]
            for _, _, sentence in sorted((seq, order, sentence) for order, sentences in enumerate(lists)
                                         for seq, sentence in enumerate(sentences)):
                yield (d["published_utc"], d["source"], d["url"], d["title"], sentence)

    def timeline(self, entity: str, interval: str = "month", tz: str | None = None,
                 date_from=None, date_to=None) -> list[TimelineRow]:
        if interval not in INTERVALS:
            raise IndexConfigError(f"unknown interval '{interval}' — use one of: {', '.join(INTERVALS)}")
        tl.zone(tz)                                       # an unknown zone: the same message as SQLite's
        one = {"filter": {"term": {"entities.name": entity}},
               "aggs": {"mentions": {"sum": {"field": "entities.mentions"}}}}
        aggs = {"periods": {"date_histogram": {"field": "published_utc", "calendar_interval": interval,
                                               "time_zone": tz or "UTC", "min_doc_count": 1, "format": "yyyy-MM-dd"},
                            "aggs": {"entities": {"nested": {"path": "entities"}, "aggs": {"entity": one}},
                                     "stories": STORIES}}}
        response = self._search(query=self._entity_query(entity, date_from, date_to), size=0, aggs=aggs,
                                track_total_hits=False)
        counts = {}
        for bucket in response["aggregations"]["periods"]["buckets"]:
            matched = bucket["entities"]["entity"]        # rows, as SQLite counts (name, type) pairs
            counts[date.fromisoformat(bucket["key_as_string"])] = (matched["doc_count"],
                                                                   int(matched["mentions"]["value"]),
                                                                   bucket["stories"]["value"])
        return tl.fill(entity, counts, interval)

    def period_counts(self, query: Node, interval: str = "month", tz: str | None = None,
                      date_from=None, date_to=None) -> PeriodCounts:
        if interval not in INTERVALS:
            raise IndexConfigError(f"unknown interval '{interval}' — use one of: {', '.join(INTERVALS)}")
        tl.zone(tz)
        periods = {"date_histogram": {"field": "published_utc", "calendar_interval": interval,
                                      "time_zone": tz or "UTC", "min_doc_count": 1, "format": "yyyy-MM-dd"}}
        aggs = {"all": periods,
                "matched": {"filter": dsl.compile_query(query, self.korean()),
                            "aggs": {"periods": dict(periods, aggs={"stories": STORIES})}}}
        dated = dsl.with_dates({"bool": {"filter": [{"exists": {"field": "published_utc"}}]}}, date_from, date_to)
        found = self._search(query=dated, size=0, aggs=aggs, track_total_hits=False)["aggregations"]
        return PeriodCounts(
            {date.fromisoformat(b["key_as_string"]): (b["doc_count"], b["stories"]["value"])
             for b in found["matched"]["periods"]["buckets"]},
            {date.fromisoformat(b["key_as_string"]): b["doc_count"] for b in found["all"]["buckets"]})

    def entity_counts(self, query: Node, type_: str | None = None, limit: int = 20) -> list[EntityCount]:
        groups = {"terms": {"field": "entities.group", "size": limit, "shard_size": max(limit * 20, 1000),
                            "order": [{"_count": "desc"}, {"mentions": "desc"}, {"_key": "asc"}]},
                  "aggs": {"mentions": {"sum": {"field": "entities.mentions"}},
                           "shown": {"terms": {"field": "entities.key", "size": 1}},
                           "articles": {"reverse_nested": {}, "aggs": {"stories": STORIES}}}}
        chosen = {"term": {"entities.type": type_}} if type_ else {"match_all": {}}
        aggs = {"entities": {"nested": {"path": "entities"},
                             "aggs": {"chosen": {"filter": chosen, "aggs": {"groups": groups}}}}}
        response = self._search(query=dsl.compile_query(query, self.korean()), size=0, aggs=aggs, track_total_hits=False)
        out = []
        for b in response["aggregations"]["entities"]["chosen"]["groups"]["buckets"]:
            name, type_name = b["shown"]["buckets"][0]["key"].rsplit("|", 1)
            out.append(EntityCount(name, type_name, b["doc_count"], int(b["mentions"]["value"]),
                                   b["articles"]["stories"]["value"]))
        return out

    def stats(self) -> dict:
        utc = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        aggs = {"sources": {"terms": {"field": "source", "size": 10_000, "order": {"_key": "asc"}}},
                "entities": {"nested": {"path": "entities"},
                             "aggs": {"names": {"cardinality": {"field": "entities.name", "precision_threshold": 40_000}}}},
                "first": {"min": {"field": "published_utc", "format": utc}},
                "last": {"max": {"field": "published_utc", "format": utc}}}
        r = self._search(size=0, aggs=aggs, track_total_hits=True)
        a = r["aggregations"]
        return {
            "backend": self.client.product.lower(), "location": self.location, "schema_version": SCHEMA_VERSION,
            "korean_analysis": KOREAN_LABELS[self.korean()],
            "indices": sorted(self.run(self.indices)), "articles": r["hits"]["total"]["value"],
            "sources": {b["key"]: b["doc_count"] for b in a["sources"]["buckets"]},
            "entities": a["entities"]["names"]["value"],
            "first_published": a["first"].get("value_as_string"), "last_published": a["last"].get("value_as_string"),
            "spooled": self.spool.count(), "archived_articles": self.run(self.state.archived),
        }
