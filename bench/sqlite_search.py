"""SQLite search alone, on a collection file kept between runs: the 20 queries of
bench/index_bench.py, each query's median CPU and wall time, and p50/p95 over all runs.

    python bench/sqlite_search.py --file /tmp/pw-100k.db [--articles 100000] [--repeat 7]

The file is built on first use from index_bench's synthetic articles (story clustering off: what
is measured here is search, and a 100,000-article load takes minutes instead of an hour). Run the
script from two checkouts on the same file to compare search code before and after a change in
one sitting. CPU time is printed beside wall time: on a shared machine the wall time mostly
measures the other jobs, while a query's CPU time is its own."""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.index_bench import QUERIES, clustering_off, load, percentile, synthesise  # noqa: E402
from bench.machine import cpu_model  # noqa: E402

from index import SearchRequest, parse  # noqa: E402
from index.sqlite import SQLiteIndex  # noqa: E402


def build(path: Path, articles: int) -> None:
    with clustering_off(synthesise(articles)) as unsigned:          # no clustering: see above
        ix = SQLiteIndex(path)
        try:
            rate = load(ix, unsigned, 2000)[0]
            ix.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            ix.close()
    print(f"built {path} with {articles:,} articles at {rate:,.0f}/s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, required=True, help="the SQLite collection (built if missing)")
    parser.add_argument("--articles", type=int, default=100_000, help="articles, when the file is built")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each query")
    args = parser.parse_args()
    if not args.file.exists():
        build(args.file, args.articles)
    ix = SQLiteIndex(args.file)
    cpu_all, wall_all = [], []
    print(f"{'query (ms)':24}{'CPU p50':>9}{'wall p50':>10}{'matches':>10}")
    try:
        articles = ix.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        for label, text, options in QUERIES:
            request = SearchRequest(parse(text), limit=20, **options)
            total = ix.search(request).total_text()                      # warm-up
            cpu, wall = [], []
            for _ in range(args.repeat):
                started, used = time.perf_counter(), time.process_time()
                ix.search(request)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - used) * 1000)
            cpu_all += cpu
            wall_all += wall
            print(f"  {label:22}{statistics.median(cpu):>9.1f}{statistics.median(wall):>10.1f}{total:>10}", flush=True)
    finally:
        ix.close()
    print(f"\nmachine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; {articles:,} articles, {args.repeat} timed runs per query")
    print(f"search p50 / p95: CPU {percentile(cpu_all, 50):.1f} / {percentile(cpu_all, 95):.1f} ms, "
          f"wall {percentile(wall_all, 50):.1f} / {percentile(wall_all, 95):.1f} ms (goal: p95 <= 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
