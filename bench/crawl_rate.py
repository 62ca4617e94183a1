"""End-to-end crawl rate against the local sample newsroom, with the bare extraction rate of the
same pages, measured in the same run, as the reference.

    python bench/crawl_rate.py [--articles 600] [--no-nlp]

The crawl fetches over real HTTP, extracts and tags in worker processes and writes to a fresh
SQLite index. If the crawl's rate is close to (or above) the single-process extraction rate,
fetching and indexing are not the bottleneck: the work overlaps and uses every core."""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_model  # noqa: E402

from crawler import work  # noqa: E402
from crawler.ingest import Counter, Ingest, Page, analysis_text  # noqa: E402
from index import open_index  # noqa: E402
from newsroom import sources_yaml  # noqa: E402
from newsroom.server import start  # noqa: E402

FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false", "--set", "CONCURRENT_REQUESTS=32",
        "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--set", "POLICYWATCH_WRITE_BATCH=200",
        "--set", "RETRY_BACKOFF_BASE=0.05"]   # the newsroom's deliberate 500s must not dominate the timing


def crawl(sources: Path, db: Path, outlets: list[str], nlp: bool, profile: Path | None = None) -> tuple[float, int, float]:
    # --profile: the crawler's own process (Scrapy's reactor, IPC to the workers, the index
    # writer) under cProfile; the workers' share shows as time waiting on their results
    runner = ["-m", "cProfile", "-o", str(profile)] if profile else []
    args = [sys.executable, *runner, "-m", "policywatch.cli", "crawl", "--sources", str(sources), "--index", f"sqlite:///{db}",
            *[a for o in outlets for a in ("--source", o)], *FAST] + ([] if nlp else ["--no-nlp"])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)   # crawler + its workers
    ix = open_index(f"sqlite:///{db}")
    n = ix.stats()["articles"]
    ix.close()
    return elapsed, n, cpu


def single_process_rates(pages: list[Page], nlp: bool) -> tuple[float, float | None]:
    """The ingest path (crawler/ingest.py) in this one process: extraction alone, then NLP alone
    on the same texts (articles/s each)."""
    ingest = Ingest(work.InlineExecutor(False, []), None, Counter(), nlp=False, dedupe=False)

    async def extract_all():
        return [await ingest.page(p) for p in pages]
    started = time.perf_counter()
    outcomes = asyncio.run(extract_all())
    extract_rate = len(pages) / (time.perf_counter() - started)
    nlp_rate = None
    if nlp:
        work.init_worker(True, [])
        work.analyze(["warm up the model"])
        texts = [analysis_text(o.article) for o in outcomes if o.article is not None]
        started = time.perf_counter()
        for i in range(0, len(texts), 16):                      # the crawl's spaCy batch size
            work.analyze(texts[i:i + 16])
        nlp_rate = len(texts) / (time.perf_counter() - started)
    return extract_rate, nlp_rate


def bare_rates(db: Path, nlp: bool) -> tuple[float, float | None, int]:
    """Fetch the indexed pages again (untimed), then time extraction and NLP in this one process."""
    ix = open_index(f"sqlite:///{db}")
    urls = [a.url for a in ix.export(__import__("index").parse(""))]
    ix.close()
    pages = []
    for url in urls:
        with urllib.request.urlopen(url, timeout=10) as r:
            pages.append(Page(source="bench", url=r.geturl(), body=r.read(), fetched="",
                              header_charset=r.headers.get_content_charset()))
    extract_rate, nlp_rate = single_process_rates(pages, nlp)
    return extract_rate, nlp_rate, len(pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600, help="at least this many articles (default 600)")
    parser.add_argument("--no-nlp", action="store_true")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the crawler process here and print its top")
    args = parser.parse_args()
    nlp = not args.no_nlp
    # Two outlets carry the hand-written articles; synthetic ones top them up to the target.
    newsroom = start(scale=max(0, args.articles // 2))
    try:
        outlets = [o for o in newsroom.urls if o != "faults"]
        with tempfile.TemporaryDirectory() as tmp:
            sources = Path(tmp) / "sources.yaml"
            sources.write_text(sources_yaml(newsroom.urls))
            db = Path(tmp) / "bench.db"
            elapsed, n, cpu = crawl(sources, db, outlets, nlp, args.profile)
            extract_rate, nlp_rate, pages = bare_rates(db, nlp)
    finally:
        newsroom.stop()
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}")
    print(f"crawl end-to-end ({'extraction + NLP + SQLite' if nlp else 'extraction + SQLite, no NLP'}): "
          f"{n} articles in {elapsed:.1f} s = {n / elapsed:.1f} articles/s "
          f"(crawler and its workers kept {cpu / elapsed:.2f} cores busy; the newsroom server shares the machine)")
    print(f"bare extraction, one process, same {pages} pages: {extract_rate:.1f} articles/s")
    if nlp_rate:
        both = 1 / (1 / extract_rate + 1 / nlp_rate)
        print(f"bare NLP, one process: {nlp_rate:.1f} articles/s; extraction + NLP in one process: {both:.1f} articles/s")
        print(f"crawl / single-process work rate: {n / elapsed / both:.2f}x")
    else:
        print(f"crawl / single-process extraction rate: {n / elapsed / extract_rate:.2f}x")
    if args.profile:
        import pstats
        print(f"\ncrawler process, by own time (cProfile, {args.profile}):")
        pstats.Stats(str(args.profile)).sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
