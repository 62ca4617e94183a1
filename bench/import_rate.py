"""`policywatch import` rate on every core vs the single-process ingest rate of the same pages,
measured in the same run, and the archive's bytes per article.

    python bench/import_rate.py [--articles 600] [--no-nlp]

A crawl of the local sample newsroom writes the WARC files (untimed); `policywatch import`
reads them into a fresh SQLite index (timed, a subprocess, worker start-up included); then the
same pages go through the ingest path (extraction + NLP) in this one process (timed)."""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crawl_rate import FAST, single_process_rates  # noqa: E402
from bench.machine import cpu_model  # noqa: E402

from crawler.archive import read_records, responses, summary  # noqa: E402
from crawler.ingest import Page  # noqa: E402
from index import open_index  # noqa: E402
from newsroom import sources_yaml  # noqa: E402
from newsroom.server import start  # noqa: E402


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600, help="at least this many articles (default 600)")
    parser.add_argument("--no-nlp", action="store_true")
    args = parser.parse_args()
    nlp = not args.no_nlp
    newsroom = start(scale=max(0, args.articles // 2))
    try:
        outlets = [o for o in newsroom.urls if o != "faults"]
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            sources = tmp / "sources.yaml"
            sources.write_text(sources_yaml(newsroom.urls))
            crawled, imported = tmp / "crawl" / "index.db", tmp / "import" / "index.db"
            cli("crawl", "--sources", str(sources), "--index", f"sqlite:///{crawled}",
                *[a for o in outlets for a in ("--source", o)], *FAST, *([] if nlp else ["--no-nlp"]))
            archive = crawled.parent / "archive"
            elapsed = cli("import", str(archive), "--index", f"sqlite:///{imported}", "--sources", str(sources),
                          *([] if nlp else ["--no-nlp"]))
            n_crawled, n_imported = articles(crawled), articles(imported)
            pages = archived_pages(archive)
            extract_rate, nlp_rate = single_process_rates(pages, nlp)
            size = summary(archive)
    finally:
        newsroom.stop()
    single = 1 / (1 / extract_rate + 1 / nlp_rate) if nlp_rate else extract_rate
    import_rate = len(pages) / elapsed
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}")
    print(f"import ({'extraction + NLP + SQLite' if nlp else 'extraction + SQLite, no NLP'}), every core: "
          f"{len(pages)} archived pages -> {n_imported} articles (the crawl indexed {n_crawled}) in {elapsed:.1f} s "
          f"= {import_rate:.1f} pages/s, worker start-up included")
    print(f"ingest path in one process, same pages: {single:.1f} pages/s (extraction alone {extract_rate:.1f}/s"
          + (f", NLP alone {nlp_rate:.1f}/s)" if nlp_rate else ")"))
    print(f"import / single-process rate: {import_rate / single:.2f}x (goal >= 1.8x on 2 cores)")
    print(f"archive: {size['files']} file(s), {size['records']} records, {size['bytes'] / 1e6:.1f} MB = "
          f"{size['bytes'] / max(n_crawled, 1) / 1024:.1f} KiB per article (gzip per record; request, response "
          f"and metadata records of every article page fetched)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
