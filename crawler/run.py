"""Run one crawl in this process and return its per-source summary (what `policywatch crawl` prints)."""
from __future__ import annotations

import logging

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from . import settings as default_settings
from .spiders.news import NewsSpider
from .stats import SourceSummary, summarize

logger = logging.getLogger(__name__)


def crawl_settings(sources_file: str | None, index_url: str, overrides: dict | None = None) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    if sources_file:
        settings.set("POLICYWATCH_SOURCES", str(sources_file), priority="cmdline")
    settings.set("POLICYWATCH_INDEX", index_url, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(source_names: list[str], settings: Settings) -> tuple[list[SourceSummary], dict]:
    """Crawl once; blocks until done. Returns the per-source summaries and the raw Scrapy stats."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, source=",".join(source_names) if source_names else None)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    spider = crawler.spider
    names = [s.name for s in getattr(spider, "sources", [])] if spider else source_names
    return summarize(stats, names), stats
