"""Scheduled, incremental crawling on the sample newsroom: revisions, due sources, the scheduler,
crawl-run records and source health."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest

from ingest.health import assess
from crawler.schedule import due_sources
from ingest.due import Schedule, ScheduleError
from ingest.sources import Source
from index import open_index, parse
from index.base import SourceRun
from newsroom import corpus, sources_yaml, start

from conftest import FAST_CRAWL, LOCK_DIR, ROOT, run_cli


@pytest.fixture
def newsroom(tmp_path):
    nr = start(outlets=("yonhap", "dmr"))
    sources = tmp_path / "sources.yaml"
    sources.write_text(sources_yaml(nr.urls))
    yield nr, sources, f"sqlite:///{tmp_path}/index.db", tmp_path
    nr.stop()


def crawl(sources, index, *extra, env=None):
    return json.loads(run_cli("crawl", "--sources", str(sources), "--index", index, "--format", "json", "--no-nlp",
                              *FAST_CRAWL, *extra, env=env).stdout)


def test_an_updated_story_keeps_its_revisions_and_history_shows_the_diff(newsroom):
    nr, sources, index, tmp = newsroom
    crawl(sources, index, "--source", "dmr")
    story = next(t for t in corpus.articles("dmr") if t["path"].startswith("/2024/08/26/"))
    old_sentence = story["paragraphs"][1]
    nr.edit("dmr", story["path"], old_sentence, old_sentence + " Telegram said it abides by EU laws.")
    # The story is old, so an incremental crawl would not look at it again: re-check everything.
    report = crawl(sources, index, "--source", "dmr", "--set", "POLICYWATCH_RECHECK_HOURS=1000000")
    dmr = next(s for s in report if s["source"] == "dmr")
    assert (dmr["new"], dmr["updated"]) == (0, 1)
    ix = open_index(index)
    (article,) = [a for a in ix.export(parse("")) if urlsplit(a.url).path == story["path"]]
    ix.close()
    assert article.revisions == 1 and "abides by EU laws" in article.text
    history = run_cli("history", article.id, "--index", index).stdout
    assert history.startswith("2 version(s)")
    assert "+" + old_sentence + " Telegram said it abides by EU laws." in history
    assert "-" + old_sentence in history
    hits = json.loads(run_cli("search", '"abides by EU laws"', "--index", index, "--format", "json").stdout)
    assert [h["revisions"] for h in hits] == [1]


def test_crawl_due_runs_only_what_is_due_and_runs_are_recorded(newsroom):
    nr, sources, index, tmp = newsroom
    first = run_cli("crawl", "--due", "--sources", str(sources), "--index", index, "--no-nlp", "--format", "json",
                    *FAST_CRAWL)
    assert {s["source"] for s in json.loads(first.stdout)} == {"yonhap", "dmr"}    # never crawled: due
    again = run_cli("crawl", "--due", "--sources", str(sources), "--index", index, "--no-nlp", *FAST_CRAWL)
    assert "nothing is due" in again.stderr and again.stdout == ""               # schedules are 30m and 1h
    status = json.loads(run_cli("status", "--sources", str(sources), "--index", index, "--format", "json").stdout)
    by_source = {s["source"]: s for s in status}
    for name, n in (("yonhap", 20), ("dmr", 18)):
        (run,) = by_source[name]["runs"]
        assert run["new"] == n and run["finished"] >= run["started"]
        assert run["extracted"] >= n and run["no_date"] == 0
        assert by_source[name]["ok"], by_source[name]["flags"]
    table = run_cli("status", "--sources", str(sources), "--index", index).stdout
    assert table.splitlines()[0].split()[:3] == ["SOURCE", "LAST", "RUN"] and "ok" in table


def test_a_source_being_crawled_is_not_crawled_twice(newsroom, tmp_path):
    nr, sources, index, tmp = newsroom
    from crawler.locks import source_locks
    env = {"POLICYWATCH_LOCK_DIR": str(tmp_path / "locks")}
    with source_locks(tmp_path / "locks", ["yonhap"]):
        result = run_cli("crawl", "--sources", str(sources), "--index", index, "--no-nlp", "--format", "json",
                         *FAST_CRAWL, env=env)
    assert "yonhap is being crawled by another process; skipped" in result.stderr
    assert [s["source"] for s in json.loads(result.stdout)] == ["dmr"]


def test_scheduler_crawls_due_sources_and_stops_cleanly_on_sigterm(newsroom):
    nr, sources, index, tmp = newsroom
    text = sources.read_text().replace("schedule: 30m", "schedule: 3s").replace("schedule: 1h", "schedule: 3s")
    sources.write_text(text)
    child = subprocess.Popen([sys.executable, "-m", "policywatch.cli", "schedule", "--sources", str(sources),
                              "--index", index, "--tick", "0.5", "--set", "DOWNLOAD_DELAY=0",
                              "--set", "AUTOTHROTTLE_ENABLED=false", "--set", "RETRY_BACKOFF_BASE=0.05"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "POLICYWATCH_LOCK_DIR": LOCK_DIR})
    try:
        deadline = time.monotonic() + 120
        runs = []
        while time.monotonic() < deadline:
            time.sleep(1)
            ix = open_index(index)
            runs = ix.runs(limit=100)
            ix.close()
            if len({r.run_id for r in runs if r.source == "yonhap"}) >= 2:
                break
        assert len({r.run_id for r in runs if r.source == "yonhap"}) >= 2, "the scheduler did not crawl twice"
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=120) == 0
    finally:
        if child.poll() is None:
            child.kill()
    # never two crawls of the same source at once: its runs do not overlap
    for name in ("yonhap", "dmr"):
        spans = sorted((r.started, r.finished) for r in runs if r.source == name)
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:])), spans
    ix = open_index(index)
    assert ix.stats()["articles"] == 38                                   # and nothing duplicated
    ix.close()


def test_schedules_parse_intervals_and_cron():
    at = datetime(2024, 9, 2, 10, 7, tzinfo=timezone.utc)
    assert Schedule("30m").next_after(at) == at + timedelta(minutes=30)
    assert Schedule("1d").next_after(at) == at + timedelta(days=1)
    assert Schedule("*/15 * * * *").next_after(at) == datetime(2024, 9, 2, 10, 15, tzinfo=timezone.utc)
    with pytest.raises(ScheduleError):
        Schedule("every now and then")
    sources = [Source("a", feeds=["https://a.example/f"], schedule="1h"),
               Source("b", feeds=["https://b.example/f"], schedule="1h"),
               Source("c", feeds=["https://c.example/f"])]
    due = due_sources(sources, {"a": at - timedelta(minutes=59), "b": at - timedelta(minutes=61)}, at)
    assert [s.name for s in due] == ["b"]                 # c has no schedule: manual crawls only


def run(run_id, new=20, extracted=21, empty=0, no_date=0, finished="2024-09-01T00:01:00Z"):
    return SourceRun(run_id, "s", "2024-09-01T00:00:00Z", finished, new=new, extracted=extracted,
                     empty_body=empty, no_date=no_date)


def test_health_flags_dead_sources_and_layout_changes():
    assert assess("s", []).flags == ["never crawled"]
    assert assess("s", [run("r3"), run("r2"), run("r1")]).ok
    dead = assess("s", [run("r3", new=0, extracted=0), run("r2", new=0, extracted=0), run("r1", new=0, extracted=0)])
    assert dead.flags == ["no articles in the last 3 run(s)"]
    layout = assess("s", [run("r3", new=3, extracted=20, empty=17), run("r2", extracted=20, empty=1),
                          run("r1", extracted=20, empty=0)])
    assert len(layout.flags) == 1 and layout.flags[0].startswith("empty-body rate jumped to 85%")
    dates = assess("s", [run("r2", extracted=20, no_date=12), run("r1", extracted=20, no_date=0)])
    assert dates.flags[0].startswith("missing-date rate jumped to 60%")
    assert "last run did not finish" in assess("s", [run("r1", finished=None)]).flags


def test_search_collapse_folds_syndicated_copies(tmp_path):
    from index import Article, content_hash
    wire = ("Police in Seoul said on Monday they had opened an investigation into Telegram over the spread of "
            "sexually explicit deepfake images, widening a crackdown on digital sex crimes that has alarmed "
            "parents, teachers and lawmakers across the country. Investigators will examine whether the "
            "messaging app aided the distribution of the material and will seek help from French authorities, "
            "who have charged its founder.")
    index = f"sqlite:///{tmp_path}/c.db"
    ix = open_index(index)
    for i, (source, fetched) in enumerate([("yonhap", "2024-09-02T01:00:00Z"), ("dmr", "2024-09-02T05:00:00Z"),
                                           ("koreaherald", "2024-09-02T06:00:00Z")]):
        body = [wire + ("" if i == 0 else f" Reported by {source}.")]
        ix.write([Article(id=f"c{i}", url=f"https://{source}.example/c{i}", source=source, title=f"Police probe {i}",
                          body=body, published="2024-09-02T10:00:00+09:00", fetched=fetched,
                          content_hash=content_hash(f"Police probe {i}", body))])
    ix.close()
    hits = json.loads(run_cli("search", "telegram", "--index", index, "--collapse", "--format", "json").stdout)
    assert len(hits) == 1 and hits[0]["copies"] == 3
    plain = json.loads(run_cli("search", "telegram", "--index", index, "--format", "json").stdout)
    assert len(plain) == 3 and all(h["copies"] == 1 for h in plain)
    records = [json.loads(line) for line in run_cli("export", "--index", index).stdout.splitlines()]
    assert {r["id"]: (r["cluster"], r["first_copy"]) for r in records} == {
        "c0": ("c0", True), "c1": ("c0", False), "c2": ("c0", False)}


def test_the_scheduler_outlives_an_index_that_is_briefly_away(caplog, monkeypatch):
    """A scheduler runs for months: when the runs cannot be read (a node restarting, shards of a
    new runs index still starting) it says so and asks again next tick instead of crashing."""
    import crawler.schedule
    from crawler.schedule import Scheduler
    from index.base import IndexUnavailable
    answers = [IndexUnavailable("Elasticsearch at http://n1:9200/x is unavailable: 503"), {}]

    def last_started():
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    launched = []
    monkeypatch.setattr(crawler.schedule.subprocess, "Popen", lambda args: launched.append(args) or object())
    scheduler = Scheduler([Source("a", feeds=["https://a.example/f"], schedule="1h")], last_started,
                          ["--index", "sqlite:///nowhere.db"], tick=0.01)
    assert scheduler.launch_due() == [] and not launched
    assert "cannot read the last crawl runs" in caplog.text
    assert scheduler.launch_due() == ["a"]                      # next tick: the index answers again
    assert launched and launched[0][-2:] == ["--source", "a"]


def _nlp_loads(stderr: str) -> int:
    """Worker processes that loaded the spaCy pipeline, from the crawl's log line."""
    import re
    (found,) = re.findall(r"the NLP pipeline was loaded by (\d+) of \d+ worker processes", stderr)
    return int(found)


def test_a_crawl_that_finds_nothing_new_loads_no_nlp_model(newsroom):
    """spaCy's start-up (a second or two per worker) is paid by the first text to tag: the first
    crawl tags the outlet's articles, the next finds nothing new and loads no model at all."""
    _, sources, index, _ = newsroom
    args = ("-v", "crawl", "--sources", str(sources), "--index", index, "--source", "dmr", "--format", "json",
            *FAST_CRAWL)
    first = run_cli(*args)
    assert json.loads(first.stdout)[0]["new"] > 0
    assert _nlp_loads(first.stderr) >= 1
    again = run_cli(*args)
    report = json.loads(again.stdout)[0]
    assert (report["new"], report["updated"]) == (0, 0)
    assert _nlp_loads(again.stderr) == 0
