"""Alerts in the web UI, in real headless Chromium: "Alert me" on a search page makes an alert
kept with the index, listed on the alerts page with its channel redacted, then removed."""
from __future__ import annotations

import pytest

from core.config import Config
from web_corpus import write_index
from test_web_browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, served, shot

pytestmark = pytest.mark.browser
SECRET = "Hunter2-secret"


@pytest.fixture
def site(tmp_path):
    from web.app import create_app
    require_chromium()
    url = f"sqlite:///{tmp_path}/index.db"
    write_index(url)
    for base in served(create_app(Config(index_url=url), state=str(tmp_path / "web.db"))):
        yield base, url


@pytest.fixture
def page(site):
    """A page of a fresh headless Chromium on the site; the browser closes even when a test fails."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(base_url=site[0])
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


def test_alert_me_on_a_search_adds_an_alert_shown_redacted(site, page):
    from index import open_index
    base, url = site
    page.goto("/?q=telegram&source=yonhap")
    page.get_by_text("Alert me").click()
    page.fill("#alert-name", "tg-web")
    page.fill("#alert-to", f"mailtos://desk:{SECRET}@mail.example.org?to=desk@example.org")
    page.select_option("#alert-every", "daily")
    page.get_by_role("button", name="Create alert").click()
    page.wait_for_url("**/alerts")
    shot(page, "alerts-page")
    text = page.content()
    assert "tg-web" in text and '(telegram) source:"yonhap"' in text      # the search's filters kept
    assert "mailtos://desk:****@mail.example.org" in text and SECRET not in text
    ix = open_index(url)
    try:
        [stored] = ix.alerts()
    finally:
        ix.close()
    assert stored.name == "tg-web" and stored.record["every"] == "daily"
    # a bad channel URL: one clear message, no alert, no 500
    page.goto("/?q=telegram")
    page.get_by_text("Alert me").click()
    page.fill("#alert-name", "bad")
    page.fill("#alert-to", "nosuch://x")
    response_status = []
    page.on("response", lambda r: response_status.append(r.status) if r.url.endswith("/alerts") else None)
    page.get_by_role("button", name="Create alert").click()
    page.wait_for_load_state()
    assert response_status and response_status[-1] == 400 and "bad channel URL" in page.content()
    page.goto("/alerts")
    page.get_by_role("button", name="Remove tg-web").click()
    page.wait_for_url("**/alerts")
    assert "No alert yet" in page.content()


def test_a_saved_search_becomes_an_alert_from_the_saved_searches_page(site, page):
    import httpx
    from index import open_index
    base, url = site
    page.goto("/?q=telegram&source=yonhap")
    page.get_by_text("Save this search").click()
    page.fill("#save-name", "Telegram at Yonhap")
    page.get_by_role("button", name="Save").click()
    page.goto("/saved")
    page.locator("li.saved").first.get_by_text("Alert me").click()
    page.fill("#alert-1-name", "tg-saved")
    page.fill("#alert-1-to", "json://127.0.0.1:9/hook")
    page.get_by_role("button", name="Create alert").click()
    page.wait_for_url("**/alerts")
    assert "tg-saved" in page.content() and '(telegram) source:"yonhap"' in page.content()
    ix = open_index(url)
    try:
        [stored] = ix.alerts()
    finally:
        ix.close()
    assert stored.name == "tg-saved" and stored.record.get("saved") == "Telegram at Yonhap"
    # removing an alert that is not there is a 404 with the reason, not a 400 or a 500
    gone = httpx.post(f"{base}/alerts/no-such-alert/delete", follow_redirects=False)
    assert gone.status_code == 404 and "no alert named &#39;no-such-alert&#39;" in gone.text
