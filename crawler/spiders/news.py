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
from scrapy import signals
from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
                               DownloadFailedError, DownloadTimeoutError, IgnoreRequest, NotConfigured,
                               ResponseDataLossError)
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (ConnectError, ConnectionLost, ConnectionRefusedError, DNSLookupError,
                                    TCPTimedOutError, TimeoutError)
from twisted.web.client import ResponseFailed

from ..extract import binary_kind
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
        # A redirect loop never reaches on_error: the scheduler's duplicate filter drops the hop
        # back to a URL already requested, silently. on_dropped() counts it.
        crawler.signals.connect(spider.on_dropped, signal=signals.request_dropped)
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
        if kind := binary_kind(response.body):
            # Binary data labelled text/html (a misconfigured server): not worth a worker's time.
            count(self.crawler.stats, source.name, "skipped", "binary content")
            logger.info("skipped %s: binary content (%s) labelled %s", response.url, kind, ctype.decode("latin-1"))
            return
        if _cut_off(response.body):
            # A complete HTTP response whose HTML stops mid-document (the CMS crashed mid-render).
            # Its extracted body may pass as an article, but it ends mid-sentence: rather than
            # index a body known to be incomplete, skip it (counted); the next crawl fetches it again.
            count(self.crawler.stats, source.name, "skipped", "truncated HTML")
            logger.info("skipped %s: the HTML stops mid-document", response.url)
            return
        charset = None
        if (header := response.headers.get(b"Content-Type")) and b"charset=" in header.lower():
            charset = header.lower().split(b"charset=")[1].split(b";")[0].strip(b"\"' ").decode("latin-1")
        yield PageItem(source=source.name, url=response.request.url, final_url=response.url, body=response.body,
                       header_charset=charset, fetched=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       hints=response.meta.get("hints") or {})

    def on_error(self, failure):
        """Count a failed request under one stable, readable reason (the keys of the crawl
        summary's "reasons", which staff and alerts read): "errors/timeout", "errors/page too
        large", "errors/truncated download", "errors/HTTP 503", "skipped/disallowed by robots.txt"…
        Scrapy's downloader wraps Twisted's errors in its own (scrapy.exceptions); both are mapped."""
        request = failure.request
        source = request.meta.get("source", "?")
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            count(self.crawler.stats, source, "skipped", "disallowed by robots.txt")
            return
        if failure.check(HttpError):
            reason = f"HTTP {failure.value.response.status}"
        elif failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
            reason = "timeout"           # no answer, or an answer too slow to finish, in DOWNLOAD_TIMEOUT
        elif failure.check(DownloadCancelledError) and "max size" in str(failure.value):
            reason = "page too large"    # over DOWNLOAD_MAXSIZE: announced, or counted while it arrived
        elif failure.check(ResponseDataLossError):
            reason = "truncated download"    # the connection closed before Content-Length bytes came
        elif failure.check(IgnoreRequest) and "max redirections" in str(failure.value):
            reason = "too many redirects"
        elif failure.check(IgnoreRequest):
            reason = str(failure.value) or "ignored"
        elif failure.check(CannotResolveHostError, DNSLookupError):
            reason = "DNS lookup failed"
        elif failure.check(DownloadConnectionRefusedError, ConnectionRefusedError):
            reason = "connection refused"
        elif failure.check(DownloadFailedError, ResponseFailed, ConnectionLost, ConnectError):
            reason = "connection failed"
        else:
            reason = failure.type.__name__
        count(self.crawler.stats, source, "errors", reason)
        logger.warning("failed %s: %s", request.url, reason)

    def on_dropped(self, request, spider=None):
        """request_dropped: the scheduler refused a request it had seen. When the request is a
        redirect back to a URL of its own redirect chain, that is a redirect loop; anything else
        (a redirect to an article already crawled) is the duplicate filter doing its job."""
        chain = [normalize_url(u) for u in request.meta.get("redirect_urls") or ()]
        if chain and normalize_url(request.url) in chain:
            count(self.crawler.stats, request.meta.get("source", "?"), "errors", "redirect loop")
            logger.warning("failed %s: redirect loop (%s)", chain[0], " -> ".join(chain + [request.url]))


def _cut_off(body: bytes) -> bool:
    """Whether an HTML page stops mid-document: no </html> near the end, and the last bytes are
    text or half a tag rather than a closing '>'. (HTML may omit </body></html>, so a missing
    end tag alone is not enough; a page cut exactly at a tag boundary goes unnoticed.)"""
    tail = body[-2048:].rstrip()
    return bool(tail) and b"</html" not in tail.lower() and not tail.endswith(b">")
