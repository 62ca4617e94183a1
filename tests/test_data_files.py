"""Every data file a user names (gazetteer, sources, config) is read once, before any work: a typo
is one line and exit 2, never a crawl that loses every article and reports success. And an
article whose NLP fails is indexed without entities and counted as degraded, never dropped."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from conftest import FAST_CRAWL, ROOT, run_cli

FIXTURE = ROOT / "tests" / "fixtures" / "extraction" / "bbc-ofcom-illegal-harms-codes.html"


def _one_line_exit_2(result, *needles: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_crawl_with_a_missing_gazetteer_stops_before_any_work(site, tmp_path):
    index = tmp_path / "index.db"
    result = run_cli("crawl", "--sources", str(site["sources"]), "--index", f"sqlite:///{index}",
                     "--gazetteer", str(tmp_path / "my.yaml"), *FAST_CRAWL, check=False)
    _one_line_exit_2(result, "my.yaml", "no such file")
    assert not index.exists()          # nothing was crawled, no index was started


@pytest.mark.parametrize("command", [
    ["extract", str(FIXTURE)],
    ["reprocess", "--nlp-only", "--index"],
    ["import", str(FIXTURE), "--index"],
    ["search", "telegram", "--index"],
    ["timeline", "Telegram", "--index"],
    ["entities", "--index"],
    ["serve", "--port", "1", "--index"],
])
def test_every_command_checks_a_named_gazetteer_first(command, tmp_path):
    if command[-1] == "--index":
        command = command + [f"sqlite:///{tmp_path}/none.db"]
    result = run_cli(*command, "--gazetteer", "nope.yaml", check=False)
    _one_line_exit_2(result, "nope.yaml", "no such file")


def test_a_malformed_gazetteer_names_the_entry(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n  - name: Telegram\n    type: COMPANY\n")
    result = run_cli("extract", str(FIXTURE), "--gazetteer", str(bad), check=False)
    _one_line_exit_2(result, "bad.yaml", "entries[0]", "COMPANY")


def test_the_gazetteer_from_the_environment_is_checked_too(tmp_path):
    result = run_cli("extract", str(FIXTURE), check=False, env={"POLICYWATCH_GAZETTEER": str(tmp_path / "gone.yaml")})
    _one_line_exit_2(result, "gone.yaml")


@pytest.mark.parametrize("command", [["crawl"], ["status"], ["schedule"], ["import", str(FIXTURE)],
                                     ["search", "collection:korea"], ["serve", "--port", "1"]])
def test_every_command_checks_a_named_sources_file_first(command, tmp_path):
    result = run_cli(*command, "--index", f"sqlite:///{tmp_path}/none.db", "--sources", "sorces.yaml", check=False)
    _one_line_exit_2(result, "sorces.yaml")


def test_a_missing_config_file_is_one_line(tmp_path):
    result = run_cli("status", check=False, env={"POLICYWATCH_CONFIG": str(tmp_path / "config.yaml")})
    _one_line_exit_2(result, "config.yaml", "does not exist")


def test_an_article_whose_nlp_fails_is_indexed_without_entities_and_counted_degraded(tmp_path):
    """The ingest path with a worker whose NLP cannot load (a gazetteer gone after the CLI's check):
    the article still comes out, is written, and `status` flags the source as degraded."""
    from ingest import work
    from ingest.pages import Counter, Ingest, Page, Writer
    from ingest.outcome import source_runs
    from ingest.stats import summarize
    from index import open_index, parse

    stats = Counter()
    pool = work.InlineExecutor(True, [str(tmp_path / "vanished.yaml")])
    ingest = Ingest(pool, None, stats, nlp=True, dedupe=False)
    page = Page(source="bbc", url="https://www.bbc.com/news/articles/c8j4xk2v9p1o", body=FIXTURE.read_bytes(),
                fetched="2025-01-01T00:00:00Z")
    outcome = asyncio.run(ingest.page(page))
    assert outcome.article is not None and outcome.article.entities == []
    assert "vanished.yaml" in outcome.degraded

    url = f"sqlite:///{tmp_path}/index.db"
    index = open_index(url, create=True)
    try:
        assert Writer(index, stats).write([outcome.article]) == {outcome.article.id}
        values = stats.get_stats()
        (summary,) = summarize(values, ["bbc"])
        assert summary.degraded == 1 and summary.new == 1
        index.record_runs(source_runs(values, ["bbc"]))
        assert index.stats()["articles"] == 1
        assert len(list(index.export(parse("")))) == 1
    finally:
        index.close()
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: bbc\n    feeds: [https://www.bbc.com/news/rss.xml]\n")
    status = run_cli("status", "--index", url, "--sources", str(sources))
    assert "degraded: 1 article(s) indexed without entities" in status.stdout
