"""Real pages of ../shared/corpora served over local HTTP as one news site: a sitemap lists every
page, each at a path that keeps its original URL's path (dates in URLs still count), robots.txt
allows everything. For the benchmarks that run the crawl over real pages (bench/paths_rate.py).

The pages are served as they were saved, with `Content-Type: text/html` and no charset: the
extraction finds the encoding in the page, as it does for a saved file."""
from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, urlsplit

from bench import real_pages as rp


@dataclass
class SitePage:
    url: str            # where the local site serves it
    html: bytes
    key: tuple[str, str]


def site_path(page: rp.Page) -> str:
    """/DATASET/ID then the original URL's path, so that each page has its own path and a date in
    the original URL is still in the served one."""
    original = urlsplit(page.url).path if not page.url.endswith(".invalid/" + page.id) else ""
    return quote(f"/{page.dataset}/{page.id}{original}", safe="/-._~%")


def _handler(pages: dict[str, bytes], sitemap: bytes):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):               # noqa: N802 - http.server's name
            path = urlsplit(self.path).path
            if path == "/sitemap.xml":
                body, kind = sitemap, "application/xml"
            elif path == "/robots.txt":
                body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
            elif path in pages:
                body, kind = pages[path], "text/html"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):   # quiet: a line per request would be most of the output
            pass
    return Handler


@contextlib.contextmanager
def serve(pages: list[rp.Page]):
    """Serve the pages; yields (sitemap URL, [SitePage] in the sitemap's order)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    paths = {site_path(p): p for p in pages}
    served = [SitePage(base + path, p.html, p.key) for path, p in paths.items()]
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
               + "".join(f"  <url><loc>{s.url.replace('&', '&amp;')}</loc></url>\n" for s in served)
               + "</urlset>\n").encode()
    server.RequestHandlerClass = _handler({path: p.html for path, p in paths.items()}, sitemap)
    thread = threading.Thread(target=server.serve_forever, name="real-site", daemon=True)
    thread.start()
    try:
        yield base + "/sitemap.xml", served
    finally:
        server.shutdown()
        server.server_close()


def sources_yaml(sitemap: str, name: str = "realsite") -> str:
    """A sources file with the one outlet; no language, so that each page says its own (as a saved
    file run through `extract` does)."""
    return f"sources:\n  - name: {name}\n    sitemaps: ['{sitemap}']\n    start_urls: []\n    feeds: []\n"
