"""`policywatch trend` on the crawled sample newsroom, on both backends: every number is counted
again here, independently, from the export's rows (publication instant, source, story cluster)."""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import yaml

from conftest import BACKENDS, collection, drop, run_cli

QUERIES = ["deepfake", "telegram AND action:investigation", "deepfake collection:korea"]


@pytest.fixture(scope="module", params=BACKENDS)
def crawled(request, site):
    """The session's crawl, as it is (SQLite) or copied into a fresh cluster collection."""
    if request.param == "sqlite":
        yield site["index"]
        return
    url = collection(request.param, "pw-test-trend")
    run_cli("copy", "--from", site["index"], "--to", url)
    yield url
    drop(url)


def exported(index_url, sources, query=""):
    out = run_cli("export", query, "--index", index_url, "--sources", str(sources))
    return [json.loads(line) for line in out.stdout.splitlines()]


def period(published: str, interval: str, tz) -> date:
    day = datetime.fromisoformat(published).astimezone(tz).date()
    if interval == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1) if interval == "month" else day


def independent(records, everything, interval, tz):
    """{period: (articles, stories, share)} over the periods that hold any match."""
    totals = defaultdict(int)
    for r in everything:
        if r["published"]:
            totals[period(r["published"], interval, tz)] += 1
    articles, clusters = defaultdict(int), defaultdict(set)
    for r in records:
        if r["published"]:
            start = period(r["published"], interval, tz)
            articles[start] += 1
            clusters[start].add(r["cluster"])
    return {d.isoformat(): (n, len(clusters[d]), round(n / totals[d], 6)) for d, n in articles.items()}


def trend(index_url, sources, *args):
    out = run_cli("trend", *QUERIES, "--index", index_url, "--sources", str(sources), *args)
    assert out.stdout.splitlines()[0] == "date,query,articles,stories,share"
    return list(csv.DictReader(io.StringIO(out.stdout)))


@pytest.mark.parametrize("interval, zone", [("month", "UTC"), ("week", "Asia/Seoul")])
def test_trend_matches_an_independent_count_from_the_export(crawled, site, interval, zone):
    rows = trend(crawled, site["sources"], "--interval", interval, "--tz", zone)
    tz = ZoneInfo(zone)
    everything = exported(crawled, site["sources"])
    expected_all = {}
    for q in QUERIES:
        expected = independent(exported(crawled, site["sources"], q), everything, interval, tz)
        assert expected, q
        got = {r["date"]: (int(r["articles"]), int(r["stories"]), float(r["share"])) for r in rows if r["query"] == q}
        assert {d: v for d, v in got.items() if v[0]} == expected, q
        assert all(v == (0, 0, 0.0) for d, v in got.items() if d not in expected), q
        expected_all[q] = expected
    # every query has a row for every period from the first match of any query to the last: gaps included
    firsts = min(min(e) for e in expected_all.values())
    lasts = max(max(e) for e in expected_all.values())
    for q in QUERIES:
        dates = [r["date"] for r in rows if r["query"] == q]
        assert dates[0] == firsts and dates[-1] == lasts and dates == sorted(set(dates))


def test_collection_means_the_outlets_the_sources_file_lists(crawled, site):
    groups = defaultdict(set)
    for source in yaml.safe_load(site["sources"].read_text())["sources"]:
        for name in source.get("collections") or []:
            groups[name].add(source["name"])
    korean = [r for r in exported(crawled, site["sources"], "deepfake") if r["source"] in groups["korea"]]
    assert {r["id"] for r in exported(crawled, site["sources"], "deepfake collection:korea")} == {r["id"] for r in korean}
    assert korean and len(groups["korea"]) < len({r["source"] for r in exported(crawled, site["sources"], "deepfake")})


def test_trend_range_json_and_bad_input(crawled, site, tmp_path):
    out = run_cli("trend", "deepfake", "--index", crawled, "--from", "2020-01-01", "--to", "2020-03-31",
                  "--format", "json", "--output", str(tmp_path / "t.json"))
    rows = json.loads((tmp_path / "t.json").read_text())
    assert [(r["date"], r["articles"], r["stories"], r["share"]) for r in rows] == [
        ("2020-01-01", 0, 0, 0.0), ("2020-02-01", 0, 0, 0.0), ("2020-03-01", 0, 0, 0.0)]
    assert out.stdout == ""
    for bad, message in [(["deepfake", "--tz", "Mars/Olympus"], "unknown time zone"),
                         (["(deepfake"], "bad query"), (["collection:nowhere"], "unknown collection"),
                         (["deepfake", "--from", "yesterday"], "bad date")]:
        result = run_cli("trend", *bad, "--index", crawled, "--sources", str(site["sources"]), check=False)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr, bad
