"""The sample newsroom over real HTTP: feeds, sitemaps, charsets, edge-case pages, faults."""
from __future__ import annotations

import html
import http.client
import json
import re
import subprocess
import sys
import time
import urllib.robotparser
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from newsroom import corpus, running, sources_yaml
from newsroom.catalog import Catalog

SCALE = 100
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9",
      "atom": "http://www.w3.org/2005/Atom", "content": "http://purl.org/rss/1.0/modules/content/"}
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def newsroom():
    with running(scale=SCALE, slow_seconds=5, drip_seconds=5) as room:
        yield room


def fetch(url: str, method: str = "GET", limit: int | None = None) -> tuple[int, dict, bytes]:
    """One request, redirects not followed."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        body = response.read(limit) if limit else response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def xml(url: str) -> ET.Element:
    status, headers, body = fetch(url)
    assert status == 200, url
    assert "xml" in headers["content-type"], url
    return ET.fromstring(body)


def sitemap_locs(url: str) -> list[str]:
    root = xml(url)
    if root.tag.endswith("sitemapindex"):
        return [loc for child in root.iterfind("sm:sitemap/sm:loc", NS) for loc in sitemap_locs(child.text)]
    return [loc.text for loc in root.iterfind("sm:url/sm:loc", NS)]


def paths(urls) -> set[str]:
    return {urlsplit(u).path for u in urls}


def links(page_url: str) -> set[str]:
    _, _, body = fetch(page_url)
    hrefs = re.findall(r'<a [^>]*href="([^"]+)"', body.decode("utf-8", "replace"))
    host = urlsplit(page_url).netloc
    found = {urljoin(page_url, html.unescape(h)).split("#")[0] for h in hrefs}
    return {u for u in found if urlsplit(u).netloc == host}


# -- ground truth ---------------------------------------------------------------------
def test_corpus_has_enough_handwritten_articles_spread_over_2024():
    articles = corpus.articles()
    by_outlet = Counter(a["outlet"] for a in articles)
    assert by_outlet["yonhap"] >= 20 and by_outlet["dmr"] >= 16
    months = Counter(a["published"][:7] for a in articles)
    assert [m for m in months] and min(months) <= "2024-02" and max(months) >= "2024-11"
    assert all(count >= 2 for count in months.values()), months
    for article in articles:
        assert 4 <= len(article["paragraphs"]) <= 10, article["path"]
        assert re.search(r"[+-]\d\d:\d\d$", article["published"]), article["published"]
        assert article["authors"] and article["language"] == "en"
    assert all(a["synthetic"] is False for a in articles)


def test_corpus_adds_synthetic_articles_only_when_asked():
    assert len(corpus.articles("dmr", include_synthetic=5)) == len(corpus.articles("dmr")) + 5
    assert len(corpus.articles("faults")) == 4


def test_synthetic_articles_are_deterministic():
    first, second = Catalog("dmr", 50), Catalog("dmr", 50)
    assert [s.path for s in first.stubs] == [s.path for s in second.stubs]
    synthetic = [s for s in first.stubs if s.synthetic_index is not None]
    assert len(synthetic) == 50
    assert first.article(synthetic[0].path) == second.article(synthetic[0].path)
    assert all(s.published.year == 2024 for s in synthetic)


# -- robots, feeds, sitemaps ------------------------------------------------------------
@pytest.mark.parametrize("outlet, blocked, allowed", [
    ("yonhap", ["/login", "/search/index?query=x"], ["/view/AEN20240902003551315", "/national/all"]),
    ("dmr", ["/wp-admin/"], ["/2024/09/26/deepfake-bill/", "/wp-login.php"]),
    ("faults", ["/private/2024/09/18/embargoed-story"], ["/news/2024/09/10/flaky-story"]),
])
def test_each_outlet_has_its_own_robots_txt(newsroom, outlet, blocked, allowed):
    base = newsroom.urls[outlet]
    status, _, body = fetch(base + "/robots.txt")
    assert status == 200
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(body.decode().splitlines())
    assert not any(parser.can_fetch("PolicyWatch", base + p) for p in blocked)
    assert all(parser.can_fetch("PolicyWatch", base + p) for p in allowed)
    assert any(line.startswith(f"Sitemap: {base}/") for line in body.decode().splitlines())


def test_yonhap_rss_lists_newest_15_with_kst_dates(newsroom):
    base = newsroom.urls["yonhap"]
    items = xml(base + "/RSS/news.xml").findall("channel/item")
    assert len(items) == 15
    for item in items:
        assert item.findtext("pubDate").endswith("+0900")
        status, _, _ = fetch(item.findtext("link"), "HEAD")
        assert status == 200
    section_items = xml(base + "/RSS/nk.xml").findall("channel/item")
    assert section_items and all("/view/AEN" in i.findtext("link") for i in section_items)


def test_dmr_feeds_carry_full_content_and_parse_as_rss_and_atom(newsroom):
    base = newsroom.urls["dmr"]
    items = xml(base + "/feed/").findall("channel/item")
    assert len(items) == 10
    assert all(i.find("content:encoded", NS) is not None for i in items)
    entries = xml(base + "/feed/atom/").findall("atom:entry", NS)
    assert [e.find("atom:link", NS).get("href") for e in entries] == [i.findtext("link") for i in items]
    for item in items:
        assert fetch(item.findtext("link"), "HEAD")[0] == 200


@pytest.mark.parametrize("outlet, index", [("yonhap", "/sitemap.xml"), ("dmr", "/sitemap_index.xml")])
def test_sitemaps_list_every_article_including_synthetic(newsroom, outlet, index):
    listed = [u for u in sitemap_locs(newsroom.urls[outlet] + index)
              if outlet == "yonhap" or re.search(r"/\d{4}/\d\d/\d\d/", u)]
    handwritten = {a["path"] for a in corpus.articles(outlet)}
    assert len(listed) == len(set(listed)) == len(handwritten) + SCALE
    assert handwritten <= paths(listed)
    for url in listed[:: max(1, len(listed) // 25)]:     # a spread of hand-written and synthetic
        assert fetch(url, "HEAD")[0] == 200, url


def test_dmr_news_sitemap_has_publication_dates_and_titles(newsroom):
    root = xml(newsroom.urls["dmr"] + "/news-sitemap.xml")
    news = root.findall("sm:url/news:news", NS)
    assert len(news) == len(corpus.articles("dmr")) + SCALE
    assert all(n.findtext("news:publication_date", namespaces=NS) and n.findtext("news:title", namespaces=NS)
               for n in news)
    titles = {n.findtext("news:title", namespaces=NS) for n in news}
    assert "<script>window.__pwned=1</script>Deepfake bill" in titles


def test_old_wordpress_sitemap_urls_redirect_to_the_yoast_index(newsroom):
    base = newsroom.urls["dmr"]
    for path in ("/sitemap.xml", "/wp-sitemap.xml"):
        status, headers, _ = fetch(base + path)
        assert status == 301 and headers["location"] == base + "/sitemap_index.xml"


# -- pages ----------------------------------------------------------------------------
def test_every_handwritten_article_page_shows_its_ground_truth(newsroom):
    for article in corpus.articles(urls=newsroom.urls):
        status, headers, body = fetch(article["url"])
        assert status == 200
        assert f"charset={article['charset']}" in headers["content-type"]
        page = html.unescape(body.decode(article["charset"]))
        assert f"<h1 class=\"{'tit' if article['outlet'] == 'yonhap' else 'entry-title'}\">{article['title']}</h1>" in page
        for paragraph in article["paragraphs"]:
            assert paragraph in page, (article["path"], paragraph[:40])
        assert article["published"] in page or article["outlet"] == "dmr"


def test_legacy_charsets_are_declared_in_header_and_meta(newsroom):
    legacy = {p["path"]: p for p in corpus.special_pages() if p["kind"] == "legacy_charset"}
    assert {p["charset"] for p in legacy.values()} == {"euc-kr", "windows-1252"}
    for path, page in legacy.items():
        status, headers, body = fetch(newsroom.urls[page["outlet"]] + path)
        assert headers["content-type"] == f"text/html; charset={page['charset']}"
        assert f'<meta charset="{page["charset"]}">'.encode() in body
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        text = body.decode(page["charset"])
        assert ("우종수" in text) if page["charset"] == "euc-kr" else ("\u20ac5 million" in text and "\u2019" in text)


def test_script_in_title_is_escaped_everywhere(newsroom):
    page = next(p for p in corpus.special_pages("dmr") if p["kind"] == "script_title")
    _, _, body = fetch(newsroom.urls["dmr"] + page["path"])
    text = body.decode()
    assert "<script>window.__pwned" not in text
    assert "<title>&lt;script&gt;window.__pwned=1&lt;/script&gt;Deepfake bill - DMR News</title>" in text
    graph = json.loads(re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', text).group(1))
    assert graph["@graph"][0]["headline"] == page["title"]


def test_redirects_missing_and_broken_links(newsroom):
    for page in corpus.special_pages(urls=newsroom.urls):
        if page["kind"] in ("redirect", "not_found", "server_error"):
            status, headers, _ = fetch(page["url"])
            assert status == page["status"], page["path"]
            if status == 301:
                assert headers["location"] == newsroom.urls[page["outlet"]] + page["location"]
                assert fetch(headers["location"])[0] == 200


def test_tracking_duplicates_point_canonical_at_the_clean_url(newsroom):
    pages = [p for p in corpus.special_pages(urls=newsroom.urls) if p["kind"] == "tracking_duplicate"]
    assert len(pages) == 2
    for page in pages:
        assert "utm_source=twitter" in page["path"] and "#" in page["path"]
        status, _, body = fetch(page["url"].split("#")[0])
        canonical = newsroom.urls[page["outlet"]] + page["canonical"]
        assert status == 200 and f'<link rel="canonical" href="{canonical}"'.encode() in body


def test_non_article_pages_do_not_look_like_articles(newsroom):
    kinds = {"home", "section", "tag", "author", "page", "video", "login", "about"}
    pages = [p for p in corpus.special_pages(urls=newsroom.urls) if p["kind"] in kinds]
    assert {p["kind"] for p in pages} == kinds
    for page in pages:
        status, _, body = fetch(page["url"])
        text = body.decode()
        assert status == 200, page["path"]
        assert '"NewsArticle"' not in text and '"@type":"Article"' not in text, page["path"]
        assert 'og:type" content="article"' not in text, page["path"]
        if page["kind"] in ("video", "login", "about"):
            body_text = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style|head|header|footer|aside|nav).*?</\1>", "", text))
            assert len(body_text.split()) < 80, (page["path"], len(body_text.split()))


def test_listings_paginate_and_their_links_resolve(newsroom):
    yonhap, dmr = newsroom.urls["yonhap"], newsroom.urls["dmr"]
    assert yonhap + "/national/all?page=2" in links(yonhap + "/national/all")
    assert dmr + "/category/tech/page/2/" in links(dmr + "/category/tech/")
    expected_errors = {p["url"].split("#")[0] for p in corpus.special_pages(urls=newsroom.urls)
                       if p["status"] in (404, 500)}
    for page in (yonhap + "/", yonhap + "/national/all", dmr + "/", dmr + "/category/tech/"):
        for url in links(page):
            status = fetch(url, "HEAD")[0]
            assert status in (200, 301) or (url in expected_errors and status in (404, 500)), (page, url, status)
    assert fetch(yonhap + "/national/all?page=999")[0] == 404


# -- the faults outlet ----------------------------------------------------------------
def test_flaky_page_answers_500_twice_then_200(newsroom):
    newsroom.reset_faults()
    url = newsroom.urls["faults"] + "/news/2024/09/10/flaky-story"
    assert [fetch(url)[0] for _ in range(4)] == [500, 500, 200, 200]
    logged = [r["status"] for r in newsroom.requests("faults") if r["path"] == "/news/2024/09/10/flaky-story"]
    assert logged[-4:] == [500, 500, 200, 200]


def test_huge_page_starts_streaming_at_once(newsroom):
    started = time.monotonic()
    status, headers, body = fetch(newsroom.urls["faults"] + "/news/2024/09/15/huge-story", limit=65536)
    assert status == 200 and int(headers["content-length"]) == 50 * 1024 * 1024
    assert body.startswith(b"<!DOCTYPE html>") and len(body) == 65536
    assert time.monotonic() - started < 1.5


def test_fault_feed_and_sitemap_list_the_faulty_pages(newsroom):
    base = newsroom.urls["faults"]
    listed = paths(sitemap_locs(base + "/sitemap.xml"))
    fed = paths(i.findtext("link") for i in xml(base + "/feed.xml").findall("channel/item"))
    faults = {p["path"] for p in corpus.special_pages("faults")} - {"/news/2024/09/17/loop-b"}
    assert faults <= listed and faults <= fed
    assert {a["path"] for a in corpus.articles("faults")} <= listed


def test_wrong_charset_and_non_html_faults(newsroom):
    base = newsroom.urls["faults"]
    _, headers, body = fetch(base + "/news/2024/09/16/wrong-charset-story")
    assert "utf-8" in headers["content-type"]
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    _, headers, body = fetch(base + "/news/2024/09/16/mislabelled-utf8-story")
    assert "windows-1252" in headers["content-type"] and "\u201cThe era" in body.decode("utf-8")
    _, headers, body = fetch(base + "/news/2024/09/14/transparency-report")
    assert headers["content-type"] == "application/pdf" and body.startswith(b"%PDF-1.4")
    status, headers, _ = fetch(base + "/news/2024/09/17/loop-a")
    assert status == 302 and fetch(headers["location"])[2] == b""


def test_truncated_page_closes_before_its_content_length(newsroom):
    with pytest.raises(http.client.IncompleteRead):
        fetch(newsroom.urls["faults"] + "/news/2024/09/13/truncated-story")


# -- sources file and CLI -------------------------------------------------------------
def test_sources_yaml_points_at_the_running_outlets(newsroom, tmp_path):
    text = sources_yaml(newsroom.urls)
    data = yaml.safe_load(text)
    entries = {s["name"]: s for s in data["sources"]}
    assert set(entries) == {"yonhap", "dmr", "faults"}
    assert entries["faults"]["enabled"] is False
    assert entries["yonhap"]["feeds"][0] == newsroom.urls["yonhap"] + "/RSS/news.xml"
    assert re.search(entries["yonhap"]["article_urls"][0], newsroom.urls["yonhap"] + "/view/AEN20240902003551315")
    sources = pytest.importorskip("ingest.sources")
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    assert [s.name for s in sources.select(sources.load_sources(path), None)] == ["yonhap", "dmr"]


def test_cli_serves_and_writes_sources(tmp_path):
    target = tmp_path / "sources.yaml"
    proc = subprocess.Popen([sys.executable, "-m", "newsroom", "--port", "0", "--write-sources", str(target)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(5)]
        urls = dict(line.split() for line in lines[:4])
        assert set(urls) == {"yonhap", "dmr", "faults", "yonhap_ko"}        # the Korean outlet too
        assert fetch(urls["yonhap"] + "robots.txt")[0] == 200
        assert "sources written" in lines[4] and "name: dmr" in target.read_text()
        assert "language: ko" in target.read_text()
    finally:
        proc.terminate()
        assert proc.wait(timeout=5) == 0
