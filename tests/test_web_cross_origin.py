"""A real cross-origin request (issue 11, item 9): a page served from another local port makes
headless Chromium post a form to the app, as a hostile site could; the app refuses it (403) and
nothing is saved. The app's own form still saves."""
from __future__ import annotations

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from test_web_browser import base_url, browser, page, shot  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


@pytest.fixture
def hostile_site(base_url):  # noqa: F811
    """Another origin (same host, another port) whose page submits a form to the app at once."""
    body = (f'<!doctype html><form method="post" action="{html.escape(base_url)}/saved">'
            '<input name="name" value="Planted"><input name="q" value="telegram"></form>'
            "<script>document.forms[0].submit()</script>").encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def saved_names(page, base_url) -> list[str]:  # noqa: F811
    return [s["name"] for s in page.request.get(f"{base_url}/api/saved").json()]


def test_a_form_posted_from_another_origin_is_refused(page, base_url, hostile_site):  # noqa: F811
    with page.expect_response(f"{base_url}/saved") as posted:
        page.goto(hostile_site)
    assert posted.value.status == 403
    page.wait_for_load_state()
    assert "cross-site" in page.content()
    shot(page, "cross-origin-refused")
    assert "Planted" not in saved_names(page, base_url)


def test_the_apps_own_form_still_saves(page, base_url):  # noqa: F811
    page.goto("/?q=telegram")
    page.click("summary:text('Save this search')")
    page.fill("#save-name", "Own form")
    page.click("form.save__form button:text('Save')")
    page.wait_for_url("**/saved")
    assert "Own form" in saved_names(page, base_url)
