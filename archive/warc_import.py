"""`policywatch import`: index the HTML pages of WARC files (PolicyWatch's own archive, `wget
--warc-file` output, Common Crawl's CC-NEWS) through the crawl's ingest path, on every core.

Each HTTP 200 response record whose type is HTML (or undeclared) is a page: its
WARC-Target-URI is the URL, its WARC-Date the fetch time. The source is --source, else the
sources file's outlet for the URL's site, else the host name."""
from __future__ import annotations

import asyncio
import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from index import Article, IndexFailure
from index.base import ArchiveRef, UrlState

from ingest import work
from .warc import SUFFIXES, NotAWarc, ReadReport, sniff, Record, read_records, responses
from ingest.pages import Counter, Ingest, Page, Writer, article_state
from .offline import IN_FLIGHT_PER_WORKER, drive, progress_line
from ingest.sources import Source
from ingest.stats import SourceSummary, count, summarize
from ingest.urls import normalize_url

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class ImportOptions:
    source: str | None = None                 # --source: every page belongs to this outlet
    sources: list[Source] = field(default_factory=list)   # outlets to match URLs against
    only_listed: bool = False                 # --sources given: keep only pages of those outlets
    date_from: datetime | None = None         # on WARC-Date
    date_to: datetime | None = None
    nlp: bool = True
    gazetteers: list[str] = field(default_factory=list)
    workers: int = 0                          # 0: one per core
    write_batch: int = 200
    progress_seconds: float = 10.0


@dataclass
class ImportResult:
    summaries: list[SourceSummary]
    files: int = 0
    records: int = 0                          # WARC records read
    outside_dates: int = 0                    # pages left out by --from/--to
    unlisted: int = 0                         # pages of outlets not in --sources
    damaged: list[str] = field(default_factory=list)   # "file: torn record at offset N (…)"

    @property
    def errors(self) -> int:
        return sum(s.errors for s in self.summaries)


def warc_paths(paths: list[str]) -> list[Path]:
    """The files to read: each PATH, or the WARC files inside a directory. Raises NotAWarc for a
    missing file or one that does not start like a WARC (checked before any work is done)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            raise NotAWarc(f"{raw}: no such file or directory")
    for path in found:
        try:
            sniff(path)
            first = next(read_records(path, limit=1), None)
        except OSError as exc:
            raise NotAWarc(f"cannot read {path}: {exc.strerror}") from None
        if first is None:
            raise NotAWarc(f"{path} is empty, not a WARC file")
    return found


class _Matcher:
    """URL → outlet: the one whose own URLs share the site (host and port), else the one whose
    allowed domains hold the host."""

    def __init__(self, sources: list[Source]):
        self.sources = sources
        self.by_netloc = {urlsplit(u).netloc.lower(): s for s in sources
                          for u in s.feeds + s.sitemaps + s.start_urls}

    def __call__(self, url: str) -> Source | None:
        parts = urlsplit(url)
        if (found := self.by_netloc.get(parts.netloc.lower())) is not None:
            return found
        return next((s for s in self.sources if s.allows(url)), None)


def _host_name(url: str) -> str:
    host = (urlsplit(url).hostname or "unknown").lower()
    return host[4:] if host.startswith("www.") else host


class _Import:
    def __init__(self, index, options: ImportOptions, pool, workers: int):
        self.index, self.options = index, options
        self.stats = Counter()
        self.ingest = Ingest(pool, index, self.stats, options.nlp, offline_workers=workers)
        self.writer = Writer(index, self.stats)
        self.match = _Matcher(options.sources)
        self.by_name = {s.name: s for s in options.sources}
        self.buffer: list[tuple[Article, Page]] = []
        self.result = ImportResult([])
        self.current = ""

    def pages(self, files: list[Path]) -> Iterator[Page]:
        for path in files:
            self.current = path.name
            report = ReadReport()
            for record, meta in responses(read_records(path, report)):
                page = self._page(record, meta)
                if page is not None:
                    yield page
            self.result.records += report.records
            if report.damaged:
                self.result.damaged.append(f"{path}: {report.damaged}")

    def _page(self, record: Record, meta: dict) -> Page | None:
        if not record.url or not record.url.startswith(("http://", "https://")):
            return None
        o = self.options
        moment = datetime.fromisoformat(record.date.replace("Z", "+00:00")) if record.date else None
        if moment is not None and ((o.date_from and moment < o.date_from) or (o.date_to and moment >= o.date_to)):
            self.result.outside_dates += 1
            return None
        outlet = self.by_name.get(meta.get("source")) if not o.source else None
        outlet = outlet or (self.match(record.url) if not o.source else self.by_name.get(o.source))
        if o.only_listed and outlet is None:
            self.result.unlisted += 1
            return None
        source = o.source or (outlet.name if outlet else meta.get("source") or _host_name(record.url))
        count(self.stats, source, "pages_fetched")
        if record.type == "revisit":
            count(self.stats, source, "skipped", "revisit record (no page)")
            return None
        if record.status != 200:
            count(self.stats, source, "skipped", f"HTTP {record.status}")
            return None
        if record.content_type and record.content_type not in _HTML_TYPES:
            count(self.stats, source, "skipped", f"not HTML ({record.content_type})")
            return None
        fetched = record.date or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return Page(source=source, url=record.url, body=record.body, fetched=fetched,
                    header_charset=record.charset, hints=meta.get("hints") or {},
                    language=outlet.language if outlet else None, timezone=outlet.timezone if outlet else None,
                    archived=(str(Path(record.path).resolve()), record.offset))

    def done(self, page: Page, outcome) -> None:
        if outcome.article is None:
            return
        self.buffer.append((outcome.article, page))
        if len(self.buffer) >= self.options.write_batch:
            self.flush()

    def failed(self, page: Page, exc: BaseException) -> None:
        count(self.stats, page.source, "errors", f"extraction failed ({type(exc).__name__})")
        logger.error("could not extract %s: %s", page.url, exc)

    def flush(self) -> None:
        batch, self.buffer = self.buffer, []
        if not batch:
            return
        stored = self.writer.write([a for a, _ in batch])
        kept = [(a, p) for a, p in batch if a.id in stored]
        refs = [ArchiveRef(a.id, p.archived[0], p.archived[1], p.url, p.fetched) for a, p in kept]
        self.writer.save_archive_refs(refs)
        states = [article_state(a, u, p) for a, p in kept for u in dict.fromkeys((normalize_url(a.url), normalize_url(p.url)))]
        self._save_states(states)

    def _save_states(self, states: list[UrlState]) -> None:
        # So that a later crawl does not fetch again what an import brought in.
        try:
            self.index.save_url_states(states)
        except IndexFailure as exc:
            logger.warning("could not save %d URL states: %s", len(states), exc)


def import_warcs(files: list[Path], index, options: ImportOptions, pool=None) -> ImportResult:
    """Index the pages of these WARC files; blocks until done. `pool`: worker processes already
    started (from work.pool, with the same NLP settings); by default started and stopped here."""
    with (nullcontext(pool) if pool is not None else work.pool(options.workers, options.nlp,
                                                               options.gazetteers)) as pool:
        workers = work.pool_size(options.workers)
        job = _Import(index, options, pool, workers)
        in_flight = IN_FLIGHT_PER_WORKER * workers
        started = time.monotonic()
        progress = progress_line(job.stats, started, lambda: f"importing {job.current}")

        async def run() -> None:
            try:
                await drive(job.pages(files), job.ingest.page, job.done, job.failed, in_flight,
                            progress if options.progress_seconds > 0 else None, options.progress_seconds,
                            job.ingest.keep_workers_busy)
            finally:
                job.ingest.close()
        asyncio.run(run())
        job.flush()
    job.result.files = len(files)
    names = [options.source] if options.source else []
    job.result.summaries = summarize(job.stats.get_stats(), names)
    return job.result
