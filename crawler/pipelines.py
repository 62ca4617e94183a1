"""The Scrapy adapter of the ingest path (ingest/pages.py): pages from the spider go through
`Ingest.page` (extraction and NLP in worker processes), articles are written to the index in
buffered batches with the URL states the next crawl needs, and the archive catalogue."""
from __future__ import annotations

import logging
import time
from concurrent.futures.process import BrokenProcessPool

from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.task import LoopingCall

from index import Article, IndexFailure, open_index
from index.base import ArchiveRef, UrlState

from ingest import work
from ingest.outcome import CRASH_KEY, RUNS_RECORDED_KEY, source_runs
from ingest.stats import NLP_LOADS_KEY, PENDING_KEY, count
from ingest.pages import Ingest, Page, Writer
from ingest.urls import normalize_url

from . import settings as defaults

logger = logging.getLogger(__name__)


class ArticlePipeline:
    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.index_url = settings.get("POLICYWATCH_INDEX")
        if not self.index_url:
            raise NotConfigured("POLICYWATCH_INDEX is not set")
        self.index_options = settings.getdict("POLICYWATCH_INDEX_OPTIONS")
        self.workers = settings.getint("POLICYWATCH_WORKERS")
        self.nlp_enabled = settings.getbool("POLICYWATCH_NLP", defaults.POLICYWATCH_NLP)

        self.gazetteers = settings.getlist("POLICYWATCH_GAZETTEERS")
        self.batch_size = settings.getint("POLICYWATCH_WRITE_BATCH", defaults.POLICYWATCH_WRITE_BATCH)
        self.flush_seconds = settings.getfloat("POLICYWATCH_WRITE_SECONDS", defaults.POLICYWATCH_WRITE_SECONDS)
        self.nlp_batch = settings.getint("POLICYWATCH_NLP_BATCH", defaults.POLICYWATCH_NLP_BATCH)
        self.buffer: list[Article] = []
        self.states: list[UrlState] = []      # what the next crawl needs to know, saved with each write
        self.article_states: dict[str, list[UrlState]] = {}   # saved only once their article is stored
        # A feed's ETag is saved only when the crawl finishes without errors for its source: a
        # crawl killed, or an article failed, after reading a feed must read that feed again later
        # (a 304 would hide the articles it lists), not only when the feed happens to change.
        self.feed_states: list[UrlState] = []
        self.article_refs: dict[str, ArchiveRef] = {}        # where each article's page is archived
        self.refs: list[ArchiveRef] = []
        self.last_flush = time.monotonic()
        self.in_flight = 0        # pages inside process_item
        self.flusher = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self):
        # One index client per crawl: the spider reads what earlier crawls saw through this one.
        try:
            self.index = open_index(self.index_url, **self.index_options)
        except IndexFailure as exc:
            raise NotConfigured(str(exc)) from exc
        self.crawler.spider.index = self.index
        self.pool = work.pool(self.workers, self.nlp_enabled, self.gazetteers)
        self.ingest = Ingest(self.pool, self.index, self.stats, self.nlp_enabled, self.nlp_batch)
        self.writer = Writer(self.index, self.stats)
        # Articles reach the index within POLICYWATCH_WRITE_SECONDS even when no page follows them.
        self.flusher = LoopingCall(self._flush_if_due)
        self.flusher.start(max(self.flush_seconds, 0.5), now=False)

    def _flush_if_due(self) -> None:
        if self.buffer and time.monotonic() - self.last_flush >= self.flush_seconds:
            self._flush()

    def close_spider(self):
        if self.flusher is not None and self.flusher.running:
            self.flusher.stop()
        self.ingest.close()
        self._flush()
        self.pool.shutdown(wait=True, cancel_futures=True)
        loads = self.pool.nlp_loads()
        self.stats.set_value(NLP_LOADS_KEY, loads)
        logger.info("the NLP pipeline was loaded by %d of %d worker processes", loads, work.pool_size(self.workers))
        try:
            spider = self.crawler.spider
            self.index.record_runs(source_runs(self.stats.get_stats(), [s.name for s in spider.sources],
                                               spider.sources_file or self.crawler.settings.get("POLICYWATCH_SOURCES")))
            self.stats.set_value(RUNS_RECORDED_KEY, True)
        except IndexFailure as exc:
            logger.warning("could not record this crawl run: %s", exc)

    def spider_closed(self, spider, reason):
        """After close_spider: only now is it known whether the crawl finished or was cut short."""
        try:
            stats = self.stats.get_stats()
            clean = [st for st in self.feed_states if not stats.get(f"policywatch/{st.source}/errors")]
            if reason == "finished" and clean:
                self.index.save_url_states(clean)
        except IndexFailure as exc:
            logger.warning("could not save feed validators (the next crawl reads the feeds in full): %s", exc)
        finally:
            self.index.close()

    async def process_item(self, item):
        if isinstance(item, UrlState):
            (self.feed_states if item.status == "feed" else self.states).append(item)
            return item
        self.in_flight += 1
        self._report_pending()
        try:
            return await self._process_page(item)
        except BrokenProcessPool:
            self._worker_died()
            count(self.stats, item.source, "errors", "worker process died")
            raise DropItem(f"not processed, a worker process died: {item.final_url}") from None
        finally:
            self.in_flight -= 1
            self._report_pending()

    def _report_pending(self) -> None:
        # For the progress line: pages fetched but not yet counted as new/updated/unchanged/skipped.
        self.stats.set_value(PENDING_KEY, self.in_flight + len(self.buffer))

    def _worker_died(self) -> None:
        """A worker process was killed (the OOM killer, a signal) or crashed: the pool is broken
        for good. Stop the crawl; close_spider still writes every article already extracted and
        records the run as failed, and pages not yet processed are fetched by the next crawl."""
        if self.stats.get_value(CRASH_KEY):
            return
        self.stats.set_value(CRASH_KEY, "a worker process died (killed, or out of memory?)")
        logger.error("a worker process died: stopping the crawl")
        self.closing = deferred_from_coro(self.crawler.engine.close_spider_async(reason="worker died"))

    async def _process_page(self, item):
        source = self.crawler.spider.by_name[item.source]
        page = Page(source=item.source, url=item.final_url, body=item.body, fetched=item.fetched,
                    header_charset=item.header_charset, hints=item.hints, language=source.language,
                    timezone=source.timezone, archived=item.archived)
        outcome = await self.ingest.page(page)
        if outcome.skipped:
            self.states += self._states_of(item, "skipped")
            raise DropItem(f"not an article ({outcome.skipped}): {item.final_url}")
        if outcome.duplicate:
            raise DropItem(f"already seen in this crawl: {item.final_url}")
        article = outcome.article
        self.buffer.append(article)
        self.article_states[article.id] = self._states_of(item, "article", article.published, article.content_hash)
        if (ref := outcome.archive_ref()) is not None:
            self.article_refs[article.id] = ref
        if len(self.buffer) >= self.batch_size or time.monotonic() - self.last_flush > self.flush_seconds:
            self._flush()
        return item

    @staticmethod
    def _states_of(item, status: str, published: str | None = None, chash: str | None = None) -> list[UrlState]:
        return [UrlState(url=url, source=item.source, fetched=item.fetched, status=status, etag=item.etag,
                         last_modified=item.last_modified, published=published, content_hash=chash)
                for url in dict.fromkeys((item.url, normalize_url(item.final_url), *item.redirected_from))]

    def _flush(self):
        self.last_flush = time.monotonic()
        batch, self.buffer = self.buffer, []
        if batch:
            self._write(batch)
        self._report_pending()
        # URL states go after the articles they describe: a crash in between means a page is
        # fetched once more, never that an article is marked seen but missing.
        spider = self.crawler.spider
        states, self.states = self.states + spider.remembered, []
        spider.remembered = []
        if states:
            try:
                self.index.save_url_states(states)
            except IndexFailure as exc:
                logger.warning("could not save %d URL states (the next crawl fetches them again): %s", len(states), exc)

    def _write(self, batch: list[Article]) -> None:
        stored = self.writer.write(batch)
        for article in batch:
            states = self.article_states.pop(article.id, [])
            ref = self.article_refs.pop(article.id, None)
            if article.id in stored:
                self.states += states
                if ref is not None:
                    self.refs.append(ref)
        refs, self.refs = self.refs, []
        self.writer.save_archive_refs(refs)
