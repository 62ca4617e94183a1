"""What one Elasticsearch bulk load costs the writing process: round trips to the node by kind,
and CPU time, with story clustering on and off, in one run.

    python bench/es_write_trips.py [--articles 10000] [--batch 2000] [--es http://127.0.0.1:9200]

The same synthetic articles as bench/index_bench.py (MinHash signatures computed beforehand, as
the crawl's workers do) are loaded into throwaway aliases through write(), as `policywatch copy`
loads; every request the client sends is counted at its transport. A second pass writes the
first batch again (unchanged: only its fetch time is noted). Wall-clock rates are printed too,
but on a shared machine the round trips per 1,000 articles and the CPU seconds are the figures
to compare."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.index_bench import clustering_off, synthesise  # noqa: E402
from index import open_index  # noqa: E402


def counted(ix) -> Counter:
    """Count the client's requests by method and endpoint (the path's last `_word`, else `doc`)."""
    trips: Counter = Counter()
    transport = ix.client.transport
    send = transport.perform_request

    def perform_request(method, target, *args, **kwargs):
        endpoint = next((part for part in reversed(target.split("?")[0].split("/")) if part.startswith("_")), "doc")
        trips[f"{method} {endpoint}"] += 1
        return send(method, target, *args, **kwargs)
    transport.perform_request = perform_request
    return trips


def node_ms(ix) -> dict[str, int]:
    """The node's time on this collection alone (other clients of a shared node are not in it), ms."""
    stats = ix.client.indices.stats(index=ix.name)["_all"]["primaries"]
    return {"indexing": stats["indexing"]["index_time_in_millis"], "search": stats["search"]["query_time_in_millis"]
            + stats["search"]["fetch_time_in_millis"], "get": stats["get"]["time_in_millis"],
            "refresh": stats["refresh"]["total_time_in_millis"], "merge": stats["merges"]["total_time_in_millis"]}


def node_cpu(ix) -> float:
    """CPU seconds the node's processes have used (all of their work: on a shared node, other
    clients' too)."""
    stats = ix.client.nodes.stats(metric="process")["nodes"].values()
    return sum(n["process"]["cpu"]["total_in_millis"] for n in stats) / 1000


def run(url: str, articles, batch: int, spool: str) -> dict:
    ix = open_index(url, spool_dir=spool)
    try:
        node = node_cpu(ix)
        trips = counted(ix)
        cpu, wall = time.process_time(), time.perf_counter()
        with ix.bulk_load():
            for start in range(0, len(articles), batch):
                result = ix.write(articles[start:start + batch])
                assert not result.failed and not result.spooled, (result.failed[:3], result.spooled)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        loaded = dict(trips)
        node = node_cpu(ix) - node
        trips.clear()
        again = ix.write(articles[:batch])
        assert again.unchanged == min(batch, len(articles)), again
        return {"cpu": cpu, "node cpu": node, "wall": wall, "trips": loaded, "again": dict(trips), "node": node_ms(ix)}
    finally:
        ix.drop()
        ix.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=2000, help="articles per write() call")
    parser.add_argument("--es", default=os.environ.get("POLICYWATCH_ES_URL", "http://127.0.0.1:9200"))
    args = parser.parse_args()

    articles = synthesise(args.articles)
    n = len(articles)
    with tempfile.TemporaryDirectory(prefix="pw-trips-") as spool:
        base = f"{args.es.rstrip('/')}/pw-trips-{uuid.uuid4().hex[:8]}"
        runs = {"clustering on": run(base, articles, args.batch, spool)}
        with clustering_off(articles) as unsigned:
            runs["clustering off"] = run(base + "-bare", unsigned, args.batch, spool)
    print(f"{n:,} articles in write() calls of {args.batch:,}; load average {os.getloadavg()[0]:.2f}")
    for label, r in runs.items():
        total = sum(r["trips"].values())
        print(f"{label}: {n / r['wall']:,.0f} articles/s wall, {r['cpu']:.2f} s client CPU "
              f"({r['cpu'] / n * 1e6:.0f} µs an article), node {r['node cpu']:.2f} s CPU "
              f"({r['node cpu'] / n * 1e6:.0f} µs an article); {total} round trips ({total / n * 1000:.1f} per 1,000)")
        print("   " + ", ".join(f"{k} {v}" for k, v in sorted(r["trips"].items())))
        print("   node time on this collection (ms): " + ", ".join(f"{k} {v:,}" for k, v in r["node"].items()))
        print(f"   the first batch again (unchanged): {', '.join(f'{k} {v}' for k, v in sorted(r['again'].items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
