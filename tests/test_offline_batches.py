"""Import and reprocess (archive/offline.py) batch spaCy work by the workers' needs, not a clock:
full batches while pages keep coming, the rest as soon as no page can add to it."""
from __future__ import annotations

import asyncio

from ingest import pages as ingest_module, work
from ingest.pages import Counter, Ingest, Page
from archive.offline import drive
from test_archive import PARAS, article_html


class RecordingPool(work.InlineExecutor):
    """The worker functions in this process, with the size of every NLP batch noted."""

    def __init__(self):
        super().__init__(nlp_enabled=False, gazetteers=[])     # analyze answers None: no model to load
        self.nlp_batches: list[int] = []

    def submit(self, fn, /, *args, **kwargs):
        if fn is work.analyze:
            self.nlp_batches.append(len(args[0]))
        return super().submit(fn, *args, **kwargs)


def test_offline_ingest_sends_full_nlp_batches_and_the_rest_when_no_page_can_add_to_it(monkeypatch):
    monkeypatch.setattr(ingest_module, "OFFLINE_BACKSTOP", 3600)      # the backstop timer never fires here
    pool = RecordingPool()
    ingest = Ingest(pool, None, Counter(), nlp=True, nlp_batch=16, dedupe=False, offline_workers=1)
    pages = [Page("news", f"https://news.example/story-{i}", article_html(f"Story {i}", PARAS).encode(),
                  "2026-01-01T00:00:00Z") for i in range(40)]
    outcomes, failures = [], []

    async def run() -> None:
        # the timeout only turns a hang (a part batch nobody sends) into a failure
        await asyncio.wait_for(drive(pages, ingest.page, lambda p, o: outcomes.append(o),
                                     lambda p, exc: failures.append(exc), 64, waiting=ingest.keep_workers_busy), 60)
    asyncio.run(run())
    assert failures == []
    assert len(outcomes) == 40 and all(o.article is not None for o in outcomes)
    assert pool.nlp_batches == [16, 16, 8]
