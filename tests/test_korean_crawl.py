"""Korean monitoring on the sample newsroom: the Korean outlet (yonhap_ko) and the English one
(yonhap) crawled over real HTTP with NLP into a real SQLite index. Expected values come from the
newsroom's ground truth (newsroom/content/yonhap_ko.py), not from the code under test."""
from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import urlsplit

import pytest

from conftest import FAST_CRAWL, require_es, ES_URL, run_cli
from index import open_index, parse
from newsroom.content import yonhap_ko as truth_records


@pytest.fixture(scope="module")
def korean_site(tmp_path_factory):
    from newsroom import corpus, sources_yaml, start
    tmp = tmp_path_factory.mktemp("korean")
    newsroom = start(outlets=("yonhap", "yonhap_ko"))
    sources = tmp / "sources.yaml"
    sources.write_text(sources_yaml(newsroom.urls), encoding="utf-8")
    index = f"sqlite:///{tmp}/index.db"
    report = run_cli("crawl", "--sources", str(sources), "--index", index, "--format", "json", *FAST_CRAWL)
    ix = open_index(index)
    stored = {urlsplit(a.url).path: a for a in ix.export(parse(""))}
    ix.close()
    yield {"index": index, "report": json.loads(report.stdout), "stored": stored,
           "truth": corpus.articles("yonhap_ko", urls=newsroom.urls),
           "english": corpus.articles("yonhap", urls=newsroom.urls)}
    newsroom.stop()


def records():
    return {r["id"]: r for r in truth_records.ARTICLES}


def test_korean_articles_are_extracted_with_language_author_and_seoul_dates(korean_site):
    stored = korean_site["stored"]
    for t in korean_site["truth"]:
        a = stored[t["path"]]
        assert a.language == "ko" and a.source == "yonhap_ko", t["path"]
        assert a.title == t["title"], t["path"]
        assert a.body == t["paragraphs"], t["path"]          # no wire lead, e-mail, copyright, related news, date line
        assert a.authors == t["authors"], t["path"]           # the reporters of "(서울=연합뉴스) 홍길동 기자 ="
        assert datetime.fromisoformat(a.published) == datetime.fromisoformat(t["published"]), t["path"]
        assert a.published.endswith("+09:00"), t["path"]    # Asia/Seoul, also for "입력 … 오후 3:20" and "…년 …월 …일"
    euc_kr = next(t for t in korean_site["truth"] if t["charset"] == "euc-kr")
    assert "우종수" in stored[euc_kr["path"]].text and "\ufffd" not in stored[euc_kr["path"]].text
    english = [stored[t["path"]] for t in korean_site["english"]]
    assert english and all(a.language == "en" for a in english)


def test_korean_bodies_carry_no_boilerplate(korean_site):
    for t in korean_site["truth"]:
        text = korean_site["stored"][t["path"]].text
        for junk in ("연합뉴스)", "기자 =", "@", "저작권자", "무단 전재", "관련 뉴스", "자료사진", "송고시간", "입력 20"):
            assert junk not in text, (t["path"], junk)


def test_hangul_aliases_resolve_to_the_english_canonical_entities(korean_site):
    for t in korean_site["truth"]:
        a = korean_site["stored"][t["path"]]
        expected = records()[t["key"]]["entities"]
        assert {e.name for e in a.entities} == set(expected), t["path"]
    first = korean_site["stored"]["/view/AKR20240902051200004"]
    types = {e.name: e.type for e in first.entities}
    assert types["Telegram"] == "PLATFORM" and types["Woo Jong-soo"] == "PERSON"
    assert types["National Office of Investigation"] == "AGENCY"
    telegram = next(e for e in first.entities if e.name == "Telegram")
    assert telegram.mentions == 5 and any("텔레그램이" in s for s in telegram.sentences)   # title + 4 sentences; particle forms count
    unknown = korean_site["stored"]["/view/AKR20240829093100061"]
    assert ("경기남부경찰청", "AGENCY") in {(e.name, e.type) for e in unknown.entities}  # proposed by the analyzer, typed by …청


def test_korean_actions_with_their_sentences(korean_site):
    for t in korean_site["truth"]:
        a = korean_site["stored"][t["path"]]
        assert {x.action for x in a.actions} == set(records()[t["key"]]["actions"]), t["path"]
        for x in a.actions:
            assert x.sentence in a.title + " " + " ".join(a.body), (t["path"], x.action)
    arrest = next(x for x in korean_site["stored"]["/view/AKR20240829093100061"].actions if x.action == "arrest")
    assert "검거" in arrest.sentence


@pytest.mark.parametrize("query, word", [("딥페이크", "딥페이크"), ("텔레그램", "텔레그램"), ("텔레그램에서", "텔레그램"),
                                         ("경찰청", "경찰청"), ("성착취물", "성착취물")])
def test_korean_words_find_their_particle_forms(korean_site, query, word):
    out = run_cli("search", query, "--index", korean_site["index"], "--format", "json", "--limit", "50")
    # the word itself with particles, or inside a compound (경찰청 in 경기남부경찰청), but 경찰청장 is the
    # police chief: a title, not 경찰청
    expected = {t["url"] for t in korean_site["truth"]
                if any(word in w and word + "장" not in w
                       for w in (t["title"] + " " + " ".join(t["paragraphs"])).split())}
    assert {h["url"] for h in json.loads(out.stdout)} == expected


def test_entity_search_and_timeline_count_korean_and_english_together(korean_site):
    index = korean_site["index"]
    hits = json.loads(run_cli("search", "entity:Telegram", "--index", index, "--format", "json", "--limit", "100").stdout)
    languages = {korean_site["stored"][urlsplit(h["url"]).path].language for h in hits}
    assert languages == {"en", "ko"}
    korean = {t["url"] for t in korean_site["truth"] if "Telegram" in records()[t["key"]]["entities"]}
    assert korean <= {h["url"] for h in hits}
    rows = json.loads(run_cli("timeline", "텔레그램", "--interval", "month", "--index", index,
                              "--tz", "Asia/Seoul", "--format", "json").stdout)
    september = next(r for r in rows if r["date"].startswith("2024-09"))
    english = sum(1 for a in korean_site["stored"].values() if a.language == "en"
                  and any(e.name == "Telegram" for e in a.entities) and a.published.startswith("2024-09"))
    korean_september = sum(1 for t in korean_site["truth"]
                           if t["published"].startswith("2024-09") and "Telegram" in records()[t["key"]]["entities"])
    assert korean_september == 4 and english > 0
    assert september["articles"] == english + korean_september
    assert september["entity"] == "Telegram"                      # the Hangul alias resolves


@pytest.mark.es
def test_particle_search_gives_the_same_articles_on_elasticsearch(korean_site):
    import uuid
    require_es()
    target = f"{ES_URL.rstrip('/')}/pw-test-{uuid.uuid4().hex[:10]}"
    run_cli("copy", "--from", korean_site["index"], "--to", target)
    try:
        for query in ("딥페이크", "텔레그램에서", "경찰청", "성착취물", '"딥페이크 성착취물"', "텔레그램 -경찰청",
                      "entity:Telegram 딥페이크", "lang:ko action:investigation"):
            counts = []
            for index in (korean_site["index"], target):
                out = run_cli("search", query, "--index", index, "--format", "json", "--limit", "100")
                counts.append(sorted(h["url"] for h in json.loads(out.stdout)))
            assert counts[0] == counts[1] and counts[0], query
    finally:
        ix = open_index(target)
        ix.drop()
        ix.close()
