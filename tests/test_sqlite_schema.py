"""SQLite schema upgrades: an index written by an earlier PolicyWatch opens, is migrated in
place, and answers as a new one does (schema 3: the narrow key table search reads, and the
MinHash signatures moved out of the article rows; schema 4: mention sentences keyed by name and
date; schema 5: full-text rows written by the write path instead of a trigger, band lists in a
WITHOUT ROWID table)."""
from __future__ import annotations

import json
import sqlite3

from index import Article, EntityRef, SearchRequest, content_hash, open_index, parse
from index import dedup
from index.sqlite import SCHEMA_VERSION

from test_index_incremental import WIRE, make


def as_schema_4(path) -> None:
    """Turn a fresh index back into what schema 4 left on disk (and 3 before it): the full-text
    rows written by an AFTER INSERT trigger, the band lists in a rowid table with an index."""
    db = sqlite3.connect(path)
    with db:
        db.execute("""CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
            INSERT INTO articles_fts_exact(rowid, title, body) VALUES (new.rowid, new.title, new.body);
        END""")
        db.execute("ALTER TABLE dedup_bands RENAME TO dedup_bands_v5")
        db.execute("CREATE TABLE dedup_bands (band TEXT NOT NULL, "
                   "article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE)")
        db.execute("INSERT INTO dedup_bands SELECT band, article FROM dedup_bands_v5")
        db.execute("DROP TABLE dedup_bands_v5")
        db.execute("CREATE INDEX dedup_bands_band_article ON dedup_bands(band, article)")
        db.execute("PRAGMA user_version=4")
    db.close()


def as_schema_3(db) -> None:
    """Schema 3's mentions table: a row per sentence, numbered per entity reference, no date (here
    one reference per name, its sentences in the order schema 4 reads them)."""
    rows = [(article, name, seq, sentence) for article, name, found in
            db.execute("SELECT article, name, sentences FROM mentions ORDER BY article").fetchall()
            for seq, sentence in enumerate(json.loads(found))]
    db.execute("DROP TABLE mentions")
    db.execute("CREATE TABLE mentions (article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE, "
               "name TEXT NOT NULL COLLATE NOCASE, seq INTEGER NOT NULL, sentence TEXT NOT NULL)")
    db.execute("CREATE INDEX mentions_name ON mentions(name)")
    db.executemany("INSERT INTO mentions VALUES (?,?,?,?)", rows)
    db.execute("PRAGMA user_version=3")


def as_schema_2(path) -> None:
    """Turn a fresh index back into what schema 2 left on disk: schema 3's, without the key table
    and the signatures table, the signature as hex in the article row."""
    as_schema_4(path)
    db = sqlite3.connect(path)
    with db:
        hexed = db.execute("SELECT rowid, signature FROM signatures").fetchall()
        db.executemany("UPDATE articles SET fingerprint = ? WHERE rowid = ?", [(s.hex(), r) for r, s in hexed])
        for trigger in ("article_keys_ai", "article_keys_ad", "article_keys_au"):
            db.execute(f"DROP TRIGGER {trigger}")
        db.execute("DROP TABLE article_keys")
        db.execute("DROP TABLE signatures")
        as_schema_3(db)
        db.execute("PRAGMA user_version=2")
    db.close()


def test_a_schema_2_index_opens_migrated_and_keeps_clustering(tmp_path):
    path = tmp_path / "old.db"
    ix = open_index(f"sqlite:///{path}")
    ix.write([make("w1", "yonhap", "Police open probe into Telegram", WIRE, "2024-09-02T10:00:00+09:00",
                   "2024-09-02T01:00:00Z"),
              make("k1", "dmr", "Kakao fined", "The privacy regulator fined Kakao Corp. for a data leak.",
                   "2024-05-23T09:00:00+00:00", "2024-05-23T10:00:00Z")])
    ix.close()
    as_schema_2(path)

    ix = open_index(f"sqlite:///{path}")
    assert ix.stats()["schema_version"] == SCHEMA_VERSION == 6
    assert {h.id for h in ix.search(SearchRequest(parse("telegram OR kakao"))).hits} == {"w1", "k1"}
    assert [h.id for h in ix.search(SearchRequest(parse(""), sort="date")).hits] == ["w1", "k1"]
    assert [h.id for h in ix.search(SearchRequest(parse("source:DMR"))).hits] == ["k1"]
    # the signature moved to its new home: a later copy of the wire story still joins its cluster
    ix.write([make("w2", "dmr", "South Korean Police Probe Telegram", WIRE.replace("Monday", "on Monday"),
                   "2024-09-02T09:00:00+00:00", "2024-09-02T10:00:00Z")])
    assert ix.get("w2").cluster == "w1"
    assert ix.db.execute("SELECT count(*) FROM articles WHERE fingerprint IS NOT NULL").fetchone()[0] == 0
    ix.close()


def test_a_signature_computed_by_the_crawl_is_used_as_given(tmp_path):
    """The crawl's workers send the MinHash with the article; the writer does not compute it again."""
    ix = open_index(f"sqlite:///{tmp_path / 'x.db'}")
    body = [WIRE]
    given = dedup.fingerprint("completely different words " * 40)
    a = Article(id="w9", url="https://x.example/w9", source="x", title="t", body=body,
                content_hash=content_hash("t", body), fingerprint=given)
    ix.write([a])
    stored = ix.db.execute("SELECT signature FROM signatures").fetchone()[0]
    assert stored.hex() == given != dedup.fingerprint(WIRE)
    ix.close()


def test_a_schema_4_index_opens_migrated_and_indexes_new_articles_once(tmp_path):
    path = tmp_path / "old.db"
    ix = open_index(f"sqlite:///{path}")
    ix.write([make("w1", "yonhap", "Police open probe into Telegram", WIRE, "2024-09-02T10:00:00+09:00",
                   "2024-09-02T01:00:00Z")])
    ix.close()
    as_schema_4(path)

    ix = open_index(f"sqlite:///{path}")
    assert ix.stats()["schema_version"] == SCHEMA_VERSION
    schema = dict(ix.db.execute("SELECT name, sql FROM sqlite_master WHERE name IN ('articles_ai', 'dedup_bands')"))
    assert set(schema) == {"dedup_bands"} and "WITHOUT ROWID" in schema["dedup_bands"]
    # the band lists moved: a copy of the wire story joins its cluster; the trigger is gone and
    # the write path indexes the new article's text once
    ix.write([make("w2", "dmr", "South Korean Police Probe Telegram", WIRE.replace("Monday", "on Monday"),
                   "2024-09-02T09:00:00+00:00", "2024-09-02T10:00:00Z")])
    assert ix.get("w2").cluster == "w1"
    found = ix.search(SearchRequest(parse("telegram"), count_limit=None))
    assert found.total == 2 and sorted(h.id for h in found.hits) == ["w1", "w2"]
    assert ix.db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'telegram'").fetchone()[0] == 2
    ix.close()


def test_a_schema_3_index_keeps_its_mention_sentences_in_order(tmp_path):
    path = tmp_path / "old.db"
    ix = open_index(f"sqlite:///{path}")
    articles = []
    for id_, published in (("b", "2024-09-02T10:00:00+09:00"), ("a", "2024-09-02T01:00:00Z"),
                           ("c", "2024-08-30T08:00:00Z")):
        a = make(id_, "yonhap", "Telegram probe", WIRE, published, "2024-09-03T00:00:00Z")
        a.entities = [EntityRef("Telegram", "PLATFORM", 2, [f"{id_} one.", f"{id_} three."]),
                      EntityRef("Korean National Police Agency", "AGENCY", 1, [f"{id_} police."]),
                      EntityRef("Telegram", "ORG", 1, [f"{id_} two."])]
        articles.append(a)
    ix.write(articles)
    before = list(ix.mentions("telegram"))
    # one instant, two articles: id order; in an article, each reference's first sentence, then the second
    assert [(p, s) for p, _, _, _, s in before] == [
        ("2024-08-30T08:00:00Z", "c one."), ("2024-08-30T08:00:00Z", "c two."), ("2024-08-30T08:00:00Z", "c three."),
        ("2024-09-02T01:00:00Z", "a one."), ("2024-09-02T01:00:00Z", "a two."), ("2024-09-02T01:00:00Z", "a three."),
        ("2024-09-02T01:00:00Z", "b one."), ("2024-09-02T01:00:00Z", "b two."), ("2024-09-02T01:00:00Z", "b three.")]
    assert before[0][1:4] == ("yonhap", "https://yonhap.example/c", "Telegram probe")
    ix.close()
    as_schema_4(path)
    db = sqlite3.connect(path)
    with db:
        as_schema_3(db)
        # as schema 3 wrote "a": each reference's sentences numbered from 0, in entity order
        db.execute("DELETE FROM mentions WHERE name = 'Telegram' AND article = (SELECT rowid FROM articles WHERE id = 'a')")
        db.executemany("INSERT INTO mentions SELECT rowid, 'Telegram', ?, ? FROM articles WHERE id = 'a'",
                       [(0, "a one."), (1, "a three."), (0, "a two.")])
    db.close()

    ix = open_index(f"sqlite:///{path}")
    assert ix.stats()["schema_version"] == SCHEMA_VERSION
    assert list(ix.mentions("Telegram")) == before
    assert [e.sentences for e in ix.get("a").entities][:2] == [["a one.", "a two.", "a three."], ["a police."]]
    ix.write([make("a", "yonhap", "Telegram probe", WIRE + " More.", "2024-09-02T01:00:00Z", "2024-09-04T00:00:00Z")])
    assert [s for *_, s in ix.mentions("Telegram")] == ["c one.", "c two.", "c three.", "b one.", "b two.", "b three."]
    ix.close()


def test_a_schema_5_index_gains_the_indexed_stamp_and_an_alerts_table(tmp_path):
    path = tmp_path / "old.db"
    ix = open_index(f"sqlite:///{path}")
    ix.write([make("w1", "yonhap", "Police open probe into Telegram", WIRE, "2024-09-02T10:00:00+09:00",
                   "2024-09-02T01:00:00Z")])
    ix.close()
    db = sqlite3.connect(path)
    with db:                              # schema 5: no indexed column, no alerts table
        db.execute("DROP INDEX articles_indexed")
        db.execute("ALTER TABLE articles DROP COLUMN indexed")
        db.execute("DROP TABLE alerts")
        db.execute("PRAGMA user_version=5")
    db.close()
    ix = open_index(f"sqlite:///{path}")
    try:
        assert ix.stats()["schema_version"] == SCHEMA_VERSION
        ix.write([make("w2", "yonhap", "Telegram answers the police", WIRE, "2024-09-03T10:00:00+09:00",
                       "2024-09-03T01:00:00Z")])
        stamps = dict(ix.db.execute("SELECT id, indexed FROM articles"))
        assert stamps["w1"] is None and stamps["w2"]          # only what is written from now on is stamped
        assert ix.alerts() == []
    finally:
        ix.close()
