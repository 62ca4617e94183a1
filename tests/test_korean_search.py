"""Korean search, the same answers on both backends: a Hangul query word matches its particle
and inflected forms (SQLite: kiwipiepy stems in articles_fts_ko; Elasticsearch: nori on
title_ko/body_ko), only in Korean articles. On a cluster without analysis-nori, Elasticsearch
indexes Korean as CJK bigrams (index/elastic/schema.py): the rows with a third value show what
that loses (a query word spelled with a particle finds only that form)."""
from __future__ import annotations

import pytest

from index.elastic.schema import CJK
from index import ActionRef, Article, EntityRef, SearchRequest, content_hash, open_index, parse


def art(id_, title, body, published, language="ko", entities=(), actions=()):
    return Article(id=id_, url=f"https://news.example/{id_}", source="yonhap_ko" if language == "ko" else "yonhap",
                   title=title, body=body, published=published, authors=["홍길동"], language=language,
                   content_hash=content_hash(title, body),
                   entities=[EntityRef(n, t, 1, [f"{n} 문장"]) for n, t in entities],
                   actions=[ActionRef(a, f"{a} 문장") for a in actions])


CORPUS = [
    art("k1", "경찰, 텔레그램 딥페이크 수사 착수",
        ["경찰이 텔레그램의 딥페이크 유포 방조 혐의에 대해 수사에 착수했다.",
         "국가수사본부는 텔레그램 법인을 상대로 내사를 벌이고 있다고 밝혔다."],
        "2024-09-02T18:00:00+09:00", entities=[("Telegram", "PLATFORM")], actions=["investigation"]),
    art("k2", "경찰청, 텔레그램에서 유포된 딥페이크 성착취물 내사",
        ["경찰청이 텔레그램에서 퍼진 딥페이크가 성착취물에 해당하는지 살펴보고 있다고 밝혔다.",
         "방송통신심의위원회는 딥페이크를 삭제하도록 텔레그램에 요청했다."],
        "2024-08-28T11:00:00+09:00", entities=[("Telegram", "PLATFORM")], actions=["investigation", "takedown"]),
    art("k3", "국회, 딥페이크 성범죄 처벌법 개정안 통과",
        ["국회는 26일 본회의에서 딥페이크 성착취물을 소지하거나 시청한 사람도 처벌하는 개정안을 통과시켰다."],
        "2024-09-26T15:00:00+09:00", actions=["legislation"]),
    art("k4", "경기남부경찰청, 대화방 운영자 검거", ["경기남부경찰청은 대화방 운영자를 검거했다고 29일 밝혔다."],
        "2024-08-29T14:05:00+09:00", actions=["arrest"]),
    # Hangul in an English article is not analysed (its language says how to read it)
    art("e1", "Police probe Telegram over deepfakes",
        ["Police said the word 딥페이크를 is used in Korean for deepfakes spread on Telegram."],
        "2024-09-02T10:00:00+00:00", language="en"),
]


@pytest.fixture
def index(index_url):
    ix = open_index(index_url)
    assert ix.write(CORPUS).new == len(CORPUS)
    ix.refresh()
    yield ix
    ix.close()


def korean_bigrams(ix) -> bool:
    return getattr(ix, "korean", lambda: None)() == CJK


def ids(ix, q):
    result = ix.search(SearchRequest(parse(q), limit=100))
    assert result.total == len(result.hits)
    return {h.id for h in result.hits}


@pytest.mark.parametrize("query, expected, without_nori", [r + (None,) * (3 - len(r)) for r in [
    ("텔레그램", {"k1", "k2"}),                  # 텔레그램의, 텔레그램에서, 텔레그램에, 텔레그램
    ("딥페이크", {"k1", "k2", "k3"}),             # 딥페이크, 딥페이크가, 딥페이크를
    ("텔레그램에서", {"k1", "k2"}, {"k2"}),      # the query's own particle is dropped too (not without nori)
    ("딥페이크를", {"k1", "k2", "k3"}, {"k2"}),
    ("경찰청", {"k2", "k4"}),                    # 경찰청이; inside the compound 경기남부경찰청 too
    ("경기남부경찰청", {"k4"}),
    ("검거", {"k4"}),                            # 검거했다
    ("성착취물", {"k2", "k3"}),                  # 성착취물에, 성착취물을
    ("개정안", {"k3"}),                          # 개정안을
    ("딥페이크 삭제", {"k2"}),                    # default AND
    ('"딥페이크 유포"', {"k1"}),                  # a phrase: 딥페이크 유포 방조
    ('"삭제 딥페이크"', set()),
    ("딥페이크 -경찰청", {"k1", "k3"}),
    ("딥페이크 NOT (경찰청 OR 국회)", {"k1"}),
    ("deepfakes OR 성착취물", {"e1", "k2", "k3"}),  # English and Korean words in one query
    ("telegram", {"e1"}),                       # English words as before
    ("딥페*", {"k1", "k2", "k3"}),               # a prefix of a word nori splits (딥 + 페이크)
    ("성착*", {"k2", "k3"}),
    ("경찰*", {"k1", "k2", "k4"}),
    ("lang:ko 수사", {"k1"}),
    ("entity:Telegram 딥페이크", {"k1", "k2"}),
    ("action:legislation 국회", {"k3"}),
]])
def test_korean_queries_match_particle_forms(index, query, expected, without_nori):
    if without_nori is not None and korean_bigrams(index):
        expected = without_nori
    assert ids(index, query) == expected


def test_korean_snippets_mark_the_articles_own_words(index):
    hits = index.search(SearchRequest(parse("딥페이크"), limit=10)).hits
    snippet = next(h.snippet for h in hits if h.id == "k2")
    assert "<mark>딥페이크</mark>가" in snippet and "<mark>딥페이크</mark>를" in snippet


def test_korean_match_ranks_title_hits_first(index):
    hits = index.search(SearchRequest(parse("내사"), limit=10)).hits
    assert [h.id for h in hits] == ["k2", "k1"]          # k2 says it in the title, k1 in the body
