"""The CPU-heavy steps, run in worker processes so that fetching, extraction, NLP and indexing
overlap and use every core: Scrapy's reactor thread only moves bytes."""
from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Executor, Future, ProcessPoolExecutor

from .extract import Extracted, Hints, extract

logger = logging.getLogger(__name__)

_config: dict = {}
_analyzer = None


def init_worker(nlp_enabled: bool, gazetteers: list[str]) -> None:
    _config.update(nlp_enabled=nlp_enabled, gazetteers=gazetteers)


def extract_page(body: bytes, url: str, hints: dict, header_charset: str | None,
                 language: str | None, timezone: str | None) -> Extracted:
    return extract(body, url, Hints(title=hints.get("title"), published=hints.get("published"),
                                    authors=tuple(hints.get("authors") or ()), language=language,
                                    timezone=timezone), header_charset)


def analyzer():
    """The spaCy pipeline, loaded once per worker on first use (it takes a second or two)."""
    global _analyzer
    if _analyzer is None:
        from nlp import Analyzer, Gazetteer
        _analyzer = Analyzer(Gazetteer.load(_config.get("gazetteers") or None))
    return _analyzer


def analyze(texts: list[str]):
    if not _config.get("nlp_enabled", True):
        return [None] * len(texts)
    return analyzer().analyze_many(texts)


def pool(workers: int, nlp_enabled: bool, gazetteers: list[str]) -> ProcessPoolExecutor:
    """The worker processes of a crawl, import or reprocess (workers=0: one per core).
    'spawn': forking a process that runs Twisted's reactor and threads is unsafe."""
    return ProcessPoolExecutor(workers or multiprocessing.cpu_count(), mp_context=multiprocessing.get_context("spawn"),
                               initializer=init_worker, initargs=(nlp_enabled, gazetteers))


class InlineExecutor(Executor):
    """Runs the same worker functions in this process (`policywatch extract`, single-process
    reference figures in the benchmarks)."""

    def __init__(self, nlp_enabled: bool, gazetteers: list[str]):
        init_worker(nlp_enabled, gazetteers)

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:      # handed to the caller through the future, as a pool does
            future.set_exception(exc)
        return future
