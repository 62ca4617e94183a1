"""From fetched page to indexed article: extract (worker process) → skip if unchanged →
entities and actions (worker process, batched) → buffered bulk write to the index."""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.task import LoopingCall

from index import Article, IndexFailure, content_hash, open_index
from index.base import UrlState
from index.document import ActionRef, EntityRef

from . import settings as defaults, work
from .outcome import CRASH_KEY, RUNS_RECORDED_KEY, source_runs
from .stats import PENDING_KEY, count
from .text import cleaned
from .urls import article_id, normalize_url, same_site

logger = logging.getLogger(__name__)


class Batcher:
    """Gathers NLP requests so spaCy sees batches (nlp.pipe) instead of single texts."""

    def __init__(self, pool, size: int, delay: float):
        self.pool, self.size, self.delay = pool, size, delay
        self.pending: list[tuple[str, asyncio.Future]] = []
        self.timer = None

    async def submit(self, text: str):
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.pending.append((text, future))
        if len(self.pending) >= self.size:
            self.flush()
        elif self.timer is None:
            self.timer = loop.call_later(self.delay, self.flush)
        return await future

    def flush(self):
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            done = asyncio.wrap_future(self.pool.submit(work.analyze, [t for t, _ in batch]))
        except BrokenProcessPool as exc:      # a worker died: every waiting article hears of it
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return

        def deliver(task):
            for i, (_, future) in enumerate(batch):
                if future.done():
                    continue
                if task.exception() is not None:
                    future.set_exception(task.exception())
                else:
                    future.set_result(task.result()[i])
        done.add_done_callback(deliver)


class HashLookup:
    """Gathers 'what content hash does the index hold for this id?' questions into one
    content_hashes() call per batch: on Elasticsearch one round trip per article was a third of
    the writer's time."""

    def __init__(self, index, size: int, delay: float):
        self.index, self.size, self.delay = index, size, delay
        self.pending: list[tuple[str, asyncio.Future]] = []
        self.timer = None

    async def stored(self, article_id: str) -> str | None:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.pending.append((article_id, future))
        if len(self.pending) >= self.size:
            self.flush()
        elif self.timer is None:
            self.timer = loop.call_later(self.delay, self.flush)
        return await future

    def flush(self):
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            found = self.index.content_hashes(list(dict.fromkeys(aid for aid, _ in batch)))
        except IndexFailure as exc:
            for _, future in batch:
                future.set_exception(exc)
            return
        for aid, future in batch:
            future.set_result(found.get(aid))


class ArticlePipeline:
    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.index_url = settings.get("POLICYWATCH_INDEX")
        if not self.index_url:
            raise NotConfigured("POLICYWATCH_INDEX is not set")
        self.index_options = settings.getdict("POLICYWATCH_INDEX_OPTIONS")
        self.workers = settings.getint("POLICYWATCH_WORKERS") or multiprocessing.cpu_count()
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
        self.seen: set[str] = set()
        self.last_flush = time.monotonic()
        self.in_flight = 0        # pages inside process_item
        self.flusher = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self):
        try:
            self.index = open_index(self.index_url, **self.index_options)
        except IndexFailure as exc:
            raise NotConfigured(str(exc)) from exc
        # 'spawn': forking a process that runs Twisted's reactor and threads is unsafe.
        self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=work.init_worker, initargs=(self.nlp_enabled, self.gazetteers, os.getpid()))
        self.batcher = Batcher(self.pool, self.nlp_batch, 0.2)
        self.lookup = HashLookup(self.index, self.batch_size, 0.1)
        # Articles reach the index within POLICYWATCH_WRITE_SECONDS even when no page follows them.
        self.flusher = LoopingCall(self._flush_if_due)
        self.flusher.start(max(self.flush_seconds, 0.5), now=False)

    def _flush_if_due(self) -> None:
        if self.buffer and time.monotonic() - self.last_flush >= self.flush_seconds:
            self._flush()

    def close_spider(self):
        if self.flusher is not None and self.flusher.running:
            self.flusher.stop()
        self.lookup.flush()
        self.batcher.flush()
        self._flush()
        self.pool.shutdown(wait=True, cancel_futures=True)
        try:
            self.index.record_runs(source_runs(self.stats.get_stats(), [s.name for s in self.crawler.spider.sources]))
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
        loop = asyncio.get_running_loop()
        extracted, fingerprint = await loop.run_in_executor(
            self.pool, work.extract_and_sign, item.body, item.final_url, item.hints, item.header_charset,
            source.language, source.timezone)
        extracted = cleaned(extracted)           # no XML-illegal character reaches the index (or a feed)
        if extracted.charset_mismatch:
            logger.info("wrong charset declared on %s; decoded as %s", item.final_url, extracted.encoding)
            self.stats.inc_value(f"policywatch/{item.source}/charset_mismatch")
        self.stats.inc_value(f"policywatch/{item.source}/extracted")
        if not extracted.is_article:
            reason = extracted.reason.split(" (")[0]
            if reason in ("too little text", "empty page"):
                self.stats.inc_value(f"policywatch/{item.source}/empty_body")
            count(self.stats, item.source, "skipped", reason)
            self.states += self._states_of(item, "skipped")
            raise DropItem(f"not an article ({extracted.reason}): {item.final_url}")
        if not extracted.published:
            self.stats.inc_value(f"policywatch/{item.source}/no_date")
        if not extracted.authors:
            self.stats.inc_value(f"policywatch/{item.source}/no_author")
        # The canonical link decides the id, unless it points off-site (a syndication partner).
        canonical = extracted.canonical_url if same_site(extracted.canonical_url, item.final_url) else item.final_url
        aid = article_id(canonical)
        if aid in self.seen:
            count(self.stats, item.source, "unchanged", "duplicate URL in this crawl")
            raise DropItem(f"already seen in this crawl: {item.final_url}")
        self.seen.add(aid)
        chash = content_hash(extracted.title, extracted.body)
        article = Article(id=aid, url=normalize_url(canonical), source=item.source, title=extracted.title,
                          body=extracted.body, published=extracted.published, modified=extracted.modified,
                          authors=extracted.authors, language=extracted.language, section=extracted.section,
                          image=extracted.image, fetched=item.fetched, content_hash=chash, fingerprint=fingerprint)
        stored = await self.lookup.stored(aid)
        if stored != chash and self.nlp_enabled:
            analysis = await self.batcher.submit(extracted.title + "\n\n" + "\n\n".join(extracted.body))
            if analysis is not None:
                article.entities = [EntityRef(e.name, e.type, e.mentions, list(e.sentences)) for e in analysis.entities]
                article.actions = [ActionRef(a.action, a.sentence) for a in analysis.actions]
        self.buffer.append(article)
        self.article_states[aid] = self._states_of(item, "article", extracted.published, chash)
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
        by_source: dict[str, list[Article]] = {}
        for article in batch:
            by_source.setdefault(article.source, []).append(article)
        for source, articles in by_source.items():
            states = [st for a in articles for st in self.article_states.pop(a.id, [])]
            try:
                result = self.index.write(articles)
            except IndexFailure as exc:
                count(self.stats, source, "errors", "index write failed", len(articles))
                logger.error("could not write %d articles to the index: %s", len(articles), exc)
                continue
            failed = {url for url, _ in result.failed}
            self.states += [st for st in states if st.url not in failed]
            count(self.stats, source, "new", n=result.new)
            count(self.stats, source, "updated", n=result.updated)
            count(self.stats, source, "unchanged", n=result.unchanged)
            if result.spooled:      # the index was unavailable: kept for the next crawl or `policywatch flush`
                count(self.stats, source, "spooled", "index unavailable, kept for policywatch flush", result.spooled)
            for url, reason in result.failed:
                count(self.stats, source, "errors", "index rejected the article")
                logger.error("index rejected %s: %s", url, reason)
