"""`policywatch reprocess`: run the ingest path again over the archived pages of stored articles
(better extraction), or only entities and actions over their stored text (a gazetteer edit),
and update what changed. A changed title or body is a revision; new entities or a corrected
date are not (the outlet did not change the story, we read it better)."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field, replace

from common.errors import WorkFailed
from index import Article
from index.query import Node

from ingest import work
from .warc import read_at
from ingest.pages import Counter, Ingest, Page, Writer
from .offline import IN_FLIGHT_PER_WORKER, drive
from ingest.sources import Source

logger = logging.getLogger(__name__)

BATCH = 200


@dataclass
class Change:
    id: str
    url: str
    fields: list[str]                                      # body, date, entities, actions
    added: list[str] = field(default_factory=list)         # entity names
    removed: list[str] = field(default_factory=list)


@dataclass
class ReprocessResult:
    matched: int = 0
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    no_archive: int = 0            # no archived page: left alone
    unreadable: int = 0            # the archived record could not be read (file moved or damaged)
    not_article: int = 0           # extraction now says it is not an article: left alone
    errors: list[str] = field(default_factory=list)
    spooled: int = 0               # Elasticsearch unavailable: rewritten at the next reprocess


def _entities(a: Article) -> set[tuple[str, str, int]]:
    return {(e.name, e.type, e.mentions) for e in a.entities}


def compare(old: Article, new: Article) -> Change | None:
    fields = []
    if old.content_hash != new.content_hash:
        fields.append("body")
    if old.published != new.published:
        fields.append("date")
    if _entities(old) != _entities(new):
        fields.append("entities")
    if {(x.action, x.sentence) for x in old.actions} != {(x.action, x.sentence) for x in new.actions}:
        fields.append("actions")
    if not fields:
        return None
    before, after = {e.name for e in old.entities}, {e.name for e in new.entities}
    return Change(old.id, old.url, fields, sorted(after - before), sorted(before - after))


class _Reprocess:
    def __init__(self, index, pool, workers: int, nlp_only: bool, nlp: bool, sources: list[Source]):
        self.index, self.nlp_only = index, nlp_only
        self.stats = Counter()
        # No unchanged-body check (index=None) and no dedupe: every matched article gets fresh NLP.
        self.ingest = Ingest(pool, None, self.stats, nlp, dedupe=False, offline_workers=workers)
        self.writer = Writer(index, self.stats)
        self.by_name = {s.name: s for s in sources}
        self.result = ReprocessResult()
        self.pending: list[Article] = []

    def jobs(self, articles) -> list:
        """(stored article, page or None) for a batch; pages read from the archive here."""
        if self.nlp_only:
            return [(a, None) for a in articles]
        refs = self.index.archive_refs([a.id for a in articles])
        jobs = []
        for a in articles:
            ref = refs.get(a.id)
            if ref is None:
                self.result.no_archive += 1
                continue
            found = read_at(ref.warc, ref.offset)
            if found is None or found[0].type != "response":
                self.result.unreadable += 1
                continue
            record, meta = found
            outlet = self.by_name.get(a.source)
            # The stored article's title, date and authors stand in for the feed's hints if the
            # archive has none (another tool's WARC), so a date that came from a feed is kept.
            hints = meta.get("hints") or {"title": a.title, "published": a.published, "authors": a.authors}
            jobs.append((a, Page(source=a.source, url=record.url or ref.url, body=record.body,
                                 fetched=ref.fetched or a.fetched or "", header_charset=record.charset, hints=hints,
                                 language=outlet.language if outlet else None,
                                 timezone=outlet.timezone if outlet else None)))
        return jobs

    async def run(self, job) -> Article | None:
        stored, page = job
        if page is None:
            fresh = replace(stored, entities=[], actions=[])
            await self.ingest.analyse(fresh)
            return fresh
        outcome = await self.ingest.page(page)
        if outcome.article is None:
            return None
        if outcome.degraded:             # the stored entities stay: better than none
            raise WorkFailed(f"NLP failed ({outcome.degraded}); left alone")
        # The article keeps its identity even if its canonical link now reads differently.
        return replace(outcome.article, id=stored.id, url=stored.url, source=stored.source)

    def done(self, job, fresh: Article | None) -> None:
        stored, _ = job
        if fresh is None:
            self.result.not_article += 1
            return
        change = compare(stored, fresh)
        if change is None:
            self.result.unchanged += 1
            return
        self.result.changes.append(change)
        self.pending.append(fresh)
        if len(self.pending) >= BATCH:
            self.flush()

    def failed(self, job, exc: BaseException) -> None:
        self.result.errors.append(f"{job[0].url}: {type(exc).__name__}: {exc}")

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        stored = self.writer.write(batch, rewrite=True)
        self.result.errors += [f"{a.url}: not written" for a in batch if a.id not in stored]
        self.result.spooled = sum(v for k, v in self.stats.get_stats().items()
                                  if k.endswith("/spooled") and k.count("/") == 2)


def reprocess(index, query: Node, nlp_only: bool = False, nlp: bool = True, sources: list[Source] | None = None,
              gazetteers: list[str] | None = None, workers: int = 0) -> ReprocessResult:
    """Reprocess every article matching `query`; blocks until done."""
    with work.pool(workers, nlp, gazetteers or []) as pool:
        workers = work.pool_size(workers)
        job = _Reprocess(index, pool, workers, nlp_only, nlp, sources or [])
        in_flight = IN_FLIGHT_PER_WORKER * workers

        def batches():
            chunk: list[Article] = []
            # Read in full before writing: a rewrite must not move rows under the open cursor.
            for article in list(index.export(query)):
                job.result.matched += 1
                chunk.append(article)
                if len(chunk) >= BATCH:
                    yield from job.jobs(chunk)
                    chunk = []
            yield from job.jobs(chunk)

        async def run() -> None:
            try:
                await drive(batches(), job.run, job.done, job.failed, in_flight, waiting=job.ingest.keep_workers_busy)
            finally:
                job.ingest.close()
        asyncio.run(run())
        job.flush()
    return job.result
