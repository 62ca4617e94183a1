"""The embedded backend: SQLite with FTS5 (WAL mode, BM25 ranking, highlighted snippets).

Two FTS tables index the same title and body: `articles_fts` with the Porter stemmer for words
and phrases, `articles_fts_exact` unstemmed for prefix queries (a stemmed index would miss
`investigat*`, since "investigation" is stored as "investig"). Elasticsearch does the same
with a stemmed field and an unstemmed subfield.
"""
from __future__ import annotations

import functools
import html
import inspect
import json
import logging
import sqlite3
from collections import Counter
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from common.dates import utc_iso
from ..base import (ArchiveRef, EntityCount, Hit, IndexConfigError, IndexUnavailable, PeriodCounts, ReindexResult,
                   Revision, SearchRequest, SearchResult, SourceRun, TimelineRow, UrlState, WriteResult)
from ..document import Article
from ..query import And, Filter, MatchAll, Node, Not, Or, QueryError, Text, positive_texts
from .. import dedup
from .. import korean
from .. import timeline as tl

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 3
SNIPPET_WORDS = 24
_OPEN, _CLOSE = "\x02", "\x03"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published TEXT,
    published_utc TEXT,
    modified TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    language TEXT,
    section TEXT,
    image TEXT,
    fetched TEXT,
    content_hash TEXT NOT NULL,
    entities TEXT NOT NULL DEFAULT '[]',
    actions TEXT NOT NULL DEFAULT '[]',
    revisions INTEGER NOT NULL DEFAULT 0,
    cluster TEXT,
    first_seen TEXT,
    fingerprint TEXT
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published_utc);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, body, content='articles', content_rowid='rowid',
    tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts_exact USING fts5(
    title, body, content='articles', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
    INSERT INTO articles_fts_exact(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
    INSERT INTO articles_fts_exact(articles_fts_exact, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
END;
CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
    INSERT INTO articles_fts_exact(articles_fts_exact, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
    INSERT INTO articles_fts_exact(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TABLE IF NOT EXISTS entities (
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    name TEXT NOT NULL COLLATE NOCASE,
    type TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (article, name, type)
);
-- Covering (filter value, article): "articles mentioning X" never has to visit the table.
DROP INDEX IF EXISTS entities_name;
DROP INDEX IF EXISTS entities_type;
CREATE INDEX IF NOT EXISTS entities_name_article ON entities(name, article);
CREATE INDEX IF NOT EXISTS entities_type_article ON entities(type, article);
CREATE TABLE IF NOT EXISTS mentions (
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    name TEXT NOT NULL COLLATE NOCASE,
    seq INTEGER NOT NULL,
    sentence TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_name ON mentions(name);
CREATE TABLE IF NOT EXISTS actions (
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    action TEXT NOT NULL,
    sentence TEXT NOT NULL
);
DROP INDEX IF EXISTS actions_action;
CREATE INDEX IF NOT EXISTS actions_action_article ON actions(action, article);
CREATE TABLE IF NOT EXISTS revisions (
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    fetched TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS revisions_article ON revisions(article);
CREATE TABLE IF NOT EXISTS dedup_bands (
    band TEXT NOT NULL,
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE
);
-- Schema 3: MinHash signatures (index/dedup.py, 64 big-endian uint64) with the key near-duplicate
-- candidates are ordered by, apart from the wide article rows (articles.fingerprint, hex, was
-- their home up to schema 2; the migration moves them here).
CREATE TABLE IF NOT EXISTS signatures (
    rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
    first_seen TEXT,
    signature BLOB NOT NULL
);
-- (band, article): each band's earliest articles are read off the index, LIMIT n, however full it is
DROP INDEX IF EXISTS dedup_bands_band;
CREATE INDEX IF NOT EXISTS dedup_bands_band_article ON dedup_bands(band, article);
-- Schema 3: what search filters and sorts on, one narrow row per article (same rowid). Ranking
-- 50,000 matches by date reads these rows instead of the article rows, whose sort keys sit behind
-- the body (overflow pages): 3-10x less I/O per match. Triggers keep it in step with articles.
CREATE TABLE IF NOT EXISTS article_keys (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    language TEXT,
    published_utc TEXT,
    cluster TEXT
);
CREATE INDEX IF NOT EXISTS article_keys_newest ON article_keys(published_utc DESC, id);
CREATE INDEX IF NOT EXISTS article_keys_source ON article_keys(source COLLATE NOCASE);
CREATE TRIGGER IF NOT EXISTS article_keys_ai AFTER INSERT ON articles BEGIN
    INSERT INTO article_keys VALUES (new.rowid, new.id, new.source, new.language, new.published_utc, new.cluster);
END;
CREATE TRIGGER IF NOT EXISTS article_keys_ad AFTER DELETE ON articles BEGIN
    DELETE FROM article_keys WHERE rowid = old.rowid;
END;
CREATE TRIGGER IF NOT EXISTS article_keys_au AFTER UPDATE OF id, source, language, published_utc, cluster ON articles BEGIN
    UPDATE article_keys SET id = new.id, source = new.source, language = new.language,
        published_utc = new.published_utc, cluster = new.cluster WHERE rowid = new.rowid;
END;
CREATE TABLE IF NOT EXISTS url_state (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    fetched TEXT NOT NULL,
    status TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    published TEXT,
    content_hash TEXT
);
CREATE INDEX IF NOT EXISTS url_state_source ON url_state(source);
CREATE TABLE IF NOT EXISTS crawl_runs (
    run_id TEXT NOT NULL,
    source TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    counts TEXT NOT NULL,
    PRIMARY KEY (run_id, source)
);
CREATE INDEX IF NOT EXISTS crawl_runs_source ON crawl_runs(source, started);
CREATE TABLE IF NOT EXISTS archive_refs (
    id TEXT PRIMARY KEY,
    warc TEXT NOT NULL,
    offset INTEGER NOT NULL,
    url TEXT NOT NULL,
    fetched TEXT
);
"""
# Columns added since schema version 1 (ALTER TABLE for databases made by an older PolicyWatch).
_V2_COLUMNS = {"revisions": "INTEGER NOT NULL DEFAULT 0", "cluster": "TEXT", "first_seen": "TEXT", "fingerprint": "TEXT"}


def _date_range(date_from: datetime | None, date_to: datetime | None) -> tuple[str, list]:
    """SQL for a publication window: from inclusive, to exclusive."""
    sql, params = "", []
    if date_from:
        sql += " AND a.published_utc >= ?"
        params.append(_bound(date_from))
    if date_to:
        sql += " AND a.published_utc < ?"
        params.append(_bound(date_to))
    return sql, params


def _bound(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _table_of(text: Text) -> str:
    if korean.has_hangul(" ".join(text.words)):
        return korean.SQLITE_TABLE
    return "articles_fts_exact" if text.prefix else "articles_fts"


def _fts_expr(text: Text) -> str:
    # Words hold only letters and digits (query.WORD_RE), so quoting them is always safe.
    phrase = '"' + " ".join(text.words) + '"'
    return phrase + " *" if text.prefix else phrase


class SQLiteIndex:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        except sqlite3.Error as exc:
            raise IndexUnavailable(f"cannot open SQLite index at {path}: {exc}") from exc
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise _damaged(self.path, exc) from exc

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise IndexConfigError(f"{self.path} has schema version {version}; this PolicyWatch "
                                   f"knows up to {SCHEMA_VERSION} — upgrade PolicyWatch")
        with self.db:
            if version == 1:
                have = {row[1] for row in self.db.execute("PRAGMA table_info(articles)")}
                for column, decl in _V2_COLUMNS.items():
                    if column not in have:
                        self.db.execute(f"ALTER TABLE articles ADD COLUMN {column} {decl}")
                self.db.execute("UPDATE articles SET cluster = id, first_seen = fetched WHERE cluster IS NULL")
            self.db.executescript(SCHEMA + korean.SQLITE_SCHEMA)
            if 0 < version < 3:      # schema 3: the narrow key table and the signatures, from the articles
                self.db.execute("INSERT OR REPLACE INTO article_keys SELECT rowid, id, source, language, "
                                "published_utc, cluster FROM articles")
                moved = self.db.execute("SELECT rowid, first_seen, fingerprint FROM articles WHERE fingerprint IS NOT NULL")
                self.db.executemany("INSERT OR REPLACE INTO signatures VALUES (?,?,?)",
                                    ((rowid, seen, bytes.fromhex(hexed)) for rowid, seen, hexed in moved))
                self.db.execute("UPDATE articles SET fingerprint = NULL WHERE fingerprint IS NOT NULL")
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def close(self) -> None:
        self.db.close()

    # -- administration: what an embedded file needs none of ---------------------------------
    def flush(self) -> WriteResult:
        return WriteResult()                 # writes go straight to the file: nothing is spooled

    def pending(self) -> int:
        return 0

    def refresh(self) -> None:
        pass                                 # a committed write is searchable at once

    def bulk_load(self):
        return nullcontext(self)

    def reindex(self) -> ReindexResult:
        raise IndexConfigError(f"reindex is for Elasticsearch collections; {self.path} is embedded and "
                               "upgrades its schema when opened")

    def drop(self) -> None:
        self.db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    # -- writing --------------------------------------------------------------------------
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
            f"SELECT k.cluster, s.signature FROM signatures s JOIN {_KEYS} k ON k.rowid = s.rowid "
            f"WHERE s.rowid IN ({','.join('?' * len(rowids))}) ORDER BY s.first_seen, k.id", rowids).fetchall()
        found = dedup.first_similar(fingerprint, [other for _, other in candidates])
        return (None if found is None else candidates[found][0]), open_bands

    # -- reading --------------------------------------------------------------------------
    @classmethod
    def _fts_match(cls, node: Node) -> tuple[str, str] | None:
        """(table, one FTS5 MATCH expression) for a subtree of words and phrases that one table
        answers, or None. One MATCH is many times faster than intersecting one per word."""
        if isinstance(node, Text):
            if korean.has_hangul(" ".join(node.words)):      # Korean words: their stems, Korean articles
                return korean.SQLITE_TABLE, korean.fts_phrase(node.words, node.prefix)
            return _table_of(node), _fts_expr(node)
        if isinstance(node, (And, Or)):
            positive = [i for i in node.items if not isinstance(i, Not)]
            negative = [i.item for i in node.items if isinstance(i, Not)] if isinstance(node, And) else []
            if not positive or len(positive) + len(negative) != len(node.items):
                return None                     # FTS5 has no unary NOT, nor NOT inside OR
            matched = [cls._fts_match(i) for i in positive + negative]
            if any(m is None for m in matched) or len({m[0] for m in matched}) != 1:
                return None
            joiner = " AND " if isinstance(node, And) else " OR "
            expr = "(" + joiner.join(f"({m[1]})" for m in matched[:len(positive)]) + ")"
            for m in matched[len(positive):]:
                expr = f"({expr} NOT ({m[1]}))"
            return matched[0][0], expr
        return None

    def _where(self, node: Node, probe: bool = False) -> tuple[str, list]:
        """SQL over the alias `a` (articles or article_keys). probe=True: each row is checked on
        its own (EXISTS), for a walk down the date index that stops after one page; otherwise a
        filter is a list of matching rowids, built once."""
        if isinstance(node, MatchAll):
            return "1", []
        match = self._fts_match(node)
        if match:
            table, expr = match
            if probe:
                return f"EXISTS (SELECT 1 FROM {table} WHERE {table} MATCH ? AND rowid = a.rowid)", [expr]
            return f"a.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)", [expr]
        if isinstance(node, Filter):
            if node.field == "source":
                return "a.source = ? COLLATE NOCASE", [node.value]
            if node.field == "lang":
                return "a.language = ? COLLATE NOCASE", [node.value]
            if node.field in _ROW_FILTERS:
                table, column = _ROW_FILTERS[node.field]
                if probe:
                    return f"EXISTS (SELECT 1 FROM {table} WHERE article = a.rowid AND {column} = ?)", [node.value]
                return f"a.rowid IN (SELECT article FROM {table} WHERE {column} = ?)", [node.value]
            raise QueryError(f"unknown filter {node.field}")
        if isinstance(node, Not):
            sql, params = self._where(node.item, probe)
            return f"NOT ({sql})", params
        if isinstance(node, (And, Or)):
            joiner = " AND " if isinstance(node, And) else " OR "
            groups: dict[str, list[str]] = {}         # words and phrases of one table: one MATCH
            parts = []
            for item in node.items:
                match = self._fts_match(item)
                if match:
                    groups.setdefault(match[0], []).append(match[1])
                else:
                    parts.append(self._where(item, probe))
            for table, exprs in groups.items():
                expr = exprs[0] if len(exprs) == 1 else "(" + joiner.join(f"({e})" for e in exprs) + ")"
                if probe:
                    parts.append((f"EXISTS (SELECT 1 FROM {table} WHERE {table} MATCH ? AND rowid = a.rowid)", [expr]))
                else:
                    parts.append((f"a.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)", [expr]))
            return "(" + joiner.join(p[0] for p in parts) + ")", [x for p in parts for x in p[1]]
        raise QueryError(f"cannot search for {node!r}")

    def _full_where(self, query: Node, date_from, date_to, probe: bool = False) -> tuple[str, list]:
        sql, params = self._where(query, probe)
        dates, bounds = _date_range(date_from, date_to)
        return sql + dates, params + bounds

    @staticmethod
    def _rank_source(query: Node) -> tuple[str, str] | None:
        """(table, MATCH expression) that scores and highlights the query's positive words."""
        texts = positive_texts(query)
        hangul = [t for t in texts if korean.has_hangul(" ".join(t.words))]
        if hangul and len(hangul) == len(texts):
            return korean.SQLITE_TABLE, " OR ".join(korean.fts_phrase(t.words, t.prefix) for t in hangul)
        texts = [t for t in texts if t not in hangul]
        stemmed = [t for t in texts if not t.prefix]
        chosen = stemmed or texts
        if not chosen:
            return None
        table = "articles_fts" if stemmed else "articles_fts_exact"
        return table, " OR ".join(_fts_expr(t) for t in chosen)

    def search(self, request: SearchRequest) -> SearchResult:
        where, params = self._full_where(request.query, request.date_from, request.date_to)
        group = "coalesce(a.cluster, a.id)"
        limit, capped = request.count_limit, False
        if request.collapse:
            total = self.db.execute(f"SELECT count(DISTINCT {group}) FROM {_KEYS} a WHERE {where}", params).fetchone()[0]
        elif limit is None:
            total = self.db.execute(f"SELECT count(*) FROM {_KEYS} a WHERE {where}", params).fetchone()[0]
        else:       # one row past the limit tells "exactly the limit" from "more"
            counted, counted_params = self._streamed(request) or (f"SELECT 1 FROM {_KEYS} a WHERE {where}", params)
            total = self.db.execute(f"SELECT count(*) FROM ({counted} LIMIT ?)", counted_params + [limit + 1]).fetchone()[0]
            total, capped = min(total, limit), total > limit
        rank = self._rank_source(request.query)
        join, join_params = "", []
        score = "0.0"
        page_where, page_params = where, params
        walk = capped and not request.collapse and (request.sort == "date" or not rank)
        scored = None if walk else self._scored_split(request.query, rank)
        if walk:
            # Over COUNT_LIMIT matches, newest first: walk the date index, check each row on its
            # own and stop after the page, rather than list and sort every match. Hits sorted by
            # date carry no score (0.0), as in Elasticsearch: bm25 reads every match's statistics.
            page_where, page_params = self._full_where(request.query, request.date_from, request.date_to, probe=True)
        elif scored:
            # The words and phrases every match must contain: one MATCH both selects and scores
            # (bm25 sums over the same phrases, and a NOT phrase adds nothing), so the full-text
            # index is read once; the rest of the query (filters) applies to the joined rows.
            # Over COUNT_LIMIT matches, the most recently indexed COUNT_LIMIT are ranked (as the
            # total stops there): bm25 costs ~2 µs a match, 100 ms for a word in half of 100,000.
            table, expr, rest = scored
            window = f" ORDER BY rowid DESC LIMIT {int(limit)}" if capped else ""
            join = (f"JOIN (SELECT rowid AS r, -bm25({table}, 3.0, 1.0) AS score FROM {table} "
                    f"WHERE {table} MATCH ?{window}) s ON s.r = a.rowid")
            join_params = [expr]
            score = "s.score"
            page_where, page_params = self._full_where(rest, request.date_from, request.date_to)
        elif rank:
            table, expr = rank
            # bm25 weights: a word in the title counts three times one in the body.
            join = (f"LEFT JOIN (SELECT rowid AS r, -bm25({table}, 3.0, 1.0) AS score FROM {table} "
                    f"WHERE {table} MATCH ?) s ON s.r = a.rowid")
            join_params = [expr]
            score = "coalesce(s.score, 0.0)"
        # SQLite sorts NULLs first, so DESC already puts undated articles last. Without words to
        # score, relevance is date order.
        order = ("score DESC, published_utc DESC, id" if request.sort == "relevance" and rank
                 else "published_utc DESC, id")
        keys = f"{_KEYS} a INDEXED BY article_keys_newest" if walk else f"{_KEYS} a"
        # Rank narrow rows (rowid, sort keys) and fetch the wide columns for the page only: sorting
        # every match with its body, or running window functions without collapse, costs 3-10x.
        if request.collapse:      # each story cluster shows its best hit (by the same order) and its size
            picked = self.db.execute(
                f"""WITH matched AS (
                        SELECT a.rowid AS rowid, a.id AS id, a.published_utc AS published_utc, {score} AS score,
                               {group} AS grp
                        FROM {_KEYS} a {join} WHERE {page_where}),
                    ranked AS (
                        SELECT *, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY {order}) AS nth,
                               COUNT(*) OVER (PARTITION BY grp) AS copies FROM matched)
                    SELECT rowid, score, copies FROM ranked WHERE nth = 1 ORDER BY {order} LIMIT ? OFFSET ?""",
                join_params + page_params + [request.limit, request.offset]).fetchall()
        else:
            picked = self.db.execute(
                f"""SELECT a.rowid, {score} AS score, 1 FROM {keys} {join} WHERE {page_where}
                    ORDER BY {order.replace("published_utc", "a.published_utc").replace(", id", ", a.id")}
                    LIMIT ? OFFSET ?""",
                join_params + page_params + [request.limit, request.offset]).fetchall()
        rowids = [r[0] for r in picked]
        columns = {r[0]: r for r in self.db.execute(
            f"SELECT rowid, id, url, title, source, published, body, entities, actions, revisions FROM articles "
            f"WHERE rowid IN ({','.join('?' * len(rowids))})", rowids)} if rowids else {}
        if rank and rank[0] == korean.SQLITE_TABLE:       # its text is stems: mark the article's own words
            snippets = korean.snippets({i: columns[i][6] for i in rowids}, positive_texts(request.query))
        else:
            snippets = self._snippets(rowids, rank)
        hits = []
        for rowid, found_score, copies in picked:
            r = columns[rowid]
            hits.append(Hit(id=r[1], url=r[2], title=r[3], source=r[4], published=r[5], score=float(found_score),
                            snippet=snippets.get(rowid) or _lead(r[6]),
                            entities=sorted(json.loads(r[7]), key=lambda e: -e["mentions"]),
                            actions=sorted({x["action"] for x in json.loads(r[8])}),
                            copies=copies if request.collapse else 1, revisions=r[9]))
        facets = self._facets(where, params) if request.facets else {}
        return SearchResult(total=total, hits=hits, facets=facets, capped=capped)

    def _streamed(self, request: SearchRequest) -> tuple[str, list] | None:
        """The matching rowids as a stream that a LIMIT stops early, for a query that is one
        full-text match or one entity/type/action filter; None for anything else."""
        if request.date_from or request.date_to:
            return None
        query = request.query
        if isinstance(query, MatchAll):
            return f"SELECT rowid FROM {_KEYS}", []
        match = self._fts_match(query)
        if match:
            table, expr = match
            return f"SELECT rowid FROM {table} WHERE {table} MATCH ?", [expr]
        if isinstance(query, Filter) and query.field in _ROW_FILTERS:
            table, column = _ROW_FILTERS[query.field]     # (column, article) indexes: DISTINCT streams
            return f"SELECT DISTINCT article FROM {table} WHERE {column} = ?", [query.value]
        return None

    @classmethod
    def _scored_split(cls, query: Node, rank) -> tuple[str, str, Node] | None:
        """(table, MATCH, rest) when the query is words and phrases that every match contains
        (all of them in the ranking table), ANDed with filters: `rest` is the filters."""
        if not rank:
            return None
        match = cls._fts_match(query)
        if match:
            return (match[0], match[1], MatchAll()) if match[0] == rank[0] else None
        if not isinstance(query, And):
            return None
        texts = [i for i in query.items if (cls._fts_match(i) or ("",))[0] == rank[0]]
        rest = [i for i in query.items if i not in texts]
        if not any(not isinstance(i, Not) for i in texts) or \
                any(t for t in positive_texts(And(tuple(rest))) if _table_of(t) == rank[0]):
            return None         # the ranking words are not all in the joined MATCH: score as before
        match = cls._fts_match(And(tuple(texts)))
        return match[0], match[1], (And(tuple(rest)) if rest else MatchAll())

    def _snippets(self, rowids: list[int], rank) -> dict[int, str]:
        if not rowids or not rank:
            return {}
        table, expr = rank
        # One row at a time: FTS5 seeks to `rowid = ?`, while `rowid IN (…)` walks every match
        # (10 ms at 10,000 articles for a common prefix, ten times that at 100,000).
        sql = f"SELECT snippet({table}, 1, ?, ?, '…', {SNIPPET_WORDS}) FROM {table} WHERE {table} MATCH ? AND rowid = ?"
        found = {}
        for rowid in rowids:
            row = self.db.execute(sql, (_OPEN, _CLOSE, expr, rowid)).fetchone()
            if row and _OPEN in row[0]:
                found[rowid] = _marked(row[0])
        return found

    def _facets(self, where: str, params: list) -> dict[str, list[tuple[str, int]]]:
        matched = f"SELECT a.rowid FROM {_KEYS} a WHERE {where}"
        q = self.db.execute
        return {
            "source": q(f"SELECT source, count(*) c FROM articles WHERE rowid IN ({matched}) "
                        "GROUP BY source ORDER BY c DESC, source", params).fetchall(),
            "language": q(f"SELECT lower(language), count(*) c FROM articles WHERE rowid IN ({matched}) "
                          "AND language IS NOT NULL GROUP BY lower(language) ORDER BY c DESC, 1", params).fetchall(),
            "entity": q(f"SELECT name || '|' || type, count(*) c FROM entities WHERE article IN ({matched}) "
                        "GROUP BY name, type ORDER BY c DESC, name LIMIT 15", params).fetchall(),
            "type": q(f"SELECT type, count(DISTINCT article) c FROM entities WHERE article IN ({matched}) "
                      "GROUP BY type ORDER BY c DESC, type", params).fetchall(),
            "action": q(f"SELECT action, count(DISTINCT article) c FROM actions WHERE article IN ({matched}) "
                        "GROUP BY action ORDER BY c DESC, action", params).fetchall(),
        }

    def get(self, article_id: str) -> Article | None:
        row = self.db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?", (article_id,)).fetchone()
        return self._article(row) if row else None

    def export(self, query: Node, date_from=None, date_to=None) -> Iterator[Article]:
        where, params = self._full_where(query, date_from, date_to)
        cursor = self.db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE {where} "
                                 "ORDER BY a.published_utc IS NULL, a.published_utc, a.id", params)
        for row in cursor:
            yield self._article(row)

    def _article(self, row) -> Article:
        (rowid, id_, url, source, title, body, published, modified, authors, language, section, image,
         fetched, chash, entities, actions, revisions, cluster, first_seen) = row
        ents = json.loads(entities)
        sentences: dict[str, list[str]] = {}
        for name, sentence in self.db.execute(
                "SELECT name, sentence FROM mentions WHERE article = ? ORDER BY name, seq", (rowid,)):
            sentences.setdefault(name, []).append(sentence)
        for e in ents:
            e["sentences"] = sentences.get(e["name"], [])
        return Article.from_dict(dict(
            id=id_, url=url, source=source, title=title, body=body.split("\n\n") if body else [],
            published=published, modified=modified, authors=json.loads(authors), language=language,
            section=section, image=image, fetched=fetched, content_hash=chash, entities=ents,
            actions=json.loads(actions), revisions=revisions, cluster=cluster, first_seen=first_seen))

    def mentions(self, entity: str, date_from=None, date_to=None) -> Iterator[tuple[str, str, str, str, str]]:
        # Dates and order from the narrow key table; url and title sit before the body in the
        # article row, so reading them does not walk the body's overflow pages.
        sql = (f"SELECT a.published_utc, a.source, r.url, r.title, m.sentence FROM mentions m "
               f"JOIN {_KEYS} a ON a.rowid = m.article JOIN articles r ON r.rowid = m.article "
               f"WHERE m.name = ? AND a.published_utc IS NOT NULL")
        dates, bounds = _date_range(date_from, date_to)
        yield from self.db.execute(sql + dates + " ORDER BY a.published_utc, a.id, m.seq", [entity] + bounds)

    def timeline(self, entity: str, interval: str = "month", tz: str | None = None,
                 date_from=None, date_to=None) -> list[TimelineRow]:
        zone = tl.zone(tz)
        sql = (f"SELECT a.published_utc, e.mentions, coalesce(a.cluster, a.id) FROM entities e "
               f"JOIN {_KEYS} a ON a.rowid = e.article WHERE e.name = ? AND a.published_utc IS NOT NULL")
        dates, bounds = _date_range(date_from, date_to)
        counts: dict = {}
        stories: dict = {}
        for published, mentions, cluster in self.db.execute(sql + dates, [entity] + bounds):
            start = tl.period_start(tl.parse_utc(published), interval, zone)
            articles, total = counts.get(start, (0, 0))
            counts[start] = (articles + 1, total + mentions)
            stories.setdefault(start, set()).add(cluster)
        return tl.fill(entity, {d: (a, m, len(stories[d])) for d, (a, m) in counts.items()}, interval)

    def period_counts(self, query: Node, interval: str = "month", tz: str | None = None,
                      date_from=None, date_to=None) -> PeriodCounts:
        zone = tl.zone(tz)
        where, params = self._full_where(query, date_from, date_to)
        matched: dict = {}
        clusters: dict = {}
        for published, cluster in self.db.execute(
                f"SELECT a.published_utc, coalesce(a.cluster, a.id) FROM articles a "
                f"WHERE {where} AND a.published_utc IS NOT NULL", params):
            start = tl.period_start(tl.parse_utc(published), interval, zone)
            matched[start] = matched.get(start, 0) + 1
            clusters.setdefault(start, set()).add(cluster)
        dates, bounds = _date_range(date_from, date_to)
        totals: dict = {}
        # grouped by instant first: many articles share a publication time, and parsing is the cost
        for published, n in self.db.execute(
                f"SELECT a.published_utc, count(*) FROM articles a WHERE a.published_utc IS NOT NULL{dates} "
                "GROUP BY a.published_utc", bounds):
            start = tl.period_start(tl.parse_utc(published), interval, zone)
            totals[start] = totals.get(start, 0) + n
        return PeriodCounts({d: (n, len(clusters[d])) for d, n in matched.items()}, totals)

    def entity_counts(self, query: Node, type_: str | None = None, limit: int = 20) -> list[EntityCount]:
        where, params = self._where(query)
        sql = (f"SELECT e.name, e.type, count(*) c, sum(e.mentions) m, count(DISTINCT coalesce(x.cluster, x.id)) "
               f"FROM entities e JOIN {_KEYS} x ON x.rowid = e.article WHERE e.article IN "
               f"(SELECT a.rowid FROM {_KEYS} a WHERE {where})")
        if type_:
            sql += " AND e.type = ?"
            params = params + [type_]
        sql += " GROUP BY e.name, e.type ORDER BY c DESC, m DESC, e.name LIMIT ?"
        return [EntityCount(*row) for row in self.db.execute(sql, params + [limit])]

    def history(self, article_id: str) -> list[Revision]:
        row = self.db.execute("SELECT rowid, fetched, title, body, content_hash FROM articles WHERE id = ?",
                              (article_id,)).fetchone()
        if not row:
            return []
        older = self.db.execute("SELECT fetched, title, body, content_hash FROM revisions WHERE article = ? "
                                "ORDER BY rowid", (row[0],)).fetchall()
        return [Revision(f, t, b.split("\n\n") if b else [], h) for f, t, b, h in older + [row[1:]]]

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

    def stats(self) -> dict:
        q = self.db.execute
        return {
            "backend": "sqlite", "location": str(self.path), "schema_version": SCHEMA_VERSION,
            "articles": q("SELECT count(*) FROM articles").fetchone()[0],
            "sources": dict(q("SELECT source, count(*) FROM articles GROUP BY source ORDER BY source").fetchall()),
            "entities": q("SELECT count(DISTINCT name) FROM entities").fetchone()[0],
            "first_published": q("SELECT min(published_utc) FROM articles").fetchone()[0],
            "last_published": q("SELECT max(published_utc) FROM articles").fetchone()[0],
            "archived_articles": q("SELECT count(*) FROM archive_refs").fetchone()[0],
        }


_ROW_FILTERS = {"entity": ("entities", "name"), "type": ("entities", "type"), "action": ("actions", "action")}
_KEYS = "article_keys"      # the narrow table search filters and sorts on (same rowids and key columns)
_ARTICLE_COLUMNS = ("a.rowid, a.id, a.url, a.source, a.title, a.body, a.published, a.modified, a.authors, "
                    "a.language, a.section, a.image, a.fetched, a.content_hash, a.entities, a.actions, "
                    "a.revisions, a.cluster, a.first_seen")


def _run_counts(run: SourceRun) -> dict:
    return {k: v for k, v in vars(run).items() if k not in ("run_id", "source", "started", "finished")}


def _marked(text: str) -> str:
    """Escape a snippet for HTML, then turn the private markers into <mark> tags."""
    return html.escape(" ".join(text.split())).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


def _lead(body: str, words: int = SNIPPET_WORDS) -> str:
    parts = body.split()
    return html.escape(" ".join(parts[:words]) + (" …" if len(parts) > words else ""))


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


for _name in ("search", "get", "export", "mentions", "timeline", "entity_counts", "history", "url_states",
              "runs", "stats", "content_hashes"):
    setattr(SQLiteIndex, _name, _guarded(getattr(SQLiteIndex, _name)))
