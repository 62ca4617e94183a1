"""The one generic news spider: every outlet is a sources.yaml entry.

From each source it reads feeds and sitemaps (article links plus their dates and titles) and
listing pages (article links plus pagination, followed until `max_listing_pages`). Article
pages go to the pipeline as raw bytes; extraction happens there, off the crawl's thread."""
from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
                               DownloadFailedError, DownloadTimeoutError, IgnoreRequest, NotConfigured,
                               ResponseDataLossError)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (ConnectError, ConnectionLost, ConnectionRefusedError, DNSLookupError,
                                    TCPTimedOutError, TimeoutError)
from twisted.web.client import ResponseFailed

from extract.article import binary_kind
from common.dates import now_iso, parse_iso
from index import IndexFailure, open_index
from index.base import UrlState

from .. import settings as defaults
from ..checks import SettingsError, check_settings
from ..feeds import parse_feed_or_sitemap
from ..items import PageItem
from ..links import listing_links
from ingest.outcome import note_failure
from ingest.sources import Source, SourcesError, load_sources, select
from ingest.stats import count
from ingest.urls import normalize_url

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
    index = None        # set by the pipeline when it opens the crawl's index client

    def __init__(self, source: str | None = None, sources_file: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.source_names = [s.strip() for s in source.split(",") if s.strip()] if source else []
        self.sources_file = sources_file

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        path = spider.sources_file or crawler.settings.get("POLICYWATCH_SOURCES")
        try:
            check_settings(crawler.settings)        # `policywatch crawl` checked them already; plain Scrapy has not
            spider.sources = select(load_sources(path), spider.source_names)
        except (SettingsError, SourcesError) as exc:
            raise NotConfigured(str(exc)) from exc
        spider.by_name = {s.name: s for s in spider.sources}
        spider.allowed_domains = sorted({d for s in spider.sources for d in s.allowed_domains})
        # A redirect loop never reaches on_error: the scheduler's duplicate filter drops the hop
        # back to a URL already requested, silently. on_dropped() counts it.
        crawler.signals.connect(spider.on_dropped, signal=signals.request_dropped)
        settings = crawler.settings
        def setting(getter, key):      # crawler/settings.py is the one home of each default
            return getter(key, getattr(defaults, key))
        spider.incremental = setting(settings.getbool, "POLICYWATCH_INCREMENTAL")
        spider.recheck = timedelta(hours=setting(settings.getfloat, "POLICYWATCH_RECHECK_HOURS"))
        spider.retry_skipped = timedelta(days=setting(settings.getfloat, "POLICYWATCH_RETRY_SKIPPED_DAYS"))
        spider.retry_errors = timedelta(hours=setting(settings.getfloat, "POLICYWATCH_RETRY_ERRORS_HOURS"))
        spider.known = {s.name: {} for s in spider.sources}
        spider.remembered = []           # URL states found outside any item (see on_dropped)
        # Limits, so that every crawl ends (each cut is counted as "skipped/<why>").
        spider.max_sitemap_depth = setting(settings.getint, "POLICYWATCH_MAX_SITEMAP_DEPTH")
        spider.max_sitemaps = setting(settings.getint, "POLICYWATCH_MAX_SITEMAPS")
        spider.max_links = setting(settings.getint, "POLICYWATCH_MAX_LINKS_PER_LISTING")
        spider.max_pages = setting(settings.getint, "POLICYWATCH_MAX_PAGES")
        spider.max_url_length = setting(settings.getint, "URLLENGTH_LIMIT")
        spider.considered = {s.name: set() for s in spider.sources}    # URLs met in this crawl
        spider.requested = {s.name: 0 for s in spider.sources}
        spider.sitemaps_requested = {s.name: 0 for s in spider.sources}
        return spider

    def _load_known(self) -> None:
        """What earlier crawls saw, from the index's URL-state store; an unreachable index means a
        full crawl (its articles are spooled), never a failed one."""
        if not self.incremental:
            return
        settings = self.crawler.settings
        try:
            # The pipeline's client (one per crawl); the spider opens its own only when run without it.
            index = self.index or open_index(settings.get("POLICYWATCH_INDEX"),
                                             **settings.getdict("POLICYWATCH_INDEX_OPTIONS"))
            try:
                for source in self.sources:
                    self.known[source.name] = index.url_states(source.name)
            finally:
                if index is not self.index:
                    index.close()
        except IndexFailure as exc:
            logger.warning("cannot read what earlier crawls saw (%s): crawling everything", exc)

    def _due_again(self, state: UrlState, now: datetime) -> bool:
        """Whether a URL seen before is worth a request now."""
        fetched = parse_iso(state.fetched) or datetime.min.replace(tzinfo=timezone.utc)
        if state.status == "article":
            published = parse_iso(state.published)
            return published is not None and now - published < self.recheck     # recent: may still change
        if state.status == "skipped":
            return now - fetched > self.retry_skipped
        return now - fetched > self.retry_errors                                # an error: try again later

    async def start(self):
        self._load_known()
        for source in self.sources:
            for url in source.feeds + source.sitemaps:
                if request := self._feed_request(url, source, depth=0):
                    yield request
            for url in source.start_urls:
                if request := self._request(url, source, self.parse_listing, priority=5, page=1):
                    yield request

    def _feed_request(self, url: str, source: Source, depth: int) -> scrapy.Request | None:
        """A feed or sitemap; `depth` counts the sitemap indexes above it."""
        if depth > self.max_sitemap_depth:
            count(self.crawler.stats, source.name, "skipped", "sitemap nested too deep")
            logger.info("not followed: %s is nested %d sitemap indexes deep", url, depth)
            return None
        if self.sitemaps_requested[source.name] >= self.max_sitemaps:
            count(self.crawler.stats, source.name, "skipped", "over the sitemap limit")
            return None
        request = self._request(url, source, self.parse_feed, priority=10, sitemap_depth=depth)
        if request is not None:
            self.sitemaps_requested[source.name] += 1
        return request

    def _request(self, url, source: Source, callback, priority=0, **meta) -> scrapy.Request | None:
        """A request of `source`, or None when its URL is too long, was asked for already in this
        crawl (Scrapy's duplicate filter would drop it) or is over the source's page limit."""
        url = normalize_url(url)
        considered = self.considered[source.name]
        if url in considered:
            return None
        considered.add(url)            # counted once, however often the site links it
        headers = {}
        state = self.known[source.name].get(url)
        if state and (state.etag or state.last_modified):
            # Conditional GET: an unchanged feed, sitemap or article costs a 304 and no parsing.
            if state.etag:
                headers["If-None-Match"] = state.etag
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
            meta["handle_httpstatus_list"] = [304]
        request = scrapy.Request(url, callback=callback, errback=self.on_error, priority=priority, headers=headers,
                                 meta={"source": source.name, **meta})
        if len(request.url) > self.max_url_length:      # as Scrapy measures it: escaped
            count(self.crawler.stats, source.name, "skipped", "URL too long")
            logger.info("not requested: a %d-character URL on %s", len(request.url), source.name)
            return None
        if self.requested[source.name] >= self.max_pages:
            count(self.crawler.stats, source.name, "skipped", "over the page limit per source")
            return None
        self.requested[source.name] += 1
        return request

    @staticmethod
    def _may_be_article(url: str, source: Source) -> bool:
        verdict = source.looks_like_article(url)
        return source.allows(url) and not (
            verdict is False or (verdict is None and _NOT_ARTICLE_PATH.search(urlsplit(url).path)))

    def _article_request(self, url: str, source: Source, hints: dict | None = None):
        url = normalize_url(url)
        if not self._may_be_article(url, source):
            return None
        state = self.known[source.name].get(url)
        if state is not None and not self._due_again(state, datetime.now(timezone.utc)):
            self.crawler.stats.inc_value(f"policywatch/{source.name}/known_not_fetched")
            return None
        return self._request(url, source, self.parse_article, priority=20, hints=hints or {})

    def _state(self, response, source: Source, status: str) -> UrlState:
        return UrlState(url=normalize_url(response.request.url), source=source.name, fetched=now_iso(), status=status,
                        etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"))

    # -- callbacks ------------------------------------------------------------------------
    def parse_feed(self, response):
        source = self.by_name[response.meta["source"]]
        if response.status == 304:
            count(self.crawler.stats, source.name, "pages_fetched", "feed or sitemap not modified")
            return
        count(self.crawler.stats, source.name, "pages_fetched")
        yield self._state(response, source, "feed")
        parsed = parse_feed_or_sitemap(response.body)
        if parsed.lost:
            count(self.crawler.stats, source.name, "errors", "feed items lost to XML errors", parsed.lost)
            logger.warning("%d entries of %s lost: the XML is malformed", parsed.lost, response.url)
        if parsed.kind == "unknown":
            count(self.crawler.stats, source.name, "errors", "unreadable feed or sitemap")
            logger.warning("not a feed or sitemap: %s", response.url)
            return
        depth = response.meta.get("sitemap_depth", 0) + 1
        for child in parsed.sitemaps:
            if request := self._feed_request(urljoin(response.url, child), source, depth):
                yield request
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
        # Off-site links are dropped by Source.allows() below.
        found = listing_links(response)
        rel_next = {normalize_url(u) for u in found.rel_next}
        next_pages, fresh, taken, cut = [], 0, 0, 0
        for link in found.links:
            if normalize_url(link.url) in rel_next or self._is_next_page(link, response.url):
                next_pages.append(link.url)
                continue
            url = normalize_url(link.url)
            if not self._may_be_article(url, source):
                continue
            if taken >= self.max_links:
                cut += 1
                continue
            fresh += url not in self.known[source.name]
            request = self._article_request(url, source)
            if request is not None:
                taken += 1
                yield request
        if cut:
            count(self.crawler.stats, source.name, "skipped", "over the link limit of a listing page", cut)
            logger.info("%d article links of %s not taken (POLICYWATCH_MAX_LINKS_PER_LISTING)", cut, response.url)
        # Pagination goes on while pages bring something new: a listing whose page 1 holds only
        # articles already seen has nothing older worth fetching either.
        if page < source.max_listing_pages and (fresh or not self.known[source.name]):
            for url in next_pages:
                if request := self._request(url, source, self.parse_listing, priority=5, page=page + 1):
                    yield request

    @staticmethod
    def _is_next_page(link, current: str) -> bool:
        if normalize_url(link.url) == normalize_url(current):
            return False
        return bool(_PAGINATION.search(link.url) and (_NEXT_TEXT.match(link.text or "") or link.text.strip().isdigit()))

    def parse_article(self, response):
        source = self.by_name[response.meta["source"]]
        count(self.crawler.stats, source.name, "pages_fetched")
        if response.status == 304:
            count(self.crawler.stats, source.name, "unchanged", "not modified (304)")
            old = self.known[source.name].get(normalize_url(response.request.url))
            yield UrlState(**{**vars(old), "fetched": now_iso()}) if old else self._state(response, source, "article")
            return
        ctype = (response.headers.get(b"Content-Type") or b"text/html").split(b";")[0].strip().lower()
        if ctype not in _HTML_TYPES:
            count(self.crawler.stats, source.name, "skipped", f"not HTML ({ctype.decode('latin-1')})")
            logger.info("skipped %s: content type %s", response.url, ctype.decode("latin-1"))
            yield self._state(response, source, "skipped")
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
                       header_charset=charset, fetched=now_iso(), hints=response.meta.get("hints") or {},
                       etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"),
                       redirected_from=tuple(normalize_url(u) for u in response.meta.get("redirect_urls") or ()),
                       archived=response.meta.get("archived"))

    def on_error(self, failure):
        """Count a failed request under one stable, readable reason (the keys of the crawl
        summary's "reasons", which staff and alerts read): "errors/timeout", "errors/page too
        large", "errors/truncated download", "errors/HTTP 503", "skipped/disallowed by robots.txt"…
        Scrapy's downloader wraps Twisted's errors in its own (scrapy.exceptions); both are mapped."""
        request = failure.request
        source = request.meta.get("source", "?")
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            count(self.crawler.stats, source, "skipped", "disallowed by robots.txt")
            return [self._failed(request, "skipped")]
        if failure.check(HttpError):
            reason = f"HTTP {failure.value.response.status}"
        elif failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
            reason = "timeout"           # no answer, or an answer too slow to finish, in DOWNLOAD_TIMEOUT
        elif failure.check(DownloadCancelledError):
            # Over DOWNLOAD_MAXSIZE, announced or counted while it arrived: the only download Scrapy
            # cancels mid-crawl (a timeout raises its own error). Without a Content-Length the
            # cancellation carries no message, so the message is not what tells.
            reason = "page too large"
        elif failure.check(ResponseDataLossError):
            reason = "truncated download"    # the connection closed before Content-Length bytes came
        elif failure.check(IgnoreRequest) and "decompression" in str(failure.value):
            reason = "page too large when decompressed"     # a gzip/brotli/zstd bomb, or just too big
        elif failure.check(IgnoreRequest) and "max redirections" in str(failure.value):
            reason = "too many redirects"
        elif failure.check(IgnoreRequest) and "offsite" in str(failure.value):
            reason = "redirected to another site"
        elif failure.check(IgnoreRequest):
            reason = "ignored"               # Scrapy's message names the URL: logged, not a reason
        elif failure.check(CannotResolveHostError, DNSLookupError):
            reason = "DNS lookup failed"
        elif failure.check(DownloadConnectionRefusedError, ConnectionRefusedError):
            reason = "connection refused"
        elif failure.check(DownloadFailedError, ResponseFailed, ConnectionLost, ConnectError):
            reason = "connection failed"
        else:
            reason = failure.type.__name__
        count(self.crawler.stats, source, "errors", reason)
        note_failure(self.crawler.stats, source, reason, _host(request.url))
        # Counted, and summed up per source at the end: each URL is told only with -v.
        logger.info("failed %s: %s (%s)", request.url, reason, failure.getErrorMessage())
        return [self._failed(request, "error")]

    def _failed(self, request, status: str) -> UrlState:
        # Remembered so the next crawls wait before asking again (POLICYWATCH_RETRY_* settings).
        return UrlState(url=normalize_url(request.url), source=request.meta.get("source", "?"), fetched=now_iso(),
                        status=status)

    def on_dropped(self, request, spider=None):
        """request_dropped: the scheduler refused a request it had seen. When the request is a
        redirect back to a URL of its own redirect chain, that is a redirect loop; anything else
        (a redirect to an article already crawled) is the duplicate filter doing its job."""
        chain = [normalize_url(u) for u in request.meta.get("redirect_urls") or ()]
        if chain and normalize_url(request.url) in chain:
            count(self.crawler.stats, request.meta.get("source", "?"), "errors", "redirect loop")
            note_failure(self.crawler.stats, request.meta.get("source", "?"), "redirect loop", _host(chain[0]))
            logger.info("failed %s: redirect loop (%s)", chain[0], " -> ".join(chain + [request.url]))
        elif chain and request.callback == self.parse_article:
            # An old URL redirecting to an article this crawl already has: remember the old URL
            # too (the pipeline saves it), or every crawl would follow the redirect again.
            self.remembered += [UrlState(url=u, source=request.meta.get("source", "?"), fetched=now_iso(),
                                         status="article") for u in chain]


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else (parts.hostname or url)


def _header(response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _cut_off(body: bytes) -> bool:
    """Whether an HTML page stops mid-document: no </html> near the end, and the last bytes are
    text or half a tag rather than a closing '>'. (HTML may omit </body></html>, so a missing
    end tag alone is not enough; a page cut exactly at a tag boundary goes unnoticed.)"""
    tail = body[-2048:].rstrip()
    return bool(tail) and b"</html" not in tail.lower() and not tail.endswith(b">")
