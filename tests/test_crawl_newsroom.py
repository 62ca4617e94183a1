"""The whole pipeline on the sample newsroom, over real HTTP into a real SQLite index:
crawl → extraction → entities → index → search, export. Expected values come from the
newsroom's own ground truth (newsroom.corpus), not from the code under test."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from urllib.parse import urlsplit

import pytest

from index import open_index, parse
from conftest import FAST_CRAWL, ROOT, run_cli


def summary(report, source):
    return next(s for s in report if s["source"] == source)


def test_crawl_summary_counts_every_outcome(site):
    yonhap, dmr = summary(site["first"], "yonhap"), summary(site["first"], "dmr")
    truth = site["truth"]
    assert yonhap["new"] == sum(t["outlet"] == "yonhap" for t in truth) == 20
    assert dmr["new"] == sum(t["outlet"] == "dmr" for t in truth) == 18
    for s in (yonhap, dmr):
        assert s["reasons"]["errors/HTTP 404"] == 1 and s["reasons"]["errors/HTTP 500"] == 1
        assert s["errors"] == 2 and s["pages_fetched"] > s["new"]
    assert dmr["skipped"] >= 2          # the video page and the login page are fetched and judged


def test_every_article_is_indexed_once_with_clean_metadata(site, stored):
    truth = {t["path"]: t for t in site["truth"]}
    assert set(stored) == set(truth)
    for path, t in truth.items():
        a = stored[path]
        assert a.title == t["title"], path
        assert a.body == t["paragraphs"], path            # no nav, share bars, "Also Read", (END), ATTN notes
        assert datetime.fromisoformat(a.published) == datetime.fromisoformat(t["published"]), path
        assert a.authors == t["authors"], path
        assert a.language == "en" and a.source == t["outlet"]


def test_bodies_carry_no_boilerplate(stored):
    for a in stored.values():
        text = a.text
        for junk in ("(END)", "Also Read", "Follow DMR News", "Share", "Leave a Reply", "All rights reserved",
                     "Most Viewed", "ATTN"):
            assert junk not in text, (a.url, junk)


def test_legacy_charsets_decode(stored, site):
    legacy = [p for p in site["special"] if p["kind"] == "legacy_charset"]
    assert {p["charset"] for p in legacy} == {"euc-kr", "windows-1252"}
    yonhap = stored[urlsplit(next(p for p in legacy if p["charset"] == "euc-kr")["url"]).path]
    assert "우종수" in yonhap.text and "\ufffd" not in yonhap.text
    dmr = stored[urlsplit(next(p for p in legacy if p["charset"] == "windows-1252")["url"]).path]
    assert "€5 Million" in dmr.title and "’" in dmr.text and "\ufffd" not in dmr.text


def test_redirects_tracking_duplicates_and_non_articles_are_not_indexed_twice(stored, site):
    for page in site["special"]:
        path = urlsplit(page["url"]).path
        if page["kind"] in ("redirect", "not_found", "server_error") or not page["is_article"]:
            assert path not in stored, page
        if page["kind"] == "redirect":
            assert urlsplit(page["location"]).path in stored
        if page["kind"] == "tracking_duplicate":
            assert stored[path].url == page["url"].split("?")[0]
    assert all("utm_" not in a.url and "#" not in a.url for a in stored.values())


def test_search_json_with_filters(site):
    out = run_cli("search", "telegram deepfake", "--index", site["index"], "--format", "json", "--limit", "50")
    hits = json.loads(out.stdout)
    expected = {t["url"] for t in site["truth"] if "telegram" in (t["title"] + t["text"]).lower()
                and "deepfake" in (t["title"] + t["text"]).lower()}
    assert {h["url"] for h in hits} == expected
    assert set(hits[0]) == {"id", "url", "title", "source", "published", "score", "snippet", "copies", "revisions"}
    assert "<mark>" in hits[0]["snippet"]

    out = run_cli("search", "source:dmr", "--index", site["index"], "--format", "json", "--limit", "100",
                  "--from", "2024-09-01", "--to", "2024-09-30", "--sort", "date")
    hits = json.loads(out.stdout)
    expected = [t for t in site["truth"] if t["outlet"] == "dmr" and "2024-09-01" <= utc_day(t["published"]) <= "2024-09-30"]
    assert len(hits) == len(expected) > 0
    assert [h["published"] for h in hits] == sorted((h["published"] for h in hits), key=instant, reverse=True)


def utc_day(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(__import__("datetime").timezone.utc).date().isoformat()


def instant(iso: str):
    return datetime.fromisoformat(iso)


def test_search_table_and_csv(site):
    table = run_cli("search", '"sexually explicit"', "--index", site["index"])
    assert "PUBLISHED" in table.stdout and "matching articles" in table.stderr
    rows = list(csv.DictReader(io.StringIO(run_cli("search", "ofcom", "--index", site["index"], "--format", "csv").stdout)))
    assert rows and all("ofcom" in (r["title"] + r["snippet"]).lower() for r in rows)


@pytest.mark.parametrize("query", ['"unclosed phrase', "(telegram", "telegram AND", "type:WIDGET", "foo:bar"])
def test_malformed_query_gets_one_line_and_exit_2(site, query):
    result = run_cli("search", query, "--index", site["index"], check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("policywatch: bad query:") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_export_jsonl_and_csv(site, tmp_path):
    out = tmp_path / "all.jsonl"
    run_cli("export", "--index", site["index"], "--output", str(out))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == len(site["truth"])
    assert set(records[0]) == {"id", "url", "source", "title", "body", "published", "authors", "language",
                               "entities", "actions", "statements", "revisions", "cluster", "first_copy"}
    assert all(r["published"][-6] in "+-" for r in records)          # ISO 8601 with an offset
    subset = run_cli("export", "source:yonhap", "--index", site["index"], "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(subset)))
    assert len(rows) == 20 and {r["source"] for r in rows} == {"yonhap"}


def test_second_crawl_adds_no_duplicates_and_skips_what_it_has_seen(site):
    before = len(site["newsroom"].requests())
    again = json.loads(run_cli("crawl", "--sources", str(site["sources"]), "--index", site["index"], "--format", "json",
                               *FAST_CRAWL).stdout)
    for name in ("yonhap", "dmr"):
        s = summary(again, name)
        assert (s["new"], s["updated"]) == (0, 0), s
    fetched = {r["path"].split("?")[0] for r in site["newsroom"].requests()[before:]}
    assert not fetched & {t["path"] for t in site["truth"]}       # no article it already has is fetched again
    full = json.loads(run_cli("crawl", "--sources", str(site["sources"]), "--index", site["index"], "--format", "json",
                              "--set", "POLICYWATCH_INCREMENTAL=false", *FAST_CRAWL).stdout)
    for name, n in (("yonhap", 20), ("dmr", 18)):
        s = summary(full, name)
        assert (s["new"], s["updated"], s["unchanged"]) == (0, 0, n)
    ix = open_index(site["index"])
    assert ix.stats()["articles"] == len(site["truth"])
    ix.close()


def test_extract_command_on_one_page(site):
    page = next(t for t in site["truth"] if t["outlet"] == "dmr")
    out = json.loads(run_cli("extract", page["url"], "--format", "json").stdout)
    assert out["title"] == page["title"] and out["body"] == page["paragraphs"]
    assert out["is_article"] and out["entities"]
    missing = run_cli("extract", site["newsroom"].urls["dmr"] + "/no-such-page/", check=False)
    assert missing.returncode == 1 and "HTTP 404" in missing.stderr


def test_scrapy_crawl_runs_the_same_pipeline(site, tmp_path):
    import subprocess
    import sys
    db = tmp_path / "scrapy.db"
    subprocess.run([sys.executable, "-m", "scrapy", "crawl", "news", "-a", "source=yonhap",
                    "-s", f"POLICYWATCH_SOURCES={site['sources']}", "-s", f"POLICYWATCH_INDEX=sqlite:///{db}",
                    "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false", "-s", "RETRY_BACKOFF_BASE=0.1",
                    "-s", "LOG_LEVEL=WARNING"], cwd=ROOT, check=True, capture_output=True, timeout=300)
    ix = open_index(f"sqlite:///{db}")
    assert ix.stats()["sources"] == {"yonhap": 20}
    ix.close()
