"""The web UI in real headless Chromium (Debian's package, driven by Playwright) against the app
served by uvicorn on a free local port. Each test keeps screenshots in artifacts/screenshots/."""
from __future__ import annotations

import csv
import os
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from core.config import Config

from conftest import free_port
from web_corpus import XSS_TITLE, write_index

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
ATOM = "{http://www.w3.org/2005/Atom}"


def require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    from web.app import create_app

    require_chromium()
    data = tmp_path_factory.mktemp("web-browser")
    url = f"sqlite:///{data}/index.db"
    write_index(url)
    yield from served(create_app(Config(index_url=url), state=str(data / "web.db")))


def served(app):
    """Run the app under uvicorn on a free local port; yields its base URL, stops it after."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(base_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def pwned(page) -> str:
    return page.evaluate("typeof window.__pwned")


def test_type_a_query_apply_a_filter_and_open_an_article(page):
    page.goto("/")
    page.fill("#q", "telegram")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=telegram*")
    assert page.locator(".hit").count() == 7
    assert page.locator(".hit__snippet mark").count() >= 7
    shot(page, "search")

    page.select_option("#f-source", "yonhap")
    page.click("text=Apply filters")
    page.wait_for_url("**source=yonhap*")
    sources = page.locator(".hit .chip--source").all_inner_texts()
    assert sources and set(sources) == {"yonhap"}
    assert page.locator(".chips--active").inner_text().startswith("Outlet:")
    shot(page, "search-filtered")

    page.click("a.chip--entity:text-is('Korean National Police Agency') >> nth=0")
    page.wait_for_url("**entity=Korean+National+Police+Agency*")
    assert page.locator(".hit").count() == 3
    title = page.locator(".hit__title a").first.inner_text()
    page.locator(".hit__title a").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("h1").inner_text() == title
    assert page.locator(".article__body a.ent").count() >= 2
    assert page.locator(".action-list .action").count() >= 1
    assert pwned(page) == "undefined"
    shot(page, "article")


def test_a_script_in_a_crawled_title_does_not_run(page):
    page.goto("/?q=deepfake+bill")
    assert page.get_by_role("link", name=XSS_TITLE).is_visible()       # shown as text
    assert pwned(page) == "undefined"
    page.get_by_role("link", name=XSS_TITLE).click()
    page.wait_for_url("**/articles/*")
    assert page.locator("h1").inner_text() == XSS_TITLE
    assert page.get_by_text('<img src=x onerror="window.__pwned=2">', exact=False).is_visible()
    assert pwned(page) == "undefined"
    shot(page, "article-script-title")


def test_a_malformed_query_shows_a_message(page):
    response = page.goto("/?q=%28telegram")
    assert response.status == 400
    assert "unbalanced parenthesis" in page.get_by_role("alert").inner_text()
    assert page.input_value("#q") == "(telegram"
    shot(page, "search-bad-query")


def test_entity_page_charts_the_timeline_and_compares_two_entities(page):
    page.goto("/entities/Telegram")
    chart = page.locator("svg.chart__svg")
    assert chart.is_visible()
    assert chart.get_attribute("data-kind") == "bars"
    assert page.locator("svg.chart__svg rect.chart__bar").count() == 5
    assert "Telegram Messenger" in page.locator(".aliases").inner_text()
    assert page.locator(".mentions blockquote").count() >= 5
    shot(page, "entity")

    page.fill("#t-compare-0", "Pavel Durov")
    page.select_option("#t-interval", "week")
    page.click("text=Update chart")
    page.wait_for_url("**compare=Pavel+Durov*")
    assert page.locator("svg.chart__svg").get_attribute("data-kind") == "lines"
    assert page.locator("svg.chart__svg path.chart__line").count() == 2
    assert page.locator(".chart__legend").inner_text().split() == ["Telegram", "Pavel", "Durov"]
    shot(page, "entity-compare")


def test_download_timeline_and_search_results_as_csv(page, tmp_path):
    page.goto("/entities/Pavel%20Durov")
    with page.expect_download() as info:
        page.locator(".downloads a", has_text="CSV").first.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert info.value.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows and {r["entity"] for r in rows} == {"Pavel Durov"}
    assert sum(int(r["articles"]) for r in rows) == 3

    page.goto("/?q=telegram")
    with page.expect_download() as info:
        page.locator(".downloads a", has_text="CSV").click()
    info.value.save_as(tmp_path / "export.csv")
    assert len(list(csv.DictReader((tmp_path / "export.csv").open(encoding="utf-8")))) == 7


def test_save_a_search_and_read_its_feed(page):
    page.goto("/?q=durov&sort=date")
    page.click("summary:text('Save this search')")
    page.fill("#save-name", "Durov case")
    page.click("form.save__form button:text('Save')")
    page.wait_for_url("**/saved")
    assert page.locator(".saved h2").first.inner_text().startswith("Durov case")
    shot(page, "saved")

    href = page.locator("a.feed-link").first.get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert titles[0] == "Durov questioned again by French judges" and len(titles) == 3

    page.click("a.button:text('Open')")
    page.wait_for_url("**/?q=durov&sort=date")
    assert page.locator(".hit").count() == 3


# A Hangul syllable against a code point no font has (plane 16, private use): where no Korean font
# is installed both are drawn as the same missing-glyph box, so their widths agree.
MEASURE_GLYPHS = """() => {
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = "32px " + getComputedStyle(document.body).fontFamily;
  const width = text => ctx.measureText(text).width;
  return {hangul: width("한국어 텔레그램"), box: width("\\u{10FFFD}\\u{10FFFD}\\u{10FFFD} \\u{10FFFD}\\u{10FFFD}\\u{10FFFD}\\u{10FFFD}")};
}"""


def test_korean_renders_as_glyphs_not_boxes(page):
    page.goto("/search?q=" + "텔레그램")
    widths = page.evaluate(MEASURE_GLYPHS)
    shot(page, "korean-glyphs")
    assert abs(widths["hangul"] - widths["box"]) > 1, f"Hangul draws as missing-glyph boxes ({widths}): make chromium"




def test_form_labels_and_placeholders_are_not_cut(page):
    fits = """([selector, kind]) => {
      const el = document.querySelector(selector);
      const text = kind === "placeholder" ? el.placeholder : el.options[el.selectedIndex].text;
      const style = getComputedStyle(el);
      const ctx = document.createElement("canvas").getContext("2d");
      ctx.font = `${style.fontSize} ${style.fontFamily}`;
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return {text, need: ctx.measureText(text).width, room};
    }"""
    page.goto("/")
    entity = page.evaluate(fits, ["#f-entity", "placeholder"])
    assert entity["need"] <= entity["room"], entity
    page.goto("/trend?q=deepfake&measure=share")
    measure = page.evaluate(fits, ["#t-measure", "option"])
    # a select's arrow takes about 20px of its room
    assert measure["text"] == "share of all articles" and measure["need"] <= measure["room"] - 16, measure
