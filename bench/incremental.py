"""A second crawl with nothing new, against the first: requests made and seconds taken.

    python bench/incremental.py [--articles 1000]

Goal (issue: incremental crawling): the second run makes at most 10% of the first run's
requests. Both runs crawl the local sample newsroom into a fresh SQLite index, NLP off (it does
not change how many requests are made)."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsroom import sources_yaml  # noqa: E402
from newsroom.server import start  # noqa: E402

FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false", "--set", "RETRY_BACKOFF_BASE=0.05"]


def crawl(sources: Path, index: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "policywatch.cli", "crawl", "--sources", str(sources), "--index", index,
                          "--source", "yonhap", "--source", "dmr", "--no-nlp", "--format", "json", *FAST],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    elapsed = time.perf_counter() - started
    report = json.loads(out)
    return elapsed, sum(s["pages_fetched"] for s in report), sum(s["new"] + s["updated"] for s in report)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    newsroom = start(outlets=("yonhap", "dmr"), scale=args.articles // 2)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sources = Path(tmp) / "sources.yaml"
            sources.write_text(sources_yaml(newsroom.urls))
            index = f"sqlite:///{tmp}/bench.db"
            before = len(newsroom.requests())
            t1, pages1, stored1 = crawl(sources, index)
            requests1 = len(newsroom.requests()) - before
            before = len(newsroom.requests())
            t2, pages2, stored2 = crawl(sources, index)
            requests2 = len(newsroom.requests()) - before
    finally:
        newsroom.stop()
    print(f"first crawl:  {requests1} requests (robots.txt included), {stored1} articles stored, {t1:.1f} s")
    print(f"second crawl: {requests2} requests, {stored2} articles stored, {t2:.1f} s")
    print(f"second/first: {requests2 / requests1:.1%} of the requests, {t2 / t1:.0%} of the time (goal: at most 10% of the requests)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
