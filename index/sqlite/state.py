"""Crawl state: each URL's last fetch, the runs of each source, where each article's page is archived."""
from __future__ import annotations

import json

from ..base import ArchiveRef, SourceRun, UrlState


class State:
    """SQLiteIndex's crawl-state tables (self.db: the connection)."""

    def url_states(self, source: str) -> dict[str, UrlState]:
        return {r[0]: UrlState(*r) for r in self.db.execute(
            "SELECT url, source, fetched, status, etag, last_modified, published, content_hash FROM url_state "
            "WHERE source = ?", (source,))}

    def save_url_states(self, states: list[UrlState]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO url_state VALUES (?,?,?,?,?,?,?,?)",
                                [(s.url, s.source, s.fetched, s.status, s.etag, s.last_modified, s.published,
                                  s.content_hash) for s in states])

    def save_archive_refs(self, refs: list[ArchiveRef]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO archive_refs VALUES (?,?,?,?,?)",
                                [(r.id, r.warc, r.offset, r.url, r.fetched) for r in refs])

    def archive_refs(self, ids: list[str]) -> dict[str, ArchiveRef]:
        found: dict[str, ArchiveRef] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self.db.execute(f"SELECT id, warc, offset, url, fetched FROM archive_refs WHERE id IN "
                                   f"({','.join('?' * len(chunk))})", chunk)
            found.update({r[0]: ArchiveRef(*r) for r in rows})
        return found

    def record_runs(self, runs: list[SourceRun]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO crawl_runs VALUES (?,?,?,?,?)",
                                [(r.run_id, r.source, r.started, r.finished, json.dumps(_run_counts(r)))
                                 for r in runs])

    def crawl_leases(self) -> None:
        return None          # one machine's file: the crawl's flock (crawler/locks.py) is the lease

    def runs(self, source: str | None = None, limit: int = 10) -> list[SourceRun]:
        sql = "SELECT run_id, source, started, finished, counts FROM crawl_runs"
        params: list = []
        if source:
            sql += " WHERE source = ?"
            params.append(source)
        rows = self.db.execute(sql + " ORDER BY started DESC, source LIMIT ?", params + [limit])
        return [SourceRun(run_id, src, started, finished, **json.loads(counts))
                for run_id, src, started, finished, counts in rows]


def _run_counts(run: SourceRun) -> dict:
    return {k: v for k, v in vars(run).items() if k not in ("run_id", "source", "started", "finished")}
