"""Failed crawls are loud: a source whose every request failed is a failed run (one line with the
cause, exit 1, flagged by `status`); bad settings are refused before the crawl (exit 2); a crash
during the crawl exits 1, keeps what was collected and is recorded as a failed run; and a crawl
killed with SIGKILL leaves no worker process behind. Real HTTP (the newsroom), real SQLite."""
from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FAST_CRAWL, LOCK_DIR, ROOT, run_cli
from ingest.health import assess
from index.base import SourceRun
from newsroom import corpus, sources_yaml, start

KILL_SCALE = 300          # synthetic articles per outlet, so that the crawl is still running when killed


@pytest.fixture(scope="module")
def faults():
    newsroom = start(outlets=("faults",))
    yield newsroom.urls["faults"]
    newsroom.stop()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]       # nothing listens once the socket is closed


def _crawl(tmp_path, yaml_text: str, *extra: str, check: bool = False):
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml_text)
    index = f"sqlite:///{tmp_path}/index.db"
    result = run_cli("crawl", "--sources", str(sources), "--index", index, "--no-nlp", *FAST_CRAWL, *extra,
                     check=check, timeout=180)
    return result, sources, index


def _status(sources, index) -> dict:
    out = run_cli("status", "--sources", str(sources), "--index", index, "--format", "json").stdout
    return {r["source"]: r for r in json.loads(out)}


def test_a_source_whose_every_request_failed_is_a_failed_run(tmp_path):
    port = _closed_port()
    result, sources, index = _crawl(tmp_path, f"""sources:
  - name: nowhere
    feeds: ['http://news.nowhere.invalid/feed.xml']
    start_urls: ['http://news.nowhere.invalid/']
  - name: closed
    start_urls: ['http://127.0.0.1:{port}/']
""")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert ("policywatch: nowhere failed: cannot resolve news.nowhere.invalid — no network? "
            "(all 2 requests failed)") in lines
    assert f"policywatch: closed failed: connection refused by 127.0.0.1:{port} — is the site down? " \
           "(the only request failed)" in lines
    assert "Traceback" not in result.stderr and len(lines) < 10, result.stderr
    status = _status(sources, index)
    assert status["nowhere"]["runs"][0]["outcome"] == "failed"
    assert "last run failed: cannot resolve news.nowhere.invalid — no network? (all 2 requests failed)" \
        in status["nowhere"]["flags"]
    assert status["closed"]["flags"][0].startswith(f"last run failed: connection refused by 127.0.0.1:{port}")
    table = run_cli("status", "--sources", str(sources), "--index", index).stdout
    assert all(" failed " in line for line in table.splitlines()[1:]), table


def test_a_site_answering_503_everywhere_is_a_failed_run(tmp_path, faults):
    result, sources, index = _crawl(tmp_path, f"""sources:
  - name: down
    feeds: ['{faults}/down/feed.xml']
    start_urls: ['{faults}/down/']
""", "--format", "json")
    assert result.returncode == 1
    assert "policywatch: down failed: HTTP 503 on every page (all 2 requests failed)" in result.stderr.splitlines()
    (summary,) = json.loads(result.stdout)
    assert (summary["outcome"], summary["requests"], summary["failed_requests"]) == ("failed", 2, 2)
    assert summary["reasons"] == {"errors/HTTP 503": 2}


def test_a_crawl_with_a_few_failures_is_ok_but_says_so_and_a_badly_failing_one_is_flagged():
    def run(failed, requests):
        return SourceRun("r", "s", "2024-09-01T00:00:00Z", "2024-09-01T00:01:00Z", new=20, extracted=21,
                         outcome="partial", cause=f"{failed} of {requests} requests failed: {failed} HTTP 404",
                         requests=requests, failed_requests=failed)
    assert assess("s", [run(2, 43)]).ok                      # the odd dead link
    assert assess("s", [run(10, 40)]).flags == ["last run partly failed: 10 of 40 requests failed: 10 HTTP 404"]


@pytest.mark.parametrize("setting, message", [
    ("POLICYWATCH_WORKERS=abc", "bad setting POLICYWATCH_WORKERS='abc': it takes a whole number"),
    ("POLICYWATCH_NLP=maybe", "bad setting POLICYWATCH_NLP='maybe': it takes true or false"),
    ("DOWNLOAD_TIMEOUT=-1", "bad setting DOWNLOAD_TIMEOUT='-1': it takes a number, more than 0"),
    ("CONCURRENT_REQUESTS=0", "bad setting CONCURRENT_REQUESTS='0': it takes a whole number, at least 1"),
    ("POLICYWATCH_MAX_PAGES=1.5", "bad setting POLICYWATCH_MAX_PAGES='1.5': it takes a whole number"),
    ("POLICYWATCH_WROKERS=2", "unknown setting POLICYWATCH_WROKERS (see the crawl settings in docs/sources.md)"),
])
def test_bad_settings_are_refused_before_the_crawl_starts(tmp_path, setting, message):
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: closed\n    start_urls: ['http://127.0.0.1:9/']\n")
    db = tmp_path / "index.db"
    for command in ("crawl", "schedule"):
        result = run_cli(command, "--sources", str(sources), "--index", f"sqlite:///{db}", "--set", setting,
                         check=False, timeout=60)
        assert (result.returncode, result.stderr) == (2, f"policywatch: {message}\n"), command
    assert not db.exists()                                     # refused before any work


def test_a_crash_in_the_crawl_exits_1_in_one_line_and_is_recorded_as_failed(tmp_path, faults):
    result, sources, index = _crawl(tmp_path, f"sources:\n  - name: f\n    feeds: ['{faults}/feed.xml']\n",
                                    "--set", 'EXTENSIONS={"nosuch.Extension": 100}')
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["policywatch: the crawl crashed: ModuleNotFoundError: No module named "
                                          "'nosuch'; what it had collected is kept"]
    (run,) = _status(sources, index)["f"]["runs"]
    assert (run["outcome"], run["cause"]) == ("failed", "the crawl crashed: ModuleNotFoundError: No module named "
                                                        "'nosuch'")


def test_an_exception_in_the_reactor_fails_the_crawl_and_keeps_what_it_collected(tmp_path, faults):
    # The broken feed lists two articles (the rest are lost to its XML error): a short crawl.
    result, sources, index = _crawl(tmp_path, f"sources:\n  - name: f\n    feeds: ['{faults}/broken-feed.xml']\n",
                                    "--format", "json", "--set", 'EXTENSIONS={"tests.crawl_crash.RaiseInReactor": 100}')
    assert result.returncode == 1
    cause = "the crawl crashed: RuntimeError: boom in the reactor (while handling timed call)"
    assert f"policywatch: {cause}; what it had collected is kept" in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    (summary,) = json.loads(result.stdout)
    assert summary["new"] == 2
    (run,) = _status(sources, index)["f"]["runs"]
    assert (run["outcome"], run["cause"], run["new"]) == ("failed", cause, summary["new"])


# -- worker processes ---------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _workers(pid: int) -> list[int]:
    """The crawl's extraction workers (multiprocessing 'spawn' children)."""
    found = []
    for child in _children(pid):
        try:
            if b"spawn_main" in (Path("/proc") / str(child) / "cmdline").read_bytes():
                found.append(child)
        except OSError:
            continue
    return found


def _articles(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@pytest.fixture
def big_newsroom(tmp_path):
    newsroom = start(scale=KILL_SCALE, outlets=("yonhap", "dmr"))
    sources = tmp_path / "sources.yaml"
    sources.write_text(sources_yaml(newsroom.urls))
    yield newsroom, sources, tmp_path / "index.db"
    newsroom.stop()


def _start_crawl(sources: Path, db: Path, log: Path) -> subprocess.Popen:
    args = [sys.executable, "-m", "policywatch.cli", "crawl", "--sources", str(sources), "--index", f"sqlite:///{db}",
            "--no-nlp", *FAST_CRAWL, "--set", "POLICYWATCH_WRITE_BATCH=5", "--set", "POLICYWATCH_WORKERS=2"]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log.open("wb"), start_new_session=True,
                            env={**os.environ, "POLICYWATCH_LOCK_DIR": LOCK_DIR})


def _wait_for(condition, crawl: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and crawl.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition(), "the crawl ended or stalled before the test could act"


def test_workers_exit_when_the_crawl_is_killed_with_sigkill(big_newsroom, tmp_path):
    newsroom, sources, db = big_newsroom
    crawl = _start_crawl(sources, db, tmp_path / "crawl.log")
    family = []
    try:
        _wait_for(lambda: len(_workers(crawl.pid)) == 2 and _articles(db) >= 10, crawl)
        family = _children(crawl.pid)           # the workers and multiprocessing's resource tracker
        os.kill(crawl.pid, signal.SIGKILL)      # the crawl alone, as the OOM killer would
        crawl.wait(timeout=30)
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in family) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in family if _alive(p)], "processes of the killed crawl are still running"
    finally:
        if crawl.poll() is None:
            os.killpg(crawl.pid, signal.SIGKILL)
        for pid in family:
            if _alive(pid):              # left behind (the test failed): do not leave them running
                os.kill(pid, signal.SIGKILL)


def test_a_worker_that_dies_fails_the_crawl_and_keeps_what_it_collected(big_newsroom, tmp_path):
    newsroom, sources, db = big_newsroom
    crawl = _start_crawl(sources, db, tmp_path / "crawl.log")
    try:
        _wait_for(lambda: len(_workers(crawl.pid)) == 2 and _articles(db) >= 20, crawl)
        before = _articles(db)
        os.kill(_workers(crawl.pid)[0], signal.SIGKILL)
        assert crawl.wait(timeout=120) == 1
    finally:
        if crawl.poll() is None:
            os.killpg(crawl.pid, signal.SIGKILL)
    stderr = (tmp_path / "crawl.log").read_text()
    assert ("policywatch: the crawl crashed: a worker process died (killed, or out of memory?); "
            "what it had collected is kept") in stderr.splitlines()
    assert "Traceback" not in stderr
    kept = _articles(db)
    assert before <= kept < len(corpus.articles(include_synthetic=KILL_SCALE))
    index = f"sqlite:///{db}"
    for report in _status(sources, index).values():
        if report["source"] in ("yonhap", "dmr"):
            assert report["runs"][0]["outcome"] == "failed"
            assert report["flags"][0] == "last run failed: the crawl crashed: a worker process died (killed, " \
                                         "or out of memory?)"
    # Nothing collected was lost and nothing is missing for good: the next crawl brings the rest.
    again = json.loads(run_cli("crawl", "--sources", str(sources), "--index", index, "--format", "json", "--no-nlp",
                               *FAST_CRAWL, timeout=300).stdout)
    assert sum(s["new"] for s in again) == len(corpus.articles(include_synthetic=KILL_SCALE)) - kept
