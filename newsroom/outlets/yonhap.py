"""The "yonhap" outlet: pages shaped like Yonhap News Agency's English site.

URLs: /view/AEN<date><9 digits> articles, /<section>/all?page=N listings, /RSS/news.xml and
per-section feeds, /sitemap.xml (an index of monthly sitemaps), /topics/deepfakes (a tag
page), /video/<id>, /login, /aboutus, /search/index (robots-disallowed). Times are KST.
Habits kept from the real site because extractors trip on them: "(LEAD)" titles, the
"(ATTN: ...)" note and "By ..." byline inside the body, the "SEOUL, Sept. 2 (Yonhap) --"
dateline, the reporter's address and "(END)" after the last paragraph, and a page that is
mostly navigation, ads, share buttons and headline lists.
"""
from __future__ import annotations

import re

from .. import feeds
from ..catalog import Catalog
from ..content import yonhap as content
from ..model import Article, Stub, http_date, shorten
from ..response import Request, Response, esc, html_page, json_ld, plain, redirect, xml_doc
from . import SAMPLE_NOTICE, image_response, page_window, paginate

SITE = "Yonhap News Agency"
PER_PAGE = 10
FEED_SIZE = 15
SECTION_FEEDS = {"national": "national", "nk": "nk", "politics": "politics", "economy": "economy-finance"}
_VIEW = re.compile(r"^/view/(AEN\d{17})$")
_SITEMAP = re.compile(r"^/sitemap/news-(\d{4}-\d{2})\.xml$")
_ROBOTS = """User-agent: *
Disallow: /search/
Disallow: /login
Allow: /

Sitemap: {base}/sitemap.xml
"""


def _email(name: str) -> str:
    # Reporter addresses look like Yonhap's initials@ form, on a reserved domain so that
    # nothing here points at a real mailbox.
    parts = re.findall(r"[A-Za-z]+", name)
    return "".join(p[0].lower() for p in parts) + "@yna.example"


def _stamp(stub) -> str:
    return f"{(stub.modified or stub.published):%Y-%m-%d %H:%M}"


class YonhapOutlet:
    name = "yonhap"

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.special = {p["path"].split("#")[0].split("?")[0]: p for p in content.SPECIAL_PAGES
                        if p["kind"] in ("server_error", "video", "tag")}

    # -- routing -----------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        path = req.path
        if path in content.REDIRECTS:
            return redirect(req.base + content.REDIRECTS[path], 301)
        match = _VIEW.match(path)
        if match:
            special = self.special.get(path)
            if special and special["kind"] == "server_error":
                return html_page(self._error_page(req, 500), 500)
            article = self.catalog.article(path)
            if article is None:
                return html_page(self._error_page(req, 404), 404)
            return html_page(self.article_page(req, article), charset=article.charset,
                             headers={"Last-Modified": _http(article)})
        section = path[1:-4] if path.endswith("/all") else None
        if section in self.catalog.sections:
            return self.listing(req, section)
        if path.startswith("/photo/"):
            return image_response()
        match = _SITEMAP.match(path)
        if match:
            return self.month_sitemap(req, match.group(1))
        route = {
            "/": self.home, "/robots.txt": lambda r: plain(_ROBOTS.format(base=r.base)),
            "/sitemap.xml": self.sitemap_index, "/RSS/news.xml": lambda r: self.feed(r, None),
            "/topics/deepfakes": self.topic, "/login": self.login, "/aboutus": self.about,
            "/search/index": self.search,
        }.get(path)
        if route:
            return route(req)
        for section, feed in SECTION_FEEDS.items():
            if path == f"/RSS/{feed}.xml":
                return self.feed(req, section)
        if path in self.special and self.special[path]["kind"] == "video":
            return html_page(self.video(req, self.special[path]))
        return html_page(self._error_page(req, 404), 404)

    # -- feeds and sitemaps ------------------------------------------------------------
    def feed(self, req: Request, section: str | None) -> Response:
        stubs = self.catalog.in_section(section) if section else self.catalog.stubs
        items = []
        for stub in stubs[:FEED_SIZE]:
            article = self.catalog.article(stub.path)
            items.append({"title": stub.title, "link": req.base + stub.path, "guid": req.base + stub.path,
                          "permalink": True, "published": stub.published, "creators": stub.authors,
                          "categories": [self.catalog.sections[stub.section]],
                          "description": article.summary})
        title = SITE if not section else f"{SITE} - {self.catalog.sections[section]}"
        return xml_doc(feeds.rss(title=title, link=req.base + "/", self_url=req.base + req.path,
                                 description="Yonhap News Agency's English news service",
                                 items=items, last_build=stubs[0].published if stubs else None),
                       "application/xml; charset=utf-8")

    def sitemap_index(self, req: Request) -> Response:
        entries = [(f"{req.base}/sitemap/news-{month}.xml", max(s.updated for s in stubs))
                   for month, stubs in self.catalog.months()]
        return xml_doc(feeds.sitemap_index(entries))

    def month_sitemap(self, req: Request, month: str) -> Response:
        stubs = dict(self.catalog.months()).get(month)
        if not stubs:
            return html_page(self._error_page(req, 404), 404)
        return xml_doc(feeds.urlset({"loc": req.base + s.path, "lastmod": s.updated, "changefreq": "never",
                                     "images": [req.base + s.image] if s.image else []} for s in stubs))

    # -- pages -------------------------------------------------------------------------
    def listing(self, req: Request, section: str) -> Response:
        page = req.page_arg()
        stubs, pages = paginate(self.catalog.in_section(section), page, PER_PAGE)
        if page > pages:
            return html_page(self._error_page(req, 404), 404)
        name = self.catalog.sections[section]
        items = "\n".join(_list_item(s) for s in stubs)
        if page == 1 and section == "national":
            items += "\n" + self._special_items()
        pager = _pager(f"/{section}/all", page, pages)
        body = f"""<div class="title-con01"><h2 class="tit">{esc(name)}</h2></div>
<section class="list-type038"><ul class="list01">
{items}
</ul></section>
{pager}"""
        return html_page(self._layout(req, f"{name} | {SITE}", body, kind="section",
                                      canonical=f"/{section}/all" + (f"?page={page}" if page > 1 else "")))

    def _special_items(self) -> str:
        """Links real listings also carry: an old id that now redirects, a shared link with
        tracking parameters, a story taken down (404) and one that errors (500)."""
        out = []
        for special in content.SPECIAL_PAGES:
            if special["kind"] in ("redirect", "tracking_duplicate", "not_found", "server_error"):
                title = special.get("title") or self.catalog.stub(special["canonical"]).title
                out.append(f'<li><article class="item-box01"><div class="news-con">'
                           f'<a href="{esc(special["path"])}" class="tit-wrap"><h2 class="tit-news">{esc(title)}</h2></a>'
                           f'</div></article></li>')
        return "\n".join(out)

    def home(self, req: Request) -> Response:
        top = self.catalog.stubs[:8]
        blocks = []
        for section, name in self.catalog.sections.items():
            heads = "".join(f'<li><a href="{s.path}">{esc(s.title)}</a></li>'
                            for s in self.catalog.in_section(section)[:5])
            blocks.append(f'<section class="box-type01"><h2 class="tit"><a href="/{section}/all">{esc(name)}</a></h2>'
                          f'<ul>{heads}</ul></section>')
        video = next(p for p in content.SPECIAL_PAGES if p["kind"] == "video")
        body = f"""<section class="top-news"><h2 class="blind">Top News</h2><ul class="list01">
{"".join(_list_item(s) for s in top)}
</ul></section>
{"".join(blocks)}
<section class="box-type02 video"><h2 class="tit">Video</h2>
<a href="{video['path']}" class="tit-wrap"><strong>{esc(video['title'])}</strong></a></section>
<section class="box-type02"><h2 class="tit">Topics</h2><a href="/topics/deepfakes">#Deepfake sex crimes</a></section>"""
        return html_page(self._layout(req, f"{SITE}", body, kind="home", canonical="/"))

    def topic(self, req: Request) -> Response:
        stubs = [self.catalog.stub(a.path) for a in self.catalog.articles(False) if "deepfake" in a.tags]
        lines = "".join(f'<li><a href="{s.path}">{esc(s.title)}</a> <span class="txt-time">{_stamp(s)}</span></li>'
                        for s in stubs)
        body = f'<div class="title-con01"><h2 class="tit">#Deepfake sex crimes</h2></div><ul class="list02">{lines}</ul>'
        return html_page(self._layout(req, f"Deepfake sex crimes | {SITE}", body, kind="tag",
                                      canonical="/topics/deepfakes"))

    def video(self, req: Request, special: dict) -> str:
        vid = special["path"].rsplit("/", 1)[-1]
        body = f"""<div class="video-zone"><h2 class="tit">{esc(special['title'])}</h2>
<div class="player-box"><video controls preload="none" poster="/photo/yna/YH/2024/09/03/{vid}_P4.jpg">
<source src="/video/files/{vid}.mp4" type="video/mp4"></video></div>
<p class="desc">{esc(special['caption'])} (Yonhap)</p></div>"""
        return self._layout(req, f"{special['title']} | {SITE}", body, kind="video", canonical=special["path"])

    def login(self, req: Request) -> Response:
        body = """<div class="login-box"><h2 class="tit">Log in</h2>
<form action="/login" method="post"><label>ID <input type="text" name="userId"></label>
<label>Password <input type="password" name="userPw"></label><button type="submit">Log in</button></form></div>"""
        return html_page(self._layout(req, f"Log in | {SITE}", body, kind="login", canonical="/login"))

    def about(self, req: Request) -> Response:
        body = """<div class="about-box"><h2 class="tit">About Us</h2>
<p>Yonhap News Agency is South Korea's key news agency. Its English service covers national affairs,
North Korea, politics and the economy.</p>
<p>Contact: <a href="/aboutus#contact">Global News Department</a></p></div>"""
        return html_page(self._layout(req, f"About Us | {SITE}", body, kind="about", canonical="/aboutus"))

    def search(self, req: Request) -> Response:
        query = req.arg("query")
        hits = [s for s in self.catalog.stubs if query and query.lower() in s.title.lower()][:20]
        items = "".join(_list_item(s) for s in hits)
        body = f'<h2 class="tit">Search results for "{esc(query)}"</h2><ul class="list01">{items}</ul>'
        return html_page(self._layout(req, f"Search | {SITE}", body, kind="search", canonical="/search/index"))

    def article_page(self, req: Request, article: Article) -> str:
        canonical = req.base + article.path
        section_name = self.catalog.sections.get(article.section, article.section.title())
        image = req.base + article.image if article.image else ""
        ld = {"@context": "https://schema.org", "@type": "NewsArticle",
              "mainEntityOfPage": {"@type": "WebPage", "@id": canonical}, "headline": article.title,
              "description": article.summary, "image": {"@type": "ImageObject", "url": image},
              "datePublished": article.published.isoformat(),
              "dateModified": (article.modified or article.published).isoformat(),
              "author": [{"@type": "Person", "name": a} for a in article.authors],
              "publisher": {"@type": "Organization", "name": SITE,
                            "logo": {"@type": "ImageObject", "url": req.base + "/resource/img/en/logo.png"}},
              "articleSection": section_name, "inLanguage": "en"}
        head = f"""<meta property="og:type" content="article">
<meta property="og:title" content="{esc(article.title)}">
<meta property="og:description" content="{esc(article.summary)}">
<meta property="og:url" content="{esc(canonical)}">
<meta property="og:image" content="{esc(image)}">
<meta property="article:published_time" content="{article.published.isoformat()}">
<meta property="article:modified_time" content="{(article.modified or article.published).isoformat()}">
<meta property="article:section" content="{esc(section_name)}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:site" content="@YonhapNews">
<meta name="twitter:title" content="{esc(article.title)}">
<script type="application/ld+json">{json_ld(ld)}</script>"""
        attn = f'<p class="attn">{esc(article.attn)}</p>\n' if article.attn else ""
        byline = " and ".join(article.authors)
        paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in article.paragraphs)
        emails = "<br>".join(_email(a) for a in article.authors)
        related = self._related(article)
        keywords = "".join(
            f'<li><a href="/topics/deepfakes">#{esc(t)}</a></li>' if t == "deepfake" else f"<li><span>#{esc(t)}</span></li>"
            for t in article.tags)
        body = f"""<div class="title-article01"><span class="sub-tit"><a href="/{article.section}/all">{esc(section_name)}</a></span>
<h1 class="tit">{esc(article.title)}</h1>
<p class="update-time" data-published-time="{article.published:%Y%m%d%H%M}">Updated : {_stamp(article)}</p></div>
{_share_bar(canonical)}
<div class="aside-box ad-box"><div id="div-gpt-ad-1719283711523-0" class="ad-slot" data-ad-unit="/21655469/en_view_top"></div>
<script>googletag.cmd.push(function(){{googletag.display('div-gpt-ad-1719283711523-0');}});</script></div>
<article class="story-news article">
<div class="comp-box photo-group"><figure><div class="img-con"><span class="img"><img src="{esc(article.image)}" alt="{esc(article.caption)}"></span></div>
<figcaption class="desc-con"><p class="desc">{esc(article.caption)}</p></figcaption></figure></div>
{attn}<p class="byline">By {esc(byline)}</p>
{paragraphs}
<p class="adrs">{emails}<br>(END)</p>
</article>
<div class="keyword-zone"><strong class="tit">Keywords</strong><ul>{keywords}</ul></div>
<section class="related-zone"><h2 class="tit">Related Articles</h2><ul class="list02">{related}</ul></section>
<div class="newsletter-box"><strong>Get the news first.</strong> <span>Subscribe to Yonhap's daily morning briefing.</span>
<form action="/newsletter/subscribe" method="post"><input type="email" name="email" placeholder="Your e-mail">
<button type="submit">Subscribe</button></form></div>"""
        return self._layout(req, f"{article.title} | {SITE}", body, kind="article", canonical=article.path,
                            head=head, charset=article.charset, description=article.summary)

    def _related(self, article: Article) -> str:
        peers = self.catalog.neighbours(article.path, article.section, 4)
        return "".join(f'<li><a href="{s.path}">{esc(s.title)}</a> <span class="txt-time">{s.published:%m-%d %H:%M}</span></li>'
                       for s in peers)

    # -- layout ------------------------------------------------------------------------
    def _layout(self, req: Request, title: str, body: str, *, kind: str, canonical: str, head: str = "",
                charset: str = "utf-8", description: str = "") -> str:
        nav = "".join(f'<li><a href="/{key}/all">{esc(name)}</a></li>' for key, name in self.catalog.sections.items())
        most = "".join(f'<li><span class="num">{i}</span><a href="{s.path}">{esc(s.title)}</a></li>'
                       for i, s in enumerate(self._most_viewed(), 1))
        latest = "".join(f'<li><a href="{s.path}">{esc(s.title)}</a></li>' for s in self.catalog.stubs[:5])
        description = description or "Yonhap News Agency's English news service: national affairs, North Korea, politics, economy."
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="{charset}">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(title)}</title>
<meta name="description" content="{esc(description)}">
<meta property="og:site_name" content="{SITE}">
<link rel="canonical" href="{esc(req.base + canonical)}">
<link rel="alternate" type="application/rss+xml" title="{SITE}" href="/RSS/news.xml">
<link rel="stylesheet" href="/resource/css/en/common.css">
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
<script>window.googletag=window.googletag||{{cmd:[]}};window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}gtag('js',new Date());gtag('config','G-SAMPLE01');</script>
{head}
</head>
<body class="page-{kind}">
<div id="skipNav"><a href="#container">Skip to content</a></div>
<header id="header" class="header">
<div class="header-top">
<h1 class="logo"><a href="/"><img src="/resource/img/en/logo.png" alt="{SITE}"></a></h1>
<div class="lang-select"><ul>
<li><a href="https://www.yna.co.kr/" lang="ko">한국어</a></li><li><a href="https://cn.yna.co.kr/" lang="zh">中文</a></li>
<li><a href="https://jp.yna.co.kr/" lang="ja">日本語</a></li><li><a href="https://ar.yna.co.kr/" lang="ar">عربي</a></li>
<li><a href="https://sp.yna.co.kr/" lang="es">Español</a></li><li><a href="https://fr.yna.co.kr/" lang="fr">Français</a></li></ul></div>
<div class="util-box"><a href="/login" class="btn-login">Log in</a>
<form action="/search/index" method="get" class="search-box"><input type="search" name="query" title="Search"><button type="submit">Search</button></form></div>
</div>
<nav id="gnb" class="gnb"><ul><li><a href="/">Home</a></li>{nav}<li><a href="/topics/deepfakes">Topics</a></li></ul></nav>
</header>
<div id="container" class="container"><div class="content01">
<div class="contents">
{body}
</div>
<aside class="aside-right">
<div class="aside-box ad-box"><div id="div-gpt-ad-1719283711523-1" class="ad-slot" data-ad-unit="/21655469/en_right_1"></div></div>
<section class="aside-box most-viewed"><h2 class="tit">Most Viewed</h2><ol class="list-type01">{most}</ol></section>
<section class="aside-box latest"><h2 class="tit">Latest News</h2><ul class="list-type02">{latest}</ul></section>
<div class="aside-box ad-box"><div id="div-gpt-ad-1719283711523-2" class="ad-slot" data-ad-unit="/21655469/en_right_2"></div></div>
</aside>
</div></div>
<footer id="footer" class="footer">
<div class="footer-link"><ul><li><a href="/aboutus">About Us</a></li><li><a href="/RSS/news.xml">RSS</a></li>
<li><a href="https://www.facebook.com/YonhapNewsAgency" rel="noopener">Facebook</a></li><li><a href="https://twitter.com/YonhapNews" rel="noopener">X</a></li></ul></div>
<address>Yonhap News Agency, 25 Yulgok-ro 2-gil, Jongno-gu, Seoul, Republic of Korea</address>
<p class="copyright">Copyright (c) Yonhap News Agency. All rights reserved. Unauthorized reproduction and redistribution prohibited.</p>
<p class="sample-notice">{SAMPLE_NOTICE}</p>
</footer>
<script src="/resource/js/en/common.js"></script>
</body>
</html>
"""

    def _most_viewed(self) -> list[Stub]:
        # A stable pick of hand-written stories (what readers clicked most is out of our hands).
        picks = ["/view/AEN20240902003551315", "/view/AEN20240926003900315", "/view/AEN20240903005300315",
                 "/view/AEN20241104004900315", "/view/AEN20240827004500315"]
        return [self.catalog.stub(p) for p in picks]

    def _error_page(self, req: Request, status: int) -> str:
        message = {404: "The page you requested could not be found.",
                   500: "A temporary error occurred. Please try again later."}[status]
        body = f'<div class="error-box"><h2 class="tit">Error {status}</h2><p>{message}</p><a href="/">Go to Home</a></div>'
        return self._layout(req, f"Error | {SITE}", body, kind="error", canonical=req.path)


def _list_item(stub: Stub) -> str:
    return (f'<li><article class="item-box01"><div class="img-con"><a href="{stub.path}" class="img">'
            f'<img src="{esc(stub.image)}" alt="" loading="lazy"></a></div>'
            f'<div class="news-con"><a href="{stub.path}" class="tit-wrap"><h2 class="tit-news">{esc(stub.title)}</h2></a>'
            f'<p class="lead">{esc(shorten(stub.lead, 160))}</p></div>'
            f'<div class="info-box01"><span class="txt-time">{stub.published:%m-%d %H:%M}</span></div></article></li>')


def _pager(base: str, page: int, pages: int) -> str:
    links = []
    window = page_window(page, pages)
    if window.start > 1:
        links.append(f'<a href="{base}?page={window.start - 1}" class="btn-prev">Previous</a>')
    for n in window:
        links.append(f'<strong class="current">{n}</strong>' if n == page else f'<a href="{base}?page={n}">{n}</a>')
    if window.stop <= pages:
        links.append(f'<a href="{base}?page={window.stop}" class="btn-next">Next</a>')
    return f'<div class="paging paging-type01">{"".join(links)}</div>'


def _share_bar(url: str) -> str:
    return (f'<div class="share-util"><ul>'
            f'<li><a href="https://www.facebook.com/sharer/sharer.php?u={esc(url)}" class="btn-fb" target="_blank">Facebook</a></li>'
            f'<li><a href="https://twitter.com/intent/tweet?url={esc(url)}" class="btn-x" target="_blank">X</a></li>'
            f'<li><button type="button" class="btn-kakao">KakaoTalk</button></li>'
            f'<li><button type="button" class="btn-url" data-url="{esc(url)}">Copy URL</button></li>'
            f'<li><button type="button" class="btn-print" onclick="window.print()">Print</button></li></ul></div>')


def _http(article: Article) -> str:
    return http_date(article.modified or article.published)
