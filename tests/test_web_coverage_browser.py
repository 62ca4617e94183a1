"""Coverage over time and counting by story in real headless Chromium: the chart above the
results and its period links, the compare view, and the one-result-per-story toggle.
Screenshots land in artifacts/screenshots/."""
from __future__ import annotations

import pytest

from policywatch.config import Config

from test_web_browser import browser, page, require_chromium, served, shot  # noqa: F401 (fixtures)
from web_corpus import SOURCES_YAML, build_articles, syndicated_articles, write_index

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The app over the web corpus plus one story syndicated by three outlets, with collections."""
    from web.app import create_app

    require_chromium()
    data = tmp_path_factory.mktemp("web-coverage-browser")
    url = f"sqlite:///{data}/index.db"
    write_index(url, build_articles() + syndicated_articles())
    (data / "sources.yaml").write_text(SOURCES_YAML)
    yield from served(create_app(Config(index_url=url, sources=str(data / "sources.yaml")), state=str(data / "web.db")))


def test_coverage_chart_above_results_links_each_period_to_its_results(page):
    page.goto("/?q=deepfake")
    chart = page.locator(".coverage svg.chart__svg")
    assert chart.is_visible() and chart.get_attribute("data-kind") == "bars"
    bars = page.locator(".coverage rect.chart__bar")
    assert bars.count() == 3                                   # Aug, Sep, Oct 2024
    box = page.locator(".coverage").bounding_box()
    assert box["y"] < page.locator(".hits").bounding_box()["y"]          # above the results
    shot(page, "search-coverage")

    page.locator(".coverage a.chart__link").nth(1).click()              # September
    page.wait_for_url("**from=2024-09-01&to=2024-09-30*")
    dates = page.locator(".hit .chip--date").all_inner_texts()
    assert dates and all("Sep 2024" in d for d in dates)

    page.goto("/?q=deepfake")
    page.click(".coverage__options a:text('share of all')")
    page.wait_for_url("**measure=share*")
    assert page.locator(".coverage .chart__grid text").last.text_content().endswith("%")
    shot(page, "search-coverage-share")


def test_one_result_per_story_toggle_folds_syndicated_copies(page):
    page.goto("/?q=criminalize")
    assert page.locator(".hit").count() == 3
    assert page.locator("#results-heading").inner_text().startswith("3 articles")
    page.check("#f-collapse")
    page.click("text=Apply filters")
    page.wait_for_url("**collapse=true*")
    assert page.locator(".hit").count() == 1
    assert page.locator("#results-heading").inner_text().startswith("1 story")
    assert page.locator(".hit .chip--copies").inner_text() == "3 copies"
    assert page.locator(".coverage__options strong").nth(1).inner_text() == "stories"
    shot(page, "search-one-per-story")
    page.click("text=Show every copy")
    page.wait_for_url(lambda url: "collapse" not in url)
    assert page.locator(".hit").count() == 3


def test_compare_view_draws_labelled_lines_for_two_collections(page):
    page.goto("/trend")
    page.fill("#t-q-0", "deepfake collection:korea")
    page.fill("#t-q-1", "deepfake collection:europe")
    page.select_option("#t-measure", "share")
    page.click("text=Update chart")
    page.wait_for_url("**measure=share*")
    svg = page.locator("svg.chart__svg")
    assert svg.get_attribute("data-kind") == "lines"
    assert page.locator("path.chart__line").count() == 2
    assert page.locator(".chart__legend li").all_inner_texts() == ["deepfake collection:korea",
                                                                   "deepfake collection:europe"]
    shot(page, "trend-compare")
    page.locator("a.chart__link").first.click()
    page.wait_for_url("**/?q=deepfake+collection%3Akorea&from=2024-08-01&to=2024-08-31*")
    assert page.locator(".hit .chip--source").all_inner_texts() == ["yonhap"]
