"""One contract for every index backend: the same corpus, the same queries, the same answers.

Rankings differ between SQLite's BM25 and Elasticsearch's, so relevance results are compared
as sets; date-sorted results are compared in order."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from index import Article, EntityRef, ActionRef, SearchRequest, StatementRef, content_hash, open_index, parse, QueryError
from index import cases


def art(id_, source, title, body, published, entities=(), actions=(), language="en", authors=("Kim Eun-jung",)):
    body = list(body)
    return Article(id=id_, url=f"https://{source}.example/{id_}", source=source, title=title, body=body,
                   published=published, authors=list(authors), language=language,
                   content_hash=content_hash(title, body),
                   entities=[EntityRef(n, t, m, [f"{n} sentence {i}" for i in range(m)]) for n, t, m in entities],
                   actions=[ActionRef(a, f"{a} sentence") for a in actions])


CORPUS = [
    art("a1", "yonhap", "Police open investigation into Telegram over deepfakes",
        ["Seoul police said Monday they opened an investigation into Telegram over sexually explicit deepfake images.",
         "The Korean National Police Agency said investigators would seek cooperation from French authorities."],
        "2024-09-02T15:30:00+09:00",
        [("Telegram", "PLATFORM", 3), ("Korean National Police Agency", "AGENCY", 1), ("Seoul", "GPE", 1)],
        ["investigation", "cooperation"]),
    art("a2", "yonhap", "Telegram removes deepfake videos at regulator's request",
        ["Telegram deleted 25 videos flagged by the Korea Communications Standards Commission, the regulator said.",
         "The commission set up a hotline with the messenger."],
        "2024-09-03T09:00:00+09:00",
        [("Telegram", "PLATFORM", 2), ("Korea Communications Standards Commission", "AGENCY", 2)],
        ["takedown", "cooperation"]),
    art("a3", "dmr", "French prosecutors charge Pavel Durov",
        ["Paris prosecutors charged Telegram founder Pavel Durov with complicity in crimes on the platform.",
         "Durov was arrested at Le Bourget airport and released on bail."],
        "2024-08-28T18:00:00+00:00",
        [("Pavel Durov", "PERSON", 2), ("Telegram", "PLATFORM", 1), ("Paris prosecutor's office", "AGENCY", 1),
         ("France", "GPE", 1)],
        ["prosecution", "arrest"]),
    art("a4", "dmr", "National Assembly passes bill punishing deepfake viewers",
        ["The National Assembly passed a bill that punishes possessing or viewing sexually explicit deepfakes.",
         "Lawmakers said the legislation closes a loophole."],
        "2024-09-26T08:00:00+00:00",
        [("National Assembly", "AGENCY", 1), ("Act on Special Cases Concerning the Punishment of Sexual Crimes", "LAW", 1)],
        ["legislation"]),
    art("a5", "yonhap", "Privacy watchdog fines Kakao over data leak",
        ["The Personal Information Protection Commission fined Kakao 15.1 billion won over a leak of user data.",
         "Investigators found Kakao failed to protect open chat rooms."],
        "2024-05-23T14:00:00+09:00",
        [("Personal Information Protection Commission", "AGENCY", 1), ("Kakao", "ORG", 2)],
        ["penalty", "investigation"]),
    art("a6", "dmr", "EU opens proceedings against TikTok under the Digital Services Act",
        ["The European Commission opened formal proceedings against TikTok over the protection of minors.",
         "The commission investigates whether TikTok breached the Digital Services Act."],
        "2024-02-19T12:00:00+01:00",
        [("European Commission", "AGENCY", 2), ("TikTok", "PLATFORM", 2), ("Digital Services Act", "LAW", 1)],
        ["investigation", "regulation"]),
    art("a7", "yonhap", "Ofcom sets out online safety codes",
        ["Britain's regulator Ofcom published codes of practice under the Online Safety Act.",
         "Platforms must assess the risk of illegal content."],
        "2024-11-09T10:00:00+00:00",
        [("Ofcom", "AGENCY", 1), ("Online Safety Act", "LAW", 1), ("United Kingdom", "GPE", 1)],
        ["regulation"]),
    art("a8", "dmr", "Deepfake crimes surge among teenagers",
        ["Police data show deepfake sex crimes surged, with most suspects teenagers.",
         "Experts urged schools to teach digital ethics."],
        "2024-09-10T03:00:00+00:00",
        [("Telegram", "PLATFORM", 1)], []),
    art("a9", "koreaherald", "경찰, 텔레그램 딥페이크 수사 착수",
        ["경찰이 텔레그램의 딥페이크 유포 방조 혐의에 대해 수사에 착수했다. " * 3],
        "2024-09-02T18:00:00+09:00", [("Telegram", "PLATFORM", 1)], ["investigation"], language="ko", authors=()),
    art("a10", "yonhap", "Undated notice about the newsroom",
        ["This article has no date and mentions investigation work."], None, [], []),
]

ALL = {a.id for a in CORPUS}


def said(authority, role, country, track, action, stage, target, sentence, when=None, status="happened",
         target_type="PLATFORM"):
    return StatementRef(authority, role, country, track, action, stage, target, target_type, status, when, sentence,
                        ["Telegram"] if target != "Telegram" else [])


KNPA = ("Korean National Police Agency", "police", "KR", "criminal")
CORPUS[0].statements = [said(*KNPA, "investigation", "investigation", "Telegram", CORPUS[0].body[0], "Monday"),
                        said(*KNPA, "cooperation", "cooperation", "Telegram", CORPUS[0].body[1], status="planned")]
CORPUS[1].statements = [said("Korea Communications Standards Commission", "regulator", "KR", "regulatory", "takedown",
                             "takedown", "Telegram", CORPUS[1].body[0])]
CORPUS[2].statements = [said("Paris prosecutor's office", "prosecutor", "FR", "criminal", "prosecution", "charge",
                             "Pavel Durov", CORPUS[2].body[0], target_type="PERSON"),
                        said("French police", "police", "FR", "criminal", "arrest", "arrest", "Pavel Durov",
                             CORPUS[2].body[1], target_type="PERSON")]
CORPUS[8].statements = [said(*KNPA, "investigation", "investigation", "Telegram", CORPUS[8].body[0], "2일")]


@pytest.fixture
def index(index_url):
    ix = open_index(index_url)
    result = ix.write(CORPUS)
    assert (result.new, result.updated, result.unchanged) == (len(CORPUS), 0, 0)
    ix.refresh()
    yield ix
    ix.close()


def ids(ix, q, **kw):
    result = ix.search(SearchRequest(parse(q), limit=100, **kw))
    assert result.total == len(result.hits)
    return {h.id for h in result.hits}


@pytest.mark.parametrize("query, expected", [
    ("telegram", {"a1", "a2", "a3"}),
    ("deepfake", {"a1", "a2", "a4", "a8"}),                 # stemming: "deepfakes" counts
    ("telegram deepfake", {"a1", "a2"}),                    # default AND
    ("telegram AND deepfake", {"a1", "a2"}),
    ("durov OR ofcom", {"a3", "a7"}),
    ("telegram NOT deepfake", {"a3"}),
    ("telegram -deepfake", {"a3"}),
    ('"sexually explicit"', {"a1", "a4"}),
    ('"explicit sexually"', set()),
    ("(durov OR kakao) AND (arrested OR fined)", {"a3", "a5"}),
    ("investigat*", {"a1", "a5", "a6", "a10"}),
    ("prosecut*", {"a3"}),
    ("user-dat*", {"a5"}),                                  # a prefix phrase: "user data"
    ("investigat* -telegram", {"a5", "a6", "a10"}),
    ("investigat* OR durov", {"a1", "a3", "a5", "a6", "a10"}),
    ("zzyzx*", set()),
    ("source:dmr", {"a3", "a4", "a6", "a8"}),
    ("source:dmr telegram", {"a3"}),
    ("lang:ko", {"a9"}),
    ("텔레그램", {"a9"}),
    ('entity:"Pavel Durov"', {"a3"}),
    ("entity:Telegram", {"a1", "a2", "a3", "a8", "a9"}),
    ("type:LAW", {"a4", "a6", "a7"}),
    ("action:investigation", {"a1", "a5", "a6", "a9"}),
    ("action:investigation source:yonhap", {"a1", "a5"}),
    ("entity:Telegram NOT action:investigation", {"a2", "a3", "a8"}),
    ("telegram OR source:koreaherald", {"a1", "a2", "a3", "a9"}),
    ("NOT telegram", ALL - {"a1", "a2", "a3"}),
    ("", ALL),
    ("nonexistentword", set()),
])
def test_queries_match_the_same_articles(index, query, expected):
    assert ids(index, query) == expected


@pytest.mark.parametrize("query", ["", "telegram", "type:PLATFORM", "source:dmr OR telegram"])
def test_counts_stop_at_the_limit_the_same_way_on_both_backends(index, query):
    exact = index.search(SearchRequest(parse(query), limit=100, count_limit=None))
    assert not exact.capped and exact.total == len(exact.hits) >= 3
    at_limit = index.search(SearchRequest(parse(query), count_limit=exact.total))
    assert (at_limit.total, at_limit.capped, at_limit.total_text()) == (exact.total, False, f"{exact.total:,}")
    below = index.search(SearchRequest(parse(query), limit=100, count_limit=exact.total - 1, sort="date"))
    assert (below.total, below.capped, below.total_text()) == (exact.total - 1, True, f"{exact.total - 1:,}+")
    assert [h.id for h in below.hits] == [h.id for h in index.search(
        SearchRequest(parse(query), limit=100, count_limit=None, sort="date")).hits]   # every hit is still there


def test_date_range_filters_by_publication_instant(index):
    start = datetime(2024, 9, 1, tzinfo=timezone.utc)
    end = datetime(2024, 9, 3, tzinfo=timezone.utc)
    # a2 was published 2024-09-03 09:00 KST = 2024-09-03 00:00 UTC: outside an exclusive end.
    assert ids(index, "", date_from=start, date_to=end) == {"a1", "a9"}
    assert ids(index, "telegram", date_from=start) == {"a1", "a2"}


def test_sort_by_date_newest_first_undated_last(index):
    result = index.search(SearchRequest(parse(""), sort="date", limit=100))
    assert [h.id for h in result.hits] == ["a7", "a4", "a8", "a2", "a9", "a1", "a3", "a5", "a6", "a10"]


def test_relevance_puts_title_matches_first(index):
    result = index.search(SearchRequest(parse("ofcom"), limit=10))
    assert [h.id for h in result.hits] == ["a7"]
    result = index.search(SearchRequest(parse("durov"), limit=10))
    assert result.hits[0].id == "a3" and result.hits[0].score > 0


def test_equal_scores_rank_newest_first_then_by_id(index):
    same = ["A quokka was seen near the harbour."]
    index.write([art("t0", "dmr", "Quokka sighting", same, None),
                 art("t2", "dmr", "Quokka sighting", same, "2024-02-01T00:00:00+00:00"),
                 art("t1", "dmr", "Quokka sighting", same, "2024-02-01T00:00:00+00:00"),
                 art("t3", "dmr", "Quokka sighting", same, "2024-03-01T00:00:00+00:00")])
    index.refresh()
    assert [h.id for h in index.search(SearchRequest(parse("quokka"))).hits] == ["t3", "t1", "t2", "t0"]
    pages = [index.search(SearchRequest(parse("quokka"), limit=1, offset=n)) for n in range(5)]
    assert [[h.id for h in p.hits] for p in pages] == [["t3"], ["t1"], ["t2"], ["t0"], []]
    assert {(p.total, p.capped) for p in pages} == {(4, False)}
    capped = index.search(SearchRequest(parse("quokka"), limit=2, count_limit=3))
    assert (capped.total, capped.capped, len(capped.hits)) == (3, True, 2)


def test_pagination_is_stable(index):
    first = index.search(SearchRequest(parse(""), sort="date", limit=4))
    second = index.search(SearchRequest(parse(""), sort="date", limit=4, offset=4))
    assert first.total == second.total == len(CORPUS)
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_snippets_highlight_matches_and_escape_html(index):
    hit = index.search(SearchRequest(parse("hotline"), limit=1)).hits[0]
    assert "<mark>hotline</mark>" in hit.snippet.lower()
    assert hit.url == "https://yonhap.example/a2" and hit.source == "yonhap"
    assert hit.published.startswith("2024-09-03T09:00:00")


def test_prefixes_highlight_every_word_they_stand_for(index):
    snippets = {h.id: h.snippet.lower() for h in index.search(SearchRequest(parse("investigat*"))).hits}
    assert "<mark>investigators</mark>" in snippets["a5"] and "<mark>investigates</mark>" in snippets["a6"]


def test_prefixes_standing_for_many_words_match_the_same(index, monkeypatch):
    # SQLite replaces a prefix by an OR of the index words it stands for, up to a limit; past
    # the limit FTS5 scans the prefix itself, with the same answers (Elasticsearch: no limit)
    from index.sqlite import query
    expanded = {q: ids(index, q) for q in ("investigat*", "user-dat*", "investigat* -telegram")}
    monkeypatch.setattr(query, "EXPANSION_LIMIT", 1)
    assert {q: ids(index, q) for q in expanded} == expanded == {
        "investigat*": {"a1", "a5", "a6", "a10"}, "user-dat*": {"a5"}, "investigat* -telegram": {"a5", "a6", "a10"}}


def test_facets_count_matching_articles(index):
    result = index.search(SearchRequest(parse("telegram"), facets=True, limit=1))
    assert dict(result.facets["source"]) == {"yonhap": 2, "dmr": 1}
    assert dict(result.facets["action"]) == {"cooperation": 2, "takedown": 1, "investigation": 1,
                                              "prosecution": 1, "arrest": 1}
    assert dict(result.facets["type"])["PLATFORM"] == 3
    assert result.facets["entity"][0] == ("Telegram|PLATFORM", 3)
    everything = index.search(SearchRequest(parse(""), facets=True, limit=1))
    assert everything.facets["language"] == [("en", 9), ("ko", 1)]


def test_export_round_trips_every_field(index):
    exported = {a.id: a for a in index.export(parse(""))}
    assert set(exported) == ALL
    for original in CORPUS:
        got = exported[original.id]
        assert got.export_record() == original.export_record()
    a3 = exported["a3"]
    assert json.loads(json.dumps(a3.export_record()))["entities"][0] == {"name": "Pavel Durov", "type": "PERSON", "mentions": 2}


def test_statements_merge_into_the_same_cases_on_both_backends(index):
    assert index.get("a3").statements == CORPUS[2].statements
    found = {c.title: c for c in cases.find(index)}
    assert set(found) == {"South Korea: criminal case against Telegram", "South Korea: regulatory action against Telegram",
                          "France: criminal case against Pavel Durov"}
    police = found["South Korea: criminal case against Telegram"]
    # an English and a Korean report of one investigation, the action dated from "Monday" and "2일"
    assert [(s.name, s.date, s.sources, s.status) for s in police.stages] == [
        ("investigation", "2024-09-02", ["koreaherald", "yonhap"], "happened"),
        ("cooperation", "2024-09-02", ["yonhap"], "planned")]
    assert police.languages == ["en", "ko"]
    durov = found["France: criminal case against Pavel Durov"]
    assert [s.name for s in durov.stages] == ["arrest", "charge"] and durov.related == ["Telegram"]
    assert cases.get(index, durov.id).record() == durov.record()
    assert cases.get(index, "000000000000") is None
    assert {c.target for c in cases.find(index, cases.CaseFilter(entity="Telegram"))} == {"Telegram", "Pavel Durov"}
    assert [c.target for c in cases.find(index, cases.CaseFilter(authority="French police"))] == ["Pavel Durov"]


def test_statements_by_case_or_name_read_only_those_cases(index):
    everything = list(index.statements())
    durov = next(r.statement for r in everything if r.statement.target == "Pavel Durov")
    cid = cases.case_id(durov)
    assert {cases.case_id(r.statement) for r in index.statements(case=cid)} == {cid}
    assert [r.article for r in index.statements(case=cid)] == [r.article for r in everything
                                                                if cases.case_id(r.statement) == cid]
    # a name: every statement of the cases where one names it (casefolded), in the same order
    telegram = {cases.case_id(r.statement) for r in everything
                if "telegram" in cases.case_names([r.statement])}
    by_name = list(index.statements(names=["TELEGRAM"]))
    assert {cases.case_id(r.statement) for r in by_name} == telegram and len(telegram) == 3
    assert by_name == [r for r in everything if cases.case_id(r.statement) in telegram]
    assert [cases.case_id(r.statement) for r in index.statements(names=["French police"])] == [cid] * 2
    assert list(index.statements(names=["Nobody At All"])) == []
    assert list(index.statements(case=cid, names=["Korea Communications Standards Commission"])) == []
    assert all(r.indexed for r in everything)


def test_export_filters_like_search(index):
    assert {a.id for a in index.export(parse("action:legislation"))} == {"a4"}
    assert {a.id for a in index.export(parse(""), datetime(2024, 11, 1, tzinfo=timezone.utc))} == {"a7"}


def test_get_returns_the_article_with_mention_sentences(index):
    a = index.get("a1")
    assert a.title == CORPUS[0].title and a.body == CORPUS[0].body
    telegram = next(e for e in a.entities if e.name == "Telegram")
    assert telegram.sentences == ["Telegram sentence 0", "Telegram sentence 1", "Telegram sentence 2"]
    assert index.get("missing") is None


def test_rewrite_counts_unchanged_and_updated(index):
    changed = art("a8", "dmr", "Deepfake crimes surge among teenagers, police say",
                  CORPUS[7].body, CORPUS[7].published, [("Telegram", "PLATFORM", 1)])
    result = index.write([CORPUS[0], changed])
    assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
    index.refresh() if hasattr(index, "refresh") else None
    assert index.get("a8").title.endswith("police say")
    assert index.search(SearchRequest(parse(""), limit=100)).total == len(CORPUS)


def test_content_hashes_tell_what_is_stored(index):
    assert index.content_hashes(["a1", "zz"]) == {"a1": CORPUS[0].content_hash}


def test_timeline_counts_articles_and_mentions_per_period(index):
    rows = index.timeline("Telegram", "month")
    assert [(r.date, r.articles, r.mentions) for r in rows] == [
        ("2024-08-01", 1, 1), ("2024-09-01", 4, 7)]
    days = index.timeline("Telegram", "day", date_from=datetime(2024, 9, 1, tzinfo=timezone.utc))
    # a1 15:30 KST = 06:30 UTC on 2 Sep; a9 18:00 KST = 09:00 UTC; a2 09:00 KST = 00:00 UTC 3 Sep
    assert [(r.date, r.articles, r.mentions) for r in days[:3]] == [
        ("2024-09-02", 2, 4), ("2024-09-03", 1, 2), ("2024-09-04", 0, 0)]
    assert days[-1].date == "2024-09-10"
    assert len(days) == 9                                   # empty days in between are included


def test_timeline_in_another_time_zone_moves_articles_across_midnight(index):
    utc = {r.date: r.articles for r in index.timeline("Telegram", "day") if r.articles}
    seoul = {r.date: r.articles for r in index.timeline("Telegram", "day", tz="Asia/Seoul") if r.articles}
    assert utc["2024-08-28"] == 1 and seoul["2024-08-29"] == 1     # 18:00 UTC is 03:00 KST next day
    weeks = index.timeline("Telegram", "week")
    assert weeks[0].date == "2024-08-26"                           # a Monday


def test_mentions_give_every_sentence(index):
    rows = list(index.mentions("Korea Communications Standards Commission"))
    assert [(r[1], r[4]) for r in rows] == [("yonhap", "Korea Communications Standards Commission sentence 0"),
                                            ("yonhap", "Korea Communications Standards Commission sentence 1")]


def test_mentions_list_every_sentence_by_date_and_the_newest_as_a_page(index):
    rows = list(index.mentions("telegram"))
    assert [(r[2].rsplit("/", 1)[1], r[4]) for r in rows] == [
        ("a3", "Telegram sentence 0"), ("a1", "Telegram sentence 0"), ("a1", "Telegram sentence 1"),
        ("a1", "Telegram sentence 2"), ("a9", "Telegram sentence 0"), ("a2", "Telegram sentence 0"),
        ("a2", "Telegram sentence 1"), ("a8", "Telegram sentence 0")]
    assert rows[1][:4] == ("2024-09-02T06:30:00Z", "yonhap", "https://yonhap.example/a1",
                           "Police open investigation into Telegram over deepfakes")
    # the newest first, article by article, each article's sentences in reading order; cut at N
    page = list(index.mentions("Telegram", newest=5))
    assert page == [rows[7], rows[5], rows[6], rows[4], rows[1]]
    assert list(index.mentions("Telegram", newest=2, date_to=datetime(2024, 9, 3, tzinfo=timezone.utc))) == [
        rows[4], rows[1]]
    assert list(index.mentions("Telegram", newest=100)) == page + [rows[2], rows[3], rows[0]]


def test_mentions_of_one_instant_go_by_article_id(index):
    same = "2024-10-01T00:00:00+00:00"
    index.write([art(i, "dmr", f"Notice {i}", [f"Notice {i} about the Tie Agency."], same, [("Tie Agency", "AGENCY", 2)])
                 for i in ("t2", "t3", "t1")])
    index.refresh()
    order = [(r[2].rsplit("/", 1)[1], r[4]) for r in index.mentions("Tie Agency")]
    assert order == [(i, f"Tie Agency sentence {n}") for i in ("t1", "t2", "t3") for n in (0, 1)]
    newest = [(r[2].rsplit("/", 1)[1], r[4]) for r in index.mentions("Tie Agency", newest=3)]
    assert newest == [("t3", "Tie Agency sentence 0"), ("t3", "Tie Agency sentence 1"), ("t2", "Tie Agency sentence 0")]


def test_entity_counts_rank_by_articles(index):
    top = index.entity_counts(parse(""), limit=3)
    assert (top[0].name, top[0].type, top[0].articles, top[0].mentions) == ("Telegram", "PLATFORM", 5, 8)
    agencies = index.entity_counts(parse("telegram"), "AGENCY", 10)
    assert {e.name for e in agencies} == {"Korean National Police Agency", "Korea Communications Standards Commission",
                                          "Paris prosecutor's office"}


def test_stats(index):
    stats = index.stats()
    assert stats["articles"] == len(CORPUS)
    assert stats["sources"] == {"dmr": 4, "koreaherald": 1, "yonhap": 5}


def test_malformed_queries_are_rejected_before_the_backend():
    for bad in ["(telegram", '"open', "AND", "type:WIDGET", "foo:bar", "NOT"]:
        with pytest.raises(QueryError):
            parse(bad)


# -- coverage over time (policywatch trend) and counting by story ------------------------------------
def trend_rows(ix, *queries, **kw):
    from index.trend import trend
    return [(r.date, r.query, r.articles, r.stories, r.share)
            for r in trend(ix, [(q, parse(q)) for q in queries], **kw)]


def test_trend_counts_matches_stories_and_share_per_period(index):
    # telegram: a3 (28 Aug), a1 and a2 (2 and 3 Sep); September holds 5 dated articles in all
    assert trend_rows(index, "telegram") == [("2024-08-01", "telegram", 1, 1, 1.0),
                                             ("2024-09-01", "telegram", 2, 2, 0.4)]


def test_trend_fills_the_requested_range_and_shares_periods_between_queries(index):
    rows = trend_rows(index, "telegram", "ofcom", date_from=datetime(2024, 7, 1, tzinfo=timezone.utc),
                      date_to=datetime(2024, 12, 1, tzinfo=timezone.utc))
    assert rows == [("2024-07-01", "telegram", 0, 0, 0.0), ("2024-08-01", "telegram", 1, 1, 1.0),
                    ("2024-09-01", "telegram", 2, 2, 0.4), ("2024-10-01", "telegram", 0, 0, 0.0),
                    ("2024-11-01", "telegram", 0, 0, 0.0),
                    ("2024-07-01", "ofcom", 0, 0, 0.0), ("2024-08-01", "ofcom", 0, 0, 0.0),
                    ("2024-09-01", "ofcom", 0, 0, 0.0), ("2024-10-01", "ofcom", 0, 0, 0.0),
                    ("2024-11-01", "ofcom", 1, 1, 1.0)]
    assert trend_rows(index, "nonexistentword") == []


def test_trend_periods_follow_the_time_zone_and_weeks_start_monday(index):
    utc = trend_rows(index, "telegram", interval="day")
    seoul = trend_rows(index, "telegram", interval="day", tz="Asia/Seoul")
    assert utc[0][:3] == ("2024-08-28", "telegram", 1) and seoul[0][:3] == ("2024-08-29", "telegram", 1)
    # a2 is 00:00 UTC on 3 Sep: its own UTC day; in Seoul a1 and a2 are 2 and 3 Sep too, a9 (18:00 KST) 2 Sep
    assert {d: n for d, _, n, _, _ in utc if n} == {"2024-08-28": 1, "2024-09-02": 1, "2024-09-03": 1}
    assert trend_rows(index, "entity:Telegram", interval="week")[0][0] == "2024-08-26"


def test_trend_articles_are_what_search_returns_for_each_period(index):
    for q in ["deepfake", "action:investigation", "source:yonhap OR lang:ko"]:
        for day, _, articles, _, _ in trend_rows(index, q, interval="month"):
            start = datetime.fromisoformat(day).replace(tzinfo=timezone.utc)
            end = (start.replace(day=28) + (datetime(2024, 1, 5) - datetime(2024, 1, 1))).replace(day=1)
            assert articles == len(ids(index, q, date_from=start, date_to=end)), (q, day)


def test_syndicated_copies_count_once_as_stories(index):
    body = ["Seoul police opened an investigation into Telegram on Monday over sexually explicit deepfake images "
            "shared in chat rooms, the Korean National Police Agency said, adding that investigators would ask "
            "French authorities and the platform's operators for cooperation in identifying the people who "
            "created and spread the images among students and soldiers across the country this summer."]
    story = [art(f"s{i}", source, "Police investigate Telegram over deepfakes", body,
                 f"2024-09-0{i + 4}T10:00:00+00:00", [("Telegram", "PLATFORM", 1)], ["investigation"])
             for i, source in enumerate(["yonhap", "koreaherald", "dmr"])]
    index.write(story)
    index.refresh() if hasattr(index, "refresh") else None
    assert trend_rows(index, "telegram")[1] == ("2024-09-01", "telegram", 5, 3, round(5 / 8, 6))
    september = next(r for r in index.timeline("Telegram", "month") if r.date == "2024-09-01")
    assert (september.articles, september.stories) == (7, 5)
    top = index.entity_counts(parse(""), limit=1)[0]
    assert (top.name, top.articles, top.stories) == ("Telegram", 8, 6)


def test_collection_filter_means_any_of_its_outlets(index):
    groups = {"korea": ["yonhap", "koreaherald"], "wire": ["yonhap"]}
    resolve = lambda name: groups.get(name, [])
    def found(q):
        return {h.id for h in index.search(SearchRequest(parse(q, resolve_collection=resolve), limit=100)).hits}
    assert found("collection:korea telegram") == {"a1", "a2"}
    assert found("collection:korea action:investigation") == {"a1", "a5", "a9"}
    assert found("telegram NOT collection:korea") == {"a3"}
    assert found("collection:wire") == {h for h in ALL if h in {"a1", "a2", "a5", "a7", "a10"}}
    with pytest.raises(QueryError, match="unknown collection 'eu'"):
        parse("collection:eu", resolve_collection=resolve)


def test_both_backends_implement_the_whole_protocol(index):
    """index/base.py's Index is the complete list of what callers may use: no caller asks a backend
    what it can do (hasattr/getattr), so every method must exist, with the protocol's parameters."""
    import inspect

    from index.base import Index
    wanted = {name: fn for name, fn in vars(Index).items() if callable(fn) and not name.startswith("_")}
    assert {"flush", "pending", "refresh", "bulk_load", "reindex", "drop", "crawl_leases"} <= set(wanted)
    for name, fn in wanted.items():
        method = getattr(type(index), name, None)
        assert callable(method), f"{type(index).__name__} lacks {name}"
        assert list(inspect.signature(method).parameters) == list(inspect.signature(fn).parameters), name
    with index.bulk_load():
        index.write([])
    index.refresh()
    assert index.pending() == 0 and index.flush().spooled == 0
