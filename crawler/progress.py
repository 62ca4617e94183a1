"""A progress line on standard error every few seconds during long crawls, and a last one when
the crawl has written everything, so that the last line agrees with the summary. Articles are
counted as new/updated/unchanged only once written; until then they show as "in the works"."""
from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from ingest.stats import PENDING_KEY, PREFIX


class Progress:
    def __init__(self, crawler, interval: float):
        self.crawler, self.interval = crawler, interval
        self.started = time.monotonic()
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("POLICYWATCH_PROGRESS_SECONDS", 0)
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler, interval)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider):
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def closed(self, spider, reason):
        # spider_closed comes after the pipeline's last write: this line has the final counts.
        if self.loop and self.loop.running:
            self.loop.stop()
        self.report(final=True)

    def report(self, final: bool = False):
        stats = self.crawler.stats.get_stats()
        total = lambda outcome: sum(v for k, v in stats.items()
                                    if k.startswith(PREFIX + "/") and k.endswith("/" + outcome) and k.count("/") == 2)
        pending = stats.get(PENDING_KEY, 0)
        when = f"done in {time.monotonic() - self.started:.0f}s" if final else f"{time.monotonic() - self.started:.0f}s"
        print(f"… {when}: {total('pages_fetched')} pages fetched, "
              f"{total('new')} new, {total('updated')} updated, {total('unchanged')} unchanged, "
              f"{total('skipped')} skipped, {total('errors')} errors"
              + (f"; {pending} pages in extraction or waiting to be written" if pending and not final else ""),
              file=sys.stderr, flush=True)
