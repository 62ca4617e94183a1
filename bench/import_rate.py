"""`policywatch import` rate on every core vs the single-process ingest rate of the same pages,
measured in the same run, and the archive's bytes per article.

    python bench/import_rate.py [--articles 600] [--no-nlp]

A crawl of the local sample newsroom writes the WARC files (untimed); `policywatch import`
reads them into a fresh SQLite index (timed, a subprocess, worker start-up included); then the
same pages go through the ingest path (extraction + NLP) in this one process (timed)."""
from __future__ import annotations

import multiprocessing
import os
import platform
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crawl_rate import FAST, arguments, local_newsroom, single_process_rates  # noqa: E402
from bench.machine import cpu_model  # noqa: E402

from ingest import work  # noqa: E402
from archive.warc import read_records, responses, summary  # noqa: E402
from ingest.pages import Page  # noqa: E402
from ingest.sources import load_sources  # noqa: E402
from archive.warc_import import ImportOptions, import_warcs, warc_paths  # noqa: E402
from index import open_index  # noqa: E402


def cli(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "policywatch.cli", *args], cwd=ROOT, check=True, capture_output=True,
                   text=True)
    return time.perf_counter() - started


def articles(db: Path) -> int:
    ix = open_index(f"sqlite:///{db}")
    try:
        return ix.stats()["articles"]
    finally:
        ix.close()


def warm_import(archive: Path, db: Path, sources: Path, nlp: bool) -> float:
    """The import itself (import_warcs, as the command runs it) with its worker processes started
    and their models loaded beforehand, as the single-process figure has its model loaded."""
    pool = work.pool(0, nlp, [])
    try:
        # one warm-up per worker: each loads extraction and spaCy before the clock starts
        warm = [pool.submit(work.analyze, ["warm up the model"]) for _ in range(os.cpu_count() or 1)]
        warm += [pool.submit(work.extract_page, b"<html><p>warm</p></html>", "http://x/", {}, None, None, None)
                 for _ in range(os.cpu_count() or 1)]
        for future in warm:
            future.result()
        options = ImportOptions(sources=load_sources(sources), only_listed=True, nlp=nlp, progress_seconds=0)
        index = open_index(f"sqlite:///{db}")
        started = time.perf_counter()
        import_warcs(warc_paths([str(archive)]), index, options, pool=pool)
        elapsed = time.perf_counter() - started
        index.close()
        return elapsed
    finally:
        pool.shutdown()


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def parallelism() -> float:
    """How many cores this run really gets now: a pure-CPU job on one process per core vs one
    process (2.0 on an idle 2-core machine; a shared machine gives less, and so will import)."""
    jobs = [2_000_000] * (2 * (os.cpu_count() or 1))
    started = time.perf_counter()
    for n in jobs:
        _burn(n)
    one = time.perf_counter() - started
    with ProcessPoolExecutor(os.cpu_count(), mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_burn, [10] * (os.cpu_count() or 1)))
        started = time.perf_counter()
        list(pool.map(_burn, jobs))
        return one / (time.perf_counter() - started)


def archived_pages(archive: Path) -> list[Page]:
    pages = []
    for path in sorted(archive.glob("*.warc.gz")):
        for record, meta in responses(read_records(path)):
            if record.type == "response" and record.status == 200:
                pages.append(Page(source=meta.get("source") or "bench", url=record.url, body=record.body,
                                  fetched=record.date or "", header_charset=record.charset,
                                  hints=meta.get("hints") or {}))
    return pages


def main() -> int:
    args = arguments(__doc__).parse_args()
    nlp = not args.no_nlp
    with local_newsroom(args.articles) as (outlets, tmp, sources):
        crawled, imported = tmp / "crawl" / "index.db", tmp / "import" / "index.db"
        cli("crawl", "--sources", str(sources), "--index", f"sqlite:///{crawled}",
            *[a for o in outlets for a in ("--source", o)], *FAST, *([] if nlp else ["--no-nlp"]))
        archive = crawled.parent / "archive"
        command = cli("import", str(archive), "--index", f"sqlite:///{imported}", "--sources", str(sources),
                      *([] if nlp else ["--no-nlp"]))
        elapsed = warm_import(archive, tmp / "warm" / "index.db", sources, nlp)
        n_crawled, n_imported = articles(crawled), articles(imported)
        pages = archived_pages(archive)
        extract_rate, nlp_rate, _ = single_process_rates(pages, nlp)
        cores = parallelism()
        size = summary(archive)
    single = 1 / (1 / extract_rate + 1 / nlp_rate) if nlp_rate else extract_rate
    import_rate = len(pages) / elapsed
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}")
    print(f"import ({'extraction + NLP + SQLite' if nlp else 'extraction + SQLite, no NLP'}), every core, workers "
          f"warm: {len(pages)} archived pages -> {n_imported} articles (the crawl indexed {n_crawled}) in "
          f"{elapsed:.1f} s = {import_rate:.1f} pages/s")
    print(f"the whole `policywatch import` command, start-up and model loading included: {command:.1f} s "
          f"= {len(pages) / command:.1f} pages/s")
    print(f"ingest path in one process, same pages: {single:.1f} pages/s (extraction alone {extract_rate:.1f}/s"
          + (f", NLP alone {nlp_rate:.1f}/s)" if nlp_rate else ")"))
    print(f"import / single-process rate: {import_rate / single:.2f}x (goal >= 1.8x on 2 cores); the same "
          f"ratio for a pure-CPU job in this run: {cores:.2f}x (the cores this run really got)")
    print(f"archive: {size['files']} file(s), {size['bytes'] / 1e6:.1f} MB = "
          f"{size['bytes'] / max(n_crawled, 1) / 1024:.1f} KiB per article (gzip per record; request, response "
          f"and metadata records of every article page fetched)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
