"""Spider parsing without a network: HtmlResponse in, requests out."""
from scrapy.http import HtmlResponse, Request, XmlResponse
from scrapy.utils.test import get_crawler

from crawler.spiders.news import NewsSpider
from index.base import UrlState

SOURCES = """sources:
  - name: wp
    start_urls: [https://news.example/category/tech/]
    feeds: [https://news.example/feed/]
    max_listing_pages: 2
  - name: strict
    start_urls: [https://strict.example/news/]
    article_urls: ['^https://strict\\.example/view/\\d+$']
"""

LISTING = b"""<html><body><nav><a href="/about/">About</a><a href="/login">Log in</a><a href="/tag/deepfake/">deepfake</a></nav>
<main><h2><a href="/2024/09/03/police-probe-telegram/">Police probe Telegram</a></h2>
<h2><a href="/2024/09/03/police-probe-telegram/?utm_source=twitter&amp;utm_medium=social#comments">Police probe Telegram (again)</a></h2>
<h2><a href="https://elsewhere.example/2024/09/03/other/">Off-site</a></h2></main>
<div class="pagination"><a href="/category/tech/page/2/">Next &#8250;</a></div></body></html>"""


def make_spider(tmp_path, source=None):
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES)
    crawler = get_crawler(NewsSpider, {"POLICYWATCH_SOURCES": str(path)})
    return NewsSpider.from_crawler(crawler, source=source)


def response(url, body, meta, cls=HtmlResponse):
    return cls(url=url, body=body, encoding="utf-8", request=Request(url, meta=meta))


def test_listing_yields_normalised_on_site_articles_and_the_next_page(tmp_path):
    spider = make_spider(tmp_path, "wp")
    out = list(spider.parse_listing(response("https://news.example/category/tech/", LISTING, {"source": "wp", "page": 1})))
    urls = [r.url for r in out]
    assert urls.count("https://news.example/2024/09/03/police-probe-telegram/") == 1   # asked for once per crawl
    assert "https://news.example/category/tech/page/2/" in urls
    assert not any("elsewhere" in u or "/tag/" in u or "/login" in u or "/about/" in u for u in urls)
    page2 = next(r for r in out if r.url.endswith("/page/2/"))
    assert page2.meta["page"] == 2 and page2.callback == spider.parse_listing


def test_pagination_stops_at_max_listing_pages(tmp_path):
    spider = make_spider(tmp_path, "wp")
    out = list(spider.parse_listing(response("https://news.example/category/tech/page/2/", LISTING, {"source": "wp", "page": 2})))
    assert not any(r.url.endswith("/page/2/") or r.callback == spider.parse_listing for r in out)


def test_article_url_patterns_decide_when_given(tmp_path):
    spider = make_spider(tmp_path, "strict")
    body = b'<a href="/view/123">a</a><a href="/view/123/photos">b</a><a href="/news/2024/09/03/x">c</a>'
    out = list(spider.parse_listing(response("https://strict.example/news/", body, {"source": "strict", "page": 1})))
    assert [r.url for r in out] == ["https://strict.example/view/123"]


def test_feed_entries_carry_hints(tmp_path):
    spider = make_spider(tmp_path, "wp")
    rss = b"""<rss><channel><item><title>Durov charged</title><link>https://news.example/2024/08/28/durov/</link>
      <pubDate>Wed, 28 Aug 2024 18:00:00 +0000</pubDate></item></channel></rss>"""
    out = list(spider.parse_feed(response("https://news.example/feed/", rss, {"source": "wp"}, XmlResponse)))
    (req,) = [r for r in out if isinstance(r, Request)]
    (state,) = [s for s in out if isinstance(s, UrlState)]
    assert (state.url, state.status) == ("https://news.example/feed/", "feed")
    assert req.meta["hints"]["title"] == "Durov charged"
    assert req.meta["hints"]["published"] == "2024-08-28T18:00:00+00:00"


def test_non_html_article_is_skipped_and_counted(tmp_path):
    spider = make_spider(tmp_path, "wp")
    from scrapy.http import Response
    pdf = Response("https://news.example/2024/09/03/report.pdf", body=b"%PDF-1.7",
                   headers={"Content-Type": "application/pdf"}, request=Request("https://news.example/x", meta={"source": "wp"}))
    spider.crawler.stats.open_spider()
    assert [type(x) for x in spider.parse_article(pdf)] == [UrlState]     # remembered, not extracted
    assert spider.crawler.stats.get_value("policywatch/wp/skipped/not HTML (application/pdf)") == 1


def test_known_urls_are_not_fetched_again_unless_recent(tmp_path):
    from datetime import datetime, timedelta, timezone
    spider = make_spider(tmp_path, "wp")
    spider.crawler.stats.open_spider()
    now = datetime.now(timezone.utc)
    old, fresh = "https://news.example/2024/01/02/old/", "https://news.example/2024/09/03/fresh/"
    spider.known["wp"] = {
        old: UrlState(old, "wp", now.isoformat(), "article", published="2024-01-02T00:00:00+00:00"),
        fresh: UrlState(fresh, "wp", now.isoformat(), "article", etag='"v1"',
                        published=(now - timedelta(hours=3)).isoformat())}
    body = b'<a href="/2024/01/02/old/">old</a><a href="/2024/09/03/fresh/">fresh</a><a href="/2024/09/04/new/">new</a>'
    out = list(spider.parse_listing(response("https://news.example/category/tech/", body + LISTING[-80:],
                                             {"source": "wp", "page": 1})))
    urls = {r.url: r for r in out}
    assert old not in urls                                          # seen, and too old to change
    assert urls[fresh].headers.get("If-None-Match") == b'"v1"'        # recent: re-checked, conditionally
    assert "https://news.example/2024/09/04/new/" in urls


def test_listing_pagination_stops_when_a_page_brings_nothing_new(tmp_path):
    from datetime import datetime, timezone
    spider = make_spider(tmp_path, "wp")
    spider.crawler.stats.open_spider()
    seen = "https://news.example/2024/09/03/police-probe-telegram/"
    spider.known["wp"] = {seen: UrlState(seen, "wp", datetime.now(timezone.utc).isoformat(), "article",
                                         published="2024-09-03T00:00:00+00:00")}
    out = list(spider.parse_listing(response("https://news.example/category/tech/", LISTING, {"source": "wp", "page": 1})))
    assert out == []                                                 # no article request, no page 2
