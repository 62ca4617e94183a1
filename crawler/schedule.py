"""When each source is due, and the long-running scheduler (`policywatch schedule`).

A source's `schedule` (ingest/due.py) is an interval (`90s`, `30m`, `2h`, `1d`) or a cron
expression (`*/30 * * * *`, evaluated in UTC). A source without one is crawled only when asked."""
from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone

from index.base import IndexFailure

from ingest.due import Schedule
from ingest.sources import Source

logger = logging.getLogger(__name__)

# Alerts (`policywatch alert run --due`, a child process like the crawls) run after each crawl
# ends, and this often without one, so a daily digest goes out on time on a quiet day.
ALERT_EVERY = 300.0


def due_sources(sources: list[Source], last_started: dict[str, datetime], now: datetime) -> list[Source]:
    """Scheduled sources never crawled, or whose next time after the last run has come."""
    due = []
    for source in sources:
        if not source.schedule:
            continue
        last = last_started.get(source.name)
        if last is None or Schedule(source.schedule).next_after(last) <= now:
            due.append(source)
    return due


class Scheduler:
    """Starts `policywatch crawl` for due sources, one child process per batch, never two crawls of
    the same source at once. SIGTERM/SIGINT: no new crawls; running ones are asked to stop (Scrapy
    finishes its in-flight requests and writes what it has), then the scheduler exits."""

    def __init__(self, sources: list[Source], last_started, crawl_args: list[str], tick: float = 30.0,
                 clock=lambda: datetime.now(timezone.utc), alert_args: list[str] | None = None):
        self.sources, self.last_started, self.crawl_args = sources, last_started, crawl_args
        self.tick, self.clock = tick, clock
        self.running: dict[subprocess.Popen, list[str]] = {}
        self.stopping = False
        self.alert_args = alert_args          # None: alerts are not this scheduler's job
        self.alerting: subprocess.Popen | None = None
        self.alerts_ran = float("-inf")        # time.monotonic() of the last alert run's start

    def _stop(self, signum, frame):
        logger.warning("received %s: finishing running crawls, starting no new ones", signal.Signals(signum).name)
        self.stopping = True
        for child in self.running:
            child.send_signal(signal.SIGTERM)

    def busy(self) -> set[str]:
        return {name for names in self.running.values() for name in names}

    def reap(self) -> None:
        crawled = False
        for child in [c for c in self.running if c.poll() is not None]:
            names = self.running.pop(child)
            crawled = True
            logger.info("crawl of %s ended with exit code %s", ", ".join(names), child.returncode)
        if self.alerting is not None and self.alerting.poll() is not None:
            logger.info("alert run ended with exit code %s", self.alerting.returncode)
            self.alerting = None
        if crawled or time.monotonic() - self.alerts_ran >= ALERT_EVERY:
            self.run_alerts()

    def run_alerts(self) -> None:
        """Start `policywatch alert run --due` unless one is running (it sends what it finds)."""
        if self.alert_args is None or self.alerting is not None or self.stopping:
            return
        self.alerts_ran = time.monotonic()
        self.alerting = subprocess.Popen([sys.executable, "-m", "policywatch.cli", "alert", "run", "--due",
                                          *self.alert_args])

    def launch_due(self) -> list[str]:
        now = self.clock()
        try:
            started = self.last_started()
        except IndexFailure as exc:
            # the index is briefly away (a node restarting, shards of a new runs index not yet
            # started): a scheduler runs for months, so it says so and asks again next tick
            logger.warning("cannot read the last crawl runs (%s); trying again in %.0f s", exc, self.tick)
            return []
        due = [s.name for s in due_sources(self.sources, started, now) if s.name not in self.busy()]
        if due:
            args = [sys.executable, "-m", "policywatch.cli", "crawl", *self.crawl_args,
                    *[a for name in due for a in ("--source", name)]]
            logger.info("starting a crawl of %s", ", ".join(due))
            self.running[subprocess.Popen(args)] = due
        return due

    def run(self, max_ticks: int | None = None) -> int:
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        ticks = 0
        try:
            while not self.stopping and (max_ticks is None or ticks < max_ticks):
                self.reap()
                self.launch_due()
                ticks += 1
                deadline = time.monotonic() + self.tick
                while not self.stopping and time.monotonic() < deadline:
                    time.sleep(min(0.5, self.tick))
                    self.reap()
            for child in list(self.running):
                child.wait()
            self.reap()
            if self.alerting is not None:
                self.alerting.wait()
            return 0
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
