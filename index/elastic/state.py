"""Incremental crawling on Elasticsearch, as index/sqlite.py does it: story clusters
(near-duplicate copies, index/dedup.py), URL states and crawl-run records.

URL states and runs live in two small indices beside the collection's alias NAME: NAME.urls
and NAME.runs (mappings in index/elastic/urls.json and runs.json), created on first use."""
from __future__ import annotations

import bisect
import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Iterable, Iterator

from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers

from .. import dedup
from ..base import ArchiveRef, IndexFailure, SourceRun, UrlState
from ..document import Article

MAPPINGS = Path(__file__).parent
CANDIDATES = 50          # stored near-duplicate candidates checked per new article (earliest first)


def _spec(name: str) -> dict:
    spec = json.loads((MAPPINGS / f"{name}.json").read_text(encoding="utf-8"))
    return {k: v for k, v in spec.items() if not k.startswith("_comment")}


class Clusters:
    """Assign each new article the story cluster of its earliest-seen near-duplicate, as SQLite's
    _cluster_of: candidates share an LSH band; the first (by first_seen, id) whose MinHash
    similarity reaches dedup.THRESHOLD wins. Articles written by this process and not yet
    searchable (no refresh since) are remembered here, so a batch sees the one before it."""

    def __init__(self, client: Elasticsearch, alias: str):
        self.client, self.alias = client, alias
        # band → its earliest (first_seen, id, cluster, signature bytes) written since the last refresh
        self.recent: dict[str, list[tuple[str, str, str, bytes]]] = {}

    def assign(self, articles: list[Article], first_seen: Callable[[Article], str]) -> dict[str, tuple]:
        """{id: (cluster, first_seen, fingerprint hex, bands)} for new articles, in order."""
        signatures = {a.id: dedup.signature_of(a.fingerprint, a.text) for a in articles}
        bands = {aid: dedup.band_keys(sig) for aid, sig in signatures.items() if sig is not None}
        stored = self._stored_candidates(bands)
        out = {}
        for a in articles:
            sig, seen = signatures[a.id], first_seen(a)
            cluster = a.id
            if sig is not None:
                candidates = {hit[1]: hit for hit in stored.get(a.id, [])}
                for band in bands[a.id]:
                    candidates.update({entry[1]: entry for entry in self.recent.get(band, [])})
                candidates.pop(a.id, None)
                ordered = sorted(candidates.values(), key=lambda c: (c[0], c[1]))
                found = dedup.first_similar(sig, [c[3] for c in ordered])
                if found is not None:
                    cluster = ordered[found][2]
                entry = (seen, a.id, cluster, dedup.to_bytes(sig))
                for band in bands[a.id]:        # each band's earliest, as SQLite keeps them
                    kept = self.recent.setdefault(band, [])
                    if len(kept) < dedup.BAND_CANDIDATES or entry[:2] < kept[-1][:2]:
                        bisect.insort(kept, entry, key=lambda c: (c[0], c[1]))
                        del kept[dedup.BAND_CANDIDATES:]
            out[a.id] = (cluster, seen, dedup.to_hex(sig), bands.get(a.id, []))
        return out

    def _stored_candidates(self, bands: dict[str, list[str]]) -> dict[str, list[tuple]]:
        if not bands:
            return {}
        ids = list(bands)
        searches = []
        for aid in ids:
            searches += [{"index": self.alias},
                         {"query": {"terms": {"dedup_bands": bands[aid]}}, "size": CANDIDATES,
                          "sort": [{"first_seen": "asc"}, {"id": "asc"}], "track_total_hits": False,
                          "_source": ["id", "cluster", "first_seen", "fingerprint"]}]
        found: dict[str, list[tuple]] = {}
        for start in range(0, len(searches), 1000):        # 500 searches a request
            response = self.client.msearch(searches=searches[start:start + 1000])
            for aid, answer in zip(ids[start // 2:], response["responses"]):
                if "error" in answer:
                    raise IndexFailure(f"looking for near-duplicates failed: {answer['error']}")
                found[aid] = [(d["first_seen"] or "", d["id"], d["cluster"] or d["id"], d.get("fingerprint"))
                              for d in (h["_source"] for h in answer["hits"]["hits"])]
        return found

    def forget_recent(self) -> None:
        """After a refresh every article written so far is searchable."""
        self.recent.clear()


class CrawlState:
    """URL states and crawl runs of one collection."""

    def __init__(self, client: Elasticsearch, alias: str, scan: Callable[..., Iterator[dict]]):
        self.client, self.scan = client, scan
        self.urls, self.runs_index, self.archive = f"{alias}.urls", f"{alias}.runs", f"{alias}.archive"
        self._created: set[str] = set()

    def indices(self) -> list[str]:
        return [self.urls, self.runs_index, self.archive]

    def _ensure(self, index: str, spec: str) -> None:
        if index in self._created:
            return
        try:
            self.client.indices.create(index=index, **_spec(spec))
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


def _bulk(client: Elasticsearch, actions, refresh: str | bool = False) -> None:
    try:
        helpers.bulk(client, actions, chunk_size=1000, refresh=refresh)
    except helpers.BulkIndexError as exc:
        raise IndexFailure(f"Elasticsearch refused {len(exc.errors)} record(s): {exc.errors[:1]}") from exc


def run_doc(run: SourceRun) -> dict:
    fixed = ("run_id", "source", "started", "finished")
    data = asdict(run)
    return {**{k: data[k] for k in fixed}, "counts": {k: v for k, v in data.items() if k not in fixed}}


def run_from_doc(doc: dict) -> SourceRun:
    return SourceRun(doc["run_id"], doc["source"], doc["started"], doc.get("finished"), **doc.get("counts", {}))
