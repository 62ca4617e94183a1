"""The "yonhap_ko" outlet: pages shaped like Yonhap's Korean service (www.yna.co.kr).

URLs: /view/AKR<date><9 digits> articles, / (the latest stories), /rss/news.xml (RSS 2.0),
/photo/... images. Habits kept from the real site because extractors trip on them: the wire
lead "(서울=연합뉴스) 홍길동 기자 =" opening the first paragraph, a photo caption that opens the
same way and ends in "[연합뉴스 자료사진]", the reporter's e-mail line, the
"<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>" line and a related-news box
inside the article container, dates printed as "송고시간2024-09-02 10:30", "입력 2024.09.02.
오전 10:30" or "2024년 9월 2일 15시 20분", and one page in EUC-KR.
"""
from __future__ import annotations

import re

from .. import feeds
from ..catalog import Catalog
from ..content import yonhap_ko as content
from ..model import Article, http_date, shorten
from ..response import Request, Response, esc, html_page, plain, xml_doc
from . import SAMPLE_NOTICE, image_response

SITE = "연합뉴스"
_VIEW = re.compile(r"^/view/(AKR\d{17})$")
_ROBOTS = """User-agent: *
Disallow: /search/
Allow: /

Sitemap: {base}/rss/news.xml
"""
_RECORDS = {r["id"]: r for r in content.ARTICLES}


def _email(article: Article) -> str:
    # on a reserved domain, so that nothing here points at a real mailbox
    return f"reporter{article.key[-3:]}@yna.example"


def _korean_date(article: Article, style: str) -> str:
    p = article.published
    if style == "input":
        half = "오전" if p.hour < 12 else "오후"
        return f"입력 {p:%Y.%m.%d}. {half} {p.hour % 12 or 12}:{p:%M}"
    if style == "long":
        return f"{p.year}년 {p.month}월 {p.day}일 {p.hour}시 {p.minute}분"
    return f"송고시간{p:%Y-%m-%d %H:%M}"


class YonhapKoreanOutlet:
    name = "yonhap_ko"

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def handle(self, req: Request) -> Response:
        path = req.path
        match = _VIEW.match(path)
        if match:
            article = self.catalog.article(path)
            if article is None:
                return html_page(self._page(req, "페이지를 찾을 수 없습니다", "<p>요청하신 페이지가 없습니다.</p>"), 404)
            return html_page(self.article_page(req, article), charset=article.charset,
                             headers={"Last-Modified": http_date(article.published)})
        if path.startswith("/photo/"):
            return image_response()
        if path == "/robots.txt":
            return plain(_ROBOTS.format(base=req.base))
        if path == "/rss/news.xml":
            return self.feed(req)
        if path == "/":
            return self.home(req)
        return html_page(self._page(req, "페이지를 찾을 수 없습니다", "<p>요청하신 페이지가 없습니다.</p>"), 404)

    # -- pages -------------------------------------------------------------------------
    def _page(self, req: Request, title: str, main: str, head: str = "", charset: str = "utf-8") -> str:
        return f"""<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="{charset}">
<title>{esc(title)} | {SITE}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{head}
</head>
<body>
<header class="header"><div class="logo"><a href="{req.base}/">연합뉴스</a></div>
<nav class="gnb"><ul><li><a href="{req.base}/">최신기사</a></li><li><a href="{req.base}/">사회</a></li>
<li><a href="{req.base}/">정치</a></li><li><a href="{req.base}/">IT/과학</a></li></ul></nav></header>
<main id="container">{main}</main>
<footer class="footer"><p>{SAMPLE_NOTICE}</p><p>Copyright (c) Sample Newsroom. 무단 전재-재배포 금지.</p></footer>
</body>
</html>"""

    def article_page(self, req: Request, article: Article) -> str:
        record = _RECORDS[article.key]
        style = record.get("date_style", "meta")
        url = req.base + article.path
        head = (f'<meta property="og:title" content="{esc(article.title)}">\n'
                f'<meta property="og:type" content="article">\n<meta property="og:url" content="{esc(url)}">\n'
                f'<meta property="og:site_name" content="{SITE}">\n<link rel="canonical" href="{esc(url)}">')
        if style == "meta":
            head += f'\n<meta property="article:published_time" content="{article.published.isoformat()}">'
        reporters = " ".join(article.authors)
        lead = f"({record['city']}=연합뉴스) {reporters} 기자 = "
        body = [f"<p>{esc(lead + article.paragraphs[0])}</p>"] + [f"<p>{esc(p)}</p>" for p in article.paragraphs[1:]]
        related = "".join(f'<li><a href="{req.base}/">{esc(t)}</a></li>' for t in record.get("related", ()))
        related_box = (f'<div class="related-news"><strong class="tit">관련 뉴스</strong><ul>{related}</ul></div>'
                       if related else "")
        main = f"""<article class="article-wrap">
<div class="title-article01"><h1 class="tit">{esc(article.title)}</h1>
<p class="update-time">{_korean_date(article, style)}</p></div>
<div class="story-news article">
<div class="comp-box photo-group"><figure><img src="{req.base}{article.image}" alt="">
<figcaption>{esc(article.caption)}</figcaption></figure></div>
{chr(10).join(body)}
<p class="txt-copyright adrs">{esc(reporters)} 기자 {_email(article)}</p>
<p class="txt-copyright">&lt;저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지&gt;</p>
{related_box}
</div>
<div class="keyword-zone"><a href="{req.base}/">#딥페이크</a> <a href="{req.base}/">#텔레그램</a></div>
</article>
<aside class="aside-box"><h2>많이 본 뉴스</h2><ul>{self._latest(req, 5)}</ul></aside>"""
        return self._page(req, article.title, main, head, article.charset)

    def _latest(self, req: Request, count: int) -> str:
        return "".join(f'<li><a href="{req.base}{s.path}">{esc(s.title)}</a></li>' for s in self.catalog.stubs[:count])

    def home(self, req: Request) -> Response:
        items = "".join(f'<li><strong class="tit-news"><a href="{req.base}{s.path}">{esc(s.title)}</a></strong>'
                        f'<p class="lead">{esc(shorten(s.lead, 120))}</p>'
                        f'<span class="txt-time">{s.published:%m-%d %H:%M}</span></li>' for s in self.catalog.stubs)
        return html_page(self._page(req, "최신기사", f'<section class="list-type038"><ul class="list">{items}</ul></section>'))

    def feed(self, req: Request) -> Response:
        items = [{"title": s.title, "link": req.base + s.path, "guid": req.base + s.path, "permalink": True,
                  "published": s.published, "description": shorten(s.lead, 200), "creators": list(s.authors)}
                 for s in self.catalog.stubs]
        return xml_doc(feeds.rss(title="연합뉴스 최신기사", link=req.base + "/", self_url=req.base + req.path,
                                 description="연합뉴스 최신기사 (sample newsroom)", items=items, language="ko",
                                 last_build=self.catalog.stubs[0].published if self.catalog.stubs else None))
