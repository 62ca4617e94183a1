"""Runs the ingest path over pages that are already on disk (`policywatch import`, `reprocess`):
the crawl's worker processes, a bounded number of pages in flight, batched writes, a progress
line every few seconds."""
from __future__ import annotations

import asyncio
import logging
import sys
import time
from typing import Awaitable, Callable, Iterable

from ingest.stats import PREFIX

logger = logging.getLogger(__name__)

# Pages in the works per worker: several spaCy batches (16) each, so that while a batch is being
# tagged, the pages of the next ones are being extracted and no worker waits for work.
IN_FLIGHT_PER_WORKER = 64


async def drive(jobs: Iterable, run: Callable[[object], Awaitable], done: Callable[[object, object], None],
                failed: Callable[[object, BaseException], None], in_flight: int,
                progress: Callable[[], None] | None = None, every: float = 10.0,
                waiting: Callable[[], None] = lambda: None) -> None:
    """Run `run(job)` for every job with at most `in_flight` at once; `done(job, result)` or
    `failed(job, exc)` as each finishes (in this thread, so they may write to the index);
    `waiting()` whenever no job can be added until one finishes (Ingest.keep_workers_busy)."""
    pending: dict[asyncio.Future, object] = {}
    last = time.monotonic()

    async def reap_some() -> None:
        await asyncio.sleep(0)          # the jobs just added start before the workers are looked at
        waiting()
        finished, _ = await asyncio.wait(list(pending), return_when=asyncio.FIRST_COMPLETED)
        for task in finished:
            job = pending.pop(task)
            if task.exception() is not None:
                failed(job, task.exception())
            else:
                done(job, task.result())

    def report() -> None:
        nonlocal last
        if progress and time.monotonic() - last >= every:
            progress()
            last = time.monotonic()

    for job in jobs:
        pending[asyncio.ensure_future(run(job))] = job
        if len(pending) >= in_flight:
            await reap_some()
        report()
    while pending:
        await reap_some()
        report()


def progress_line(stats, started: float, what: str) -> Callable[[], None]:
    """A progress printer in the crawl's words (pages, new, updated, unchanged, skipped, errors)."""
    def report() -> None:
        values = stats.get_stats()
        total = lambda outcome: sum(v for k, v in values.items()
                                    if k.startswith(PREFIX + "/") and k.endswith("/" + outcome) and k.count("/") == 2)
        print(f"… {time.monotonic() - started:.0f}s: {what()}: {total('pages_fetched')} pages, {total('new')} new, "
              f"{total('updated')} updated, {total('unchanged')} unchanged, {total('skipped')} skipped, "
              f"{total('errors')} errors", file=sys.stderr, flush=True)
    return report
