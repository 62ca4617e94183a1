"""The write path: stores what the write planner (index/planner.py) decides — new articles,
revisions of changed ones, story clusters of near-duplicates.

A write() reads what it needs in bulk, a chunk of articles at a time: the stored rowid and
content hash of each id, and what the bands of every new article list that this writer must
read again (index/bands.py; two queries for the chunk, not two per article); articles written
from the chunk are listed as they are written, so a copy later in the same chunk finds its
original."""
from __future__ import annotations

import logging
import sqlite3
from typing import Iterable

import orjson

from common.dates import now_iso, utc_iso
from ..base import WriteResult
from ..cases import case_id
from ..document import Article
from .. import dedup, planner
from ..bands import Entry
from .. import korean
from . import query as fts

logger = logging.getLogger(__name__)

# The full-text tables a new article's text goes into, after the rest of its chunk (schema.py:
# schema 5 dropped the trigger that wrote them).
FTS_TABLES = ("articles_fts", "articles_fts_exact")
CHUNK = 1000          # articles whose stored versions and near-duplicate candidates are read in one go
_IN_LIMIT = 500       # values per `IN (…)`


class Writes:
    """SQLiteIndex's writing half (self.db: the connection; self.listings: index/bands.py)."""

    def content_hashes(self, ids: list[str]) -> dict[str, str]:
        return {id_: content_hash for id_, (_, content_hash) in self._stored(ids).items()}

    def _stored(self, ids: list[str]) -> dict[str, tuple[int, str]]:
        """(rowid, content hash) of each stored id."""
        return {r[0]: (r[1], r[2]) for r in _rows_in(self.db, "SELECT id, rowid, content_hash FROM articles "
                                                              "WHERE id IN ({})", ids)}

    def write(self, articles: Iterable[Article], rewrite: bool = False) -> WriteResult:
        result = WriteResult()
        articles = list(articles)
        # Foreign keys unchecked while writing: every row written here belongs to an article row
        # written or read in the same transaction, and checking each of ~40 per article against
        # `articles` cost ~10% of a write. (A no-op inside a transaction: set before it opens.)
        self.db.execute("PRAGMA foreign_keys=OFF")
        try:
            with self.db:
                for start in range(0, len(articles), CHUNK):
                    self._write_chunk(articles[start:start + CHUNK], rewrite, result)
        except BaseException:
            self.listings.clear()          # what it listed went with the transaction
            raise
        finally:
            self.db.execute("PRAGMA foreign_keys=ON")
        self.listings.trim()
        return result

    def _write_chunk(self, chunk: list[Article], rewrite: bool, result: WriteResult) -> None:
        stored = self._stored([a.id for a in chunk])
        self._stamp = now_iso()       # the chunk's new articles were indexed now (what alerts call new)
        signed = {a.id: planner.signed(a) for a in chunk if a.id not in stored}
        self._learn(self.listings.unknown(key for _, keys in signed.values() for key in keys))
        written, unindexed, banded, mentioned = [], {}, [], {}
        for article in chunk:
            try:
                written.append((article, self._write_one(article, rewrite, stored, signed, unindexed, banded,
                                                         mentioned)))
            except sqlite3.Error as exc:
                _failed(result, article, exc)
        # The chunk's band rows in key order, after its articles: one at a time they landed on
        # random pages of a table of ~16 rows per article; sorted, neighbours share pages
        # (70-80 µs less CPU an article at 60,000 articles, most of it system time: page reads).
        self.db.executemany("INSERT INTO dedup_bands VALUES (?, ?)", sorted(banded))
        # Its mention rows likewise, in the order of their index (name, date, id): articles dated
        # over two years put each on a random page of that index; sorted, the chunk's rows for one
        # name share pages (29 and 38 µs less CPU an article at 60,000 and 100,000 articles). Like
        # a band row, a mention row cannot fail for a reason of its own: its values are its
        # article's, stored a moment before, and one article's names are unique (mention_rows).
        self.db.executemany("INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?)",
                            sorted((row for rows in mentioned.values() for row in rows), key=_mention_order))
        # The new articles' full-text rows, together after the chunk's other writes: FTS5
        # flushes its pending terms into a new segment whenever a statement opens a
        # savepoint (REPLACE, triggers, foreign keys), so interleaved they cost ~3x.
        unsearchable = set()
        for rowid, article in unindexed.items():
            try:
                self._index_text(rowid, article)
            except sqlite3.Error as exc:
                _failed(result, article, exc)
                unsearchable.add(id(article))
        for article, outcome in written:
            if id(article) not in unsearchable:
                setattr(result, outcome, getattr(result, outcome) + 1)

    def _learn(self, keys: set[str]) -> None:
        """What the file lists under these bands, each band's first BAND_CANDIDATES by rowid (a
        band filled before schema 5 may hold more), for self.listings."""
        listed: dict[str, list[int]] = {}
        for band, article in _rows_in(self.db, "SELECT band, article FROM dedup_bands WHERE band IN ({})",
                                      sorted(keys)):
            listed.setdefault(band, []).append(article)
        for rowids in listed.values():
            rowids.sort()
            del rowids[dedup.BAND_CANDIDATES:]
        entries: dict[int, Entry] = {r[0]: r[1:] for r in _rows_in(
            self.db, f"SELECT s.rowid, s.first_seen, k.id, k.cluster, s.signature FROM signatures s "
                     f"JOIN {fts.KEYS} k ON k.rowid = s.rowid WHERE s.rowid IN ({{}})",
            sorted({r for rowids in listed.values() for r in rowids}))}
        self.listings.learn({band: [entries[r] for r in rowids if r in entries] for band, rowids in listed.items()})

    def _index_text(self, rowid: int, a: Article) -> None:
        for table in FTS_TABLES:
            self.db.execute(f"INSERT INTO {table}(rowid, title, body) VALUES (?, ?, ?)", (rowid, a.title, a.text))

    def _write_one(self, a: Article, rewrite: bool, stored: dict, signed: dict, unindexed: dict, banded: list,
                   mentioned: dict) -> str:
        """Store what the planner decided for `a` (index/planner.py), but for the full-text rows of
        a new article, which join `unindexed` (rowid: article), its band rows, which join `banded`
        (band, rowid), and its mention rows, `mentioned[rowid]` (replacing those of a
        version written earlier in the chunk). `stored` is kept up to date."""
        rowid, stored_hash = stored.get(a.id, (None, None))
        step = planner.plan(stored_hash, a, rewrite)
        if step.touch_only:
            self.db.execute("UPDATE articles SET fetched = ? WHERE rowid = ?", (a.fetched, rowid))
            return step.outcome
        values = (a.url, a.source, a.title, a.text, a.published, utc_iso(a.published), a.modified,
                  _json(a.authors), a.language, a.section, a.image, a.fetched, a.content_hash,
                  _json([{"name": e.name, "type": e.type, "mentions": e.mentions} for e in a.entities]),
                  _json([{"action": x.action, "sentence": x.sentence} for x in a.actions]))
        listed, new = None, rowid is None
        if not new:
            if rowid in unindexed:      # new earlier in this chunk: indexed before the update trigger replaces it
                self._index_text(rowid, unindexed.pop(rowid))
            if step.keep_revision:      # the version we had, with when we fetched it
                self.db.execute("INSERT INTO revisions SELECT rowid, fetched, title, body, content_hash "
                                "FROM articles WHERE rowid = ?", (rowid,))
            self.db.execute("""UPDATE articles SET url=?, source=?, title=?, body=?, published=?, published_utc=?,
                modified=?, authors=?, language=?, section=?, image=?, fetched=?, content_hash=?, entities=?,
                actions=?, revisions = revisions + ? WHERE rowid=?""", values + (int(step.keep_revision), rowid))
            for table in ("entities", "mentions", "actions", "statements"):
                self.db.execute(f"DELETE FROM {table} WHERE article = ?", (rowid,))
        else:
            fingerprint, keys = signed.get(a.id) or planner.signed(a)
            first_seen = planner.first_seen(a)
            cluster, entry, bands = self.listings.place(a.id, fingerprint, keys, first_seen)
            rowid = self.db.execute("""INSERT INTO articles (url, source, title, body, published, published_utc,
                modified, authors, language, section, image, fetched, content_hash, entities, actions, id,
                cluster, first_seen, indexed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                values + (a.id, cluster, first_seen, self._stamp)).lastrowid
            if entry is not None:
                self.db.execute("INSERT INTO signatures VALUES (?,?,?)", (rowid, first_seen, entry[3]))
                banded += [(band, rowid) for band in bands]
                listed = (entry, bands)
        self.db.executemany("INSERT OR REPLACE INTO entities VALUES (?,?,?,?)",
                            [(rowid, e.name, e.type, e.mentions) for e in a.entities])
        mentioned[rowid] = mention_rows(rowid, values[5] or "", a.id, a.source, a.url, a.title,
                                        [(e.name, e.sentences) for e in a.entities])
        self.db.executemany("INSERT INTO actions VALUES (?,?,?)",
                            [(rowid, x.action, x.sentence) for x in a.actions])
        self.db.executemany("INSERT INTO statements VALUES (?,?,?,?)",
                            [(rowid, i, case_id(st), _json(st.record())) for i, st in enumerate(a.statements)])
        if not new or korean.is_korean(a.language):      # a new rowid has no Korean row to replace
            korean.sqlite_write(self.db, rowid, a.title, a.text, a.language)
        stored[a.id] = (rowid, a.content_hash)
        if listed:
            self.listings.list(*listed)
        if new:
            unindexed[rowid] = a
        return step.outcome


def _json(value) -> str:
    """A JSON column's text (orjson: a quarter of json's time, ~25 µs an article)."""
    return orjson.dumps(value).decode()


def _failed(result: WriteResult, article: Article, exc: sqlite3.Error) -> None:
    result.failed.append((article.url, str(exc)))
    logger.error("could not index %s: %s", article.url, exc)


def _mention_order(row: tuple) -> tuple:
    """A mention row's place in the mentions_entity index (name COLLATE NOCASE, date, id)."""
    return row[0].lower(), row[1], row[2]


def _rows_in(db: sqlite3.Connection, sql: str, values: list) -> list[tuple]:
    """The rows of `sql`, whose `IN ({})` is given `values`, a bounded number at a time."""
    rows = []
    for start in range(0, len(values), _IN_LIMIT):
        chunk = values[start:start + _IN_LIMIT]
        rows += db.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall()
    return rows


def mention_rows(rowid: int, published_utc: str, id_: str, source: str, url: str, title: str,
                 refs: list[tuple[str, list[str]]]) -> list[tuple]:
    """The mentions table's rows (schema.py) for an article's entity references (name, sentences):
    one per name (as COLLATE NOCASE compares them), its sentences in reading order: sentence i of
    every reference before sentence i + 1 of any."""
    named: dict[str, tuple[str, list]] = {}
    for ref, (name, sentences) in enumerate(refs):
        for i, sentence in enumerate(sentences):
            named.setdefault(name.lower(), (name, []))[1].append((i, ref, sentence))
    return [(name, published_utc, id_, rowid, source, url, title, _json([s for *_, s in sorted(found)]))
            for name, found in named.values()]
