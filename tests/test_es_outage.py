"""Nothing is lost when Elasticsearch goes away: a second, real node (port 9209, its own data)
is stopped and started by the test while articles are written — and, end to end, while
`policywatch crawl` runs against the sample newsroom."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest

from index import Article, content_hash, open_index, parse
from index.base import IndexUnavailable

from conftest import FAST_CRAWL, ROOT, es_available, run_cli

pytestmark = [pytest.mark.es, pytest.mark.slow]

PORT = 9209          # not 9201-9203: `make es-cluster` runs there
URL = f"http://127.0.0.1:{PORT}"


def node(command: str) -> None:
    """scripts/es-start or es-stop for the second node; a failure fails the test."""
    done = subprocess.run(["bash", f"scripts/{command}"], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "ES_PORT": str(PORT)})
    assert done.returncode == 0, f"{command} (port {PORT}) failed:\n{done.stdout}\n{done.stderr}"


def answers() -> bool:
    try:
        with urllib.request.urlopen(URL, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def second_node():
    if not es_available():
        pytest.skip("no Elasticsearch toolchain/node: run `make es-start` first")
    node("es-start")
    yield URL
    node("es-stop")


@pytest.fixture
def running_node(second_node):
    if not answers():
        node("es-start")
    return second_node


def articles(prefix: str, n: int) -> list[Article]:
    out = []
    for i in range(n):
        title, body = f"Regulator fines platform {prefix}{i}", [f"The regulator fined the platform in case {prefix}{i}."]
        out.append(Article(id=f"{prefix}{i}", url=f"https://outage.example/{prefix}/{i}", source="outage",
                           title=title, body=body, published=f"2024-03-{i % 28 + 1:02d}T10:00:00+09:00",
                           language="en", content_hash=content_hash(title, body)))
    return out


def stored_ids(url: str) -> list[str]:
    ix = open_index(url)
    try:
        ix.refresh()
        return [a.id for a in ix.export(parse(""))]
    finally:
        ix.close()


def test_articles_written_while_the_node_is_down_are_spooled_then_flushed_once(running_node, tmp_path, caplog):
    url = f"{running_node}/pw-outage-{uuid.uuid4().hex[:8]}"
    before, during, later = articles("a", 5), articles("b", 12), articles("c", 4)
    ix = open_index(url, spool_dir=tmp_path)
    try:
        assert ix.write(before).new == 5
        node("es-stop")
        with caplog.at_level(logging.WARNING, logger="index.elastic.writes"):
            first = ix.write(during[:8])
            second = ix.write(during[8:])
        assert (first.new, first.spooled, second.spooled) == (0, 8, 4)
        warnings = [r for r in caplog.records if r.name == "index.elastic.writes" and r.levelno == logging.WARNING]
        assert len(warnings) == 1 and "spooling" in warnings[0].getMessage()
        assert ix.pending() == 12
        # what a crawl asks before running NLP again: the spooled version counts as stored
        assert ix.content_hashes([during[0].id]) == {during[0].id: during[0].content_hash}
        with pytest.raises(IndexUnavailable):              # reads say plainly that the node is down
            ix.stats()
    finally:
        ix.close()

    node("es-start")
    ix = open_index(url, spool_dir=tmp_path)
    try:
        flushed = ix.flush()
        assert (flushed.new, flushed.spooled, flushed.failed) == (12, 0, [])
        assert ix.pending() == 0
        assert ix.flush().new == 0                          # flushing again is a no-op
        assert ix.write(later).new == 4
        ids = stored_ids(url)
        assert sorted(ids) == sorted(a.id for a in before + during + later)   # each exactly once
    finally:
        ix.drop()
        ix.close()


def test_the_next_write_replays_the_spool_by_itself(running_node, tmp_path):
    """A write-blocked index refuses the bulk (403): spooled; a later process replays on its first write."""
    url = f"{running_node}/pw-outage-{uuid.uuid4().hex[:8]}"
    ix = open_index(url, spool_dir=tmp_path)
    try:
        ix.write(articles("a", 3))
        ix.client.indices.add_block(index=f"{url.rsplit('/', 1)[1]}-v1", block="write")
        refused = ix.write(articles("b", 5))
        assert (refused.new, refused.spooled, refused.failed) == (0, 5, [])
        ix.client.indices.put_settings(index=f"{url.rsplit('/', 1)[1]}-v1",
                                       settings={"index": {"blocks": {"write": False}}})
    finally:
        ix.close()
    ix = open_index(url, spool_dir=tmp_path)
    try:
        assert ix.write(articles("c", 2)).new == 2
        assert ix.pending() == 0
        assert sorted(stored_ids(url)) == sorted(a.id for a in articles("a", 3) + articles("b", 5) + articles("c", 2))
    finally:
        ix.drop()
        ix.close()


def test_crawl_goes_on_when_the_node_stops_and_flush_recovers_every_article(running_node, tmp_path):
    from newsroom import sources_yaml, start
    newsroom = start(scale=100, slow_seconds=5, drip_seconds=5)
    sources = tmp_path / "sources.yaml"
    sources.write_text(sources_yaml(newsroom.urls))
    url = f"{running_node}/pw-outage-crawl-{uuid.uuid4().hex[:8]}"
    crawl = ["crawl", "--sources", str(sources), "--no-nlp", "--format", "json", *FAST_CRAWL,
             "--set", "POLICYWATCH_WRITE_BATCH=5"]
    paced = ["--set", "DOWNLOAD_DELAY=0.05", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]   # time to stop the node
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        process = subprocess.Popen([sys.executable, "-m", "policywatch.cli", *crawl, *paced, "--index", url],
                                   cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and process.poll() is None and _count(url) < 1:
            time.sleep(0.2)
        assert process.poll() is None, "the crawl finished before the node could be stopped: raise scale"
        node("es-stop")                                    # mid-crawl
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
        report = {s["source"]: s for s in json.loads(out)}
        spooled = sum(n for s in report.values() for reason, n in s["reasons"].items() if reason.startswith("spooled/"))
        assert spooled > 0, report
        assert err.count("WARNING index.elastic") == 1, err        # one clear warning
        written = sum(s["new"] for s in report.values())

        node("es-start")
        flushed = run_cli("flush", "--index", url)
        assert f"{spooled} new" in flushed.stdout and "0 still spooled" in flushed.stdout

        newsroom.reset_faults()                              # the 500-then-200 page fails once again
        reference = f"sqlite:///{tmp_path}/reference.db"
        run_cli(*crawl, "--index", reference)
        expected = sorted(a.id for a in open_index(reference).export(parse("")))
        ids = stored_ids(url)
        assert len(ids) == written + spooled
        assert sorted(ids) == expected                       # every article, exactly once
    finally:
        newsroom.stop()
        if not answers():
            node("es-start")
        ix = open_index(url)
        ix.drop()                                              # indices, template and spool file
        ix.close()


def _count(url: str) -> int:
    base, name = url.rsplit("/", 1)
    try:
        with urllib.request.urlopen(f"{base}/{name}/_count", timeout=2) as r:
            return json.load(r)["count"]
    except OSError:
        return 0
