"""Incremental crawling on Elasticsearch, as index/sqlite/ does it: URL states and crawl-run
records (story clusters: clusters.py).

URL states and runs live in two small indices beside the collection's alias NAME: NAME.urls
and NAME.runs (mappings in index/elastic/urls.json and runs.json), created on first use."""
from __future__ import annotations

import hashlib
import time
from dataclasses import asdict
from typing import Callable, Iterable, Iterator

from elasticsearch import ApiError, NotFoundError

from ..base import ArchiveRef, IndexFailure, IndexUnavailable, SourceRun, UrlState
from .client import BulkIndexError, Client, bulk
from .leases import Leases
from .schema import mapping


class CrawlState:
    """URL states and crawl runs of one collection."""

    def __init__(self, client: Client, alias: str, scan: Callable[..., Iterator[dict]]):
        self.client, self.scan = client, scan
        self.urls, self.runs_index, self.archive = f"{alias}.urls", f"{alias}.runs", f"{alias}.archive"
        self.alerts = f"{alias}.alerts"       # written by alerts.py; here so drop() deletes it too
        self._created: set[str] = set()

    def indices(self) -> list[str]:
        return [self.urls, self.runs_index, self.archive, self.alerts]

    def _ensure(self, index: str, spec: str) -> None:
        if index in self._created:
            return
        try:
            self.client.indices.create(index=index, **mapping(spec))
        except ApiError as exc:
            if "resource_already_exists" not in str(exc):
                raise
        self._created.add(index)

    def url_states(self, source: str) -> dict[str, UrlState]:
        if not self.client.indices.exists(index=self.urls):
            return {}
        query = {"bool": {"filter": [{"term": {"source": source}}]}}
        return {d["url"]: UrlState(**d) for d in
                (hit["_source"] for hit in self.scan(query, [{"_doc": "asc"}], True, index=self.urls))}

    def save_url_states(self, states: Iterable[UrlState]) -> None:
        self._ensure(self.urls, "urls")
        actions = ({"_index": self.urls, "_id": hashlib.sha1(s.url.encode()).hexdigest(), "_source": asdict(s)}
                   for s in states)
        _bulk(self.client, actions)

    def record_runs(self, runs: Iterable[SourceRun]) -> None:
        self._ensure(self.runs_index, "runs")
        actions = ({"_index": self.runs_index, "_id": f"{r.run_id}|{r.source}", "_source": run_doc(r)} for r in runs)
        # searchable before this returns: a crawler on another machine that takes the source's
        # lease next must see this run when it checks whether the source is still due
        _bulk(self.client, actions, refresh="wait_for")

    def runs(self, source: str | None = None, limit: int = 10) -> list[SourceRun]:
        query = {"bool": {"filter": [{"term": {"source": source}}]}} if source else {"match_all": {}}
        try:
            response = self.client.search(index=self.runs_index, query=query, size=limit,
                                          sort=[{"started": "desc"}, {"source": "asc"}])
        except NotFoundError:
            return []
        return [run_from_doc(hit["_source"]) for hit in response["hits"]["hits"]]

    def save_archive_refs(self, refs: Iterable[ArchiveRef]) -> None:
        self._ensure(self.archive, "archive")
        _bulk(self.client, ({"_index": self.archive, "_id": r.id, "_source": asdict(r)} for r in refs))

    def archive_refs(self, ids: list[str]) -> dict[str, ArchiveRef]:
        found: dict[str, ArchiveRef] = {}
        for start in range(0, len(ids), 1000):
            try:
                response = self.client.mget(index=self.archive, ids=ids[start:start + 1000])
            except NotFoundError:
                return {}
            found.update({d["_id"]: ArchiveRef(**d["_source"]) for d in response["docs"] if d.get("found")})
        return found

    def archived(self) -> int:
        try:
            return self.client.count(index=self.archive)["count"]
        except NotFoundError:
            return 0

    def delete(self) -> None:
        for index in self.indices():
            self.client.indices.delete(index=index, ignore_unavailable=True)
        self._created.clear()


def _bulk(client: Client, actions, refresh: str | bool = False) -> None:
    try:
        bulk(client, actions, chunk_size=1000, refresh=refresh)
    except BulkIndexError as exc:
        raise IndexFailure(f"{client.product} refused {len(exc.errors)} record(s): {exc.errors[:1]}") from exc


def run_doc(run: SourceRun) -> dict:
    fixed = ("run_id", "source", "started", "finished")
    data = asdict(run)
    return {**{k: data[k] for k in fixed}, "counts": {k: v for k, v in data.items() if k not in fixed}}


def run_from_doc(doc: dict) -> SourceRun:
    return SourceRun(doc["run_id"], doc["source"], doc["started"], doc.get("finished"), **doc.get("counts", {}))


class State:
    """ElasticIndex's crawl bookkeeping: through CrawlState (self.state), or into the spool with
    the articles when the node cannot take it."""

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
