"""The sample newsroom crawled into the stock OpenSearch node (make os-start): search, trend,
timeline, export, reindex, copy, serve and saved searches give the same figures as the session's
SQLite crawl of the same newsroom. Every command is the real `policywatch` CLI in a subprocess."""
from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from conftest import FAST_CRAWL, ROOT, collection, drop, run_cli
from index import open_index

pytestmark = [pytest.mark.opensearch, pytest.mark.slow]

QUERIES = ["telegram", "deepfake AND type:PLATFORM", "source:dmr OR ofcom", "\"sexually explicit\"",
           "investigat*", "deepfake collection:korea"]
# what a second crawl at another moment changes: when it fetched, and so when a story was first seen
MOMENT = {"fetched", "first_seen"}


@pytest.fixture(scope="module")
def crawled(site):
    """The newsroom crawled a second time, into a fresh OpenSearch collection."""
    url = collection("opensearch", "pw-test-newsroom")
    report = json.loads(run_cli("crawl", "--sources", str(site["sources"]), "--index", url, "--format", "json",
                                *FAST_CRAWL).stdout)
    yield url, report
    drop(url)


def exported(url: str, query: str = "") -> list[dict]:
    return [json.loads(line) for line in run_cli("export", query, "--index", url).stdout.splitlines()]


def searched(url: str, query: str, *options: str) -> list[tuple[str, int]]:
    """(id, syndicated copies) of each hit, in order."""
    out = run_cli("search", query, "--index", url, "--format", "json", "--limit", "100", *options).stdout
    return [(h["id"], h["copies"]) for h in json.loads(out)]


def without_moment(records: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in MOMENT} for r in records]


def test_the_crawl_counts_what_the_sqlite_crawl_counted(site, crawled):
    url, report = crawled
    keys = ("source", "new", "updated", "errors", "skipped")
    assert [{k: s[k] for k in keys} for s in report] == [{k: s[k] for k in keys} for s in site["first"]]
    index = open_index(url, create=False)
    try:
        stats = index.stats()
    finally:
        index.close()
    assert stats["backend"] == "opensearch" and stats["articles"] == len(site["truth"]) == 38
    assert "articles" in run_cli("stats", "--index", url).stdout


def test_export_holds_the_same_articles(site, crawled):
    ours, theirs = exported(crawled[0]), exported(site["index"])
    assert len(ours) == 38
    assert without_moment(ours) == without_moment(theirs)


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_the_same_articles(site, crawled, query):
    ours = searched(crawled[0], query, "--sort", "date")
    assert ours and ours == searched(site["index"], query, "--sort", "date")
    collapsed = searched(crawled[0], query, "--sort", "date", "--collapse")
    assert collapsed == searched(site["index"], query, "--sort", "date", "--collapse")


def test_trend_gives_the_same_figures(site, crawled):
    args = ("trend", *QUERIES[:3], "--interval", "week", "--tz", "Asia/Seoul")
    ours = run_cli(*args, "--index", crawled[0]).stdout
    assert len(list(csv.DictReader(io.StringIO(ours)))) > 1
    assert ours == run_cli(*args, "--index", site["index"]).stdout


@pytest.mark.parametrize("entity", ["Telegram", "Pavel Durov"])
def test_timeline_gives_the_same_figures(site, crawled, entity):
    ours = run_cli("timeline", entity, "--interval", "day", "--index", crawled[0]).stdout
    rows = list(csv.DictReader(io.StringIO(ours)))
    assert rows and any(int(r["articles"]) for r in rows)
    assert ours == run_cli("timeline", entity, "--interval", "day", "--index", site["index"]).stdout
    detail = ("timeline", entity, "--detail")
    assert run_cli(*detail, "--index", crawled[0]).stdout == run_cli(*detail, "--index", site["index"]).stdout


def test_reindex_then_copy_keep_every_figure(site, crawled, tmp_path):
    url = crawled[0]
    before = exported(url)
    moved = run_cli("reindex", "--index", url)
    assert "-v2" in moved.stdout + moved.stderr
    assert exported(url) == before
    hits = searched(url, "telegram", "--sort", "date")
    assert hits and hits == searched(site["index"], "telegram", "--sort", "date")
    # out of OpenSearch into SQLite, and back into a second OpenSearch collection: nothing changes
    copy = f"sqlite:///{tmp_path}/copy.db"
    run_cli("copy", "--from", url, "--to", copy)
    assert exported(copy) == before
    again = collection("opensearch", "pw-test-copy")
    try:
        run_cli("copy", "--from", copy, "--to", again)
        assert exported(again) == before
        assert run_cli("trend", "telegram", "--index", again).stdout == run_cli("trend", "telegram", "--index",
                                                                                   site["index"]).stdout
    finally:
        drop(again)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(index: str, state: Path):
    """`policywatch serve` on the index, in a subprocess, until the block ends."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "policywatch.cli", "serve", "--index", index, "--port", str(port),
                               "--state", str(state)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base}/api/saved", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read()
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_and_saved_searches_give_the_same_answers(site, crawled, tmp_path):
    answers = []
    for index, state in ((crawled[0], tmp_path / "os.db"), (site["index"], tmp_path / "sqlite.db")):
        with serving(index, state) as base:
            found = httpx.get(f"{base}/api/search", params={"q": "telegram", "sort": "date", "limit": 100}).json()
            saved = httpx.post(f"{base}/saved", data={"name": "Durov", "q": "durov"}, follow_redirects=False)
            assert saved.status_code == 303
            feed = httpx.get(f"{base}/feeds/durov.atom")
            assert feed.status_code == 200
            answers.append((found["total"], [h["id"] for h in found["hits"]],
                            [s["slug"] for s in httpx.get(f"{base}/api/saved").json()], feed.text.count("<entry>")))
    assert answers[0][0] > 0 and answers[0][3] > 0
    assert answers[0] == answers[1]
