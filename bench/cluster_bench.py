"""One Elasticsearch node against the local three-node cluster (`make es-cluster`), in one run on
the same machine: bulk indexing rate and search latency over the same synthetic collection as
bench/index_bench.py, then the time to recover from losing a node.

    python bench/cluster_bench.py [--articles 10000] [--es http://127.0.0.1:9200]
                                  [--cluster http://127.0.0.1:9201,http://127.0.0.1:9202,http://127.0.0.1:9203]

All nodes share this machine's cores, so the cluster is not expected to be faster here: the
figures say what a replica and the extra hops cost, and how long a node loss is felt. Recovery:
SIGKILL the node holding the collection's primary shard, then time (a) until a search through the
cluster URL answers again, (b) until the cluster is green without the node (its replicas promoted
and copied again), after restarting it (c) until it is back in a green three-node cluster."""
from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.index_bench import load, measure, percentile, synthesise  # noqa: E402
from bench.machine import cpu_model  # noqa: E402

from index import SearchRequest, open_index, parse  # noqa: E402
from index.base import IndexError_  # noqa: E402


def _get(base: str, path: str, timeout: float = 130) -> dict:
    for node in base.split(","):
        try:
            with urllib.request.urlopen(node.rstrip("/") + path, timeout=timeout) as r:
                return json.loads(r.read())
        except OSError:
            continue
    raise OSError(f"no node of {base} answers {path}")


def recovery(cluster: str, url: str) -> dict[str, float]:
    alias = url.rsplit("/", 1)[1]
    shards = _get(cluster, f"/_cat/shards/{alias}?format=json&h=prirep,node,state")
    victim = next(s["node"] for s in shards if s["prirep"] == "p")
    pid = next(n["process"]["id"] for n in _get(cluster, "/_nodes/process")["nodes"].values() if n["name"] == victim)
    ports = [n.rsplit(":", 1)[1] for n in cluster.split(",")]
    live = ",".join(n for n in cluster.split(",") if not n.endswith(victim.rsplit("-", 1)[1]))
    os.kill(pid, signal.SIGKILL)
    lost = time.perf_counter()
    times = {}
    while True:
        ix = open_index(url)
        try:
            ix.search(SearchRequest(parse("telegram"), limit=5))
            break
        except IndexError_:
            time.sleep(0.1)
        finally:
            ix.close()
    times["search answers again (s)"] = time.perf_counter() - lost
    _get(live, f"/_cluster/health?wait_for_status=green&wait_for_nodes={len(ports) - 1}&timeout=120s")
    times["green without the node (s)"] = time.perf_counter() - lost
    restarted = time.perf_counter()
    subprocess.run(["bash", "scripts/es-start"], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "ES_PORT": victim.rsplit("-", 1)[1], "ES_CLUSTER_PORTS": " ".join(ports),
                        "ES_HEAP_MIN": "256m", "ES_HEAP_MAX": "512m"})
    _get(cluster, f"/_cluster/health?wait_for_status=green&wait_for_nodes={len(ports)}&timeout=120s")
    times["node restarted, green with all nodes (s)"] = time.perf_counter() - restarted
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--es", default=os.environ.get("POLICYWATCH_ES_URL", "http://127.0.0.1:9200"))
    parser.add_argument("--cluster", default="http://127.0.0.1:9201,http://127.0.0.1:9202,http://127.0.0.1:9203")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()

    articles = synthesise(args.articles)
    spool = tempfile.TemporaryDirectory(prefix="pw-cluster-bench-")
    results, urls = {}, {}
    for label, base in (("one node", args.es), ("three-node cluster", args.cluster)):
        url = urls[label] = f"{base.rstrip('/')}/pw-bench-{uuid.uuid4().hex[:8]}"
        ix = open_index(url, spool_dir=spool.name)
        rate = load(ix, articles, args.batch)
        _, samples, totals = measure(ix, args.repeat)
        results[label] = (rate, percentile(samples, 50), percentile(samples, 95), totals)
        ix.close()
        print(f"{label}: {rate:,.0f} articles/s, search p95 {results[label][2]:.1f} ms", flush=True)
    try:
        recovered = recovery(args.cluster, urls["three-node cluster"])
    finally:
        for url in urls.values():
            ix = open_index(url, spool_dir=spool.name)
            ix.drop()
            ix.close()
        spool.cleanup()

    print()
    print(f"machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}, "
          f"{args.articles:,} articles, all nodes on this machine")
    print(f"{'':34}{'one node':>12}{'3-node cluster':>16}")
    one, three = results["one node"], results["three-node cluster"]
    print(f"{'bulk indexing (articles/s)':34}{one[0]:>12,.0f}{three[0]:>16,.0f}")
    print(f"{'search latency p50 (ms)':34}{one[1]:>12.1f}{three[1]:>16.1f}")
    print(f"{'search latency p95 (ms)':34}{one[2]:>12.1f}{three[2]:>16.1f}")
    print(f"{'same match counts':34}{'':>12}{str(one[3] == three[3]):>16}")
    print("\nnode loss (SIGKILL of the node with the primary shard):")
    for what, seconds in recovered.items():
        print(f"  {what:44}{seconds:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
