"""Beyond one machine: crawl leases in Elasticsearch shared by crawlers on several machines, and a
three-node cluster (`make es-cluster`) that loses a node in the middle of a crawl."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

import pytest

from index import open_index, parse
from index.base import IndexUnavailable, SearchRequest
from index.elastic import ElasticIndex
from index.elastic.leases import Leases
from newsroom import sources_yaml, start

from conftest import BACKENDS, ES_URL, FAST_CRAWL, IN_CI, ROOT, collection, require_es

CLUSTER_PORTS = os.environ.get("ES_CLUSTER_PORTS", "9201 9202 9203").split()
CLUSTER_URL = ",".join(f"http://127.0.0.1:{p}" for p in CLUSTER_PORTS)


def _get(url: str, timeout: float = 5) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


def _first_answering(path: str, timeout: float = 5) -> dict:
    for port in CLUSTER_PORTS:
        try:
            return _get(f"http://127.0.0.1:{port}{path}", timeout)
        except OSError:
            continue
    raise OSError(f"no cluster node answers {path}")


def require_cluster():
    try:
        if _first_answering("/_cluster/health")["number_of_nodes"] >= len(CLUSTER_PORTS):
            return
    except OSError:
        pass
    message = f"no {len(CLUSTER_PORTS)}-node Elasticsearch cluster on ports {CLUSTER_PORTS}: run `make es-cluster`"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _collection(base: str) -> str:
    return f"{base.rstrip('/')}/pw-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture(params=BACKENDS[1:])
def es_leases(request):
    """The leases of a fresh collection on Elasticsearch, then on OpenSearch."""
    index = ElasticIndex.from_url(collection(request.param))
    yield index.crawl_leases()
    index.drop()
    index.close()


# -- leases (one node is enough) ------------------------------------------------------------------
def test_a_lease_held_by_one_crawler_is_refused_to_another_until_released(es_leases):
    assert es_leases.acquire("yonhap", "host-a:1", ttl=60)
    assert not es_leases.acquire("yonhap", "host-b:2", ttl=60)
    assert es_leases.acquire("dmr", "host-b:2", ttl=60)            # leases are per source
    es_leases.release("yonhap", "host-b:2")                          # not b's to release
    assert not es_leases.acquire("yonhap", "host-b:2", ttl=60)
    es_leases.release("yonhap", "host-a:1")
    assert es_leases.acquire("yonhap", "host-b:2", ttl=60)


def test_an_expired_lease_of_a_dead_crawler_is_taken_over_by_exactly_one(es_leases):
    clock = [1000.0]
    leases = Leases(es_leases.client, es_leases.index.removesuffix(".leases"), clock=lambda: clock[0])
    assert leases.acquire("yonhap", "dead:1", ttl=30)
    clock[0] += 29
    assert not leases.acquire("yonhap", "b:2", ttl=30)
    assert leases.renew("yonhap", "dead:1", ttl=30) is True            # a live crawler keeps it
    clock[0] += 29                                                       # past the first expiry
    assert not leases.acquire("yonhap", "b:2", ttl=30)
    clock[0] += 2                                                        # the holder died: no renewals
    # two crawlers saw it expired at the same time: the compare-and-set lets only one win
    held, seq_no, term = leases._get("yonhap")
    wins = [leases._swap("yonhap", {"owner": who, "acquired": clock[0], "expires": clock[0] + 30}, seq_no, term)
            for who in ("b:2", "c:3")]
    assert wins == [True, False]
    assert leases.holder("yonhap")["owner"] == "b:2"
    assert leases.renew("yonhap", "dead:1", ttl=30) is False             # the old holder learns it lost it
    leases.release("yonhap", "dead:1")
    assert leases.holder("yonhap")["owner"] == "b:2"


def test_a_crawl_skips_a_source_leased_by_a_crawler_on_another_machine(tmp_path):
    require_es()
    nr = start(outlets=("yonhap", "dmr"))
    try:
        sources = tmp_path / "sources.yaml"
        sources.write_text(sources_yaml(nr.urls))
        url = _collection(ES_URL)
        index = ElasticIndex.from_url(url)
        try:
            assert index.crawl_leases().acquire("yonhap", "elsewhere:99", ttl=300)
            result = subprocess.run([sys.executable, "-m", "policywatch.cli", "crawl", "--sources", str(sources),
                                     "--index", url, "--no-nlp", "--format", "json", *FAST_CRAWL],
                                    cwd=ROOT, capture_output=True, text=True, timeout=300,
                                    env={**os.environ, "POLICYWATCH_LOCK_DIR": tempfile.mkdtemp()})
            assert result.returncode == 0, result.stderr
            assert "yonhap is being crawled by another crawler of this index; skipped" in result.stderr
            assert [s["source"] for s in json.loads(result.stdout)] == ["dmr"]
            assert index.crawl_leases().holder("dmr") is None                  # released at the end
            assert index.crawl_leases().holder("yonhap")["owner"] == "elsewhere:99"
        finally:
            index.drop()
            index.close()
    finally:
        nr.stop()


def test_two_schedulers_on_two_machines_crawl_each_source_once_per_period(tmp_path):
    """Two `policywatch schedule` processes with separate lock folders (as on two machines, where
    flock cannot see the other) share one Elasticsearch index: the leases split the work."""
    require_es()
    nr = start(outlets=("yonhap", "dmr"))
    url = _collection(ES_URL)
    schedulers = []
    try:
        sources = tmp_path / "sources.yaml"
        sources.write_text(sources_yaml(nr.urls))                 # schedules 30m and 1h: due once
        for _ in range(2):
            schedulers.append(subprocess.Popen(
                [sys.executable, "-m", "policywatch.cli", "schedule", "--sources", str(sources), "--index", url,
                 "--tick", "0.5", "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false",
                 "--set", "POLICYWATCH_NLP=false"],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env={**os.environ, "POLICYWATCH_LOCK_DIR": tempfile.mkdtemp(prefix="machine-")}))
        deadline = time.monotonic() + 180
        runs = []
        while time.monotonic() < deadline:
            time.sleep(1)
            ix = open_index(url)
            try:
                runs = ix.runs(limit=100)
            except IndexUnavailable:            # the runs index was just created: shards starting
                continue
            finally:
                ix.close()
            if {r.source for r in runs} >= {"yonhap", "dmr"}:
                break
        time.sleep(6)              # a dozen more ticks of each scheduler: nothing may be crawled again
        for child in schedulers:
            child.send_signal(signal.SIGTERM)
        for child in schedulers:
            out, err = child.communicate(timeout=120)
            assert child.returncode == 0, err[-3000:]
        ix = open_index(url)
        try:
            runs = ix.runs(limit=100)
            articles = list(ix.export(parse("")))
        finally:
            ix.drop()
            ix.close()
        assert sorted(r.source for r in runs) == ["dmr", "yonhap"], [(r.source, r.run_id) for r in runs]
        assert len(articles) == 38 and len({a.url for a in articles}) == 38
    finally:
        for child in schedulers:
            if child.poll() is None:
                child.kill()
        nr.stop()


# -- a three-node cluster ------------------------------------------------------------------------
def _replicas(index_url: str) -> set[str]:
    ix = ElasticIndex.from_url(index_url)
    try:
        ix.run(lambda: None)                                    # sets the collection up
        settings = ix.client.indices.get_settings(index=ix.name).body
        return {s["settings"]["index"]["number_of_replicas"] for s in settings.values()}
    finally:
        ix.drop()
        ix.close()


def test_the_template_asks_for_a_replica_on_a_cluster_and_none_on_a_single_node():
    require_es()
    require_cluster()
    assert _replicas(_collection(ES_URL)) == {"0"}
    assert _replicas(_collection(CLUSTER_URL)) == {"1"}


def _node_with_primary(alias: str) -> tuple[str, int]:
    """(node name, pid) of the node holding the collection's primary shard."""
    shards = _first_answering(f"/_cat/shards/{alias}?format=json&h=prirep,node,state")
    name = next(s["node"] for s in shards if s["prirep"] == "p" and s["state"] == "STARTED")
    nodes = _first_answering("/_nodes/process")["nodes"]
    pid = next(n["process"]["id"] for n in nodes.values() if n["name"] == name)
    return name, pid


def test_a_crawl_survives_losing_a_cluster_node_and_the_cluster_recovers(tmp_path):
    require_cluster()
    nr = start(outlets=("yonhap", "dmr"))
    url = _collection(CLUSTER_URL)
    alias = url.rsplit("/", 1)[1]
    crawl = None
    try:
        sources = tmp_path / "sources.yaml"
        sources.write_text(sources_yaml(nr.urls))
        # small, frequent writes so the node is lost between writes of the same crawl
        crawl = subprocess.Popen([sys.executable, "-m", "policywatch.cli", "crawl", "--sources", str(sources),
                                  "--index", url, "--format", "json", *FAST_CRAWL,
                                  "--set", "POLICYWATCH_WRITE_BATCH=3", "--set", "POLICYWATCH_WRITE_SECONDS=0.2",
                                  "--set", "DOWNLOAD_DELAY=0.2"],
                                 cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env={**os.environ, "POLICYWATCH_LOCK_DIR": tempfile.mkdtemp()})
        deadline = time.monotonic() + 180
        written = 0
        while written < 3 and time.monotonic() < deadline and crawl.poll() is None:
            time.sleep(0.3)
            try:
                written = _first_answering(f"/{alias}/_count")["count"]
            except OSError:
                pass
        assert crawl.poll() is None, "the crawl ended before a node could be lost: " + crawl.stderr.read()
        victim, pid = _node_with_primary(alias)
        os.kill(pid, signal.SIGKILL)
        lost_at = time.monotonic()

        # search keeps answering while the node is gone
        answers = 0
        while crawl.poll() is None and time.monotonic() < deadline:
            ix = open_index(url)
            try:
                result = ix.search(SearchRequest(query=parse("telegram OR deepfake"), limit=5))
                answers += 1
                assert result.total >= 0
            finally:
                ix.close()
            time.sleep(0.5)
        out, err = crawl.communicate(timeout=300)
        assert crawl.returncode == 0, err
        assert answers >= 1
        reported = sum(s["new"] + s["updated"] for s in json.loads(out))

        ix = open_index(url)
        try:
            ix.refresh()
            articles = list(ix.export(parse("")))
        finally:
            ix.close()
        assert reported == len(articles) == 38                 # every article written is searchable
        assert len({a.id for a in articles}) == len({a.url for a in articles}) == 38    # no duplicates

        # the node comes back and the cluster is green again
        subprocess.run(["bash", "scripts/es-start"], cwd=ROOT, check=True, capture_output=True, timeout=300,
                       env={**os.environ, "ES_PORT": victim.rsplit("-", 1)[1],
                            "ES_CLUSTER_PORTS": " ".join(CLUSTER_PORTS), "ES_HEAP_MIN": "256m", "ES_HEAP_MAX": "512m"})
        health = _first_answering(f"/_cluster/health?wait_for_status=green&wait_for_nodes={len(CLUSTER_PORTS)}"
                                  "&timeout=120s", timeout=130)
        assert health["status"] == "green", health
        print(f"node {victim} lost; cluster green again {time.monotonic() - lost_at:.1f} s after the loss")
    finally:
        if crawl is not None and crawl.poll() is None:
            crawl.kill()
        nr.stop()
        try:
            ix = open_index(url)
            ix.drop()
            ix.close()
        except Exception:          # noqa: BLE001 - cleanup of a test collection; the test already said what failed
            pass
