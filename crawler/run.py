"""Run one crawl in this process and return its per-source summary (what `policywatch crawl` prints)."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from twisted.logger import globalLogBeginner

from index import IndexFailure, open_index

from . import settings as default_settings
from .checks import check_settings
from ingest.outcome import CRASH_KEY, RUNS_RECORDED_KEY, source_runs
from .spiders.news import NewsSpider
from ingest.stats import SourceSummary, summarize

logger = logging.getLogger(__name__)


@dataclass
class CrawlResult:
    summaries: list[SourceSummary]
    stats: dict                   # Scrapy's raw stats
    crash: str | None = None      # why the crawl stopped before its end, in one line

    @property
    def failed(self) -> list[SourceSummary]:
        return [s for s in self.summaries if s.outcome == "failed"]


def crawl_settings(sources_file: str | None, index_url: str, overrides: dict | None = None) -> Settings:
    """The crawl's settings; raises checks.SettingsError for one that cannot be used."""
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    if sources_file:
        settings.set("POLICYWATCH_SOURCES", str(sources_file), priority="cmdline")
    settings.set("POLICYWATCH_INDEX", index_url, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    check_settings(settings)
    return settings


class _CrashWatch(logging.Handler):
    """Twisted logs an exception that reached the reactor (a timed call, a Deferred nobody
    handled) as CRITICAL and goes on: the crawl's result can no longer be trusted, so it is
    noted as the crawl's crash (the pipeline then records the runs as failed)."""

    def __init__(self, crawler):
        super().__init__(logging.CRITICAL)
        self.crawler = crawler

    def emit(self, record: logging.LogRecord) -> None:
        lines = [line.strip() for line in record.getMessage().splitlines() if line.strip()]
        try:
            stats = self.crawler.stats
        except RuntimeError:          # before the crawl started: the crawl's own Deferred fails too
            return
        if stats.get_value(CRASH_KEY):
            return
        if record.exc_info and record.exc_info[1] is not None:
            error = f"{type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        else:                          # the traceback is in the message text; its last line names the error
            error = lines[-1].removeprefix("builtins.") if lines else "an unexpected error"
        context = lines[0].rstrip(":") if lines else ""
        stats.set_value(CRASH_KEY, f"{error} ({context})" if context and context != error else error)


def run_crawl(source_names: list[str], settings: Settings) -> CrawlResult:
    """Crawl once; blocks until done. A crash (an exception that stops the crawl or reaches the
    reactor, a worker process that died) does not raise: it is the result's `crash`, and the runs
    are recorded as failed."""
    process = CrawlerProcess(settings)
    # Twisted prints errors to stderr itself until told where logging goes; Scrapy already sends
    # them to Python logging (the "twisted" logger), where the CLI decides about tracebacks.
    globalLogBeginner.beginLoggingTo([], discardBuffer=True, redirectStandardIO=False)
    crawler = process.create_crawler(NewsSpider)
    watch = _CrashWatch(crawler)
    logging.getLogger("twisted").addHandler(watch)
    crashes = []
    try:
        done = process.crawl(crawler, source=",".join(source_names) if source_names else None)
        done.addErrback(crashes.append)      # handled here: no "Unhandled error in Deferred"
        process.start()
    finally:
        logging.getLogger("twisted").removeHandler(watch)
    stats = crawler.stats.get_stats() if crawler.stats else {}
    if crashes:
        failure = crashes[0]
        logger.info("the crawl crashed", exc_info=(failure.type, failure.value, failure.getTracebackObject()))
        stats.setdefault(CRASH_KEY, f"{failure.type.__name__}: {failure.getErrorMessage()}".splitlines()[0])
    spider = crawler.spider
    names = [s.name for s in getattr(spider, "sources", [])] if spider else source_names
    if stats.get(CRASH_KEY) and not stats.get(RUNS_RECORDED_KEY):
        _record_failed(settings, stats, names)
    return CrawlResult(summarize(stats, names), stats, stats.get(CRASH_KEY))


def _record_failed(settings: Settings, stats: dict, names: list[str]) -> None:
    """A crawl that crashed before its pipeline recorded anything still shows in `status`."""
    try:
        index = open_index(settings.get("POLICYWATCH_INDEX"), **settings.getdict("POLICYWATCH_INDEX_OPTIONS"))
        try:
            index.record_runs(source_runs(stats, names, settings.get("POLICYWATCH_SOURCES")))
        finally:
            index.close()
    except IndexFailure as exc:
        logger.warning("could not record this crawl run: %s", exc)
