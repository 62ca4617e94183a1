"""The "faults" outlet: a small news site whose pages misbehave, for fault-tolerance tests.

It is served on its own port and linked from neither "yonhap" nor "dmr"; a crawl reaches
it only through its own feed (/feed.xml), sitemap (/sitemap.xml) or home page (/). Every
faulty URL looks like an ordinary article URL. The faults, by path:

/news/2024/09/10/flaky-story
    Answers 500 to the first two requests and 200 (a normal article) from the third on.
    Counted per path (the query string is ignored) and per server instance;
    ``Newsroom.reset_faults()`` starts the count again.
/news/2024/09/11/slow-story
    Sends nothing for ``slow_seconds`` (default 30), then a normal article: longer than any
    sensible download timeout.
/news/2024/09/12/drip-story
    Sends the headers at once (with Content-Length), then the body in 64-byte pieces spread
    over ``drip_seconds`` (default 30): a connection that never idles long enough to time out
    on a per-read timeout but never finishes in time either.
/news/2024/09/13/truncated-story
    Announces the full Content-Length, sends about half the page and closes the connection
    (data loss at the HTTP level; Scrapy reports it as such).
/news/2024/09/13/cut-off-story
    A complete HTTP response whose HTML stops in the middle of a paragraph, with no closing
    tags (the CMS crashed mid-render).
/news/2024/09/14/transparency-report
    A PDF (application/pdf) where an article was expected.
/news/2024/09/14/leaked-dataset
    Binary data as application/octet-stream with a download disposition.
/news/2024/09/14/corrupted-story
    Binary data labelled "text/html; charset=utf-8" (a misconfigured server).
/news/2024/09/15/huge-story
    A ``huge_bytes`` (default 50 MiB) HTML page with a Content-Length, generated while it
    is sent: a real article head followed by an endless comment thread.
/news/2024/09/16/wrong-charset-story
    Says UTF-8 in the Content-Type header and in <meta charset>, but the bytes are
    windows-1252 (curly quotes 0x93/0x94, an em dash 0x97, accented letters).
/news/2024/09/16/mislabelled-utf8-story
    The reverse: says windows-1252 in the header and the meta tag, but the bytes are UTF-8.
/news/2024/09/17/loop-a
    302 to /news/2024/09/17/loop-b, which 302s back to loop-a: a redirect loop.
/private/2024/09/18/embargoed-story
    Disallowed by robots.txt (Disallow: /private/) yet listed in the feed and sitemap. It
    answers 200 with an article, so only the request log shows whether a crawler obeyed.
/news/2024/09/15/endless-story
    Like huge-story, but with no Content-Length: the size is only known while it arrives.
/news/2024/09/19/bomb-story
    A decompression bomb: a few kB of gzip (Content-Encoding: gzip) that inflate to ``bomb_bytes``
    (default 16 MiB, over the crawl's 10 MB limit) of HTML.
/news/2024/09/20/long-story-long-story-…
    A path of 2,220 characters: the URL is over the 2,083 that browsers and Scrapy accept.

Hostile pages linked from nowhere (a test points a source at them):

/broken-feed.xml
    An RSS feed of the four good articles where a comment opened before the third item never
    closes: a recovering parser reads the first two and loses the rest (BROKEN_FEED_LOST).
/sitemaps/nested.xml?x=N
    A sitemap index whose only child is ?x=N+1: an endless chain of nested indexes.
/sitemaps/wide.xml
    A sitemap index of WIDE_SITEMAPS (1,000) sitemaps, ?part=N, each an empty urlset.
/many-links
    A listing page with MANY_LINKS (10,000) links to articles /many-links/story-N.
/down/…
    Every path answers 503 Service Unavailable: a site that is down.

Plus four well-behaved articles under /news/2024/... (``newsroom.corpus.articles("faults")``).
"""
from __future__ import annotations

import gzip
import random
import threading
from collections import Counter
from datetime import datetime, timezone

from . import feeds
from .catalog import Catalog
from .content.faults import FAULT_STORY
from .response import Request, Response, esc, html_page, json_ld, plain, redirect, xml_doc

SITE = "The Sample Ledger"
ROBOTS = """User-agent: *
Disallow: /private/

Sitemap: {base}/sitemap.xml
"""
_FAULT_DATE = datetime(2024, 9, 10, 9, 0, tzinfo=timezone.utc)

# path -> (kind, headline); "kind" is what newsroom.corpus.special_pages() reports.
FAULTS = {
    "/news/2024/09/10/flaky-story": ("flaky_500", "Flaky story: two errors, then the page"),
    "/news/2024/09/11/slow-story": ("slow", "Slow story: the server stalls before answering"),
    "/news/2024/09/12/drip-story": ("drip", "Drip story: the body trickles in"),
    "/news/2024/09/13/truncated-story": ("truncated", "Truncated story: the connection drops mid-body"),
    "/news/2024/09/13/cut-off-story": ("cut_off_html", "Cut-off story: the HTML stops mid-paragraph"),
    "/news/2024/09/14/transparency-report": ("pdf", "Transparency report 2024"),
    "/news/2024/09/14/leaked-dataset": ("binary", "Leaked dataset"),
    "/news/2024/09/14/corrupted-story": ("binary_as_html", "Corrupted story"),
    "/news/2024/09/15/huge-story": ("huge", "Huge story: a 50 MB page"),
    "/news/2024/09/16/wrong-charset-story": ("wrong_charset", "Wrong charset: says UTF-8, is windows-1252"),
    "/news/2024/09/16/mislabelled-utf8-story": ("wrong_charset", "Wrong charset: says windows-1252, is UTF-8"),
    "/news/2024/09/17/loop-a": ("redirect_loop", "Redirect loop"),
    "/news/2024/09/17/loop-b": ("redirect_loop", "Redirect loop (second hop)"),
    "/private/2024/09/18/embargoed-story": ("robots_disallowed", "Embargoed story"),
    "/news/2024/09/15/endless-story": ("huge_unannounced", "Endless story: a 50 MB page of unknown size"),
    "/news/2024/09/19/bomb-story": ("gzip_bomb", "Bomb story: a few kB that inflate to 16 MB"),
    "/news/2024/09/20/" + "long-story-" * 200 + "end": ("long_url", "Long story: a 2,220-character path"),
}
FAULTS_FOR_FLAKY = 2
BROKEN_FEED_LOST = 2       # items of /broken-feed.xml after its unclosed CDATA
WIDE_SITEMAPS = 1000
MANY_LINKS = 10_000


class FaultsOutlet:
    name = "faults"

    def __init__(self, catalog: Catalog, *, slow_seconds: float = 30.0, drip_seconds: float = 30.0,
                 huge_bytes: int = 50 * 1024 * 1024, bomb_bytes: int = 16 * 1024 * 1024,
                 stopping: threading.Event | None = None):
        self.catalog = catalog
        self.slow_seconds, self.drip_seconds, self.huge_bytes = slow_seconds, drip_seconds, huge_bytes
        self.bomb_bytes = bomb_bytes
        self._bomb: bytes | None = None
        # Set when the server stops, so stalled and dripping handlers give up at once.
        self.stopping = stopping or threading.Event()
        self._hits: Counter[str] = Counter()
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()

    def handle(self, req: Request) -> Response:
        path = req.path
        if path == "/robots.txt":
            return plain(ROBOTS.format(base=req.base))
        if path == "/feed.xml":
            return self.feed(req)
        if path == "/sitemap.xml":
            return self.sitemap(req)
        if path == "/":
            return html_page(self.home(req))
        if path in self._HOSTILE:
            return getattr(self, self._HOSTILE[path])(req)
        if path.startswith("/down/"):
            return html_page(_shell("Service Unavailable", "<h1>Down for maintenance</h1>"), 503)
        if path.startswith("/many-links/story-"):
            return html_page(self._story(req, "Many links: " + path.rsplit("-", 1)[1]))
        article = self.catalog.article(path)
        if article is not None:
            return html_page(self.page(req, article.title, article.paragraphs, article.published, article.authors))
        if path in FAULTS:
            return getattr(self, "_" + FAULTS[path][0])(req)
        return html_page(_shell("Not found", "<h1>Not found</h1>"), 404)

    # -- listings ----------------------------------------------------------------------
    def _entries(self) -> list[tuple[str, str, datetime]]:
        good = [(a.path, a.title, a.published) for a in self.catalog.articles()]
        bad = [(p, title, _FAULT_DATE) for p, (_, title) in FAULTS.items() if not p.endswith("loop-b")]
        return good + bad

    def feed(self, req: Request) -> Response:
        items = [{"title": title, "link": req.base + path, "guid": req.base + path, "permalink": True,
                  "published": when, "description": title} for path, title, when in self._entries()]
        return xml_doc(feeds.rss(title=SITE, link=req.base + "/", description="Sample outlet with faulty pages",
                                 self_url=req.base + "/feed.xml", items=items))

    def sitemap(self, req: Request) -> Response:
        return xml_doc(feeds.urlset({"loc": req.base + path, "lastmod": when} for path, _, when in self._entries()))

    def home(self, req: Request) -> str:
        links = "".join(f'<li><a href="{path}">{esc(title)}</a></li>' for path, title, _ in self._entries())
        return _shell(SITE, f"<h1>{SITE}</h1><ul>{links}</ul>")

    def page(self, req: Request, title: str, paragraphs, published: datetime, authors=("Staff Reporter",)) -> str:
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
              "datePublished": published.isoformat(), "author": [{"@type": "Person", "name": a} for a in authors]}
        body = "".join(f"<p>{esc(p)}</p>\n" for p in paragraphs)
        return _shell(f"{title} - {SITE}", f"""<article><h1>{esc(title)}</h1>
<p class="byline">By {esc(', '.join(authors))} | <time datetime="{published.isoformat()}">{published:%B %d, %Y}</time></p>
<div class="article-body">
{body}</div></article>""", head=f'<script type="application/ld+json">{json_ld(ld)}</script>'
                                f'<link rel="canonical" href="{esc(req.base + req.path)}">')

    def _story(self, req: Request, title: str | None = None) -> str:
        return self.page(req, title or FAULT_STORY["title"], FAULT_STORY["paragraphs"], _FAULT_DATE)

    # -- hostile pages linked from nowhere ----------------------------------------------
    _HOSTILE = {"/broken-feed.xml": "broken_feed", "/sitemaps/nested.xml": "nested_sitemap",
                "/sitemaps/wide.xml": "wide_sitemap", "/many-links": "many_links"}

    def broken_feed(self, req: Request) -> Response:
        items = [{"title": a.title, "link": req.base + a.path, "guid": req.base + a.path, "permalink": True,
                  "published": a.published, "description": a.title} for a in self.catalog.articles()]
        text = feeds.rss(title=SITE, link=req.base + "/", description="A feed that breaks halfway",
                         self_url=req.base + "/broken-feed.xml", items=items)
        third = text.index("<item>", text.index("<item>", text.index("<item>") + 1) + 1)
        return xml_doc(text[:third] + "<!-- a plugin's comment that never ends\n" + text[third:])

    def nested_sitemap(self, req: Request) -> Response:
        try:
            depth = int(req.arg("x", "0"))
        except ValueError:
            depth = 0
        return xml_doc(feeds.sitemap_index([(f"{req.base}/sitemaps/nested.xml?x={depth + 1}", _FAULT_DATE)]))

    def wide_sitemap(self, req: Request) -> Response:
        if req.arg("part"):
            return xml_doc(feeds.urlset([]))
        return xml_doc(feeds.sitemap_index((f"{req.base}/sitemaps/wide.xml?part={n}", None)
                                           for n in range(1, WIDE_SITEMAPS + 1)))

    def many_links(self, req: Request) -> Response:
        links = "".join(f'<li><a href="/many-links/story-{n}">Story {n}</a></li>\n' for n in range(1, MANY_LINKS + 1))
        return html_page(_shell("Everything we ever published", f"<h1>Archive</h1><ul>{links}</ul>"))

    # -- the faults (one method per kind in FAULTS) --------------------------------------
    def _flaky_500(self, req: Request) -> Response:
        with self._lock:
            self._hits[req.path] += 1
            count = self._hits[req.path]
        if count <= FAULTS_FOR_FLAKY:
            return html_page(_shell("Internal Server Error", "<h1>Internal Server Error</h1>"), 500)
        return html_page(self._story(req))

    def _slow(self, req: Request) -> Response:
        response = html_page(self._story(req))
        response.before = lambda: self.stopping.wait(self.slow_seconds)
        return response

    def _drip(self, req: Request) -> Response:
        body = self._story(req).encode("utf-8")
        pieces = [body[i:i + 64] for i in range(0, len(body), 64)]
        pause = self.drip_seconds / max(1, len(pieces))

        def chunks():
            for piece in pieces:
                yield piece
                if self.stopping.wait(pause):
                    return
        return Response(200, content_type="text/html; charset=utf-8", chunks=chunks, length=len(body))

    def _truncated(self, req: Request) -> Response:
        body = self._story(req).encode("utf-8")
        # The server closes the connection when the chunks fall short of the announced length.
        return Response(200, content_type="text/html; charset=utf-8", chunks=lambda: iter([body[: len(body) // 2]]),
                        length=len(body))

    def _cut_off_html(self, req: Request) -> Response:
        text = self._story(req)
        cut = text.index(FAULT_STORY["paragraphs"][2][:40]) + 25     # mid-sentence, inside a <p>
        return html_page(text[:cut])

    def _pdf(self, req: Request) -> Response:
        return Response(200, _pdf(["Transparency report 2024", "Government requests for user data: 1,204",
                                   "Content removed at the request of regulators: 18,377"]), "application/pdf")

    def _binary(self, req: Request) -> Response:
        return Response(200, random.Random(7).randbytes(65536), "application/octet-stream",
                        {"Content-Disposition": 'attachment; filename="dataset.bin"'})

    def _binary_as_html(self, req: Request) -> Response:
        return Response(200, random.Random(8).randbytes(65536), "text/html; charset=utf-8")

    def _huge(self, req: Request) -> Response:
        total = self.huge_bytes
        story = self._story(req, "Huge story: a 50 MB page")
        head = story[: story.index("</article>")].encode("utf-8") + b'\n<section class="comments">\n'
        tail = b"</section></article></body></html>\n"
        block = (b'<div class="comment"><p>Reader comment: platforms should publish how many takedown '
                 b'requests they receive and how fast they act on them.</p></div>\n') * 400

        def chunks():
            remaining = total - len(head) - len(tail)
            yield head
            while remaining > 0:
                piece = block[:remaining]
                remaining -= len(piece)
                yield piece
            yield tail
        return Response(200, content_type="text/html; charset=utf-8", chunks=chunks, length=total)

    def _huge_unannounced(self, req: Request) -> Response:
        response = self._huge(req)
        response.length = None          # no Content-Length: the server closes the connection at the end
        return response

    def _gzip_bomb(self, req: Request) -> Response:
        if self._bomb is None:
            page = self._story(req, "Bomb story").encode("utf-8")
            self._bomb = gzip.compress(page + b" " * (self.bomb_bytes - len(page)), compresslevel=9)
        return Response(200, self._bomb, "text/html; charset=utf-8", {"Content-Encoding": "gzip"})

    def _long_url(self, req: Request) -> Response:
        return html_page(self._story(req, "Long story"))

    def _wrong_charset(self, req: Request) -> Response:
        if "mislabelled-utf8" in req.path:
            text = self._story(req).replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
            return Response(200, text.encode("utf-8"), "text/html; charset=windows-1252")
        return Response(200, self._story(req).encode("windows-1252"), "text/html; charset=utf-8")

    def _redirect_loop(self, req: Request) -> Response:
        other = "/news/2024/09/17/loop-b" if req.path.endswith("loop-a") else "/news/2024/09/17/loop-a"
        return redirect(req.base + other, 302)

    def _robots_disallowed(self, req: Request) -> Response:
        return html_page(self._story(req, "Embargoed story"))


def _shell(title: str, body: str, head: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>{head}</head>
<body><header><a href="/">{SITE}</a></header>
<main>{body}</main>
<footer>Sample outlet served by PolicyWatch's test newsroom.</footer></body></html>
"""


def _pdf(lines: list[str]) -> bytes:
    """A minimal, valid one-page PDF showing ``lines`` (byte offsets computed for the xref)."""
    text = "BT /F1 14 Tf 16 TL 72 720 Td " + " ".join(
        f"({line.replace('(', '[').replace(')', ']')}) Tj T*" for line in lines) + " ET"
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               "/Resources << /Font << /F1 5 0 R >> >> >>",
               f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def fault_pages() -> list[dict]:
    """The faulty pages for newsroom.corpus.special_pages()."""
    out = []
    for path, (kind, title) in FAULTS.items():
        entry = {"outlet": "faults", "path": path, "kind": kind, "title": title}
        if kind == "flaky_500":
            entry.update(status=200, first_statuses=[500] * FAULTS_FOR_FLAKY + [200])
        elif kind == "redirect_loop":
            entry.update(status=302, location="/news/2024/09/17/loop-b" if path.endswith("loop-a")
                         else "/news/2024/09/17/loop-a")
        elif kind == "wrong_charset":
            declared, actual = (("windows-1252", "utf-8") if "mislabelled" in path else ("utf-8", "windows-1252"))
            entry.update(status=200, declared_charset=declared, actual_charset=actual,
                         paragraphs=list(FAULT_STORY["paragraphs"]), title=FAULT_STORY["title"])
        elif kind == "robots_disallowed":
            entry.update(status=200, robots_disallowed=True)
        elif kind == "pdf":
            entry.update(status=200, content_type="application/pdf")
        elif kind in ("binary", "binary_as_html"):
            entry.update(status=200, content_type="application/octet-stream" if kind == "binary"
                         else "text/html; charset=utf-8")
        else:
            entry.update(status=200)
        out.append(entry)
    return out
