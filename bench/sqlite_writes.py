"""The SQLite write path alone, in CPU time: what bench/index_bench.py's SQLite load measures,
without Elasticsearch, so a change to index/sqlite/writes.py can be judged on a shared machine.

    python bench/sqlite_writes.py [--articles 20000] [--batch 2000] [--profile FILE]

Loads index_bench's synthetic articles (MinHash signatures computed beforehand, as the crawl's
workers do) into a temporary SQLite file through bulk_load() and write(), and prints articles per
CPU-second overall and over the first and the last tenth (flat = the same cost per article as
the collection grows), with wall-clock rate and the load average beside them."""
from __future__ import annotations

import argparse
import cProfile
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.index_bench import synthesise  # noqa: E402
from index.sqlite import SQLiteIndex  # noqa: E402


def load(ix: SQLiteIndex, articles: list, batch: int) -> list[tuple[int, float]]:
    """(articles, CPU seconds) per write() call."""
    costs = []
    with ix.bulk_load():
        for start in range(0, len(articles), batch):
            part = articles[start:start + batch]
            begun = time.process_time()
            result = ix.write(part)
            costs.append((len(part), time.process_time() - begun))
            assert not result.failed, result.failed[:3]
    return costs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=2000, help="articles per write() call")
    parser.add_argument("--profile", help="write a cProfile of the load to this file")
    args = parser.parse_args()

    articles = synthesise(args.articles)
    with tempfile.TemporaryDirectory(prefix="pw-sqlw-") as tmp:
        ix = SQLiteIndex(Path(tmp) / "bench.db")
        profiler = cProfile.Profile() if args.profile else None
        wall = time.perf_counter()
        if profiler:
            profiler.enable()
        costs = load(ix, articles, args.batch)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        wall = time.perf_counter() - wall
        ix.close()
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    tenth = max(1, len(costs) // 10)
    rate = lambda part: sum(n for n, _ in part) / sum(t for _, t in part)
    print(f"{args.articles:,} articles, batch {args.batch}: {rate(costs):,.0f} articles per CPU-second "
          f"(first tenth {rate(costs[:tenth]):,.0f}, last tenth {rate(costs[-tenth:]):,.0f}); "
          f"wall {args.articles / wall:,.0f}/s; {size / args.articles:,.0f} bytes per article on disk; "
          f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
