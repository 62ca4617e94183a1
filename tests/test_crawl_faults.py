"""Faults, over real HTTP into a real SQLite index: the sample newsroom's "faults" outlet
(newsroom/faults.py) serves pages that time out, fail with 500 twice and then succeed, drip
in slowly, stop mid-HTML, are a PDF or binary where HTML was expected, weigh 50 MB, declare
the wrong charset, redirect in a loop or are disallowed by robots.txt. The crawl completes,
the good articles are indexed, and each failure is counted under its own reason.

Two kinds of truncation, two outcomes:
- the connection closes before the announced Content-Length ("truncated-story"): Scrapy
  reports data loss; it is retried, then counted as "errors/truncated download";
- a complete response whose HTML stops mid-paragraph ("cut-off-story", a CMS that crashed
  mid-render): its extracted body would pass as an article but end mid-sentence, so it is
  skipped as "skipped/truncated HTML" rather than indexed incomplete; the next crawl fetches
  it again.

And a crawl killed with SIGKILL, then run again, loses nothing and duplicates nothing."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from conftest import FAST_CRAWL, LOCK_DIR, ROOT, run_cli
from crawler.settings import RETRY_TIMES
from crawler.spiders.news import NewsSpider
from index import open_index, parse
from newsroom import corpus, sources_yaml, start
from newsroom.content.faults import FAULT_STORY

STALL_SECONDS = 30        # the slow and drip pages take this long; the crawl must not wait for them
TIMEOUT_SECONDS = 2       # DOWNLOAD_TIMEOUT for this crawl: 1 + RETRY_TIMES attempts each
FLAKY = "/news/2024/09/10/flaky-story"
WRONG_CHARSET = ("/news/2024/09/16/wrong-charset-story", "/news/2024/09/16/mislabelled-utf8-story")

# What the summary says about the faults outlet: one reason per fault, as staff read them.
EXPECTED_REASONS = {
    "errors/timeout": 2,                            # slow-story (no answer) and drip-story (never finishes)
    "errors/page too large": 2,                     # huge-story: 50 MB announced, over DOWNLOAD_MAXSIZE;
                                                    # endless-story: no Content-Length, cut while it arrives
    "errors/page too large when decompressed": 1,   # bomb-story: 16 kB of gzip, 16 MB of HTML
    "skipped/URL too long": 1,                      # long-story-…: 2,220 characters, never requested
    "errors/truncated download": 1,                 # truncated-story: connection closed mid-body
    "errors/redirect loop": 1,                      # loop-a -> loop-b -> loop-a
    "skipped/truncated HTML": 1,                    # cut-off-story: HTML stops mid-paragraph
    "skipped/not HTML (application/pdf)": 1,        # transparency-report
    "skipped/not HTML (application/octet-stream)": 1,   # leaked-dataset
    "skipped/binary content": 1,                    # corrupted-story: random bytes labelled text/html
    "skipped/disallowed by robots.txt": 1,          # /private/… embargoed-story
}


@pytest.fixture(scope="module")
def faults(tmp_path_factory):
    """The faults outlet, crawled once (NLP on, as by default) into a fresh SQLite index."""
    tmp = tmp_path_factory.mktemp("faults")
    newsroom = start(outlets=("faults",), slow_seconds=STALL_SECONDS, drip_seconds=STALL_SECONDS)
    sources = tmp / "sources.yaml"
    sources.write_text(sources_yaml(newsroom.urls))         # faults is written with enabled: false
    index = f"sqlite:///{tmp}/index.db"
    started = time.monotonic()
    result = run_cli("crawl", "--sources", str(sources), "--source", "faults", "--index", index, "--format", "json",
                     *FAST_CRAWL, "--set", f"DOWNLOAD_TIMEOUT={TIMEOUT_SECONDS}", timeout=120)
    elapsed = time.monotonic() - started
    ix = open_index(index)
    stored = {urlsplit(a.url).path: a for a in ix.export(parse(""))}
    ix.close()
    (summary,) = json.loads(result.stdout)
    yield {"newsroom": newsroom, "summary": summary, "stored": stored, "elapsed": elapsed,
           "requests": newsroom.requests("faults"), "stderr": result.stderr, "index": index, "sources": sources}
    newsroom.stop()


def test_a_partly_failed_crawl_says_how_much_failed_and_still_exits_0(faults):
    failed = sum(n for r, n in EXPECTED_REASONS.items() if r.startswith("errors/"))
    requests = faults["summary"]["pages_fetched"] + failed
    line = (f"policywatch: faults: {failed} of {requests} requests failed: 2 page too large, 2 timeout, "
            "1 page too large when decompressed, 1 redirect loop, 1 truncated download")
    assert line in faults["stderr"].splitlines()
    summary = faults["summary"]
    assert (summary["outcome"], summary["requests"], summary["failed_requests"]) == ("partial", requests, failed)


def test_status_flags_a_source_where_many_requests_failed(faults):
    status = json.loads(run_cli("status", "--sources", str(faults["sources"]), "--index", faults["index"],
                                "--format", "json").stdout)
    (report,) = [r for r in status if r["source"] == "faults"]
    assert report["runs"][0]["outcome"] == "partial" and not report["ok"]
    assert [f for f in report["flags"] if f.startswith("last run partly failed: ")] == [
        "last run partly failed: " + report["runs"][0]["cause"]]


def test_the_last_progress_line_agrees_with_the_summary(faults):
    s = faults["summary"]
    (last,) = [line for line in faults["stderr"].splitlines() if line.startswith("… done in ")]
    assert last.endswith(f": {s['pages_fetched']} pages fetched, {s['new']} new, {s['updated']} updated, "
                         f"{s['unchanged']} unchanged, {s['skipped']} skipped, {s['errors']} errors")


def test_crawl_completes_without_waiting_for_stalled_pages(faults):
    assert faults["summary"]["source"] == "faults"
    assert faults["elapsed"] < STALL_SECONDS, faults["stderr"]     # timed out, did not wait
    assert "Traceback" not in faults["stderr"]


def test_good_articles_and_the_page_that_failed_twice_are_indexed(faults):
    stored = faults["stored"]
    for truth in corpus.articles("faults"):
        article = stored[truth["path"]]
        assert (article.title, article.body, article.authors) == (truth["title"], truth["paragraphs"], truth["authors"])
    flaky = stored[FLAKY]
    assert (flaky.title, flaky.body) == (FAULT_STORY["title"], FAULT_STORY["paragraphs"])


def test_wrong_charset_pages_are_decoded_by_their_bytes_not_their_label(faults):
    for path in WRONG_CHARSET:
        article = faults["stored"][path]
        assert article.body == FAULT_STORY["paragraphs"], path
        assert "\ufffd" not in article.text and "â€" not in article.text, path     # no U+FFFD, no mojibake
        assert "\u201cThe era of self-regulation is over,\u201d said Ren\u00e9e Lef\u00e8vre" in article.text
        assert "\u2014" in article.text and "\u2018open to dialogue\u2019" in article.text


def test_only_the_good_pages_are_indexed(faults):
    good = {t["path"] for t in corpus.articles("faults")} | {FLAKY, *WRONG_CHARSET}
    assert set(faults["stored"]) == good
    assert faults["summary"]["new"] == len(good)


def test_each_failure_is_counted_under_its_own_reason(faults):
    summary = faults["summary"]
    assert summary["reasons"] == EXPECTED_REASONS
    assert summary["errors"] == sum(n for r, n in EXPECTED_REASONS.items() if r.startswith("errors/"))
    assert summary["skipped"] == sum(n for r, n in EXPECTED_REASONS.items() if r.startswith("skipped/"))


def test_robots_disallowed_page_is_never_requested(faults):
    paths = [r["path"] for r in faults["requests"]]
    assert "/robots.txt" in paths
    assert not any(p.startswith("/private/") for p in paths)


def test_a_url_over_the_length_limit_is_never_requested(faults):
    assert not any(r["path"].startswith("/news/2024/09/20/") for r in faults["requests"])


def test_retries_where_they_help_and_nowhere_else(faults):
    def statuses(path):
        return [r["status"] for r in faults["requests"] if r["path"] == path]
    assert statuses(FLAKY) == [500, 500, 200]                                    # retried until it worked
    assert len(statuses("/news/2024/09/13/truncated-story")) == 1 + RETRY_TIMES  # data loss is retried
    assert len(statuses("/news/2024/09/15/huge-story")) == 1                     # too large stays too large
    assert len(statuses("/news/2024/09/19/bomb-story")) == 1
    assert statuses("/news/2024/09/17/loop-a") == statuses("/news/2024/09/17/loop-b") == [302]   # one lap


# -- the content checks, without a network ---------------------------------------------------
ARTICLE = (b"<!DOCTYPE html><html><head><title>Story</title></head><body><article><h1>Story</h1>"
           + b"<p>" + b"Regulators met on Monday to discuss the rules. " * 20 + b"</p>")


def _spider(tmp_path) -> NewsSpider:
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: wp\n    feeds: [https://news.example/feed/]\n")
    spider = NewsSpider.from_crawler(get_crawler(NewsSpider, {"POLICYWATCH_SOURCES": str(sources)}))
    spider.crawler.stats.open_spider()
    return spider


def _article_response(body: bytes, content_type: bytes = b"text/html; charset=utf-8") -> HtmlResponse:
    url = "https://news.example/2024/09/03/story/"
    return HtmlResponse(url=url, body=body, headers={"Content-Type": content_type},
                        request=Request(url, meta={"source": "wp"}))


@pytest.mark.parametrize("body, reason", [
    (ARTICLE + b"<p>Officials in Seoul, Brusse", "skipped/truncated HTML"),
    (ARTICLE + b"<p>Officials in Seoul</p><di", "skipped/truncated HTML"),
    (bytes(range(256)) * 64, "skipped/binary content"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "skipped/binary content"),
])
def test_broken_html_is_skipped_and_counted_before_extraction(tmp_path, body, reason):
    spider = _spider(tmp_path)
    assert list(spider.parse_article(_article_response(body))) == []
    assert spider.crawler.stats.get_value(f"policywatch/wp/{reason}") == 1


@pytest.mark.parametrize("ending", [b"</article></body></html>\n", b"</article><footer>Sample</footer>\n",
                                    b"</article></body></html><!-- served in 12 ms -->"])
def test_complete_html_goes_to_extraction_even_without_closing_tags(tmp_path, ending):
    # HTML lets a page omit </body></html>; only a page that ends mid-text or mid-tag is cut off.
    spider = _spider(tmp_path)
    (item,) = spider.parse_article(_article_response(ARTICLE + ending))
    assert item.body.endswith(ending)


# -- SIGKILL mid-crawl, then crawl again ---------------------------------------------------
KILL_SCALE = 300          # synthetic articles per outlet: 638 in all with the hand-written ones
KILL_AFTER = 100          # articles in the index when the crawl is killed


def _count(db: Path) -> int:
    """Articles in the index, read-only, while the crawl writes (WAL lets a reader in)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:      # no file or no table yet
        return 0


def _check_integrity(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        # The full-text tables are kept by triggers; a kill between row and index would show here.
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%fts5%'"):
            conn.execute(f"INSERT INTO {name}({name}) VALUES ('integrity-check')")
    finally:
        conn.close()


def test_crawl_killed_with_sigkill_and_run_again_loses_nothing_and_duplicates_nothing(tmp_path):
    newsroom = start(scale=KILL_SCALE, outlets=("yonhap", "dmr"))
    try:
        truth = corpus.articles(include_synthetic=KILL_SCALE, urls=newsroom.urls)
        sources = tmp_path / "sources.yaml"
        sources.write_text(sources_yaml(newsroom.urls))
        db = tmp_path / "index.db"
        args = ["crawl", "--sources", str(sources), "--index", f"sqlite:///{db}", "--format", "json", "--no-nlp",
                *FAST_CRAWL, "--set", "POLICYWATCH_WRITE_BATCH=5"]
        # Its own session, so the kill takes the crawl's worker processes down with it, as the
        # OOM killer or `systemctl kill -s KILL` would.
        with open(tmp_path / "killed.log", "wb") as log:
            crawl = subprocess.Popen([sys.executable, "-m", "policywatch.cli", *args], cwd=ROOT,
                                     stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
                                     env={**os.environ, "POLICYWATCH_LOCK_DIR": LOCK_DIR})
            deadline = time.monotonic() + 120
            try:
                while _count(db) < KILL_AFTER and crawl.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.05)
            finally:
                if crawl.poll() is None:
                    os.killpg(crawl.pid, signal.SIGKILL)
                crawl.wait(timeout=30)
        assert crawl.returncode == -signal.SIGKILL, (tmp_path / "killed.log").read_text()
        survived = _count(db)
        assert KILL_AFTER <= survived < len(truth)          # killed mid-crawl, with articles already in
        _check_integrity(db)

        again = json.loads(run_cli(*args, timeout=300).stdout)
        assert sum(s["new"] for s in again) == len(truth) - survived
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            rows = conn.execute("SELECT id, url FROM articles").fetchall()
        assert len(rows) == len(truth)
        assert len({i for i, _ in rows}) == len({u for _, u in rows}) == len(truth)     # each article once
        assert {urlsplit(u).path for _, u in rows} == {t["path"] for t in truth}        # every article
        _check_integrity(db)
    finally:
        newsroom.stop()
