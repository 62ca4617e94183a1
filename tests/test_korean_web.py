"""The web UI with Korean articles: Korean text shown as Korean, entity names marked with their
particles attached, a language facet that filters, and Korean search with snippets."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from index import open_index
from policywatch.config import Config
from test_korean_search import CORPUS
from web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("korean-web")
    url = f"sqlite:///{tmp}/index.db"
    ix = open_index(url)
    ix.write(CORPUS)
    ix.close()
    return TestClient(create_app(Config(index_url=url), state=str(tmp / "web.db")))


def test_language_facet_counts_and_filters(client):
    page = client.get("/", params={"q": ""}).text
    facet = re.search(r"<h2>Languages</h2>(.*?)</section>", page, re.S).group(1)
    assert re.search(r"Korean \(한국어\)</span><span class=\"count\">4<", facet)
    assert re.search(r"English</span><span class=\"count\">1<", facet)
    korean_only = client.get("/", params={"lang": "ko"}).text
    assert "경기남부경찰청, 대화방 운영자 검거" in korean_only and "Police probe Telegram over deepfakes" not in korean_only
    api = client.get("/api/search", params={"q": "딥페이크"}).json()
    assert {f["name"]: f["count"] for f in api["facets"]["language"]} == {"ko": 3}


def test_korean_search_shows_korean_snippets(client):
    page = client.get("/", params={"q": "텔레그램에서"}).text
    assert "경찰청, 텔레그램에서 유포된 딥페이크 성착취물 내사" in page
    assert "<mark>텔레그램</mark>에서" in page or "<mark>텔레그램</mark>이" in page


def test_korean_article_page_marks_names_with_particles(client):
    page = client.get("/articles/k2").text
    assert 'lang="ko"' in page and "Korean (한국어)" in page
    assert re.search(r'<a class="ent ent--platform"[^>]*>텔레그램</a>에서', page)
