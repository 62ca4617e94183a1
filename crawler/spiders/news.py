"""The one generic news spider: every outlet is a sources.yaml entry.

From each source it reads feeds and sitemaps (article links plus their dates and titles) and
listing pages (article links plus pagination, followed until `max_listing_pages`). Article
pages go to the pipeline as raw bytes; extraction happens there, off the crawl's thread."""
from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.linkextractors import LinkExtractor
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError
from scrapy.spidermiddlewares.httperror import HttpError

from ..feeds import parse_feed_or_sitemap
from ..items import PageItem
from ..sources import Source, SourcesError, load_sources, select
from ..stats import count
from ..urls import normalize_url

logger = logging.getLogger(__name__)

# Paths that are never articles: not worth a request when a listing links to them.
_NOT_ARTICLE_PATH = re.compile(
    r"/(tag|tags|topic|topics|category|categories|author|authors|page|search|login|signin|signup|register|"
    r"subscribe|newsletter|about|contact|privacy|terms|advertise|feed|rss|wp-admin|wp-login\.php|cdn-cgi)(/|$|\?)"
    r"|\.(jpe?g|png|gif|webp|svg|css|js|xml|json|pdf|zip|mp4|mp3)$", re.IGNORECASE)
_PAGINATION = re.compile(r"([?&](page|pg|p)=\d+|/page/\d+/?$)", re.IGNORECASE)
_NEXT_TEXT = re.compile(r"^\s*(next|older|more|›|»|>|next page|older posts|load more)\s*[›»>]?\s*$", re.IGNORECASE)
_HTML_TYPES = (b"text/html", b"application/xhtml+xml")


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, source: str | None = None, sources_file: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.source_names = [s.strip() for s in source.split(",") if s.strip()] if source else []
        self.sources_file = sources_file

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        path = spider.sources_file or crawler.settings.get("POLICYWATCH_SOURCES")
        try:
            spider.sources = select(load_sources(path), spider.source_names)
        except SourcesError as exc:
            raise NotConfigured(str(exc)) from exc
        spider.by_name = {s.name: s for s in spider.sources}
        spider.allowed_domains = sorted({d for s in spider.sources for d in s.allowed_domains})
        # Off-site links are dropped by Source.allows(), which compares host names: the
        # extractor's own allow_domains compares host:port and would drop every local test site.
        spider.links = LinkExtractor(unique=True)
        return spider

    async def start(self):
        for source in self.sources:
            for url in source.feeds + source.sitemaps:
                yield self._request(url, source, self.parse_feed, priority=10)
            for url in source.start_urls:
                yield self._request(url, source, self.parse_listing, priority=5, page=1)

    def _request(self, url, source: Source, callback, priority=0, **meta) -> scrapy.Request:
        return scrapy.Request(normalize_url(url), callback=callback, errback=self.on_error, priority=priority,
                              meta={"source": source.name, **meta})

    def _article_request(self, url: str, source: Source, hints: dict | None = None):
        url = normalize_url(url)
        if not source.allows(url):
            return None
        verdict = source.looks_like_article(url)
        if verdict is False or (verdict is None and _NOT_ARTICLE_PATH.search(urlsplit(url).path)):
            return None
        return self._request(url, source, self.parse_article, priority=20, hints=hints or {})

    # -- callbacks ------------------------------------------------------------------------
    def parse_feed(self, response):
        source = self.by_name[response.meta["source"]]
        count(self.crawler.stats, source.name, "pages_fetched")
        parsed = parse_feed_or_sitemap(response.body)
        if parsed.kind == "unknown":
            count(self.crawler.stats, source.name, "errors", "unreadable feed or sitemap")
            logger.warning("not a feed or sitemap: %s", response.url)
            return
        for child in parsed.sitemaps:
            yield self._request(urljoin(response.url, child), source, self.parse_feed, priority=10)
        for entry in parsed.entries:
            hints = {"title": entry.title, "published": entry.published, "authors": list(entry.authors)}
            request = self._article_request(urljoin(response.url, entry.url), source, hints)
            if request is not None:
                yield request

    def parse_listing(self, response):
        source = self.by_name[response.meta["source"]]
        count(self.crawler.stats, source.name, "pages_fetched")
        if not hasattr(response, "css"):
            count(self.crawler.stats, source.name, "skipped", "listing is not HTML")
            return
        page = response.meta.get("page", 1)
        rel_next = {normalize_url(response.urljoin(h)) for h in
                    response.css('a[rel~="next"]::attr(href), link[rel~="next"]::attr(href)').getall()}
        for link in self.links.extract_links(response):
            if normalize_url(link.url) in rel_next or self._is_next_page(link, response.url):
                if page < source.max_listing_pages:
                    yield self._request(link.url, source, self.parse_listing, priority=5, page=page + 1)
                continue
            request = self._article_request(link.url, source)
            if request is not None:
                yield request

    @staticmethod
    def _is_next_page(link, current: str) -> bool:
        if normalize_url(link.url) == normalize_url(current):
            return False
        return bool(_PAGINATION.search(link.url) and (_NEXT_TEXT.match(link.text or "") or link.text.strip().isdigit()))

    def parse_article(self, response):
        source = self.by_name[response.meta["source"]]
        count(self.crawler.stats, source.name, "pages_fetched")
        ctype = (response.headers.get(b"Content-Type") or b"text/html").split(b";")[0].strip().lower()
        if ctype not in _HTML_TYPES:
            count(self.crawler.stats, source.name, "skipped", f"not HTML ({ctype.decode('latin-1')})")
            logger.info("skipped %s: content type %s", response.url, ctype.decode("latin-1"))
            return
        charset = None
        if (header := response.headers.get(b"Content-Type")) and b"charset=" in header.lower():
            charset = header.lower().split(b"charset=")[1].split(b";")[0].strip(b"\"' ").decode("latin-1")
        yield PageItem(source=source.name, url=response.request.url, final_url=response.url, body=response.body,
                       header_charset=charset, fetched=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       hints=response.meta.get("hints") or {})

    def on_error(self, failure):
        request = failure.request
        source = request.meta.get("source", "?")
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            count(self.crawler.stats, source, "skipped", "disallowed by robots.txt")
            return
        if failure.check(HttpError):
            reason = f"HTTP {failure.value.response.status}"
        elif failure.check(TimeoutError, TCPTimedOutError):
            reason = "timeout"
        elif failure.check(IgnoreRequest):
            reason = str(failure.value) or "ignored"
        elif failure.check(DNSLookupError):
            reason = "DNS lookup failed"
        else:
            reason = failure.type.__name__
        count(self.crawler.stats, source, "errors", reason)
        logger.warning("failed %s: %s", request.url, reason)
