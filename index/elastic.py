"""The Elasticsearch backend: the same interface and the same answers as index/sqlite.py.

    http(s)://[user:pass@]HOST:PORT[/NAME]     NAME: the collection's alias (default policywatch-articles)

Documents live in versioned indices NAME-v1, NAME-v2… created from the index template in
index/es/template.json; everything reads and writes through the alias, so `reindex()` can
build the next version and switch with no search downtime. Setup is lazy and idempotent:
opening never contacts the node.

Nothing is lost when the node is down or refuses writes (connection error, 429, 5xx, a write
block): the articles go to a local spool (index/spool.py), one warning is logged, and the next
write once the node answers — or `flush()` — replays them. Same ids, so replays never duplicate.
"""
from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import unquote, urlsplit

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from . import es_query as dsl
from . import timeline as tl
from .base import (INTERVALS, EntityCount, Hit, IndexConfigError, IndexError_, IndexUnavailable,
                   SearchRequest, SearchResult, TimelineRow, WriteResult)
from .document import Article
from .query import Node
from .spool import Spool, spool_path
from .sqlite import utc_iso

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
DEFAULT_NAME = "policywatch-articles"
DEFAULT_SPOOL_DIR = "data/spool"
TEMPLATE_FILE = Path(__file__).with_name("es") / "template.json"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,200}$")
SCAN_SIZE = 1000
HIT_SOURCE = ["id", "url", "title", "source", "published", "body", "detail.entities.name",
              "detail.entities.type", "detail.entities.mentions", "detail.actions.action"]


class _Unavailable(Exception):
    """Internal: the node cannot take these articles now; spool them."""

    def __init__(self, reason: str, pending: list[Article]):
        super().__init__(reason)
        self.reason, self.pending = reason, pending


@dataclass
class ReindexResult:
    alias: str
    old_index: str
    new_index: str
    documents: int


def load_template() -> dict:
    spec = json.loads(TEMPLATE_FILE.read_text(encoding="utf-8"))
    return {k: v for k, v in spec.items() if not k.startswith("_comment")}


def to_doc(a: Article) -> dict:
    """The stored document: searchable fields, keyword fields for filters and facets, nested
    entities (one per name and type, as SQLite's primary key) for timelines, and `detail`
    (not indexed) with every entity's sentences and every action's sentence, for export."""
    unique: dict[tuple[str, str], object] = {}
    for e in a.entities:
        unique[(e.name.lower(), e.type)] = e          # the last one wins, as INSERT OR REPLACE
    return {
        "id": a.id, "url": a.url, "source": a.source, "title": a.title, "body": a.text,
        "published": a.published, "published_utc": utc_iso(a.published), "modified": a.modified,
        "authors": list(a.authors), "language": a.language, "section": a.section, "image": a.image,
        "fetched": a.fetched, "content_hash": a.content_hash,
        "entity_names": sorted({e.name for e in a.entities}),
        "entity_types": sorted({e.type for e in a.entities}),
        "actions": sorted({x.action for x in a.actions}),
        "entities": [{"name": e.name, "type": e.type, "mentions": e.mentions, "key": f"{e.name}|{e.type}",
                      "group": f"{e.name.lower()}\x01{e.type}"} for e in unique.values()],
        "detail": {"entities": [{"name": e.name, "type": e.type, "mentions": e.mentions,
                                 "sentences": list(e.sentences)} for e in a.entities],
                   "actions": [{"action": x.action, "sentence": x.sentence} for x in a.actions]},
    }


def from_doc(d: dict) -> Article:
    detail = d.get("detail") or {}
    body = d.get("body") or ""
    return Article.from_dict(dict(
        id=d["id"], url=d["url"], source=d["source"], title=d["title"], body=body.split("\n\n") if body else [],
        published=d.get("published"), modified=d.get("modified"), authors=d.get("authors") or [],
        language=d.get("language"), section=d.get("section"), image=d.get("image"), fetched=d.get("fetched"),
        content_hash=d.get("content_hash") or "", entities=detail.get("entities") or [],
        actions=detail.get("actions") or []))


def _transient(status, error) -> bool:
    """A refusal that says nothing about the document: retry later rather than drop it."""
    kind = error.get("type") if isinstance(error, dict) else ""
    return (not isinstance(status, int) or status in (401, 403, 408, 429) or status >= 500
            or kind in ("cluster_block_exception", "es_rejected_execution_exception", "index_not_found_exception"))


def _describe(exc: Exception) -> str:
    """'connection refused' rather than three nested exception reprs."""
    found = re.search(r"\[Errno -?\d+\] ([^)\]]+)", str(exc))
    if found:
        return found.group(1).strip().lower()
    return str(exc)[:300]


def _reason(error) -> str:
    if isinstance(error, dict):
        return f"{error.get('type')}: {error.get('reason')}"
    return str(error)


class ElasticIndex:
    def __init__(self, client: Elasticsearch, name: str, location: str, spool: Spool,
                 retry_after: float = 30.0, chunk_size: int = 500):
        self.client, self.name, self.location = client, name, location
        self.spool = spool
        self.retry_after = retry_after          # after a failure, spool without trying for this long
        self.chunk_size = chunk_size
        self._ready = False
        self._down_until = 0.0
        # when to replay the spool on a write: None = nothing spooled; a file left by an earlier run: at once
        self._replay_after: float | None = 0.0 if spool.path.exists() else None
        self._warned = False
        self._down_reason = ""

    @classmethod
    def from_url(cls, url: str, api_key: str | None = None, ca_certs: str | None = None,
                 spool_dir: str | Path | None = None, request_timeout: float = 30.0, **unknown) -> "ElasticIndex":
        if unknown:
            raise IndexConfigError(f"unknown Elasticsearch option(s): {', '.join(sorted(unknown))}")
        parts = urlsplit(url)
        try:
            host, port = parts.hostname, parts.port or 9200
        except ValueError as exc:
            raise IndexConfigError(f"bad index URL '{url}': {exc}") from None
        name = parts.path.strip("/") or DEFAULT_NAME
        if not host or not NAME_RE.match(name) or parts.query or parts.fragment:
            raise IndexConfigError(f"bad index URL '{url}': use http(s)://[user:pass@]HOST:PORT[/NAME], NAME in "
                                   "lower-case letters, digits, '-', '_' and '.'")
        options: dict = {"request_timeout": request_timeout, "max_retries": 2, "retry_on_timeout": True}
        if parts.username:
            options["basic_auth"] = (unquote(parts.username), unquote(parts.password or ""))
        if api_key:
            options["api_key"] = api_key
        if ca_certs:
            options["ca_certs"] = ca_certs
        host_text = f"[{host}]" if ":" in host else host
        client = Elasticsearch(f"{parts.scheme}://{host_text}:{port}", **options)
        spool = Spool(spool_path(spool_dir or DEFAULT_SPOOL_DIR, f"{host}-{port}", name))
        return cls(client, name, f"{parts.scheme}://{host_text}:{port}/{name}", spool)

    # -- setup ----------------------------------------------------------------------------
    def _indices(self) -> dict:
        """{concrete index: its description} behind the alias; {} when the collection is new."""
        try:
            return dict(self.client.indices.get(index=self.name).body)
        except NotFoundError:
            return {}

    def _versions(self) -> list[str]:
        pattern = re.compile(rf"^{re.escape(self.name)}-v(\d+)$")
        try:
            found = self.client.indices.get(index=f"{self.name}-v*", expand_wildcards="all").body
        except NotFoundError:
            return []
        return sorted((n for n in found if pattern.match(n)), key=lambda n: int(n.rsplit("-v", 1)[1]))

    def put_template(self) -> None:
        spec = load_template()
        # a longer NAME is more specific: it wins over a shorter one whose pattern also matches
        spec.update(index_patterns=[f"{self.name}-v*"], priority=200 + len(self.name))
        self.client.indices.put_index_template(name=self.name, **spec)

    def _setup(self) -> None:
        indices = self._indices()
        if self.name in indices:
            raise IndexConfigError(f"{self.location}: '{self.name}' is an index, not an alias; "
                                   "pick another NAME in the URL or `policywatch copy` it into one")
        if not indices:
            self.put_template()
            versions = self._versions()
            target = versions[-1] if versions else f"{self.name}-v1"
            try:
                if versions:    # a setup that stopped half-way: attach the alias
                    self.client.indices.put_alias(index=target, name=self.name)
                else:
                    self.client.indices.create(index=target, aliases={self.name: {}})
            except ApiError as exc:
                if "resource_already_exists" not in str(exc):
                    raise                          # else another process created it meanwhile
            indices = self._indices()
        for index, spec in indices.items():
            schema = (spec.get("mappings", {}).get("_meta") or {}).get("policywatch_schema", 0)
            if schema > SCHEMA_VERSION:
                raise IndexConfigError(f"{index} has schema version {schema}; this PolicyWatch knows up to "
                                       f"{SCHEMA_VERSION} — upgrade PolicyWatch")
            if schema < SCHEMA_VERSION:
                logger.warning("%s has schema version %s, this PolicyWatch writes %s: run `policywatch reindex "
                               "--index %s`", index, schema, SCHEMA_VERSION, self.location)
        self._ready = True

    def _ensure_ready(self) -> None:
        if not self._ready:
            self._setup()

    def _read(self, call, *args, **kwargs):
        """Run a read; errors become the index's own, with a message fit for a user."""
        try:
            self._ensure_ready()
            return call(*args, **kwargs)
        except TransportError as exc:
            raise IndexUnavailable(f"Elasticsearch at {self.location} is unreachable: {_describe(exc)}") from exc
        except ApiError as exc:
            if exc.status_code in (429, 502, 503, 504):
                raise IndexUnavailable(f"Elasticsearch at {self.location} is unavailable: {exc}") from exc
            raise IndexError_(f"Elasticsearch at {self.location} refused the request: {exc}") from exc

    def _search(self, **body) -> dict:
        return self._read(lambda: self.client.search(index=self.name, **body).body)

    # -- writing --------------------------------------------------------------------------
    def content_hashes(self, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        if time.monotonic() >= self._down_until:
            try:
                self._ensure_ready()
                found = self._stored_hashes(ids)
            except (TransportError, ApiError) as exc:
                self._unless_permanent(exc)
        found.update(self.spool.hashes(ids))      # a spooled version is newer than the stored one
        return found

    def _stored_hashes(self, ids: list[str]) -> dict[str, str]:
        found = {}
        for start in range(0, len(ids), 1000):
            response = self.client.mget(index=self.name, ids=ids[start:start + 1000], source=["content_hash"])
            found.update({d["_id"]: d["_source"].get("content_hash", "") for d in response["docs"] if d.get("found")})
        return found

    def write(self, articles: Iterable[Article]) -> WriteResult:
        articles = list(articles)
        result = WriteResult()
        if not articles:
            return result
        try:
            if time.monotonic() < self._down_until:
                raise _Unavailable(self._down_reason, articles)
            try:
                self._ensure_ready()
            except (TransportError, ApiError) as exc:
                self._unless_permanent(exc)
                raise _Unavailable(_describe(exc), articles) from exc
            if self._replay_after is not None and time.monotonic() >= self._replay_after:
                self._replay(WriteResult())
            self._write_now(articles, result)
        except _Unavailable as exc:
            self._to_spool(exc.pending, exc.reason, result)
        return result

    def _write_now(self, articles: list[Article], result: WriteResult) -> None:
        """Write to the node; raises _Unavailable with what it could not take (spool those)."""
        try:
            stored = self._stored_hashes(list(dict.fromkeys(a.id for a in articles)))
        except (TransportError, ApiError) as exc:
            self._unless_permanent(exc)
            raise _Unavailable(_describe(exc), articles) from exc
        # outcomes as if written one by one; one action per id (its last version)
        latest: dict[str, Article] = {}
        outcomes: dict[str, list[str]] = {}
        before = dict(stored)
        for a in articles:
            previous = before.get(a.id)
            outcome = "unchanged" if previous == a.content_hash else ("updated" if previous is not None else "new")
            outcomes.setdefault(a.id, []).append(outcome)
            latest[a.id] = a
            before[a.id] = a.content_hash

        def actions():
            for aid, a in latest.items():
                if stored.get(aid) == a.content_hash:       # unchanged: only note when it was fetched
                    yield {"_op_type": "update", "_index": self.name, "_id": aid, "doc": {"fetched": a.fetched}}
                else:
                    yield {"_op_type": "index", "_index": self.name, "_id": aid, "_source": to_doc(a)}

        done: set[str] = set()
        retry: list[Article] = []
        reasons: list[str] = []
        try:
            for ok, item in helpers.streaming_bulk(
                    self.client, actions(), chunk_size=self.chunk_size, max_chunk_bytes=50 * 1024 * 1024,
                    raise_on_error=False, raise_on_exception=False, max_retries=3, initial_backoff=0.5,
                    max_backoff=4):
                info = next(iter(item.values()))
                aid = info.get("_id")
                done.add(aid)
                if ok:
                    for outcome in outcomes[aid]:
                        setattr(result, outcome, getattr(result, outcome) + 1)
                elif _transient(info.get("status"), info.get("error")):
                    retry.append(latest[aid])
                    reasons.append(_reason(info.get("error") or info.get("exception")))
                else:
                    result.failed.append((latest[aid].url, _reason(info.get("error"))))
                    logger.error("Elasticsearch rejected %s: %s", latest[aid].url, _reason(info.get("error")))
        except TransportError as exc:
            self._went_down(exc)
            raise _Unavailable(_describe(exc), retry + [a for aid, a in latest.items() if aid not in done]) from exc
        if retry:
            raise _Unavailable(reasons[0], retry)
        self._down_until = 0.0

    def _unless_permanent(self, exc: Exception) -> None:
        """A refusal about the request itself (400, 404…) raises; anything else opens the breaker."""
        if isinstance(exc, ApiError) and not _transient(exc.status_code, None):
            raise IndexError_(f"Elasticsearch at {self.location} refused the request: {exc}") from exc
        self._went_down(exc)

    def _went_down(self, exc: Exception) -> None:
        self._down_until = time.monotonic() + self.retry_after
        self._down_reason = _describe(exc)

    def _to_spool(self, articles: list[Article], reason: str, result: WriteResult) -> None:
        self.spool.put(articles, reason)
        result.spooled += len(articles)
        self._replay_after = time.monotonic() + self.retry_after
        if not self._warned:
            self._warned = True
            logger.warning("Elasticsearch at %s cannot take articles now (%s): spooling them to %s; the next crawl "
                           "or `policywatch flush --index %s` writes them", self.location, reason, self.spool.path,
                           self.location)
        else:
            logger.debug("spooled %d more articles to %s", len(articles), self.spool.path)

    def _replay(self, result: WriteResult) -> WriteResult:
        """Write what the spool holds, oldest first; stop (keeping the rest) if the node fails again."""
        self._replay_after = None
        replayed = 0
        for batch in self.spool.batches(self.chunk_size):
            articles = [a for _, a in batch]
            try:
                self._write_now(articles, result)
            except _Unavailable as exc:
                pending = {a.id for a in exc.pending}
                self.spool.remove([seq for seq, a in batch if a.id not in pending])
                result.spooled = self.spool.count()
                self._replay_after = time.monotonic() + self.retry_after
                logger.warning("replaying the spool %s stopped (%s); %d articles still wait", self.spool.path,
                               exc.reason, result.spooled)
                return result
            self.spool.remove([seq for seq, _ in batch])
            replayed += len(batch)
        if replayed:
            logger.info("replayed %d spooled articles into %s", replayed, self.location)
        return result

    def flush(self) -> WriteResult:
        """Write every spooled article now. `spooled` in the result: what still waits."""
        self._read(lambda: None)                          # unreachable: IndexUnavailable
        self._down_until = 0.0
        result = self._replay(WriteResult())
        self.refresh()
        return result

    def pending(self) -> int:
        """Articles waiting in the spool."""
        return self.spool.count()

    # -- reading --------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        query = dsl.with_dates(dsl.compile_query(request.query), request.date_from, request.date_to)
        newest = {"published_utc": {"order": "desc", "missing": "_last"}}
        sort = (["_score", newest, {"id": "asc"}] if request.sort == "relevance" else [newest, {"id": "asc"}])
        body = {"query": query, "sort": sort, "from_": request.offset, "size": request.limit,
                "track_total_hits": True, "source": HIT_SOURCE}
        marks = dsl.highlight(request.query)
        if marks:
            body["highlight"] = marks
        if request.facets:
            body["aggs"] = _FACET_AGGS
        response = self._search(**body)
        hits = []
        for h in response["hits"]["hits"]:
            d = h["_source"]
            detail = d.get("detail") or {}
            marked = next(iter((h.get("highlight") or {}).values()), [None])[0]
            entities = sorted(detail.get("entities") or [], key=lambda e: -e["mentions"])
            hits.append(Hit(id=d["id"], url=d["url"], title=d["title"], source=d["source"],
                            published=d.get("published"), score=float(h.get("_score") or 0.0),
                            snippet=dsl.snippet(marked, d.get("body") or ""), entities=entities,
                            actions=sorted({x["action"] for x in detail.get("actions") or []})))
        facets = _facets(response["aggregations"]) if request.facets else {}
        return SearchResult(total=response["hits"]["total"]["value"], hits=hits, facets=facets)

    def get(self, article_id: str) -> Article | None:
        def fetch():
            try:
                return self.client.get(index=self.name, id=article_id).body["_source"]
            except NotFoundError:
                return None
        found = self._read(fetch)
        return from_doc(found) if found else None

    def _scan(self, query: dict, sort: list, source) -> Iterator[dict]:
        """Every match, through a point in time and search_after: no 10,000-hit window."""
        pit = self._read(lambda: self.client.open_point_in_time(index=self.name, keep_alive="2m").body["id"])
        try:
            after = None
            while True:
                body = {"query": query, "sort": sort, "size": SCAN_SIZE, "source": source,
                        "pit": {"id": pit, "keep_alive": "2m"}, "track_total_hits": False}
                if after is not None:
                    body["search_after"] = after
                response = self._read(lambda: self.client.search(**body).body)
                pit = response.get("pit_id", pit)
                hits = response["hits"]["hits"]
                yield from hits
                if len(hits) < SCAN_SIZE:
                    return
                after = hits[-1]["sort"]
        finally:
            try:
                self.client.close_point_in_time(id=pit)
            except (TransportError, ApiError):
                pass                                   # it expires by itself after keep_alive

    _OLDEST_FIRST = [{"published_utc": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]

    def export(self, query: Node, date_from=None, date_to=None) -> Iterator[Article]:
        q = dsl.with_dates(dsl.compile_query(query), date_from, date_to)
        for hit in self._scan(q, self._OLDEST_FIRST, True):
            yield from_doc(hit["_source"])

    def _entity_query(self, entity: str, date_from, date_to) -> dict:
        q = {"bool": {"filter": [{"nested": {"path": "entities", "query": {"term": {"entities.name": entity}}}},
                                 {"exists": {"field": "published_utc"}}]}}
        return dsl.with_dates(q, date_from, date_to)

    def mentions(self, entity: str, date_from=None, date_to=None) -> Iterator[tuple[str, str, str, str, str]]:
        wanted = entity.lower()
        for hit in self._scan(self._entity_query(entity, date_from, date_to), self._OLDEST_FIRST,
                              ["published_utc", "source", "url", "title", "detail.entities"]):
            d = hit["_source"]
            rows = [(seq, order, sentence)
                    for order, e in enumerate(d.get("detail", {}).get("entities") or []) if e["name"].lower() == wanted
                    for seq, sentence in enumerate(e.get("sentences") or [])]
            for _, _, sentence in sorted(rows):
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
                            "aggs": {"entities": {"nested": {"path": "entities"}, "aggs": {"entity": one}}}}}
        response = self._search(query=self._entity_query(entity, date_from, date_to), size=0, aggs=aggs,
                                track_total_hits=False)
        counts = {}
        for bucket in response["aggregations"]["periods"]["buckets"]:
            matched = bucket["entities"]["entity"]
            counts[date.fromisoformat(bucket["key_as_string"])] = (matched["doc_count"],
                                                                   int(matched["mentions"]["value"]))
        return tl.fill(entity, counts, interval)

    def entity_counts(self, query: Node, type_: str | None = None, limit: int = 20) -> list[EntityCount]:
        groups = {"terms": {"field": "entities.group", "size": limit, "shard_size": max(limit * 20, 1000),
                            "order": [{"_count": "desc"}, {"mentions": "desc"}, {"_key": "asc"}]},
                  "aggs": {"mentions": {"sum": {"field": "entities.mentions"}},
                           "shown": {"terms": {"field": "entities.key", "size": 1}}}}
        chosen = {"term": {"entities.type": type_}} if type_ else {"match_all": {}}
        aggs = {"entities": {"nested": {"path": "entities"},
                             "aggs": {"chosen": {"filter": chosen, "aggs": {"groups": groups}}}}}
        response = self._search(query=dsl.compile_query(query), size=0, aggs=aggs, track_total_hits=False)
        out = []
        for b in response["aggregations"]["entities"]["chosen"]["groups"]["buckets"]:
            name, type_name = b["shown"]["buckets"][0]["key"].rsplit("|", 1)
            out.append(EntityCount(name, type_name, b["doc_count"], int(b["mentions"]["value"])))
        return out

    def stats(self) -> dict:
        aggs = {"sources": {"terms": {"field": "source", "size": 10_000, "order": {"_key": "asc"}}},
                "entities": {"nested": {"path": "entities"},
                             "aggs": {"names": {"cardinality": {"field": "entities.name", "precision_threshold": 40_000}}}},
                "first": {"min": {"field": "published_utc", "format": "yyyy-MM-dd'T'HH:mm:ss'Z'"}},
                "last": {"max": {"field": "published_utc", "format": "yyyy-MM-dd'T'HH:mm:ss'Z'"}}}
        r = self._search(size=0, aggs=aggs, track_total_hits=True)
        a = r["aggregations"]
        return {
            "backend": "elasticsearch", "location": self.location, "schema_version": SCHEMA_VERSION,
            "indices": sorted(self._read(self._indices)),
            "articles": r["hits"]["total"]["value"],
            "sources": {b["key"]: b["doc_count"] for b in a["sources"]["buckets"]},
            "entities": a["entities"]["names"]["value"],
            "first_published": a["first"].get("value_as_string"),
            "last_published": a["last"].get("value_as_string"),
            "spooled": self.spool.count(),
        }

    # -- administration -------------------------------------------------------------------
    def refresh(self) -> None:
        self._read(lambda: self.client.indices.refresh(index=self.name))

    def reindex(self) -> ReindexResult:
        """Build NAME-v(n+1) from the current template, copy every document with _reindex, switch
        the alias in one step and delete the old index. Searches go on throughout; writes meanwhile
        meet a write block and are spooled, then replayed into the new index."""
        return self._read(self._reindex)

    def _reindex(self) -> ReindexResult:
        indices = self._indices()
        if len(indices) != 1:
            raise IndexConfigError(f"{self.location}: the alias points at {len(indices)} indices; expected one")
        old = next(iter(indices))
        number = max([int(v.rsplit("-v", 1)[1]) for v in self._versions()] + [0]) + 1
        new = f"{self.name}-v{number}"
        self.put_template()
        refresh = load_template()["template"]["settings"]["index"]["refresh_interval"]
        self.client.indices.create(index=new, settings={"index": {"refresh_interval": "-1"}})
        self.client.indices.add_block(index=old, block="write")
        try:
            self.client.indices.refresh(index=old)        # _reindex reads by search: see every write
            copied = self.client.options(request_timeout=24 * 3600).reindex(
                source={"index": old}, dest={"index": new}, wait_for_completion=True, refresh=True)
            if copied.get("failures"):
                raise IndexError_(f"reindexing {old} into {new} failed: {copied['failures'][:3]}")
            self.client.indices.put_settings(index=new, settings={"index": {"refresh_interval": refresh}})
            self.client.indices.refresh(index=new)
            before = self.client.count(index=old)["count"]
            after = self.client.count(index=new)["count"]
            if before != after:
                raise IndexError_(f"reindexing {old} into {new} copied {after} of {before} documents")
            self.client.indices.update_aliases(actions=[{"remove": {"index": old, "alias": self.name}},
                                                        {"add": {"index": new, "alias": self.name}}])
        except BaseException:
            self.client.indices.put_settings(index=old, settings={"index": {"blocks": {"write": False}}})
            self.client.indices.delete(index=new, ignore_unavailable=True)
            raise
        self.client.indices.delete(index=old)
        return ReindexResult(self.name, old, new, after)

    def drop(self) -> None:
        """Delete the collection: its versioned indices, the alias, the template and the spool."""
        def run():
            names = set(self._indices()) | set(self._versions())
            for index in sorted(names):
                self.client.indices.delete(index=index, ignore_unavailable=True)
            try:
                self.client.indices.delete_index_template(name=self.name)
            except NotFoundError:
                pass
        self._read(run)
        self._ready = False
        self.spool.delete()

    def close(self) -> None:
        waiting = self.spool.count() if self._replay_after is not None else 0
        if waiting:
            logger.info("%d articles wait in %s for `policywatch flush`", waiting, self.spool.path)
        self.spool.close()
        self.client.close()


_FACET_AGGS = {
    "source": {"terms": {"field": "source", "size": 10_000, "order": [{"_count": "desc"}, {"_key": "asc"}]}},
    "entity": {"nested": {"path": "entities"},
               "aggs": {"groups": {"terms": {"field": "entities.group", "size": 15, "shard_size": 1000,
                                             "order": [{"_count": "desc"}, {"_key": "asc"}]},
                                   "aggs": {"shown": {"terms": {"field": "entities.key", "size": 1}}}}}},
    "type": {"terms": {"field": "entity_types", "size": 100, "order": [{"_count": "desc"}, {"_key": "asc"}]}},
    "action": {"terms": {"field": "actions", "size": 100, "order": [{"_count": "desc"}, {"_key": "asc"}]}},
}


def _facets(aggs: dict) -> dict[str, list[tuple[str, int]]]:
    return {
        "source": [(b["key"], b["doc_count"]) for b in aggs["source"]["buckets"]],
        "entity": [(b["shown"]["buckets"][0]["key"], b["doc_count"]) for b in aggs["entity"]["groups"]["buckets"]],
        "type": [(b["key"], b["doc_count"]) for b in aggs["type"]["buckets"]],
        "action": [(b["key"], b["doc_count"]) for b in aggs["action"]["buckets"]],
    }
