"""Coverage over time (`policywatch trend`) on both backends over the synthetic corpus of
bench/index_bench.py: median time per trend and the time of a plain search count for the same
query (a ratio within one run), and whether both backends give the same rows.

    python bench/trend_bench.py [--articles 10000] [--repeat 5] [--es URL]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.index_bench import load, synthesise  # noqa: E402
from bench.machine import cpu_model  # noqa: E402
from index import SearchRequest, open_index, parse  # noqa: E402
from index.trend import trend  # noqa: E402

CASES = [  # label, queries, interval, zone
    ("one word, month", ["deepfake"], "month", None),
    ("filters, week, Asia/Seoul", ["entity:Telegram action:investigation"], "week", "Asia/Seoul"),
    ("two queries compared, month", ["deepfake source:yonhap", "deepfake NOT source:yonhap"], "month", None),
    ("everything, day", [""], "day", None),
]


def median_ms(call, repeat: int) -> float:
    call()                                                   # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


@contextmanager
def loaded(name: str, url: str, articles, spool_dir: str):
    """A fresh index of the backend holding the articles; an Elasticsearch one is dropped after."""
    ix = open_index(url, **({"spool_dir": spool_dir} if name == "elasticsearch" else {}))
    try:
        load(ix, articles, 2000)
        yield ix
    finally:
        if name == "elasticsearch":
            ix.drop()
        ix.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--es", default=os.environ.get("POLICYWATCH_ES_URL", "http://127.0.0.1:9200"))
    args = parser.parse_args()
    articles = synthesise(args.articles)
    tmp = tempfile.TemporaryDirectory(prefix="pw-trend-bench-")
    backends = {"sqlite": f"sqlite:///{tmp.name}/bench.db",
                "elasticsearch": f"{args.es.rstrip('/')}/pw-trend-bench-{uuid.uuid4().hex[:8]}"}
    results: dict[str, dict] = {}
    with tmp:
        for name, url in backends.items():
            with loaded(name, url, articles, tmp.name) as ix:
                results[name] = {}
                for label, queries, interval, zone in CASES:
                    named = [(q, parse(q)) for q in queries]
                    rows = trend(ix, named, interval, zone)
                    took = median_ms(lambda: trend(ix, named, interval, zone), args.repeat)
                    count = median_ms(lambda: [ix.search(SearchRequest(q, limit=0)) for _, q in named], args.repeat)
                    results[name][label] = (took, count, rows)
    print(f"machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}, "
          f"{args.articles:,} articles, median of {args.repeat} runs")
    print(f"{'':32}{'SQLite trend / count (ms)':>28}{'Elasticsearch trend / count (ms)':>36}{'rows':>7}{'same':>6}")
    for label, *_ in CASES:
        sq, es = results["sqlite"][label], results["elasticsearch"][label]
        print(f"{label:32}{sq[0]:>17.1f} / {sq[1]:>7.1f}{es[0]:>25.1f} / {es[1]:>7.1f}{len(sq[2]):>7}"
              f"{'yes' if sq[2] == es[2] else 'NO':>6}")
    return 0 if all(results["sqlite"][c[0]][2] == results["elasticsearch"][c[0]][2] for c in CASES) else 1


if __name__ == "__main__":
    sys.exit(main())
