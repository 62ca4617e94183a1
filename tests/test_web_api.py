"""The web app in-process (FastAPI's test client) over a small real SQLite index: search and its
filters, errors, articles, entity timelines, streamed exports, saved searches and their feeds, the
token, and escaping of a crawled title that holds a <script>."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from index import Article, content_hash
from core.config import Config
from web import exports
from web.app import TOKEN_HEADER, create_app

from web_corpus import XSS_ENTITY, XSS_TITLE, build_articles, expected_counts, write_index

ATOM = "{http://www.w3.org/2005/Atom}"
ARTICLES = build_articles()
BY_SLUG = {a.url.rsplit("/", 1)[1]: a for a in ARTICLES}


@pytest.fixture(scope="module")
def index_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('web-index')}/index.db"
    write_index(url)
    return url


def make_client(index_url: str, state, token: str | None = None) -> TestClient:
    return TestClient(create_app(Config(index_url=index_url), token=token, state=str(state)))


@pytest.fixture
def client(index_url, tmp_path):
    with make_client(index_url, tmp_path / "web.db") as c:
        yield c


def words(article: Article) -> set[str]:
    return set(re.findall(r"\w+", (article.title + " " + article.text).lower()))


def search(client, **params) -> dict:
    r = client.get("/api/search", params=params)
    assert r.status_code == 200, r.text
    return r.json()


# -- search ------------------------------------------------------------------------------------------
def test_search_finds_every_article_with_the_word_and_marks_it(client):
    expected = {a.id for a in ARTICLES if "telegram" in words(a)}
    data = search(client, q="telegram", limit=50)
    assert data["total"] == len(expected)
    assert {h["id"] for h in data["hits"]} == expected
    assert all("<mark>" in h["snippet"] for h in data["hits"])


def test_blank_query_lists_everything_newest_first_when_sorted_by_date(client):
    data = search(client, sort="date", limit=50)
    assert data["total"] == len(ARTICLES)
    newest_first = sorted(ARTICLES, key=lambda a: datetime.fromisoformat(a.published), reverse=True)
    assert [h["id"] for h in data["hits"]] == [a.id for a in newest_first]


def test_outlet_filter_keeps_only_that_outlet_and_two_outlets_are_alternatives(client):
    data = search(client, source="yonhap", limit=50)
    assert data["total"] == sum(a.source == "yonhap" for a in ARTICLES)
    assert {h["source"] for h in data["hits"]} == {"yonhap"}
    both = search(client, source=["yonhap", "theregister"], limit=50)
    assert both["total"] == sum(a.source in ("yonhap", "theregister") for a in ARTICLES)


def test_entity_type_action_and_date_filters_narrow_the_query(client):
    data = search(client, q="telegram", entity="Pavel Durov", action="arrest")
    assert [h["id"] for h in data["hits"]] == [BY_SLUG["durov-charged"].id]
    law = search(client, type="LAW")
    assert [h["id"] for h in law["hits"]] == [BY_SLUG["durov-charged"].id]
    september = search(client, **{"from": "2024-09-01", "to": "2024-09-30"}, limit=50)
    assert september["total"] == sum(a.published.startswith("2024-09") for a in ARTICLES)


def test_entity_filter_accepts_an_alias_and_matches_the_query_language(client):
    by_alias = search(client, entity="KNPA", limit=50)
    by_query = search(client, q='entity:"Korean National Police Agency"', limit=50)
    named = {a.id for a in ARTICLES if any(e.name == "Korean National Police Agency" for e in a.entities)}
    assert {h["id"] for h in by_alias["hits"]} == {h["id"] for h in by_query["hits"]} == named


def test_facets_count_outlets_entities_and_actions_of_the_matches(client):
    facets = search(client, q="telegram")["facets"]
    matching = [a for a in ARTICLES if "telegram" in words(a)]
    sources = {f["name"]: f["count"] for f in facets["source"]}
    assert sources == {s: sum(a.source == s for a in matching) for s in {a.source for a in matching}}
    entity = {(f["name"], f["type"]): f["count"] for f in facets["entity"]}
    assert entity[("Telegram", "PLATFORM")] == sum(any(e.name == "Telegram" for e in a.entities) for a in matching)
    actions = {f["name"]: f["count"] for f in facets["action"]}
    assert actions["cooperation"] == sum(any(x.action == "cooperation" for x in a.actions) for a in matching)


def test_pages_do_not_overlap(client):
    first = search(client, sort="date", limit=3, page=1)
    second = search(client, sort="date", limit=3, page=2)
    assert first["pages"] == 3 and second["page"] == 2
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}


def test_search_page_keeps_its_whole_state_in_links(client):
    r = client.get("/", params={"q": "telegram", "source": "yonhap", "sort": "date"})
    assert r.status_code == 200
    html = r.text
    assert 'value="telegram"' in html
    assert "/?q=telegram&amp;sort=date" in html                     # the chip that removes the outlet
    assert "/?q=telegram&amp;source=yonhap&amp;action=" in html     # a facet that adds an action


def test_date_chip_keeps_its_article_when_the_local_day_differs_from_utc(client):
    article = BY_SLUG["telegram-ip-addresses"]           # 08:05 in Seoul is the previous day in UTC
    html = client.get("/", params={"q": "telegram"}).text
    item = html[html.index(article.title):]
    href = re.search(r'class="chip chip--date" href="([^"]+)"', item).group(1).replace("&amp;", "&")
    assert "from=2024-09-23" in href
    assert article.title in client.get(href).text


# -- errors ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("params, fragment", [
    ({"q": "(telegram"}, "parenthesis"),
    ({"q": 'entity:"Pavel'}, "quote"),
    ({"q": "color:red"}, "unknown filter"),
    ({"type": "ROBOT"}, "unknown entity type"),
    ({"action": "dancing"}, "unknown action"),
    ({"from": "last tuesday"}, "bad date"),
    ({"page": "0"}, "page"),
    ({"sort": "random"}, "sort"),
])
def test_malformed_input_is_a_400_with_a_message_never_a_500(client, params, fragment):
    api = client.get("/api/search", params=params)
    assert api.status_code == 400
    assert fragment in api.json()["error"]
    page = client.get("/", params=params)
    assert page.status_code == 400
    assert fragment in page.text
    assert client.get("/api/export", params=params).status_code == 400


def test_bad_query_page_keeps_the_query_in_the_box(client):
    r = client.get("/", params={"q": "telegram AND"})
    assert r.status_code == 400
    assert 'role="alert"' in r.text and 'value="telegram AND"' in r.text


def test_unknown_things_are_404(client):
    assert client.get("/articles/nope").status_code == 404
    assert client.get("/api/articles/nope").json()["status"] == 404
    assert client.get("/entities/Nobody%20At%20All").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/feeds/nothing.atom").status_code == 404


def test_bad_timeline_options_are_400(client):
    assert client.get("/entities/Telegram", params={"interval": "year"}).status_code == 400
    assert client.get("/api/entities/Telegram/timeline", params={"tz": "Mars/Olympus"}).status_code == 400


# -- articles ------------------------------------------------------------------------------------------
def test_article_api_returns_the_export_record(client):
    article = BY_SLUG["kcsc-telegram-hotline"]
    data = client.get(f"/api/articles/{article.id}").json()
    assert data["title"] == article.title and data["body"] == article.text
    assert {e["name"] for e in data["entities"]} == {e.name for e in article.entities}
    assert [a["action"] for a in data["actions"]] == ["cooperation", "takedown"]


def test_article_page_links_entities_in_the_body_and_shows_action_sentences(client):
    article = BY_SLUG["durov-charged"]
    html = client.get(f"/articles/{article.id}").text
    assert '<a class="ent ent--person" href="/entities/Pavel%20Durov"' in html
    # a surname-only mention is linked to the full name
    assert re.search(r'href="/entities/Pavel%20Durov"[^>]*>Durov</a>', html)
    assert "He was arrested at Le Bourget airport on Saturday." in html
    assert 'href="https://theregister.example/news/durov-charged"' in html


# -- entities --------------------------------------------------------------------------------------------
def test_timeline_api_matches_counts_computed_independently(client):
    rows = client.get("/api/entities/Telegram/timeline", params={"interval": "month"}).json()
    counted = expected_counts("Telegram")
    assert {r["date"]: r["articles"] for r in rows if r["articles"]} == counted
    assert [r["date"] for r in rows] == ["2024-08-01", "2024-09-01", "2024-10-01", "2024-11-01", "2024-12-01"]
    assert {r["entity"] for r in rows} == {"Telegram"}


def test_timeline_csv_and_detail_rows(client):
    r = client.get("/api/entities/Telegram%20Messenger/timeline", params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == ["date", "entity", "articles", "stories", "mentions"] and rows[0]["entity"] == "Telegram"
    detail = client.get("/api/entities/Telegram/timeline", params={"detail": "true"}).json()
    sentences = [s for a in ARTICLES for e in a.entities if e.name == "Telegram" for s in e.sentences]
    assert sorted(d["sentence"] for d in detail) == sorted(sentences)
    assert set(detail[0]) == {"date", "entity", "source", "url", "title", "sentence"}
    newest = client.get("/api/entities/Telegram/timeline", params={"newest": "2"}).json()
    last = max(d["date"] for d in detail)
    assert len(newest) == 2 and newest[0]["date"] == last and newest[0] in detail and newest[1] in detail
    assert client.get("/api/entities/Telegram/timeline", params={"newest": "0"}).status_code in (400, 422)


def test_timeline_compare_returns_rows_for_each_entity(client):
    rows = client.get("/api/entities/Telegram/timeline", params={"compare": ["Durov", "KNPA"]}).json()
    assert [e for e in dict.fromkeys(r["entity"] for r in rows)] == [
        "Telegram", "Pavel Durov", "Korean National Police Agency"]


def test_entity_page_shows_type_aliases_chart_and_co_mentions(client):
    r = client.get("/entities/Telegram", params={"interval": "month"})
    html = r.text
    assert r.status_code == 200
    assert "Telegram Messenger" in html                              # an alias from the gazetteer
    assert 'class="type type--platform"' in html
    assert 'data-kind="bars"' in html
    assert html.count('class="chart__bar"') == 5                     # Aug..Dec, the empty November included
    assert 'href="/entities/Pavel%20Durov"' in html                   # named alongside
    assert "Police launch probe into Telegram" in html and "opened an investigation into Telegram" in html


def test_entity_alias_redirects_to_the_canonical_page(client):
    r = client.get("/entities/Telegram%20Messenger?interval=week", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/entities/Telegram?interval=week"


def test_compare_draws_one_line_per_entity(client):
    r = client.get("/entities/Telegram", params={"compare": ["Pavel Durov", "KNPA"], "interval": "week"})
    assert r.status_code == 200
    assert 'data-kind="lines"' in r.text
    assert r.text.count('class="chart__line"') == 3
    assert "Korean National Police Agency" in r.text


def test_entity_not_in_gazetteer_takes_its_type_from_the_index(client):
    data = client.get("/api/entities/" + XSS_ENTITY.replace(" ", "%20").replace('"', "%22").replace("<", "%3C")
                      .replace(">", "%3E").replace("/", "%2F")).json()
    assert data["type"] == "ORG" and data["in_gazetteer"] is False and data["articles"] == 1


# -- exports ---------------------------------------------------------------------------------------------
def test_export_jsonl_and_csv_hold_every_match(client):
    jsonl = client.get("/api/export", params={"q": "telegram", "format": "jsonl"})
    records = [json.loads(line) for line in jsonl.text.splitlines()]
    assert len(records) == sum("telegram" in words(a) for a in ARTICLES)
    assert {"entities", "actions", "body"} <= set(records[0])
    table = client.get("/api/export", params={"source": "koreaherald", "format": "csv"})
    assert table.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert list(rows[0]) == exports.EXPORT_COLUMNS
    assert sorted(r["title"] for r in rows) == sorted(a.title for a in ARTICLES if a.source == "koreaherald")


def test_export_is_written_a_batch_at_a_time():
    produced = 0

    def records():
        nonlocal produced
        for i in range(100_000):
            produced += 1
            yield {"id": str(i), "title": f"t{i}", "entities": [{"name": "Telegram"}]}

    chunks = exports.csv_chunks(records(), ["id", "title", "entities"], batch=500)
    first, second = next(chunks), next(chunks)
    assert first.startswith("id,title,entities\n0,t0,Telegram\n")
    assert not second.startswith("id,")                              # the header only once
    assert produced <= 1000                                          # nothing read ahead of what was sent
    lines = exports.jsonl_chunks(({"n": i} for i in range(3)), batch=2)
    assert list(lines) == ['{"n": 0}\n{"n": 1}\n', '{"n": 2}\n']


# -- saved searches and feeds -------------------------------------------------------------------------------
def test_saved_search_lists_new_matches_and_has_an_atom_feed(tmp_path):
    url = f"sqlite:///{tmp_path}/index.db"
    write_index(url)
    with make_client(url, tmp_path / "web.db") as c:
        r = c.post("/saved", data={"name": "Telegram watch", "q": "telegram", "source": "yonhap"},
                   follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/saved"
        assert "Telegram watch" in c.get("/saved").text
        [saved] = c.get("/api/saved").json()
        assert saved["slug"] == "telegram-watch" and saved["new"] == 0
        assert saved["filters"] == {"source": ["yonhap"]}

        feed = ET.fromstring(c.get("/feeds/telegram-watch.atom").content)
        entries = feed.findall(f"{ATOM}entry")
        expected = [a for a in ARTICLES if a.source == "yonhap" and "telegram" in words(a)]
        assert len(entries) == len(expected)
        assert feed.find(f"{ATOM}title").text == "PolicyWatch: Telegram watch"
        newest = max(expected, key=lambda a: datetime.fromisoformat(a.published))
        assert entries[0].find(f"{ATOM}title").text == newest.title
        assert entries[0].find(f"{ATOM}link[@rel='alternate']").get("href") == newest.url

        fresh = Article(id="fresh0001", url="https://yonhap.example/news/fresh", source="yonhap",
                        title="Telegram opens a Seoul office", body=["Telegram said it will open an office."],
                        published="2024-12-20T09:00:00+09:00", content_hash=content_hash("t", ["b"]))
        write_index(url, [fresh])
        [saved] = c.get("/api/saved").json()
        assert saved["new"] == 1
        assert ">1 new<" in c.get("/saved").text

        opened = c.get("/saved/telegram-watch", follow_redirects=False)
        assert opened.status_code == 303 and opened.headers["location"] == "/?q=telegram&source=yonhap"
        assert c.get("/api/saved").json()[0]["new"] == 0
        first = ET.fromstring(c.get("/feeds/telegram-watch.atom").content).find(f"{ATOM}entry")
        assert first.find(f"{ATOM}title").text == "Telegram opens a Seoul office"

        assert c.post("/saved/telegram-watch/delete", follow_redirects=False).status_code == 303
        assert c.get("/api/saved").json() == []


def test_saving_a_bad_query_or_a_taken_name_is_refused(client):
    assert client.post("/saved", data={"name": "x", "q": "(telegram"}).status_code == 400
    assert client.post("/saved", data={"name": "  ", "q": "telegram"}).status_code == 400
    assert client.post("/saved", data={"name": "Durov", "q": "durov"}, follow_redirects=False).status_code == 303
    assert client.post("/saved", data={"name": "durov", "q": "durov"}).status_code == 409


def test_saving_and_deleting_need_the_token_when_one_is_set(index_url, tmp_path):
    with make_client(index_url, tmp_path / "web.db", token="s3cret") as c:
        form = {"name": "Durov", "q": "durov"}
        assert c.post("/saved", data=form).status_code == 403
        assert c.post("/saved", data={**form, "token": "wrong"}).status_code == 403
        assert c.post("/saved", data={**form, "token": "s3cret"}, follow_redirects=False).status_code == 303
        assert c.post("/saved", data={"name": "Arrests", "q": "action:arrest"}, headers={TOKEN_HEADER: "s3cret"},
                      follow_redirects=False).status_code == 303
        assert 'name="token" type="password"' in c.get("/").text
        assert c.post("/saved/durov/delete").status_code == 403
        assert c.post("/saved/durov/delete", headers={TOKEN_HEADER: "s3cret"}, follow_redirects=False).status_code == 303
        assert [s["slug"] for s in c.get("/api/saved").json()] == ["arrests"]
        assert c.get("/feeds/arrests.atom").status_code == 200          # reading needs no token


# -- safety --------------------------------------------------------------------------------------------------
def test_a_script_in_a_title_or_entity_name_is_escaped_everywhere(client):
    xss = BY_SLUG["xss-title"]
    pages = [client.get("/", params={"q": "deepfake bill"}).text, client.get(f"/articles/{xss.id}").text,
             client.get("/entities/National%20Assembly").text, client.get("/", params={"type": "ORG"}).text]
    for html in pages:
        assert "<script>window.__pwned" not in html
        assert "<b>Media</b>" not in html
        assert 'onerror="window' not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;Deepfake bill" in pages[0]
    assert "&lt;img src=x onerror=&#34;window.__pwned=2&#34;&gt;" in pages[1]
    feed = client.post("/saved", data={"name": "bills", "q": "deepfake bill"}, follow_redirects=False)
    assert feed.status_code == 303
    titles = [e.find(f"{ATOM}title").text for e in ET.fromstring(client.get("/feeds/bills.atom").content)
              .findall(f"{ATOM}entry")]
    assert XSS_TITLE in titles                                            # kept as text, well-formed XML


def test_pages_forbid_scripts_and_framing(client):
    headers = client.get("/").headers
    assert "script-src" not in headers["content-security-policy"]      # default-src 'none' covers scripts
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_openapi_documents_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/search", "/api/articles/{article_id}", "/api/entities/{name}/timeline", "/api/export"} <= set(paths)
    assert "/" not in paths
