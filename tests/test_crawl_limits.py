"""Every crawl ends, however a site behaves: the faults outlet's endless chain of nested sitemap
indexes, its index of 1,000 sitemaps, its listing page of 10,000 links and its feed that breaks
halfway are crawled over real HTTP, and each cut is counted under its own reason."""
from __future__ import annotations

import json

import pytest

from conftest import FAST_CRAWL, run_cli
from crawler.settings import POLICYWATCH_MAX_SITEMAP_DEPTH
from newsroom import corpus, start
from newsroom.faults import BROKEN_FEED_LOST, MANY_LINKS, WIDE_SITEMAPS


@pytest.fixture(scope="module")
def faults():
    newsroom = start(outlets=("faults",))
    yield newsroom
    newsroom.stop()


def crawl(tmp_path, newsroom, entry: str, *settings: str) -> tuple[dict, list[str]]:
    """Crawl one source (`entry`: its YAML lines, {base} for the outlet): its summary, and the
    paths it asked the outlet for."""
    earlier = len(newsroom.requests("faults"))
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: hostile\n" + entry.format(base=newsroom.urls["faults"]))
    result = run_cli("crawl", "--sources", str(sources), "--index", f"sqlite:///{tmp_path}/index.db", "--no-nlp",
                     "--format", "json", "--set", "POLICYWATCH_WORKERS=1", *FAST_CRAWL,
                     *[a for s in settings for a in ("--set", s)], timeout=180)
    (summary,) = json.loads(result.stdout)
    return summary, [r["path"] for r in newsroom.requests("faults")[earlier:]]


def under(paths: list[str], prefix: str) -> list[str]:
    return [p for p in paths if p.startswith(prefix)]


def test_an_endless_chain_of_nested_sitemaps_is_followed_to_the_depth_limit(tmp_path, faults):
    summary, paths = crawl(tmp_path, faults, "    sitemaps: ['{base}/sitemaps/nested.xml?x=0']\n")
    assert summary["reasons"] == {"skipped/sitemap nested too deep": 1}
    assert under(paths, "/sitemaps/nested.xml") == [f"/sitemaps/nested.xml?x={n}"
                                                         for n in range(POLICYWATCH_MAX_SITEMAP_DEPTH + 1)]
    assert summary["outcome"] == "ok"


def test_sitemaps_beyond_the_per_run_limit_are_not_fetched(tmp_path, faults):
    summary, paths = crawl(tmp_path, faults, "    sitemaps: ['{base}/sitemaps/wide.xml']\n",
                           "POLICYWATCH_MAX_SITEMAPS=20")
    assert len(under(paths, "/sitemaps/wide.xml")) == 20                  # the index and 19 of its sitemaps
    assert summary["reasons"] == {"skipped/over the sitemap limit": WIDE_SITEMAPS - 19}


def test_a_listing_page_gives_at_most_its_link_limit(tmp_path, faults):
    summary, paths = crawl(tmp_path, faults, "    start_urls: ['{base}/many-links']\n",
                           "POLICYWATCH_MAX_LINKS_PER_LISTING=25")
    # Its links: the site's home page (in the header) and MANY_LINKS stories.
    assert len([p for p in paths if p != "/robots.txt"]) == 1 + 25
    assert summary["reasons"]["skipped/over the link limit of a listing page"] == 1 + MANY_LINKS - 25
    assert summary["pages_fetched"] == 26 and summary["outcome"] == "ok"


def test_a_source_gets_at_most_its_page_limit_per_run(tmp_path, faults):
    summary, paths = crawl(tmp_path, faults, "    start_urls: ['{base}/many-links']\n", "POLICYWATCH_MAX_PAGES=10")
    assert len([p for p in paths if p != "/robots.txt"]) == 10               # the listing and 9 of its links
    assert summary["reasons"]["skipped/over the page limit per source"] == 1 + MANY_LINKS - 9


def test_feed_items_lost_to_a_malformed_feed_are_counted(tmp_path, faults):
    summary, _ = crawl(tmp_path, faults, "    feeds: ['{base}/broken-feed.xml']\n")
    good = len(corpus.articles("faults"))
    assert summary["reasons"] == {"errors/feed items lost to XML errors": BROKEN_FEED_LOST}
    assert summary["new"] == good - BROKEN_FEED_LOST
