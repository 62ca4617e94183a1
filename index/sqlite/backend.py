"""The embedded backend: SQLite with FTS5 (WAL mode, BM25 ranking, highlighted snippets).
SQLiteIndex joins the package's parts: schema.py, writes.py, query.py (the compiler),
search.py and state.py."""
from __future__ import annotations

import functools
import inspect
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from ..bands import Listings
from ..base import IndexConfigError, IndexUnavailable, ReindexResult, WriteResult
from . import schema
from .search import Search
from .state import State
from .alerts import Alerts
from .writes import Writes


# Durability of a commit (WAL mode): NORMAL syncs at each checkpoint, so a power loss may lose the
# last commits but never damages the file.
SYNCHRONOUS = "NORMAL"


class SQLiteIndex(Writes, Search, State, Alerts):
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.listings = Listings()
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        except sqlite3.Error as exc:
            raise IndexUnavailable(f"cannot open SQLite index at {path}: {exc}") from exc
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
            self.db.execute("PRAGMA foreign_keys=ON")
            schema.migrate(self.db, self.path)
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise _damaged(self.path, exc) from exc

    def close(self) -> None:
        self.db.close()

    # -- administration: what an embedded file needs none of ---------------------------------
    def flush(self) -> WriteResult:
        return WriteResult()                 # writes go straight to the file: nothing is spooled

    def pending(self) -> int:
        return 0

    def refresh(self) -> None:
        pass                                 # a committed write is searchable at once

    @contextmanager
    def bulk_load(self):
        """For a big load (copy, benchmarks): the writer is taken to be the file's only one, so
        story clusters read no band listing it knows again, and none at all into a file that
        lists none yet (index/bands.py).

        Into a file that holds no article yet (a copy into a new file), nothing is synced until
        the load ends: its checkpoints waited on the disk for 13-17% of a 100,000-article load's
        wall time (2,063-2,147 against 1,820-1,837 articles/s, interleaved). If the machine loses
        power meanwhile the file may be damaged, and holds nothing but the load, which is run
        again; when the load ends, everything it wrote is checkpointed into the file and synced."""
        unbanded = self.db.execute("SELECT 1 FROM dedup_bands LIMIT 1").fetchone() is None
        new = self.db.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None
        if new:
            self.db.execute("PRAGMA synchronous=OFF")
        try:
            with self.listings.sole(unbanded):
                yield self
        finally:
            if new:
                self.db.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def reindex(self) -> ReindexResult:
        raise IndexConfigError(f"reindex is for Elasticsearch collections; {self.path} is embedded and "
                               "upgrades its schema when opened")

    def drop(self) -> None:
        self.db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def _damaged(path: Path, exc: sqlite3.DatabaseError) -> IndexUnavailable:
    # SQLite may quote the damaged bytes themselves: keep the message to one printable line
    detail = "".join(c if c.isprintable() else "?" for c in str(exc))
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in detail or "unable to open" in detail):
        return IndexUnavailable(f"cannot use the SQLite index at {path}: {detail}")
    return IndexUnavailable(f"the SQLite index at {path} is damaged or not a database ({detail}): "
                            "restore a backup, or crawl into a new file")


def _guarded(method):
    """SQLite's own errors (a corrupt page found mid-query, a lock held too long) become the index's
    one-line IndexUnavailable; generators are guarded for as long as they are read."""
    if inspect.isgeneratorfunction(method):
        @functools.wraps(method)
        def generator(self, *args, **kwargs):
            try:
                yield from method(self, *args, **kwargs)
            except sqlite3.DatabaseError as exc:
                raise _damaged(self.path, exc) from exc
        return generator

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.path, exc) from exc
    return call




for _name in ("search", "get", "export", "mentions", "statements", "timeline", "entity_counts", "history",
              "url_states", "runs", "stats", "content_hashes", "alerts", "save_alert", "remove_alert"):
    setattr(SQLiteIndex, _name, _guarded(getattr(SQLiteIndex, _name)))
