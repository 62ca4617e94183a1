"""The write path: stores what the write planner (index/planner.py) decides — new articles,
revisions of changed ones, story clusters of near-duplicates."""
from __future__ import annotations

import json
import logging
import sqlite3
from collections import Counter
from typing import Iterable

from common.dates import utc_iso
from ..base import WriteResult
from ..document import Article
from .. import dedup, planner
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
        """Store what the planner decided for `a` (index/planner.py)."""
        row = self.db.execute("SELECT rowid, content_hash, fetched, title, body FROM articles WHERE id = ?",
                              (a.id,)).fetchone()
        step = planner.plan(row[1] if row else None, a, rewrite)
        if step.touch_only:
            self.db.execute("UPDATE articles SET fetched = ? WHERE rowid = ?", (a.fetched, row[0]))
            return step.outcome
        values = (a.url, a.source, a.title, a.text, a.published, utc_iso(a.published), a.modified,
                  json.dumps(a.authors), a.language, a.section, a.image, a.fetched, a.content_hash,
                  json.dumps([{"name": e.name, "type": e.type, "mentions": e.mentions} for e in a.entities]),
                  json.dumps([{"action": x.action, "sentence": x.sentence} for x in a.actions]))
        if row:
            rowid = row[0]
            if step.keep_revision:      # the version we had, with when we fetched it
                self.db.execute("INSERT INTO revisions VALUES (?,?,?,?,?)", (rowid, row[2], row[3], row[4], row[1]))
            self.db.execute("""UPDATE articles SET url=?, source=?, title=?, body=?, published=?, published_utc=?,
                modified=?, authors=?, language=?, section=?, image=?, fetched=?, content_hash=?, entities=?,
                actions=?, revisions = revisions + ? WHERE rowid=?""", values + (int(step.keep_revision), rowid))
            for table in ("entities", "mentions", "actions"):
                self.db.execute(f"DELETE FROM {table} WHERE article = ?", (rowid,))
        else:
            fingerprint = planner.signature(a)
            first_seen = planner.first_seen(a)
            candidates, bands = self._candidates(fingerprint)
            cluster = planner.cluster_of(a.id, fingerprint, candidates)
            rowid = self.db.execute("""INSERT INTO articles (url, source, title, body, published, published_utc,
                modified, authors, language, section, image, fetched, content_hash, entities, actions, id,
                cluster, first_seen) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                values + (a.id, cluster, first_seen)).lastrowid
            if fingerprint is not None:
                self.db.execute("INSERT INTO signatures VALUES (?,?,?)", (rowid, first_seen, dedup.to_bytes(fingerprint)))
                self.db.executemany("INSERT INTO dedup_bands VALUES (?, ?)", [(band, rowid) for band in bands])
        self.db.executemany("INSERT OR REPLACE INTO entities VALUES (?,?,?,?)",
                            [(rowid, e.name, e.type, e.mentions) for e in a.entities])
        self.db.executemany("INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?)",
                            mention_rows(rowid, values[5] or "", a.id, a.source, a.url, a.title,
                                         [(e.name, e.sentences) for e in a.entities]))
        self.db.executemany("INSERT INTO actions VALUES (?,?,?)",
                            [(rowid, x.action, x.sentence) for x in a.actions])
        korean.sqlite_write(self.db, rowid, a.title, a.text, a.language)
        return step.outcome

    def _candidates(self, fingerprint) -> tuple[list[tuple], list[str]]:
        """The near-duplicate candidates for the planner, (first_seen, id, cluster, signature) of
        each band's first dedup.BAND_CANDIDATES articles — a bounded number of rows, however big
        the index — and the bands this article is to be listed under: those not yet full (a full
        band's later entries would never be read)."""
        if fingerprint is None:
            return [], []
        keys = dedup.band_keys(fingerprint)
        per_band = " UNION ALL ".join(f"SELECT * FROM (SELECT band, article FROM dedup_bands WHERE band = ? "
                                      f"ORDER BY article LIMIT {dedup.BAND_CANDIDATES})" for _ in keys)
        listed = self.db.execute(per_band, keys).fetchall()
        filled = Counter(band for band, _ in listed)
        open_bands = [band for band in keys if filled[band] < dedup.BAND_CANDIDATES]
        if not listed:
            return [], open_bands
        rowids = list({article for _, article in listed})
        candidates = self.db.execute(
            f"SELECT s.first_seen, k.id, k.cluster, s.signature FROM signatures s JOIN {fts.KEYS} k "
            f"ON k.rowid = s.rowid WHERE s.rowid IN ({','.join('?' * len(rowids))}) ORDER BY s.first_seen, k.id",
            rowids).fetchall()
        return candidates, open_bands


def mention_rows(rowid: int, published_utc: str, id_: str, source: str, url: str, title: str,
                 refs: list[tuple[str, list[str]]]) -> list[tuple]:
    """The mentions table's rows (schema.py) for an article's entity references (name, sentences):
    one per name (as COLLATE NOCASE compares them), its sentences in reading order: sentence i of
    every reference before sentence i + 1 of any."""
    named: dict[str, tuple[str, list]] = {}
    for ref, (name, sentences) in enumerate(refs):
        for i, sentence in enumerate(sentences):
            named.setdefault(name.lower(), (name, []))[1].append((i, ref, sentence))
    return [(name, published_utc, id_, rowid, source, url, title, json.dumps([s for *_, s in sorted(found)]))
            for name, found in named.values()]
