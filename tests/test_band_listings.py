"""What a writer remembers of the near-duplicate band listings (index/bands.py), and when it must
read them again: the rules that keep story clusters right with more than one writer, and after
a write that did not land."""
from __future__ import annotations

import uuid
from collections import Counter

import pytest

from index import dedup, open_index, parse
from index.bands import Listings
from tests.test_index_incremental import WIRE, make


def entry(id_: str, seen: str = "2024-09-01") -> tuple:
    return (seen, id_, id_, None)


def test_a_full_band_is_never_read_again_an_open_one_is_unless_the_writer_is_the_only_one():
    listings = Listings()
    listings.learn({"full": [entry(f"a{i}") for i in range(dedup.BAND_CANDIDATES)], "open": [entry("b")]})
    assert listings.unknown(["full", "open", "new"]) == {"open", "new"}
    listings.sole_writer = True
    assert listings.unknown(["full", "open", "new"]) == {"new"}


def test_a_bulk_load_into_a_store_that_lists_nothing_reads_no_band_until_one_is_forgotten(monkeypatch):
    import index.bands as bands
    monkeypatch.setattr(bands, "LIMIT", 2)
    listings = Listings()
    with listings.sole(store_lists_nothing=True):
        assert listings.unknown(["new", "other"]) == set()     # whatever the store will list is listed here
        for i in range(3):
            listings.list(entry(f"a{i}"), [f"b{i}"])
        listings.forget(open_bands=False)                      # b0 forgotten: the store may list it
        assert listings.unknown(["b0", "b2"]) == {"b0"}
    assert not listings.sole_writer and not listings.complete
    with listings.sole(store_lists_nothing=True):
        listings.clear()                                       # a write rolled back: what it listed went too
        assert listings.unknown(["b1"]) == {"b1"}
    with listings.sole(store_lists_nothing=False):
        assert listings.unknown(["b1", "new"]) == {"b1", "new"}


def test_a_bulk_load_finds_copies_of_what_another_writer_stored_before_and_of_what_it_loads(index_url):
    """Only a store that lists nothing yet lets a bulk load skip reading bands: into one that
    does, a copy must still find its original, written before by another writer."""
    def copy(i: int):
        return make(f"c{i}", "wire", f"Copy {i}", WIRE, None, f"2024-09-02T00:00:{i:02d}Z")
    first, second = open_index(index_url), open_index(index_url)
    try:
        with first.bulk_load():
            assert first.listings.complete
            first.write([copy(0)])
            first.write([copy(1)])
        with second.bulk_load():
            assert not second.listings.complete
            second.write([copy(2)])
        assert {a.id: a.cluster for a in second.export(parse(""))} == {"c0": "c0", "c1": "c0", "c2": "c0"}
    finally:
        first.close()
        second.close()


def test_learning_keeps_what_the_writer_listed_and_caps_an_old_band_at_its_earliest():
    listings = Listings()
    listings.list(entry("mine", "2024-09-05"), ["band"])
    listings.learn({"band": [entry("mine", "2024-09-05")] + [entry(f"s{i:02d}", f"2024-08-{10 + i}") for i in range(12)]})
    assert [e[1] for e in listings.bands["band"]] == [f"s{i:02d}" for i in range(dedup.BAND_CANDIDATES)]


def test_trimming_forgets_the_least_recently_used_bands(monkeypatch):
    import index.bands as bands
    monkeypatch.setattr(bands, "LIMIT", 4)
    listings = Listings()
    for i in range(6):
        listings.list(entry(f"a{i}"), [f"b{i}"])
    listings.trim()                                  # 6 is past LIMIT by more than a quarter
    assert list(listings.bands) == ["b2", "b3", "b4", "b5"]
    listings.unknown(["b2"])                         # used: now the most recent
    listings.list(entry("a6"), ["b6"])
    listings.list(entry("a7"), ["b7"])
    listings.trim()
    assert list(listings.bands) == ["b5", "b2", "b6", "b7"]


def test_two_sqlite_writers_of_one_file_see_each_others_listings(tmp_path):
    """Copies of one story written by two processes' indexes in turn: each reads the bands it has
    not seen fill up again, so every band lists exactly its first BAND_CANDIDATES articles and all
    copies join the first one's cluster — as one writer would have it."""
    path = tmp_path / "index.db"
    writers = [open_index(f"sqlite:///{path}"), open_index(f"sqlite:///{path}")]
    try:
        for i in range(12):
            writers[i % 2].write([make(f"c{i:02d}", "wire", f"Copy {i}", WIRE, None, f"2024-09-02T00:00:{i:02d}Z")])
        clusters = {a.id: a.cluster for a in writers[0].export(parse(""))}
        assert set(clusters.values()) == {"c00"} and len(clusters) == 12
        per_band = Counter(band for band, in writers[0].db.execute("SELECT band FROM dedup_bands"))
        assert set(per_band.values()) == {dedup.BAND_CANDIDATES}
    finally:
        for ix in writers:
            ix.close()


def test_a_sqlite_write_that_is_rolled_back_leaves_nothing_listed(tmp_path):
    """A write whose transaction fails (here: an article that cannot be stored at all) stores
    nothing: a copy written next must not join the cluster of an original that is not there. The
    file's foreign keys are checked again afterwards."""
    ix = open_index(f"sqlite:///{tmp_path}/index.db")
    try:
        original = make("orig", "wire", "Original", WIRE, None, "2024-09-02T00:00:00Z")
        broken = make("broken", "wire", "Broken", "Too short.", None, "2024-09-02T00:00:01Z")
        broken.authors.append(object())              # not JSON: the write raises, the transaction rolls back
        with pytest.raises(TypeError):
            ix.write([original, broken])
        assert ix.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert ix.write([make("copy", "wire", "Copy", WIRE, None, "2024-09-02T00:00:02Z")]).new == 1
        assert {a.id: a.cluster for a in ix.export(parse(""))} == {"copy": "copy"}
        assert ix.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        ix.close()


def test_a_sqlite_bulk_load_into_a_new_file_syncs_only_when_it_ends_even_when_it_fails(tmp_path):
    """Into a file with no article yet, a bulk load syncs nothing until it ends (backend.py); then
    every page is checkpointed into the file. Into a file that holds articles, it syncs as always."""
    ix = open_index(f"sqlite:///{tmp_path}/index.db")
    synchronous = lambda: ix.db.execute("PRAGMA synchronous").fetchone()[0]
    wal = tmp_path / "index.db-wal"
    try:
        assert synchronous() == 1                                          # NORMAL
        with pytest.raises(RuntimeError):
            with ix.bulk_load():
                assert synchronous() == 0                                  # OFF
                ix.write([make("a", "wire", "A", WIRE, None, "2024-09-02T00:00:00Z")])
                assert wal.stat().st_size > 0
                raise RuntimeError("the load stops")
        assert synchronous() == 1 and wal.stat().st_size == 0              # all of it in the file
        assert {a.id for a in ix.export(parse(""))} == {"a"}               # what it wrote stays
        with ix.bulk_load():
            assert synchronous() == 1                                      # the file holds an article
            ix.write([make("b", "wire", "B", WIRE, None, "2024-09-02T00:00:01Z")])
        assert synchronous() == 1 and wal.stat().st_size > 0
    finally:
        ix.close()


@pytest.mark.es
def test_an_elasticsearch_bulk_load_relaxes_refresh_and_translog_syncs_and_restores_them(tmp_path):
    from tests.conftest import ES_URL, require_es
    require_es()
    es = open_index(f"{ES_URL.rstrip('/')}/pw-test-{uuid.uuid4().hex[:10]}", spool_dir=tmp_path)

    def settings() -> tuple:
        index = es.client.indices.get_settings(index=es.name, include_defaults=True)
        got = next(iter(index.values()))
        merged = {**got.get("defaults", {}).get("index", {}), **got["settings"]["index"]}
        return merged["refresh_interval"], merged["translog"]["durability"].lower()
    try:
        es.write([make("a", "wire", "A", WIRE, None, "2024-09-02T00:00:00Z")])
        before = settings()
        with es.bulk_load():
            assert settings() == ("-1", "async")
            es.write([make("b", "wire", "B", WIRE, None, "2024-09-02T00:00:01Z")])
        assert settings() == before == ("1s", "request")
        assert {a.id for a in es.export(parse(""))} == {"a", "b"}
    finally:
        es.drop()
        es.close()
