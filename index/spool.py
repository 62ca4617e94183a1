"""A durable local queue for articles an index could not take yet (an Elasticsearch node down,
overloaded or write-blocked). One SQLite file per cluster and collection; every put is committed
with synchronous=FULL (fsync'd) before the caller moves on. Keyed by article id, so the latest
version of an article wins and a replay never duplicates."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator

from .base import IndexUnavailable
from .document import Article

SCHEMA = """
CREATE TABLE IF NOT EXISTS spool (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    article TEXT NOT NULL,
    reason TEXT NOT NULL,
    spooled_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS records (          -- crawl bookkeeping: URL states, crawl runs
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
"""


def spool_path(directory: str | Path, cluster: str, collection: str) -> Path:
    """data/spool/127.0.0.1-9200__policywatch-articles.db"""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", cluster).strip("-")
    return Path(directory) / f"{safe}__{collection}.db"


class Spool:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None

    def _open(self, create: bool) -> sqlite3.Connection | None:
        if self._db is None:
            if not create and not self.path.exists():
                return None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
                with db:
                    db.executescript(SCHEMA)
            except (OSError, sqlite3.Error) as exc:
                raise IndexUnavailable(f"cannot open the spool {self.path}: {exc}") from exc
            self._db = db
        return self._db

    def put(self, articles: Iterable[Article], reason: str) -> int:
        rows = [(a.id, a.content_hash, json.dumps(a.to_dict(), ensure_ascii=False), reason) for a in articles]
        if not rows:
            return 0
        db = self._open(create=True)
        try:
            with db:
                # a re-spooled article moves to the end of the queue with its latest content
                db.executemany("DELETE FROM spool WHERE id = ?", [(r[0],) for r in rows])
                db.executemany("INSERT INTO spool (id, content_hash, article, reason) VALUES (?,?,?,?)", rows)
        except sqlite3.Error as exc:
            raise IndexUnavailable(f"cannot write to the spool {self.path}: {exc}") from exc
        return len(rows)

    def count(self) -> int:
        db = self._open(create=False)
        return db.execute("SELECT count(*) FROM spool").fetchone()[0] if db else 0

    def hashes(self, ids: list[str]) -> dict[str, str]:
        db = self._open(create=False)
        if not db or not ids:
            return {}
        found = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(db.execute(f"SELECT id, content_hash FROM spool WHERE id IN ({marks})", chunk))
        return found

    def batches(self, size: int = 500) -> Iterator[list[tuple[int, Article]]]:
        """Oldest first, as (seq, article); remove() what was written before asking for more."""
        db = self._open(create=False)
        if not db:
            return
        after = 0
        while True:
            rows = db.execute("SELECT seq, article FROM spool WHERE seq > ? ORDER BY seq LIMIT ?",
                              (after, size)).fetchall()
            if not rows:
                return
            after = rows[-1][0]
            yield [(seq, Article.from_dict(json.loads(text))) for seq, text in rows]

    def remove(self, seqs: list[int]) -> None:
        """Forget these entries — by seq, so an article re-spooled meanwhile stays queued."""
        db = self._open(create=False)
        if db and seqs:
            with db:
                db.executemany("DELETE FROM spool WHERE seq = ?", [(s,) for s in seqs])

    def put_records(self, kind: str, records: dict[str, dict]) -> None:
        """Other writes the index could not take (URL states, crawl runs), latest per key."""
        if not records:
            return
        db = self._open(create=True)
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO records VALUES (?,?,?)",
                               [(kind, key, json.dumps(data, ensure_ascii=False)) for key, data in records.items()])
        except sqlite3.Error as exc:
            raise IndexUnavailable(f"cannot write to the spool {self.path}: {exc}") from exc

    def records(self, kind: str) -> dict[str, dict]:
        db = self._open(create=False)
        if not db:
            return {}
        return {key: json.loads(data) for key, data in
                db.execute("SELECT key, data FROM records WHERE kind = ? ORDER BY rowid", (kind,))}

    def remove_records(self, kind: str, keys: Iterable[str]) -> None:
        db = self._open(create=False)
        if db:
            with db:
                db.executemany("DELETE FROM records WHERE kind = ? AND key = ?", [(kind, k) for k in keys])

    def delete(self) -> None:
        self.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
