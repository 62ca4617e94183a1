"""The SQLite schema and its migrations: an older file is upgraded when opened."""
from __future__ import annotations

import sqlite3
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from ..base import IndexConfigError
from .. import korean
from .writes import mention_rows

SCHEMA_VERSION = 6
# Schema 6: articles.indexed, when the article was first written to this index (set by the
# writer, kept on update), indexed: what alerts (alerts/) call new; and the alerts table, an
# alert's definition and delivery state as one JSON record (index.base.AlertRecord).
# Schema 5: a new article's full-text rows (articles_fts, articles_fts_exact: external content,
# the text is stored once, in `articles`) are written by the write path (writes.FTS_TABLES), not
# by an AFTER INSERT trigger: FTS5 flushes its pending terms into a new segment at each trigger
# statement's savepoint, which made every insert cost ~3x; written directly, they accumulate in
# memory until the transaction ends. Updates and deletes (rare) keep their triggers.
# Near-duplicate band lists (index/dedup.py): each band's first dedup.BAND_CANDIDATES articles,
# read by band key in rowid order. Schema 5: the table is its own (band, article) index, WITHOUT
# ROWID; up to schema 4 a rowid table and an index on it wrote every entry twice.
DEDUP_BANDS = """CREATE TABLE IF NOT EXISTS dedup_bands (
    band TEXT NOT NULL,
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    PRIMARY KEY (band, article)
) WITHOUT ROWID;"""

SCHEMA = f"""
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
    fingerprint TEXT,
    indexed TEXT
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published_utc);
CREATE INDEX IF NOT EXISTS articles_indexed ON articles(indexed);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, body, content='articles', content_rowid='rowid',
    tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts_exact USING fts5(
    title, body, content='articles', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2');
DROP TRIGGER IF EXISTS articles_ai;
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
-- Schema 4: one row per (entity name, article) with what a mention row shows — the article's
-- date ('' when undated), id, source, url and title copied beside the sentences (a JSON list in
-- reading order: the first sentence of each reference to the name, then the second…, as
-- index/elastic/search.py reads them) — indexed on (name, date, id), so an entity's mentions are
-- one index range in the order shown and a row each, instead of a row per sentence and two joins
-- (1.8 s for 37,604 sentences at 100,000 articles). Not clustered (WITHOUT ROWID) on that key:
-- reads were 2x cheaper, but writes cost 22% more CPU (rows land mid-table) and the file 12% more.
CREATE TABLE IF NOT EXISTS mentions (
    name TEXT NOT NULL COLLATE NOCASE,
    published_utc TEXT NOT NULL,
    id TEXT NOT NULL,
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    sentences TEXT NOT NULL
);
DROP INDEX IF EXISTS mentions_name;
CREATE UNIQUE INDEX IF NOT EXISTS mentions_entity ON mentions(name, published_utc, id);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article);
CREATE TABLE IF NOT EXISTS actions (
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    action TEXT NOT NULL,
    sentence TEXT NOT NULL
);
DROP INDEX IF EXISTS actions_action;
CREATE INDEX IF NOT EXISTS actions_action_article ON actions(action, article);
-- Statements (who acts against whom, nlp/cases.py): one row each, the statement as JSON, keyed
-- by its case (index/cases.py) for `policywatch case ID`.
CREATE TABLE IF NOT EXISTS statements (
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    case_id TEXT NOT NULL,
    statement TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS statements_case ON statements(case_id);
CREATE INDEX IF NOT EXISTS statements_article ON statements(article);
CREATE TABLE IF NOT EXISTS revisions (
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    fetched TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS revisions_article ON revisions(article);
{DEDUP_BANDS}
-- Schema 3: MinHash signatures (index/dedup.py, 64 big-endian uint64) with the key near-duplicate
-- candidates are ordered by, apart from the wide article rows (articles.fingerprint, hex, was
-- their home up to schema 2; the migration moves them here).
CREATE TABLE IF NOT EXISTS signatures (
    rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
    first_seen TEXT,
    signature BLOB NOT NULL
);
DROP INDEX IF EXISTS dedup_bands_band;
DROP INDEX IF EXISTS dedup_bands_band_article;
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
CREATE TABLE IF NOT EXISTS alerts (
    name TEXT PRIMARY KEY,
    record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS archive_refs (
    id TEXT PRIMARY KEY,
    warc TEXT NOT NULL,
    offset INTEGER NOT NULL,
    url TEXT NOT NULL,
    fetched TEXT
);
"""
# The unstemmed table's words, read to expand a prefix query into the words it stands for
# (query.py): a view of the FTS index that stores nothing, made for each connection in its
# temporary schema, so the file's schema does not change (and tools that list the file's FTS5
# tables do not see a read-only one).
CONNECTION_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS temp.articles_fts_exact_terms USING fts5vocab(main, articles_fts_exact, 'row');
"""
# Columns added since schema version 1 (ALTER TABLE for databases made by an older PolicyWatch).
_V2_COLUMNS = {"revisions": "INTEGER NOT NULL DEFAULT 0", "cluster": "TEXT", "first_seen": "TEXT", "fingerprint": "TEXT"}


def migrate(db: sqlite3.Connection, path: Path) -> None:
    """Create the tables a new file needs, or upgrade an older file's in place; then the
    connection's own (CONNECTION_SCHEMA)."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise IndexConfigError(f"{path} has schema version {version}; this PolicyWatch "
                               f"knows up to {SCHEMA_VERSION} — upgrade PolicyWatch")
    with db:
        moved = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'mentions_v3'").fetchone()
        if 0 < version < 4 and not moved:   # schema 4 keys the mention rows anew: set aside, copied back below
            db.execute("ALTER TABLE mentions RENAME TO mentions_v3")
        if version == 1:
            have = {row[1] for row in db.execute("PRAGMA table_info(articles)")}
            for column, decl in _V2_COLUMNS.items():
                if column not in have:
                    db.execute(f"ALTER TABLE articles ADD COLUMN {column} {decl}")
            db.execute("UPDATE articles SET cluster = id, first_seen = fetched WHERE cluster IS NULL")
        if 0 < version < 6 and "indexed" not in {row[1] for row in db.execute("PRAGMA table_info(articles)")}:
            # articles written before schema 6 stay unstamped: no alert existed to call them new
            db.execute("ALTER TABLE articles ADD COLUMN indexed TEXT")
        db.executescript(SCHEMA + korean.SQLITE_SCHEMA)
        if 0 < version < 3:      # schema 3: the narrow key table and the signatures, from the articles
            db.execute("INSERT OR REPLACE INTO article_keys SELECT rowid, id, source, language, "
                       "published_utc, cluster FROM articles")
            moved = db.execute("SELECT rowid, first_seen, fingerprint FROM articles WHERE fingerprint IS NOT NULL")
            db.executemany("INSERT OR REPLACE INTO signatures VALUES (?,?,?)",
                           ((rowid, seen, bytes.fromhex(hexed)) for rowid, seen, hexed in moved))
            db.execute("UPDATE articles SET fingerprint = NULL WHERE fingerprint IS NOT NULL")
        if 0 < version < 4:
            _move_mentions(db)
        if 0 < version < 5:      # schema 5: the band lists into their WITHOUT ROWID table
            db.execute("ALTER TABLE dedup_bands RENAME TO dedup_bands_v4")
            db.execute(DEDUP_BANDS)
            db.execute("INSERT OR IGNORE INTO dedup_bands SELECT band, article FROM dedup_bands_v4")
            db.execute("DROP TABLE dedup_bands_v4")
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    db.executescript(CONNECTION_SCHEMA)


def _move_mentions(db: sqlite3.Connection) -> None:
    """Schema 3's mention rows (one per sentence, numbered from 0 for each entity reference, in
    the article's entity order) into schema 4's, grouped as the writer groups them."""
    rows = db.execute("SELECT m.article, m.name, m.seq, m.sentence, coalesce(a.published_utc, ''), a.id, a.source, "
                      "a.url, a.title FROM mentions_v3 m JOIN articles a ON a.rowid = m.article "
                      "ORDER BY m.article, m.rowid")
    for article, group in groupby(rows, key=itemgetter(0)):
        refs: list[tuple[str, list[str]]] = []
        for _, name, seq, sentence, *shown in group:
            if seq == 0 or not refs:
                refs.append((name, []))
            refs[-1][1].append(sentence)
        db.executemany("INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?)", mention_rows(article, *shown, refs))
    db.execute("DROP TABLE mentions_v3")
