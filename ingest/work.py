"""The CPU-heavy steps, run in worker processes so that fetching, extraction, NLP and indexing
overlap and use every core: Scrapy's reactor thread only moves bytes."""
from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor

from index import dedup

from common.logs import quiet_libraries

from extract.article import Extracted, Hints, extract

logger = logging.getLogger(__name__)

_config: dict = {}
_analyzer = None


PR_SET_PDEATHSIG = 1          # from <linux/prctl.h>
WATCH_SECONDS = 1.0           # how often a worker checks that its crawl is still alive


def init_worker(nlp_enabled: bool, gazetteers: list[str], crawl_pid: int | None = None, loads=None) -> None:
    """`loads`: a counter shared with the process that started the pool (WorkerPool.nlp_loads).
    The spaCy pipeline is not loaded here but by the first text to analyse (analyzer()): a crawl
    that finds nothing new, or an extraction without NLP, never pays its second of start-up."""
    _config.update(nlp_enabled=nlp_enabled, gazetteers=gazetteers, loads=loads)
    quiet_libraries()            # a worker has no -v: its libraries' per-page errors are counted skips
    if crawl_pid is not None:
        die_with(crawl_pid)


def die_with(parent: int) -> None:
    """Exit when the crawl process dies, however it dies (SIGKILL and the OOM killer give it no
    chance to stop its workers). Linux: the kernel sends SIGTERM at once (PR_SET_PDEATHSIG).
    Elsewhere, and as a backstop: a thread that sees the worker re-parented exits it."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):      # no libc symbol: the watchdog alone does it
            logger.debug("prctl(PR_SET_PDEATHSIG) unavailable")
    if os.getppid() != parent:                  # died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="crawl-watchdog", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def extract_page(body: bytes, url: str, hints: dict, header_charset: str | None,
                 language: str | None, timezone: str | None) -> Extracted:
    return extract(body, url, Hints(title=hints.get("title"), published=hints.get("published"),
                                    authors=tuple(hints.get("authors") or ()), language=language,
                                    timezone=timezone), header_charset)


def extract_and_sign(body: bytes, url: str, hints: dict, header_charset: str | None,
                     language: str | None, timezone: str | None) -> tuple[Extracted, str | None]:
    """extract_page, plus the body's MinHash signature for story clustering (index/dedup.py):
    half a millisecond of numpy per article that would otherwise run in the index writer, on
    the reactor's thread."""
    extracted = extract_page(body, url, hints, header_charset, language, timezone)
    if not extracted.is_article:
        return extracted, None
    return extracted, dedup.fingerprint("\n\n".join(extracted.body))


def analyzer():
    """The spaCy pipeline, loaded once per worker on first use (it takes a second or two)."""
    global _analyzer
    if _analyzer is None:
        from nlp import Analyzer, Gazetteer
        _analyzer = Analyzer(Gazetteer.load(_config.get("gazetteers") or None))
        if (loads := _config.get("loads")) is not None:
            with loads.get_lock():
                loads.value += 1
    return _analyzer


def analyze(texts: list[str], languages: list[str | None] | None = None):
    """Entities and actions of each text; `languages` (one per text) keeps the English model's NER
    off texts in other languages (nlp/analyzer.py)."""
    if not _config.get("nlp_enabled", True):
        return [None] * len(texts)
    return analyzer().analyze_many(texts, languages=languages)


def pool_size(workers: int) -> int:
    """How many worker processes `workers` asks for: 0 means one per core."""
    return workers or multiprocessing.cpu_count()


class WorkerPool(ProcessPoolExecutor):
    """The worker processes of a crawl, import, reprocess or multi-file extract, and how many of
    them have loaded the spaCy pipeline (nlp_loads: logged and counted by the crawl, so that a
    crawl that found nothing new shows it paid no model start-up)."""

    def __init__(self, size: int, nlp_enabled: bool, gazetteers: list[str]):
        context = multiprocessing.get_context("spawn")
        self.loads = context.Value("i", 0)
        super().__init__(size, mp_context=context, initializer=init_worker,
                         initargs=(nlp_enabled, gazetteers, os.getpid(), self.loads))

    def nlp_loads(self) -> int:
        return self.loads.value


def pool(workers: int, nlp_enabled: bool, gazetteers: list[str]) -> WorkerPool:
    """The worker processes (workers=0: one per core), started at once, so that their imports
    (extraction's libraries, a second of CPU) overlap the crawl's first feeds and listings; each
    loads spaCy only when the first text reaches it.
    'spawn': forking a process that runs Twisted's reactor and threads is unsafe."""
    size = pool_size(workers)
    executor = WorkerPool(size, nlp_enabled, gazetteers)
    for _ in range(size):           # with 'spawn' the pool starts one process per call submitted
        executor.submit(_started)
    return executor


def _started() -> None:
    """A call that only makes the pool start a process."""


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
