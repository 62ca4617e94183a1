"""Coverage over time, counting by story and collections in the web app (in-process test client)
over the web corpus plus one story syndicated by three outlets. Expected numbers are counted
here from the corpus itself."""
from __future__ import annotations

import csv
import io
import re
from collections import defaultdict

import pytest
from fastapi.testclient import TestClient

from policywatch.config import Config
from web.app import create_app

from web_corpus import SOURCES_YAML, build_articles, syndicated_articles, write_index

ARTICLES = build_articles() + syndicated_articles()


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data = tmp_path_factory.mktemp("web-coverage")
    url = f"sqlite:///{data}/index.db"
    write_index(url, ARTICLES)
    (data / "sources.yaml").write_text(SOURCES_YAML)
    with TestClient(create_app(Config(index_url=url, sources=str(data / "sources.yaml")),
                               state=str(data / "web.db"))) as c:
        yield c


def months(articles) -> dict[str, int]:
    counts = defaultdict(int)
    for a in articles:
        counts[a.published[:7] + "-01"] += 1          # every corpus date stays in its UTC month
    return dict(counts)


def deepfake(a) -> bool:
    return bool(re.search(r"\bdeepfakes?\b", (a.title + " " + a.text).lower()))


def test_api_collapse_gives_one_hit_per_story(client):
    plain = client.get("/api/search", params={"q": "criminalize", "limit": 50}).json()
    folded = client.get("/api/search", params={"q": "criminalize", "collapse": "true", "limit": 50}).json()
    assert plain["total"] == 3 and [h["copies"] for h in plain["hits"]] == [1, 1, 1]
    assert folded["total"] == 1 and folded["hits"][0]["copies"] == 3


def test_api_trend_counts_articles_stories_and_share(client):
    r = client.get("/api/trend", params={"q": "deepfake", "format": "csv"})
    assert r.status_code == 200 and r.text.splitlines()[0] == "date,query,articles,stories,share"
    rows = {row["date"]: row for row in csv.DictReader(io.StringIO(r.text))}
    matched, total = months(a for a in ARTICLES if deepfake(a)), months(ARTICLES)
    assert {d: int(row["articles"]) for d, row in rows.items() if int(row["articles"])} == matched
    september = rows["2024-09-01"]
    assert int(september["stories"]) == matched["2024-09-01"] - 2          # three copies, one story
    assert float(september["share"]) == round(matched["2024-09-01"] / total["2024-09-01"], 6)
    assert list(rows) == sorted(rows) and "2024-10-01" in rows             # every month from first to last


def test_collection_filter_facet_and_query(client):
    korea = {a.id for a in ARTICLES if a.source in ("yonhap", "koreaherald") and deepfake(a)}
    by_query = client.get("/api/search", params={"q": "deepfake collection:korea", "limit": 50}).json()
    by_filter = client.get("/api/search", params={"q": "deepfake", "collection": "korea", "limit": 50}).json()
    assert {h["id"] for h in by_query["hits"]} == {h["id"] for h in by_filter["hits"]} == korea
    facets = client.get("/api/search", params={"q": "deepfake"}).json()["facets"]
    assert dict((f["name"], f["count"]) for f in facets["collection"])["korea"] == len(korea)
    assert facets["language"] == [{"name": "en", "count": sum(1 for a in ARTICLES if deepfake(a))}]
    bad = client.get("/api/search", params={"q": "collection:mars"})
    assert bad.status_code == 400 and "unknown collection 'mars'" in bad.json()["error"]


def test_search_page_draws_the_coverage_chart_with_period_links(client):
    html = client.get("/", params={"q": "deepfake"}).text
    assert "Coverage over time" in html and 'class="chart__bar"' in html
    assert 'href="/?q=deepfake&amp;from=2024-09-01&amp;to=2024-09-30"' in html
    assert "/api/trend?q=deepfake" in html
    share = client.get("/", params={"q": "deepfake", "measure": "share"}).text
    assert "share of all articles" in share and "%</text>" in share


def test_compare_view_draws_one_labelled_line_per_query(client):
    r = client.get("/trend", params=[("q", "deepfake collection:korea"), ("q", "deepfake collection:europe"),
                                     ("collapse", "true")])
    assert r.status_code == 200
    assert r.text.count('class="chart__line"') == 2
    assert 'data-entity="deepfake collection:korea"' in r.text and 'data-entity="deepfake collection:europe"' in r.text
    assert "Coverage per month (stories)" in r.text
    too_many = client.get("/trend", params=[("q", f"word{i}") for i in range(5)] + [("q", "deepfake")])
    assert "at most 4 queries" in too_many.text
    assert client.get("/api/trend", params=[("q", f"w{i}") for i in range(5)]).status_code == 400
    assert client.get("/trend", params={"q": "(deepfake"}).status_code == 400
    assert client.get("/trend", params={"q": "deepfake", "interval": "year"}).status_code == 400


def test_entity_timeline_and_counts_give_stories_beside_articles(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/api/entities/Telegram/timeline", params={"format": "csv"}).text)))
    assert list(rows[0]) == ["date", "entity", "articles", "stories", "mentions"]
    september = next(r for r in rows if r["date"] == "2024-09-01")
    named = [a for a in ARTICLES if a.published.startswith("2024-09") and any(e.name == "Telegram" for e in a.entities)]
    assert (int(september["articles"]), int(september["stories"])) == (len(named), len(named) - 2)
    record = client.get("/api/entities/Telegram").json()
    assert record["stories"] == record["articles"] - 2
    page = client.get("/entities/Telegram", params={"metric": "stories"}).text
    assert "Stories per month: Telegram" in page
