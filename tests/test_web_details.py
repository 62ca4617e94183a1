"""Web and extraction details a newcomer meets (issue 28, item 9): the home chart's caption, a
readable API page that needs no CDN, "FAQ" and "Media" never organisations, and `extract` of a
page that is no article shows no date and no library ERROR lines."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient

from conftest import run_cli
from core.config import Config
from web.app import create_app
from web_corpus import write_index


def client(tmp_path) -> TestClient:
    url = f"sqlite:///{tmp_path}/index.db"
    write_index(url)
    return TestClient(create_app(Config(index_url=url), state=str(tmp_path / "web.db")))


def test_the_home_chart_caption_reads_as_english(tmp_path):
    with client(tmp_path) as c:
        page = c.get("/").text
    captions = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", page, re.S)
    assert captions and not any("matching all articles" in text for text in captions), captions
    assert re.search(r"the highest is \d+ articles? in", captions[0]), captions[0]


def test_the_api_link_opens_a_readable_page_with_every_endpoint(tmp_path):
    with client(tmp_path) as c:
        home = c.get("/").text
        assert 'href="/api-docs"' in home and 'href="/openapi.json">API' not in home
        page = c.get("/api-docs")
        schema = c.get("/openapi.json").json()
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for path, operations in schema["paths"].items():
        for method in operations:
            assert f"{method.upper()} {path}" in page.text
    assert "<code>q</code>" in page.text and "cdn" not in page.text.lower()
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', page.text)     # nothing from elsewhere


NOT_AN_ARTICLE = """<!doctype html><html lang="en"><head><title>Help centre</title>
<meta property="article:published_time" content="2024-09-03T09:00:00Z"></head>
<body><nav><a href="/faq">FAQ</a> <a href="/media">Media</a></nav><h1>Help</h1><p>Short.</p></body></html>"""


def test_extract_of_a_page_that_is_no_article_prints_no_date_and_no_library_errors(tmp_path):
    page = tmp_path / "help.html"
    page.write_text(NOT_AN_ARTICLE)
    r = run_cli("extract", str(page), "--url", "https://news.example.org/help")
    assert r.stdout.startswith("not an article:")
    assert "published" not in r.stdout and "ERROR" not in r.stderr, (r.stdout, r.stderr)


def test_faq_and_media_are_not_organisations():
    from nlp import Analyzer, Gazetteer
    text = ("Telegram agrees to remove deepfakes\n\nRegulators in Seoul said on Tuesday that Telegram had agreed to "
            "remove the material, according to a statement on the FAQ page of the Korea Communications Standards "
            "Commission. Media reports said the platform would set up a hotline.\n\nRead the FAQ. Media: "
            "press@kcsc.or.kr\n\nFAQ\n\nMedia")
    names = {e.name for e in Analyzer().analyze(text).entities}
    assert "Telegram" in names and not {"FAQ", "Media"} & names, names
    gazetteer = Gazetteer.load()
    assert gazetteer.is_ignored("FAQ") and gazetteer.is_ignored("Media")
