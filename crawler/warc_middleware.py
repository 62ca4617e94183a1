"""The crawl's page archive as a Scrapy downloader middleware: each article response (and each
feed or sitemap with POLICYWATCH_ARCHIVE_FEEDS) is written to WARC by archive/warc.py, and
where it went, (file, offset), rides along in request.meta["archived"] to the pipeline, which
notes it per article for `policywatch reprocess`."""
from __future__ import annotations

import logging
from http.client import responses as REASONS

from scrapy import signals
from scrapy.exceptions import NotConfigured

from archive.warc import ArchiveWriter, default_dir

logger = logging.getLogger(__name__)

_ARCHIVED_CALLBACKS = {"parse_article"}
_FEED_CALLBACKS = {"parse_feed"}


class ArchiveMiddleware:
    def __init__(self, writer: ArchiveWriter, feeds: bool):
        self.writer = writer
        self.callbacks = _ARCHIVED_CALLBACKS | (_FEED_CALLBACKS if feeds else set())

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("POLICYWATCH_ARCHIVE", True):
            raise NotConfigured("archiving is off")
        directory = settings.get("POLICYWATCH_ARCHIVE_DIR") or default_dir(settings.get("POLICYWATCH_INDEX"))
        max_bytes = int(settings.getfloat("POLICYWATCH_ARCHIVE_MAX_MB", 100) * 1024 * 1024)
        middleware = cls(ArchiveWriter(directory, max_bytes, software=settings.get("USER_AGENT") or "PolicyWatch"),
                         settings.getbool("POLICYWATCH_ARCHIVE_FEEDS", False))
        crawler.signals.connect(middleware.closed, signal=signals.spider_closed)
        return middleware

    def closed(self, spider, reason):
        self.writer.close()

    def process_response(self, request, response):
        if response.status == 304 or getattr(request.callback, "__name__", None) not in self.callbacks:
            return response
        try:
            request.meta["archived"] = self.writer.write_exchange(
                response.url, request.method, _pairs(request.headers), response.status,
                REASONS.get(response.status, ""), _pairs(response.headers), response.body,
                metadata={"source": request.meta.get("source"), "hints": request.meta.get("hints") or {}})
        except OSError as exc:
            # A full disk must not stop the crawl: the article is indexed, only not archived.
            logger.error("could not archive %s: %s", response.url, exc)
        return response


def _pairs(headers) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]
