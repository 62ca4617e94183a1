"""The index's side of incremental crawling, on every backend: revisions, story clusters
(near-duplicates), URL state and crawl-run records."""
from __future__ import annotations

import contextlib
import random
import uuid
from collections import Counter

import pytest

from index import Article, SearchRequest, content_hash, open_index, parse
from index.base import SourceRun, UrlState

WIRE = ("SEOUL, Sept. 2 (Yonhap) -- South Korean police said Monday they have opened a preliminary "
        "investigation into Telegram over its alleged role in the distribution of sexually explicit deepfake "
        "images, as authorities step up efforts to stamp out digital sex crimes. The Korean National Police "
        "Agency said the probe would examine whether the messaging platform aided and abetted the crimes, "
        "and officials said they would seek cooperation with French authorities and international bodies. "
        "Police have received hundreds of reports of deepfake images of students, teachers and soldiers "
        "being shared in group chatrooms since late August.")


def make(id_, source, title, text, published, fetched):
    body = [text]
    return Article(id=id_, url=f"https://{source}.example/{id_}", source=source, title=title, body=body,
                   published=published, fetched=fetched, content_hash=content_hash(title, body), language="en")


@pytest.fixture
def index(index_url):
    ix = open_index(index_url)
    yield ix
    ix.close()


def refresh(ix):
    ix.refresh()


def test_changed_story_keeps_its_earlier_versions(index):
    first = make("r1", "yonhap", "Police open probe into Telegram", WIRE, "2024-09-02T10:00:00+09:00",
                 "2024-09-02T01:05:00Z")
    index.write([first])
    second = make("r1", "yonhap", "(LEAD) Police open probe into Telegram", WIRE + " More details follow.",
                  "2024-09-02T10:00:00+09:00", "2024-09-02T03:00:00Z")
    assert index.write([second]).updated == 1
    third = make("r1", "yonhap", "(2nd LEAD) Police open probe into Telegram", WIRE + " Telegram responded.",
                 "2024-09-02T10:00:00+09:00", "2024-09-02T05:00:00Z")
    index.write([third])
    refresh(index)
    versions = index.history("r1")
    assert [v.title for v in versions] == [first.title, second.title, third.title]
    assert [v.fetched for v in versions] == ["2024-09-02T01:05:00Z", "2024-09-02T03:00:00Z", "2024-09-02T05:00:00Z"]
    assert versions[-1].body == third.body
    assert index.get("r1").revisions == 2
    assert index.get("r1").export_record()["revisions"] == 2
    hit = index.search(SearchRequest(parse("responded"))).hits[0]
    assert hit.id == "r1" and hit.revisions == 2
    assert index.search(SearchRequest(parse('"more details follow"'))).total == 0     # search uses the latest
    assert index.history("missing") == []


def test_syndicated_copies_share_a_story_cluster(index):
    original = make("w1", "yonhap", "Police open probe into Telegram", WIRE, "2024-09-02T10:00:00+09:00",
                    "2024-09-02T01:00:00Z")
    copy = make("w2", "dmr", "South Korean Police Probe Telegram", WIRE.replace("Monday", "on Monday"),
                "2024-09-02T09:00:00+00:00", "2024-09-02T10:00:00Z")
    other = make("o1", "dmr", "Ofcom publishes codes", "Ofcom published codes of practice under the Online "
                 "Safety Act on Monday, setting out more than forty measures that platforms must take to tackle "
                 "illegal content including terrorism, hate, fraud and child sexual abuse, with enforcement "
                 "starting next spring and fines of up to ten percent of global revenue for breaches.",
                 "2024-12-16T09:00:00+00:00", "2024-12-16T10:00:00Z")
    index.write([original])
    index.write([copy, other])
    refresh(index)
    assert index.get("w2").cluster == "w1" and index.get("w1").cluster == "w1"
    assert index.get("o1").cluster == "o1"
    records = {a.id: a.export_record() for a in index.export(parse(""))}
    assert records["w1"]["first_copy"] and not records["w2"]["first_copy"]
    assert records["w2"]["cluster"] == "w1"

    plain = index.search(SearchRequest(parse("police OR ofcom"), limit=10))
    collapsed = index.search(SearchRequest(parse("police OR ofcom"), limit=10, collapse=True))
    assert plain.total == 3 and collapsed.total == 2
    by_cluster = {h.id: h.copies for h in collapsed.hits}
    assert by_cluster.get("o1") == 1 and (by_cluster.get("w1") or by_cluster.get("w2")) == 2


def test_url_state_round_trips_per_source(index):
    states = [UrlState("https://en.yna.co.kr/RSS/news.xml", "yonhap", "2024-09-02T01:00:00Z", "feed", etag='"abc"'),
              UrlState("https://en.yna.co.kr/view/AEN1", "yonhap", "2024-09-02T01:00:01Z", "article",
                       published="2024-09-02T10:00:00+09:00", content_hash="h1"),
              UrlState("https://dmrnews.com/x/", "dmr", "2024-09-02T01:00:02Z", "skipped")]
    index.save_url_states(states)
    refresh(index)
    assert index.url_states("yonhap") == {s.url: s for s in states[:2]}
    updated = UrlState("https://en.yna.co.kr/RSS/news.xml", "yonhap", "2024-09-03T01:00:00Z", "feed", etag='"def"')
    index.save_url_states([updated])
    refresh(index)
    assert index.url_states("yonhap")["https://en.yna.co.kr/RSS/news.xml"].etag == '"def"'
    assert list(index.url_states("dmr")) == ["https://dmrnews.com/x/"]


def test_crawl_runs_are_recorded_newest_first(index):
    runs = [SourceRun("run1", "yonhap", "2024-09-01T00:00:00Z", "2024-09-01T00:01:00Z", pages_fetched=40, new=20,
                      extracted=21, empty_body=1, no_date=0, no_author=2, reasons={"errors/HTTP 404": 1}, errors=1),
            SourceRun("run1", "dmr", "2024-09-01T00:00:00Z", "2024-09-01T00:01:00Z", new=18),
            SourceRun("run2", "yonhap", "2024-09-02T00:00:00Z", "2024-09-02T00:00:30Z", unchanged=20)]
    index.record_runs(runs)
    refresh(index)
    got = index.runs("yonhap")
    assert [r.run_id for r in got] == ["run2", "run1"]
    assert got[1] == runs[0]
    assert {r.source for r in index.runs(limit=10)} == {"yonhap", "dmr"}



def drifting_story(seed: int, copies: int) -> list[str]:
    """Copies of one story, each a few words off the one before: neighbours are near-duplicates,
    far ends are not."""
    rng = random.Random(seed)
    words = [f"w{rng.randrange(4000)}" for _ in range(150)]
    texts = []
    for _ in range(copies):
        for _ in range(2):
            words[rng.randrange(len(words))] = f"w{rng.randrange(4000)}"
        texts.append(" ".join(words))
    return texts


@pytest.mark.es
@pytest.mark.parametrize("bulk", [False, True], ids=["writes", "bulk_load"])
def test_story_clusters_and_band_listings_are_the_same_on_both_backends(tmp_path, monkeypatch, bulk):
    """Written in batches of different sizes (copies of a story within one batch, across batches,
    before and after a refresh, and past the writer's own refresh of what it remembers),
    Elasticsearch clusters every article as SQLite does and lists it under the same bands: each
    band lists its first dedup.BAND_CANDIDATES articles only (here 12 copies of the wire story
    fill theirs). In a bulk load the writer reads no band it knows again, even past a refresh."""
    from tests.conftest import ES_URL, require_es
    from index import dedup
    from index.elastic import clusters
    require_es()
    monkeypatch.setattr(clusters, "RECENT_LIMIT", 40)
    monkeypatch.setattr(clusters, "PAGE", 7)                 # the candidate searches page through their hits
    rng = random.Random(7)
    texts = [t for seed in range(4) for t in drifting_story(seed, 30)] + [WIRE] * 12
    rng.shuffle(texts)
    articles = [make(f"d{i:03d}", "wire", f"Story {i}", text, None, f"2024-09-{1 + rng.randrange(28):02d}T00:00:00Z")
                for i, text in enumerate(texts)]
    sqlite = open_index(f"sqlite:///{tmp_path}/index.db")
    es = open_index(f"{ES_URL.rstrip('/')}/pw-test-{uuid.uuid4().hex[:10]}", spool_dir=tmp_path)
    try:
        start = 0
        with contextlib.ExitStack() as loads:
            if bulk:
                loads.enter_context(sqlite.bulk_load())
                loads.enter_context(es.bulk_load())
            for size in (1, 6, 23, 2, 40, 60):
                for ix in (sqlite, es):
                    assert ix.write(articles[start:start + size]).new == size
                if size == 23:
                    es.refresh()
                start += size
        es.refresh()
        assert start == len(articles)
        got = {ix: {a.id: a.cluster for a in ix.export(parse(""))} for ix in (sqlite, es)}
        assert got[es] == got[sqlite]
        assert len(set(got[sqlite].values())) > 8 and max(Counter(got[sqlite].values()).values()) >= 12
        listed = {aid: sorted(bands) for aid, bands in
                  ((hit["_source"]["id"], hit["_source"]["dedup_bands"]) for hit in es.client.search(
                      index=es.name, size=1000, source=["id", "dedup_bands"])["hits"]["hits"])}
        in_sqlite: dict[str, list] = {aid: [] for aid in listed}
        for band, aid in sqlite.db.execute("SELECT band, id FROM dedup_bands JOIN articles ON articles.rowid = article "
                                           "ORDER BY band"):
            in_sqlite[aid].append(band)
        assert listed == in_sqlite
        per_band = Counter(band for bands in listed.values() for band in bands)
        assert max(per_band.values()) == dedup.BAND_CANDIDATES
    finally:
        es.drop()
        es.close()
        sqlite.close()
