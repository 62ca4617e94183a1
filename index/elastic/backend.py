"""The Elasticsearch backend: the same interface and the same answers as index/sqlite.py.

    http(s)://[user:pass@]HOST:PORT[/NAME]     NAME: the collection's alias (default policywatch-articles)

Articles live in versioned indices NAME-v1, NAME-v2… made from the index template in
index/elastic/template.json; everything reads and writes through the alias, so a reindex
(index/maintenance.py) builds the next version and switches with no search downtime. URL states
and crawl runs live beside it in NAME.urls and NAME.runs (index/elastic/state.py). Setup is lazy and
idempotent: opening never contacts the node.

Nothing is lost when the node is down or refuses writes (connection error, 429, 5xx, a write
block): articles, URL states and runs go to a local spool (index/spool.py), one warning is
logged, and the next write once the node answers — or `flush()` — replays them. Same ids, so
a replay never duplicates.
"""
from __future__ import annotations

import json
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import unquote, urlsplit

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from . import docs
from .. import korean
from . import query as dsl
from .. import timeline as tl
from ..base import (INTERVALS, ArchiveRef, EntityCount, Hit, IndexConfigError, IndexFailure, IndexUnavailable,
                   PeriodCounts, ReindexResult, Revision, SearchRequest, SearchResult, SourceRun, TimelineRow,
                   UrlState, WriteResult)
from ..document import Article
from .leases import Leases
from .state import Clusters, CrawlState, run_doc, run_from_doc
from ..query import Node
from ..spool import Spool, spool_path

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 3   # 3: title_ko/body_ko (Korean, nori)
DEFAULT_NAME = "policywatch-articles"
DEFAULT_SPOOL_DIR = "data/spool"
TEMPLATE_FILE = Path(__file__).with_name("template.json")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,200}$")
SCAN_SIZE = 1000
MENTION_SCAN_SIZE = 10_000      # mention rows are small: fewer, bigger pages (the default result window)
# Distinct story clusters. Exact below the threshold (40,000 clusters in one bucket), as the
# collapsed search total: the same numbers as SQLite's count(DISTINCT cluster).
STORIES = {"cardinality": {"field": "cluster", "precision_threshold": 40_000}}
_PREVIOUS = ["fetched", "title", "body", "content_hash", "cluster", "first_seen", "fingerprint", "dedup_bands",
             "detail.revisions"]


class _SpoolInstead(Exception):
    """Internal: the node cannot take these articles now; spool them."""

    def __init__(self, reason: str, pending: list[Article]):
        super().__init__(reason)
        self.reason, self.pending = reason, pending


def load_template() -> dict:
    spec = json.loads(TEMPLATE_FILE.read_text(encoding="utf-8"))
    return {k: v for k, v in spec.items() if not k.startswith("_comment")}


def _transient(status, error) -> bool:
    """A refusal that says nothing about the document: retry later rather than drop it."""
    kind = error.get("type") if isinstance(error, dict) else ""
    return (not isinstance(status, int) or status in (401, 403, 408, 429) or status >= 500
            or kind in ("cluster_block_exception", "es_rejected_execution_exception", "index_not_found_exception"))


def _describe(exc: Exception) -> str:
    """'connection refused' rather than three nested exception reprs."""
    found = re.search(r"\[Errno -?\d+\] ([^)\]]+)", str(exc))
    return found.group(1).strip().lower() if found else str(exc)[:300]


def _reason(error) -> str:
    return f"{error.get('type')}: {error.get('reason')}" if isinstance(error, dict) else str(error)


def _parse_nodes(url: str) -> tuple[list[str], str, tuple[str, str] | None]:
    """(node URLs, collection NAME, basic auth) from `http(s)://[user:pass@]HOST:PORT[,HOST:PORT…][/NAME]`;
    each extra node may be written as a whole URL or as HOST:PORT."""
    usage = ("use http(s)://[user:pass@]HOST:PORT[/NAME] (several nodes: http://n1:9200,http://n2:9200/NAME), "
             "NAME in lower-case letters, digits, '-' and '_'")
    head, *more = url.split(",")
    scheme = urlsplit(head).scheme
    last = more[-1] if more else head
    if more and "://" not in last:
        last = f"{scheme}://{last}"
    name = urlsplit(last).path.strip("/") or DEFAULT_NAME
    nodes, auth = [], None
    for part in [head, *more]:
        parts = urlsplit(part if "://" in part else f"{scheme}://{part}")
        try:
            host, port = parts.hostname, parts.port or 9200
        except ValueError as exc:
            raise IndexConfigError(f"bad index URL '{url}': {exc}") from None
        if not host or parts.scheme not in ("http", "https") or parts.query or parts.fragment \
                or (parts.path.strip("/") and part is not last and parts.path.strip("/") != name):
            raise IndexConfigError(f"bad index URL '{url}': {usage}")
        if parts.username and auth is None:
            auth = (unquote(parts.username), unquote(parts.password or ""))
        host_text = f"[{host}]" if ":" in host else host
        nodes.append(f"{parts.scheme}://{host_text}:{port}")
    if not NAME_RE.match(name):
        raise IndexConfigError(f"bad index URL '{url}': {usage}")
    return nodes, name, auth


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class ElasticIndex:
    def __init__(self, client: Elasticsearch, name: str, location: str, spool: Spool,
                 retry_after: float = 30.0, chunk_size: int = 500, bulk_streams: int = 2):
        self.client, self.name, self.location = client, name, location
        self.spool = spool
        self.retry_after = retry_after          # after a failure, spool without trying for this long
        self.chunk_size = chunk_size            # documents per bulk request
        self.bulk_streams = bulk_streams        # concurrent bulk requests in one big write
        self.clusters = Clusters(client, name)
        self.state = CrawlState(client, name, self._scan)
        self.leases = Leases(client, name, run=self.run)
        self._ready = False
        self._down_until = 0.0
        self._down_reason = ""
        # when to replay the spool on a write: None = nothing spooled; a file left by an earlier run: at once
        self._replay_after: float | None = 0.0 if spool.path.exists() else None
        self._warned = False
        self._spooled_here = False              # this process spooled something (see close)

    @classmethod
    def from_url(cls, url: str, api_key: str | None = None, ca_certs: str | None = None,
                 spool_dir: str | Path | None = None, request_timeout: float = 30.0, **unknown) -> "ElasticIndex":
        """`http://n1:9200/NAME`, or several nodes of one cluster: `http://n1:9200,http://n2:9200/NAME`
        (the client spreads requests over them and retries a request on another node when one
        is lost)."""
        if unknown:
            raise IndexConfigError(f"unknown Elasticsearch option(s): {', '.join(sorted(unknown))}")
        nodes, name, auth = _parse_nodes(url)
        # one retry per other node, so a request that meets a dead node is tried on each live one
        options: dict = {"request_timeout": request_timeout, "max_retries": max(1, len(nodes)),
                         "retry_on_timeout": True}
        if auth:
            options["basic_auth"] = auth
        if api_key:
            options["api_key"] = api_key
        if ca_certs:
            options["ca_certs"] = ca_certs
        client = Elasticsearch(nodes, **options)
        first = urlsplit(nodes[0])
        spool = Spool(spool_path(spool_dir or DEFAULT_SPOOL_DIR, f"{first.hostname}-{first.port}", name))
        return cls(client, name, f"{','.join(nodes)}/{name}", spool)

    # -- setup ----------------------------------------------------------------------------
    def indices(self) -> dict:
        """{concrete index: its description} behind the alias; {} when the collection is new."""
        try:
            return dict(self.client.indices.get(index=self.name).body)
        except NotFoundError:
            return {}

    def versions(self) -> list[str]:
        """NAME-v1, NAME-v2… that exist, oldest first (behind the alias or not)."""
        pattern = re.compile(rf"^{re.escape(self.name)}-v(\d+)$")
        try:
            found = self.client.indices.get(index=f"{self.name}-v*", expand_wildcards="all").body
        except NotFoundError:
            return []
        return sorted((n for n in found if pattern.match(n)), key=lambda n: int(n.rsplit("-v", 1)[1]))

    def exists(self) -> bool:
        """Whether the collection exists (as an alias, or as a plain index _setup will reject)."""
        try:
            return bool(self.client.indices.exists(index=self.name))
        except TransportError as exc:
            raise IndexUnavailable(f"Elasticsearch at {self.location} is unreachable: {_describe(exc)}") from exc
        except ApiError as exc:
            raise IndexFailure(f"Elasticsearch at {self.location} refused the request: {exc}") from exc

    def put_template(self) -> None:
        spec = load_template()
        # a longer NAME is more specific: it wins over a shorter one whose pattern also matches
        spec.update(index_patterns=[f"{self.name}-v*"], priority=200 + len(self.name))
        self.client.indices.put_index_template(name=self.name, **spec)

    def _setup(self) -> None:
        indices = self.indices()
        if self.name in indices:
            raise IndexConfigError(f"{self.location}: '{self.name}' is an index, not an alias; "
                                   "pick another NAME in the URL or `policywatch copy` it into one")
        if not indices:
            try:
                self.put_template()
            except ApiError as exc:
                if problem := korean.missing_analyzer(exc):
                    raise IndexConfigError(f"{self.location}: {problem}") from exc
                raise
            versions = self.versions()
            target = versions[-1] if versions else f"{self.name}-v1"
            try:
                if versions:    # a setup that stopped half-way: attach the alias
                    self.client.indices.put_alias(index=target, name=self.name)
                else:
                    self.client.indices.create(index=target, aliases={self.name: {}})
            except ApiError as exc:
                if "resource_already_exists" not in str(exc):
                    raise                          # else another process created it meanwhile
            indices = self.indices()
        for index, spec in indices.items():
            schema = (spec.get("mappings", {}).get("_meta") or {}).get("policywatch_schema", 0)
            if schema > SCHEMA_VERSION:
                raise IndexConfigError(f"{index} has schema version {schema}; this PolicyWatch knows up to "
                                       f"{SCHEMA_VERSION} — upgrade PolicyWatch")
            if schema < SCHEMA_VERSION:
                logger.warning("%s has schema version %s, this PolicyWatch writes %s: run `policywatch reindex "
                               "--index %s`", index, schema, SCHEMA_VERSION, self.location)
        self._ready = True

    def run(self, call, *args, **kwargs):
        """Call the node (set up first if need be); its errors become the index's own."""
        try:
            if not self._ready:
                self._setup()
            return call(*args, **kwargs)
        except TransportError as exc:
            raise IndexUnavailable(f"Elasticsearch at {self.location} is unreachable: {_describe(exc)}") from exc
        except ApiError as exc:
            if exc.status_code in (429, 502, 503, 504):
                raise IndexUnavailable(f"Elasticsearch at {self.location} is unavailable: {exc}") from exc
            raise IndexFailure(f"Elasticsearch at {self.location} refused the request: {exc}") from exc

    def _search(self, **body) -> dict:
        return self.run(lambda: self.client.search(index=self.name, **body).body)

    # -- writing --------------------------------------------------------------------------
    def content_hashes(self, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        if time.monotonic() >= self._down_until:
            try:
                found = {aid: d.get("content_hash", "") for aid, d in self.run(self._stored, ids, ["content_hash"]).items()}
            except IndexUnavailable as exc:
                self._went_down(exc)
        found.update(self.spool.hashes(ids))      # a spooled version is newer than the stored one
        return found

    def _stored(self, ids: list[str], fields: list[str]) -> dict[str, dict]:
        found = {}
        for start in range(0, len(ids), 1000):
            response = self.client.mget(index=self.name, ids=ids[start:start + 1000], source=fields)
            found.update({d["_id"]: d["_source"] for d in response["docs"] if d.get("found")})
        return found

    def write(self, articles: Iterable[Article], rewrite: bool = False) -> WriteResult:
        articles = list(articles)
        result = WriteResult()
        if not articles:
            return result
        try:
            if time.monotonic() < self._down_until:
                raise _SpoolInstead(self._down_reason, articles)
            self._try(lambda: self._ready or self._setup(), articles)
            if self._replay_after is not None and time.monotonic() >= self._replay_after:
                self._replay(WriteResult())
            self._write_now(articles, result, rewrite)
        except _SpoolInstead as exc:
            # Spooled articles replay as plain writes: a rewrite of unchanged text waits for the
            # next reprocess (the caller sees `spooled`).
            self._to_spool(exc.pending, exc.reason, result)
        return result

    def _try(self, call, pending: list[Article]):
        """Run a call on the write path: a refusal of the request itself raises IndexFailure;
        anything that says the node cannot take it now raises _SpoolInstead (spool `pending`)."""
        try:
            return call()
        except (TransportError, ApiError) as exc:
            if isinstance(exc, ApiError) and not _transient(exc.status_code, None):
                raise IndexFailure(f"Elasticsearch at {self.location} refused the request: {exc}") from exc
            self._went_down(exc)
            raise _SpoolInstead(_describe(exc), pending) from exc

    def _write_now(self, articles: list[Article], result: WriteResult, rewrite: bool = False) -> None:
        """Write to the node; raises _SpoolInstead with what it could not take (spool those)."""
        stored = {aid: d.get("content_hash") for aid, d in
                  self._try(lambda: self._stored(list(dict.fromkeys(a.id for a in articles)), ["content_hash"]),
                            articles).items()}
        # outcomes as if written one by one; one action per id (its last version)
        latest: dict[str, Article] = {}
        outcomes: dict[str, list[str]] = {}
        before = dict(stored)
        for a in articles:
            previous = before.get(a.id)
            if previous is None:
                outcome = "new"
            else:
                outcome = "unchanged" if previous == a.content_hash and not rewrite else "updated"
            outcomes.setdefault(a.id, []).append(outcome)
            latest[a.id] = a
            before[a.id] = a.content_hash
        changed = [aid for aid, a in latest.items() if aid in stored and (stored[aid] != a.content_hash or rewrite)]
        previous = self._try(lambda: self._stored(changed, _PREVIOUS), articles) if changed else {}
        fresh = [a for aid, a in latest.items() if aid not in stored]
        placed = self._try(lambda: self.clusters.assign(fresh, lambda a: a.first_seen or a.fetched or _now()),
                           articles)

        def action(aid: str) -> dict:
            a = latest[aid]
            same_text = stored.get(aid) == a.content_hash
            if same_text and not rewrite:                   # unchanged: only note when it was fetched
                return {"_op_type": "update", "_index": self.name, "_id": aid, "doc": {"fetched": a.fetched}}
            if aid in placed:
                cluster, seen, fingerprint, bands = placed[aid]
                doc = docs.to_doc(a, cluster=cluster, first_seen=seen, fingerprint=fingerprint, bands=bands,
                                  revisions=[])
            else:                                           # changed: keep the version we had
                old = previous.get(aid, {})
                body = old.get("body") or ""
                kept = (old.get("detail") or {}).get("revisions", []) + ([] if same_text else [
                    {"fetched": old.get("fetched"), "title": old.get("title", ""),
                     "body": body.split("\n\n") if body else [], "content_hash": old.get("content_hash", "")}])
                doc = docs.to_doc(a, cluster=old.get("cluster") or aid, first_seen=old.get("first_seen") or _now(),
                                  fingerprint=old.get("fingerprint"), bands=old.get("dedup_bands") or [],
                                  revisions=kept)
            return {"_op_type": "index", "_index": self.name, "_id": aid, "_source": doc}

        def send(ids: list[str]) -> tuple[list[tuple[bool, dict]], TransportError | None]:
            replies = []
            try:
                for ok, item in helpers.streaming_bulk(
                        self.client, map(action, ids), chunk_size=self.chunk_size, max_chunk_bytes=50 * 1024 * 1024,
                        raise_on_error=False, raise_on_exception=False, max_retries=3, initial_backoff=0.5,
                        max_backoff=4):
                    replies.append((ok, next(iter(item.values()))))
            except TransportError as exc:
                return replies, exc
            return replies, None

        # Big writes go as parallel streams: the client's JSON work overlaps the node's indexing.
        ids = list(latest)
        streams = max(1, min(self.bulk_streams, len(ids) // self.chunk_size))
        size = -(-len(ids) // streams)
        parts = [ids[i:i + size] for i in range(0, len(ids), size)]
        if len(parts) == 1:
            sent = [send(parts[0])]
        else:
            with ThreadPoolExecutor(len(parts), thread_name_prefix="pw-bulk") as pool:
                sent = list(pool.map(send, parts))

        done: set[str] = set()
        retry: list[Article] = []
        reasons: list[str] = []
        for ok, info in (reply for replies, _ in sent for reply in replies):
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
        broken = next((error for _, error in sent if error is not None), None)
        if broken is not None:
            self._went_down(broken)
            raise _SpoolInstead(_describe(broken), retry + [a for aid, a in latest.items() if aid not in done])
        if retry:
            raise _SpoolInstead(reasons[0], retry)
        self._down_until = 0.0

    def _went_down(self, exc: Exception) -> None:
        self._down_until = time.monotonic() + self.retry_after
        self._down_reason = _describe(exc)

    def _to_spool(self, articles: list[Article], reason: str, result: WriteResult) -> None:
        self.spool.put(articles, reason)
        result.spooled += len(articles)
        self._spooled(reason)

    def _spooled(self, reason: str) -> None:
        self._spooled_here = True
        self._replay_after = time.monotonic() + self.retry_after
        if not self._warned:
            self._warned = True
            logger.warning("Elasticsearch at %s cannot take writes now (%s): spooling them to %s; the next crawl "
                           "or `policywatch flush --index %s` writes them", self.location, reason, self.spool.path,
                           self.location)

    def _replay(self, result: WriteResult) -> WriteResult:
        """Write what the spool holds, oldest first; stop (keeping the rest) if the node fails again."""
        self._replay_after = None
        replayed = 0
        for batch in self.spool.batches(self.chunk_size):
            articles = [a for _, a in batch]
            try:
                self._write_now(articles, result)
            except _SpoolInstead as exc:
                pending = {a.id for a in exc.pending}
                self.spool.remove([seq for seq, a in batch if a.id not in pending])
                return self._replay_stopped(result, exc.reason)
            self.spool.remove([seq for seq, _ in batch])
            replayed += len(batch)
        try:
            states, runs = self.spool.records("url_state"), self.spool.records("run")
            if states:
                self.run(self.state.save_url_states, [UrlState(**r) for r in states.values()])
                self.spool.remove_records("url_state", states)
            if runs:
                self.run(self.state.record_runs, [run_from_doc(r) for r in runs.values()])
                self.spool.remove_records("run", runs)
        except IndexUnavailable as exc:
            return self._replay_stopped(result, str(exc))
        if replayed:
            logger.info("replayed %d spooled articles into %s", replayed, self.location)
        return result

    def _replay_stopped(self, result: WriteResult, reason: str) -> WriteResult:
        result.spooled = self.spool.count()
        self._replay_after = time.monotonic() + self.retry_after
        logger.info("replaying the spool %s stopped (%s); %d articles still wait", self.spool.path, reason,
                    result.spooled)          # the one warning was given when they were spooled
        return result

    def flush(self) -> WriteResult:
        """Write everything spooled now. `spooled` in the result: articles that still wait."""
        self.run(lambda: None)                            # unreachable: IndexUnavailable
        self._down_until = 0.0
        result = self._replay(WriteResult())
        self.refresh()
        return result

    def pending(self) -> int:
        """Articles waiting in the spool."""
        return self.spool.count()

    # -- crawl bookkeeping ----------------------------------------------------------------
    def url_states(self, source: str) -> dict[str, UrlState]:
        return self.run(self.state.url_states, source)

    def save_url_states(self, states: list[UrlState]) -> None:
        self._keep("url_state", {s.url: asdict(s) for s in states}, self.state.save_url_states, states)

    def record_runs(self, runs: list[SourceRun]) -> None:
        self._keep("run", {f"{r.run_id}|{r.source}": run_doc(r) for r in runs}, self.state.record_runs, runs)

    def _keep(self, kind: str, records: dict[str, dict], save, items) -> None:
        """Save crawl bookkeeping, or spool it with the articles when the node cannot take it."""
        if not records:
            return
        if time.monotonic() >= self._down_until:
            try:
                return self.run(save, items)
            except IndexUnavailable as exc:
                self._went_down(exc)
        self.spool.put_records(kind, records)
        self._spooled(self._down_reason)

    def runs(self, source: str | None = None, limit: int = 10) -> list[SourceRun]:
        return self.run(self.state.runs, source, limit)

    def save_archive_refs(self, refs: list[ArchiveRef]) -> None:
        self.run(self.state.save_archive_refs, refs)

    def archive_refs(self, ids: list[str]) -> dict[str, ArchiveRef]:
        return self.run(self.state.archive_refs, ids)

    def crawl_leases(self) -> Leases:
        return self.leases

    def history(self, article_id: str) -> list[Revision]:
        found = self.run(self._stored, [article_id], ["fetched", "title", "body", "content_hash", "detail.revisions"])
        if article_id not in found:
            return []
        d = found[article_id]
        body = d.get("body") or ""
        return [Revision(**r) for r in (d.get("detail") or {}).get("revisions", [])] + [
            Revision(d.get("fetched"), d["title"], body.split("\n\n") if body else [], d["content_hash"])]

    # -- reading --------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        query = dsl.with_dates(dsl.compile_query(request.query), request.date_from, request.date_to)
        newest = {"published_utc": {"order": "desc", "missing": "_last"}}
        sort = (["_score", newest, {"id": "asc"}] if request.sort == "relevance" else [newest, {"id": "asc"}])
        body = {"query": query, "sort": sort, "from_": request.offset, "size": request.limit,
                "track_total_hits": True if request.collapse or request.count_limit is None else request.count_limit,
                "source": docs.HIT_SOURCE}
        aggs: dict = {}
        marks = dsl.highlight(request.query)
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
        q = dsl.with_dates(dsl.compile_query(query), date_from, date_to)
        for hit in self._scan(q, self._OLDEST_FIRST, docs.ARTICLE_SOURCE):
            yield docs.from_doc(hit["_source"])

    def _entity_query(self, entity: str, date_from, date_to) -> dict:
        q = {"bool": {"filter": [{"nested": {"path": "entities", "query": {"term": {"entities.name": entity}}}},
                                 {"exists": {"field": "published_utc"}}]}}
        return dsl.with_dates(q, date_from, date_to)

    def mentions(self, entity: str, date_from=None, date_to=None) -> Iterator[tuple[str, str, str, str, str]]:
        wanted = entity.lower()
        keys = docs.mention_keys(entity)
        fields = ["published_utc", "source", "url", "title", "detail.keyed"] + [f"detail.mentions.{k}" for k in keys]
        query = self._entity_query(entity, date_from, date_to)
        for hit in self._scan(query, self._OLDEST_FIRST, fields, size=MENTION_SCAN_SIZE):
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
                "matched": {"filter": dsl.compile_query(query),
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
        response = self._search(query=dsl.compile_query(query), size=0, aggs=aggs, track_total_hits=False)
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
            "backend": "elasticsearch", "location": self.location, "schema_version": SCHEMA_VERSION,
            "indices": sorted(self.run(self.indices)), "articles": r["hits"]["total"]["value"],
            "sources": {b["key"]: b["doc_count"] for b in a["sources"]["buckets"]},
            "entities": a["entities"]["names"]["value"],
            "first_published": a["first"].get("value_as_string"), "last_published": a["last"].get("value_as_string"),
            "spooled": self.spool.count(), "archived_articles": self.run(self.state.archived),
        }

    # -- administration -------------------------------------------------------------------
    @contextmanager
    def bulk_load(self):
        """For a big load (copy, benchmarks): no periodic refresh until it is done, then one
        refresh. Searches meanwhile see the collection as it was before the load."""
        def settings(refresh):
            self.client.indices.put_settings(index=self.name, settings={"index": {"refresh_interval": refresh}})
        self.run(settings, "-1")
        try:
            yield self
        finally:
            self.run(settings, load_template()["template"]["settings"]["index"]["refresh_interval"])
            self.refresh()

    def reindex(self) -> ReindexResult:
        """Rebuild the collection into its next versioned index, with no search downtime:
        NAME-v(n+1) from the current template, every document copied by _reindex, the alias
        switched in one step, the old index deleted. Writes meanwhile meet a write block and are
        spooled, then replayed into the new index by the next write or `flush`."""
        return self.run(self._reindex)

    def _reindex(self) -> ReindexResult:
        es, alias = self.client, self.name
        current = self.indices()
        if len(current) != 1:
            raise IndexConfigError(f"{self.location}: the alias points at {len(current)} indices; expected one")
        old = next(iter(current))
        new = f"{alias}-v{max([int(v.rsplit('-v', 1)[1]) for v in self.versions()] + [0]) + 1}"
        self.put_template()
        es.indices.create(index=new, settings={"index": {"refresh_interval": "-1"}})
        es.indices.add_block(index=old, block="write")
        try:
            es.indices.refresh(index=old)                  # _reindex reads by search: let it see every write
            copied = es.options(request_timeout=24 * 3600).reindex(
                source={"index": old}, dest={"index": new}, wait_for_completion=True, refresh=True)
            if copied.get("failures"):
                raise IndexFailure(f"reindexing {old} into {new} failed: {copied['failures'][:3]}")
            refresh = load_template()["template"]["settings"]["index"]["refresh_interval"]
            es.indices.put_settings(index=new, settings={"index": {"refresh_interval": refresh}})
            es.indices.refresh(index=new)
            before, after = es.count(index=old)["count"], es.count(index=new)["count"]
            if before != after:
                raise IndexFailure(f"reindexing {old} into {new} copied {after} of {before} documents")
            es.indices.update_aliases(actions=[{"remove": {"index": old, "alias": alias}},
                                               {"add": {"index": new, "alias": alias}}])
        except BaseException:
            es.indices.put_settings(index=old, settings={"index": {"blocks": {"write": False}}})
            es.indices.delete(index=new, ignore_unavailable=True)
            raise
        es.indices.delete(index=old)
        logger.info("reindexed %d documents of %s from %s into %s", after, alias, old, new)
        return ReindexResult(alias, old, new, after)

    def refresh(self) -> None:
        self.run(lambda: self.client.indices.refresh(index=[self.name] + self.state.indices(),
                                                     ignore_unavailable=True))
        self.clusters.forget_recent()

    def drop(self) -> None:
        """Delete the collection: its versioned indices, the alias, the template, URL states and
        crawl runs, and the spool."""
        def delete():
            for index in sorted(set(self.indices()) | set(self.versions())):
                self.client.indices.delete(index=index, ignore_unavailable=True)
            self.state.delete()
            self.leases.delete()
            try:
                self.client.indices.delete_index_template(name=self.name)
            except NotFoundError:
                pass
        self.run(delete)
        self._ready = False
        self.spool.delete()

    def close(self) -> None:
        waiting = self.spool.count() if self._replay_after is not None else 0
        still_down = ""
        if waiting and self._spooled_here:
            # spooled during this run (a node lost mid-crawl, a write block): the cluster has often
            # recovered by now, so replay once rather than leave it all for `policywatch flush`.
            # No second warning if it has not: the spooling one already said what happened.
            try:
                self.flush()
            except IndexFailure as exc:
                still_down = f" ({exc})"
            waiting = self.spool.count()
        if waiting:
            logger.info("%d articles wait in %s for `policywatch flush`%s", waiting, self.spool.path, still_down)
        self.spool.close()
        self.client.close()
