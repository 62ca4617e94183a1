"""The write path: new articles, revisions of changed ones, story clusters of near-duplicates."""
from __future__ import annotations

import json
import logging
import sqlite3
from collections import Counter
from datetime import datetime, timezone
from typing import Iterable

from common.dates import utc_iso
from ..base import WriteResult
from ..document import Article
from .. import dedup
from .. import korean
from . import query as fts

logger = logging.getLogger(__name__)


class Writes:
    """SQLiteIndex's writing half (self.db: the connection)."""

    def content_hashes(self, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT id, content_hash FROM articles WHERE id IN ({marks})", chunk):
                found[row[0]] = row[1]
        return found

    def write(self, articles: Iterable[Article], rewrite: bool = False) -> WriteResult:
        result = WriteResult()
        with self.db:
            for article in articles:
                try:
                    outcome = self._write_one(article, rewrite)
                except sqlite3.Error as exc:
                    result.failed.append((article.url, str(exc)))
                    logger.error("could not index %s: %s", article.url, exc)
                    continue
                setattr(result, outcome, getattr(result, outcome) + 1)
        return result

    def _write_one(self, a: Article, rewrite: bool = False) -> str:
        row = self.db.execute("SELECT rowid, content_hash, fetched, title, body FROM articles WHERE id = ?",
                              (a.id,)).fetchone()
        same_text = bool(row) and row[1] == a.content_hash
        if same_text and not rewrite:
            self.db.execute("UPDATE articles SET fetched = ? WHERE rowid = ?", (a.fetched, row[0]))
            return "unchanged"
        values = (a.url, a.source, a.title, a.text, a.published, utc_iso(a.published), a.modified,
                  json.dumps(a.authors), a.language, a.section, a.image, a.fetched, a.content_hash,
                  json.dumps([{"name": e.name, "type": e.type, "mentions": e.mentions} for e in a.entities]),
                  json.dumps([{"action": x.action, "sentence": x.sentence} for x in a.actions]))
        if row:
            rowid = row[0]
            if not same_text:
                # The outlet changed the story: keep the version we had, with when we fetched it.
                self.db.execute("INSERT INTO revisions VALUES (?,?,?,?,?)", (rowid, row[2], row[3], row[4], row[1]))
            self.db.execute("""UPDATE articles SET url=?, source=?, title=?, body=?, published=?, published_utc=?,
                modified=?, authors=?, language=?, section=?, image=?, fetched=?, content_hash=?, entities=?,
                actions=?, revisions = revisions + ? WHERE rowid=?""", values + (0 if same_text else 1, rowid))
            for table in ("entities", "mentions", "actions"):
                self.db.execute(f"DELETE FROM {table} WHERE article = ?", (rowid,))
        else:
            fingerprint = dedup.signature_of(a.fingerprint, a.text)
            first_seen = a.first_seen or a.fetched or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            cluster, bands = self._cluster_of(fingerprint)
            cluster = cluster or a.id
            rowid = self.db.execute("""INSERT INTO articles (url, source, title, body, published, published_utc,
                modified, authors, language, section, image, fetched, content_hash, entities, actions, id,
                cluster, first_seen) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                values + (a.id, cluster, first_seen)).lastrowid
            if fingerprint is not None:
                self.db.execute("INSERT INTO signatures VALUES (?,?,?)", (rowid, first_seen, dedup.to_bytes(fingerprint)))
                self.db.executemany("INSERT INTO dedup_bands VALUES (?, ?)", [(band, rowid) for band in bands])
        self.db.executemany("INSERT OR REPLACE INTO entities VALUES (?,?,?,?)",
                            [(rowid, e.name, e.type, e.mentions) for e in a.entities])
        self.db.executemany("INSERT INTO mentions VALUES (?,?,?,?)",
                            [(rowid, e.name, i, s) for e in a.entities for i, s in enumerate(e.sentences)])
        self.db.executemany("INSERT INTO actions VALUES (?,?,?)",
                            [(rowid, x.action, x.sentence) for x in a.actions])
        korean.sqlite_write(self.db, rowid, a.title, a.text, a.language)
        return "updated" if row else "new"

    def _cluster_of(self, fingerprint) -> tuple[str | None, list[str]]:
        """The story cluster of the earliest-seen near-duplicate among each band's first
        dedup.BAND_CANDIDATES articles, if any — a bounded number of rows, however big the index —
        and the bands this article is to be listed under: those not yet full (a full band's
        later entries would never be read)."""
        if fingerprint is None:
            return None, []
        keys = dedup.band_keys(fingerprint)
        per_band = " UNION ALL ".join(f"SELECT * FROM (SELECT band, article FROM dedup_bands WHERE band = ? "
                                      f"ORDER BY article LIMIT {dedup.BAND_CANDIDATES})" for _ in keys)
        listed = self.db.execute(per_band, keys).fetchall()
        filled = Counter(band for band, _ in listed)
        open_bands = [band for band in keys if filled[band] < dedup.BAND_CANDIDATES]
        if not listed:
            return None, open_bands
        rowids = list({article for _, article in listed})
        candidates = self.db.execute(
            f"SELECT k.cluster, s.signature FROM signatures s JOIN {fts.KEYS} k ON k.rowid = s.rowid "
            f"WHERE s.rowid IN ({','.join('?' * len(rowids))}) ORDER BY s.first_seen, k.id", rowids).fetchall()
        found = dedup.first_similar(fingerprint, [other for _, other in candidates])
        return (None if found is None else candidates[found][0]), open_bands
