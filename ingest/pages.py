"""The one ingest path: page bytes + URL + hints → an Article ready for the index.

Extraction (worker process) → canonical id → duplicate in this run? → unchanged body (the
index's content hash)? → entities and actions (worker process, batched for spaCy) → the
record. The crawl's Scrapy pipeline, `policywatch extract`, `import`, `reprocess` and the
benchmarks all go through `Ingest.page`; nothing here imports Scrapy."""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from typing import Awaitable

from index import Article, IndexFailure, content_hash
from index.base import ArchiveRef, UrlState
from index.document import ActionRef, EntityRef, StatementRef

from . import work
from extract.article import Extracted
from .stats import count
from extract.text import cleaned
from .urls import article_id, same_site, stored_url

logger = logging.getLogger(__name__)


@dataclass
class Page:
    """A fetched page, from the crawl or from an archive."""
    source: str
    url: str                     # where the body came from (after redirects)
    body: bytes
    fetched: str                 # ISO 8601 UTC
    header_charset: str | None = None
    hints: dict = field(default_factory=dict)    # title/published/authors from a feed or sitemap
    language: str | None = None  # the outlet's, when its pages do not say
    timezone: str | None = None
    archived: tuple[str, int] | None = None      # (WARC file, offset) of the response record


@dataclass
class Outcome:
    page: Page
    extracted: Extracted
    article: Article | None = None       # None: skipped or a duplicate
    skipped: str | None = None           # why it is not an article
    duplicate: bool = False              # its canonical id came earlier in this run
    analysed: bool = False               # entities and actions were computed
    degraded: str | None = None          # why NLP failed: the article is kept without entities

    def archive_ref(self) -> ArchiveRef | None:
        if self.article is None or self.page.archived is None:
            return None
        return ArchiveRef(self.article.id, self.page.archived[0], self.page.archived[1], self.page.url,
                          self.page.fetched)


def build_article(extracted: Extracted, page: Page) -> Article:
    """The index record of an extracted article (no entities yet). The canonical link decides the
    id, unless it points off-site (a syndication partner)."""
    canonical = extracted.canonical_url if same_site(extracted.canonical_url, page.url) else page.url
    return Article(id=article_id(canonical), url=stored_url(canonical), source=page.source,
                   title=extracted.title, body=extracted.body, published=extracted.published,
                   modified=extracted.modified, authors=extracted.authors, language=extracted.language,
                   section=extracted.section, image=extracted.image, fetched=page.fetched,
                   content_hash=content_hash(extracted.title, extracted.body))


def analysis_text(article: Article) -> str:
    return article.title + "\n\n" + "\n\n".join(article.body)


def attach(article: Article, analysis) -> None:
    """Entities and actions from nlp.Analyzer's result onto the record."""
    article.entities = [EntityRef(e.name, e.type, e.mentions, list(e.sentences)) for e in analysis.entities]
    article.actions = [ActionRef(a.action, a.sentence) for a in analysis.actions]
    article.statements = [StatementRef(**asdict(s)) for s in analysis.statements]


class Gatherer:
    """Gathers single requests into batches: a batch goes when `size` requests wait or `delay`
    seconds after the first of them, whichever comes first. A subclass sends a batch of
    (request, future) pairs and answers every future."""

    def __init__(self, size: int, delay: float):
        self.size, self.delay = size, delay
        self.pending: list[tuple[object, asyncio.Future]] = []
        self.timer = None

    async def ask(self, request):
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.pending.append((request, future))
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
        if batch:
            self.send(batch)

    def send(self, batch: list[tuple[object, asyncio.Future]]) -> None:
        raise NotImplementedError


class Batcher(Gatherer):
    """Gathers NLP requests so spaCy sees batches (nlp.pipe) instead of single texts."""

    def __init__(self, pool: Executor, size: int, delay: float):
        super().__init__(size, delay)
        self.pool = pool
        self.running = 0                 # batches sent to the workers and not yet answered

    async def submit(self, text: str, language: str | None = None):
        return await self.ask((text, language))

    def send(self, batch):
        try:
            done = asyncio.wrap_future(self.pool.submit(work.analyze, [t for (t, _), _ in batch],
                                                        [lang for (_, lang), _ in batch]))
        except BrokenProcessPool as exc:      # a worker died: every waiting article hears of it
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        self.running += 1

        def deliver(task):
            self.running -= 1
            for i, (_, future) in enumerate(batch):
                if future.done():
                    continue
                if task.exception() is not None:
                    future.set_exception(task.exception())
                else:
                    future.set_result(task.result()[i])
        done.add_done_callback(deliver)


class HashLookup(Gatherer):
    """Gathers 'what content hash does the index hold for this id?' questions into one
    content_hashes() call per batch: on Elasticsearch one round trip per article was a third of
    the writer's time."""

    def __init__(self, index, size: int, delay: float):
        super().__init__(size, delay)
        self.index = index

    async def stored(self, article_id: str) -> str | None:
        return await self.ask(article_id)

    def send(self, batch):
        try:
            found = self.index.content_hashes(list(dict.fromkeys(aid for aid, _ in batch)))
        except IndexFailure as exc:
            for _, future in batch:
                future.set_exception(exc)
            return
        for aid, future in batch:
            future.set_result(found.get(aid))


DEGRADED_REASON = "NLP failed, indexed without entities"
OFFLINE_BACKSTOP = 1.0      # seconds a part batch may wait offline if no worker's idleness sent it


class Ingest:
    """Pages in, outcomes out, counted per source in `stats` (anything with Scrapy's
    inc_value/get_stats). `index` answers the unchanged-body question (None: every page is new
    and gets NLP); `dedupe` drops a second page with an id seen earlier in this run.

    `offline_workers` (import, reprocess: the pool's size): every page that can come is already
    in flight, so a part batch (hash lookup, NLP) is sent as soon as a worker would otherwise
    have nothing to do, not after a fixed wait; a one-second timer remains only as a backstop.
    A crawl's pages trickle in from the network; there the short timers wait for more."""

    def __init__(self, pool: Executor, index, stats, nlp: bool = True, nlp_batch: int = 16, dedupe: bool = True,
                 offline_workers: int = 0):
        self.pool, self.index, self.stats = pool, index, stats
        self.nlp, self.dedupe, self.offline_workers = nlp, dedupe, offline_workers
        crawl = not offline_workers
        self.batcher = Batcher(pool, nlp_batch, 0.2 if crawl else OFFLINE_BACKSTOP)
        # Offline, a lookup as big as an NLP batch: its pages must not hold back the next batch.
        self.lookup = (HashLookup(index, 50 if crawl else nlp_batch, 0.1 if crawl else OFFLINE_BACKSTOP)
                       if index is not None else None)
        self.seen: set[str] = set()
        self.extracting = 0              # pages in a worker's extraction now

    async def page(self, page: Page) -> Outcome:
        loop = asyncio.get_running_loop()
        self.extracting += 1
        try:
            extracted, fingerprint = await loop.run_in_executor(
                self.pool, work.extract_and_sign, page.body, page.url, page.hints, page.header_charset,
                page.language, page.timezone)
        finally:
            self.extracting -= 1
        return await self.finish(page, extracted, fingerprint)

    def keep_workers_busy(self) -> None:
        """Offline: send part batches if the workers have fewer tasks than there are workers (the
        driver calls this when it has no page to add; a page calls it when it joins a batch)."""
        if not self.offline_workers or self.extracting + self.batcher.running >= self.offline_workers:
            return
        if self.lookup is not None and self.lookup.pending:
            self.lookup.flush()          # its pages go on to NLP and may fill a batch there
        else:
            self.batcher.flush()

    async def _batched(self, answer: Awaitable):
        if self.offline_workers:         # once the page has joined its batch
            asyncio.get_running_loop().call_soon(self.keep_workers_busy)
        return await answer

    async def finish(self, page: Page, extracted: Extracted, fingerprint: str | None = None) -> Outcome:
        extracted = cleaned(extracted)           # no XML-illegal character reaches the index (or a feed)
        source = page.source
        if extracted.charset_mismatch:
            logger.info("wrong charset declared on %s; decoded as %s", page.url, extracted.encoding)
            self.stats.inc_value(f"policywatch/{source}/charset_mismatch")
        self.stats.inc_value(f"policywatch/{source}/extracted")
        if not extracted.is_article:
            reason = extracted.reason.split(" (")[0]
            if reason in ("too little text", "empty page"):
                self.stats.inc_value(f"policywatch/{source}/empty_body")
            count(self.stats, source, "skipped", reason)
            return Outcome(page, extracted, skipped=extracted.reason)
        if not extracted.published:
            self.stats.inc_value(f"policywatch/{source}/no_date")
        if not extracted.authors:
            self.stats.inc_value(f"policywatch/{source}/no_author")
        article = build_article(extracted, page)
        article.fingerprint = fingerprint
        if self.dedupe:
            if article.id in self.seen:
                count(self.stats, source, "unchanged", "duplicate URL in this crawl")
                return Outcome(page, extracted, duplicate=True)
            self.seen.add(article.id)
        stored = await self._batched(self.lookup.stored(article.id)) if self.lookup is not None else None
        outcome = Outcome(page, extracted, article)
        if self.nlp and stored != article.content_hash:
            try:
                outcome.analysed = await self.analyse(article)
            except BrokenProcessPool:
                raise                    # the pool is gone for every page: the caller stops the run
            except Exception as exc:     # noqa: BLE001 — whatever NLP raises, the article is not lost:
                # it is indexed without entities, counted as degraded (summary, `status`), and
                # `reprocess --nlp-only` tags it once the cause is fixed.
                outcome.degraded = f"{type(exc).__name__}: {exc}".splitlines()[0]
                count(self.stats, source, "degraded", DEGRADED_REASON)
                logger.warning("NLP failed on %s, indexed without entities: %s", page.url, outcome.degraded)
        return outcome

    async def analyse(self, article: Article) -> bool:
        """Entities and actions onto the article (replacing any); False when NLP is off."""
        analysis = await self._batched(self.batcher.submit(analysis_text(article), article.language))
        if analysis is None:
            return False
        attach(article, analysis)
        return True

    def close(self) -> None:
        if self.lookup is not None:
            self.lookup.flush()
        self.batcher.flush()


def article_state(article: Article, url: str, page: Page) -> UrlState:
    """What the next crawl needs to know of a URL that gave this article."""
    return UrlState(url=url, source=article.source, fetched=page.fetched, status="article",
                    published=article.published, content_hash=article.content_hash)


class Writer:
    """Bulk writes to the index with per-source counts (new/updated/unchanged, spooled, rejected)."""

    def __init__(self, index, stats):
        self.index, self.stats = index, stats

    def write(self, batch: list[Article], rewrite: bool = False) -> set[str]:
        """Write; returns the ids now stored (neither rejected nor failed)."""
        stored: set[str] = set()
        by_source: dict[str, list[Article]] = {}
        for article in batch:
            by_source.setdefault(article.source, []).append(article)
        for source, articles in by_source.items():
            try:
                result = self.index.write(articles, rewrite=rewrite)
            except IndexFailure as exc:
                count(self.stats, source, "errors", "index write failed", len(articles))
                logger.error("could not write %d articles to the index: %s", len(articles), exc)
                continue
            failed = {url for url, _ in result.failed}
            stored |= {a.id for a in articles if a.url not in failed}
            count(self.stats, source, "new", n=result.new)
            count(self.stats, source, "updated", n=result.updated)
            count(self.stats, source, "unchanged", n=result.unchanged)
            if result.spooled:      # the index was unavailable: kept for the next crawl or `policywatch flush`
                count(self.stats, source, "spooled", "index unavailable, kept for policywatch flush", result.spooled)
            for url, reason in result.failed:
                count(self.stats, source, "errors", "index rejected the article")
                logger.error("index rejected %s: %s", url, reason)
        return stored

    def save_archive_refs(self, refs: list[ArchiveRef]) -> None:
        if not refs:
            return
        try:
            self.index.save_archive_refs(refs)
        except IndexFailure as exc:
            logger.warning("could not note where %d articles are archived (reprocess skips them): %s", len(refs), exc)


class Counter:
    """Scrapy's stats-collector interface for runs outside Scrapy (import, reprocess)."""

    def __init__(self):
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, n: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + n

    def get_stats(self) -> dict:
        return dict(self.values)
