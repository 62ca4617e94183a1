"""The "dmr" outlet: a WordPress news site with Yoast SEO, shaped like DMR News.

URLs: /YYYY/MM/DD/slug/ posts (and /?p=ID shortlinks that redirect), /category/<c>/,
/tag/<t>/, /author/<a>/ archives with /page/N/ pagination, /feed/ (RSS 2.0 with
content:encoded), /feed/atom/, /category/<c>/feed/, /sitemap_index.xml -> /post-sitemap.xml
(1000 URLs per file, as Yoast does), /news-sitemap.xml (Google News), /wp-login.php.
WordPress habits kept: curly quotes, times shown in the site's zone (America/New_York) but
given in UTC to OpenGraph and JSON-LD, a "Featured Image courtesy of ..." line and an
"Also Read:" link inside the post body, comments below some posts.
"""
from __future__ import annotations

import math
import re
from datetime import timezone
from urllib.parse import quote

from .. import feeds
from ..catalog import Catalog
from ..content import dmr as content
from ..model import Article, Stub, http_date, shorten, slugify
from ..response import Request, Response, esc, html_page, json_ld, plain, redirect, xml_doc
from . import SAMPLE_NOTICE, image_response, page_window, paginate

SITE = "DMR News"
TAGLINE = "Technology, business and policy news"
PER_PAGE = 10
FEED_SIZE = 10
SITEMAP_SIZE = 1000
NEWS_SITEMAP_SIZE = 1000
_POST = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([a-z0-9-]+)/?$")
_ARCHIVE = re.compile(r"^/(category|tag|author)/([a-z0-9-]+)/(?:page/(\d+)/)?$")
_CATEGORY_FEED = re.compile(r"^/category/([a-z0-9-]+)/feed/$")
_POST_SITEMAP = re.compile(r"^/post-sitemap(\d*)\.xml$")
_HOME_PAGE = re.compile(r"^/page/(\d+)/$")
_ROBOTS = """User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php

Sitemap: {base}/sitemap_index.xml
Sitemap: {base}/news-sitemap.xml
"""
BIOS = {
    "Dana Whitfield": "Dana Whitfield covers social media platforms and artificial intelligence for DMR News.",
    "Marcus Reyes": "Marcus Reyes writes about European tech regulation from Brussels.",
    "Priya Nair": "Priya Nair covers privacy, security and online safety.",
    "Tom Keller": "Tom Keller reports on UK and Asia-Pacific tech policy.",
    "Alicia Moreno": "Alicia Moreno covers business and technology.",
}
COMMENTS = [
    ("Jordan K.", "About time regulators did something. These platforms have ignored warnings for years."),
    ("mlee_dev", "The problem is enforcement. Fines are just a cost of doing business for companies this size."),
    ("Sandra", "Great article, thanks for the clear summary of what actually changed."),
]
PAGES = {
    "/about-us/": ("About Us", "<p>DMR News covers technology, business and the policies that shape them.</p>"),
    "/privacy-policy/": ("Privacy Policy", "<p>We use cookies to measure traffic and show ads. See your browser settings to opt out.</p>"),
    "/contact-us/": ("Contact Us", "<p>Tips and corrections: newsroom@dmrnews.example</p>"),
}


def _utc(moment):
    return moment.astimezone(timezone.utc)


class DmrOutlet:
    name = "dmr"

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.specials = {p["path"]: p for p in content.SPECIAL_PAGES}
        self.by_post_id = {a.post_id: a.path for a in catalog.articles(False)}
        self.tags: dict[str, tuple[str, list[Stub]]] = {}
        for article in catalog.articles(False):
            for tag in article.tags:
                self.tags.setdefault(slugify(tag), (tag, []))[1].append(catalog.stub(article.path))
        self.authors: dict[str, tuple[str, list[Stub]]] = {}
        for stub in catalog.stubs:
            for name in stub.authors:
                self.authors.setdefault(slugify(name), (name, []))[1].append(stub)

    # -- routing -----------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        path = req.path
        special = self.specials.get(path)
        if special and special["kind"] == "server_error":
            return html_page("<!DOCTYPE html><html><head><title>Database Error</title></head><body>"
                             "<h1>Error establishing a database connection</h1></body></html>", 500)
        if special and special["kind"] == "video":
            return html_page(self.video(req, special))
        match = _POST.match(path)
        if match:
            if not path.endswith("/"):       # WordPress's canonical redirect adds the slash
                return redirect(req.base + path + "/", 301)
            article = self.catalog.article(path)
            if article is None:
                return self.not_found(req)
            return html_page(self.post(req, article), charset=article.charset,
                             headers={"Last-Modified": http_date(article.modified or article.published),
                                      "Link": f'<{req.base}/?p={article.post_id}>; rel=shortlink'})
        if path == "/":
            return self.front(req)
        match = _ARCHIVE.match(path)
        if match:
            return self.archive(req, match.group(1), match.group(2), int(match.group(3) or 1))
        match = _HOME_PAGE.match(path)
        if match:
            return self.home(req, int(match.group(1)))
        match = _POST_SITEMAP.match(path)
        if match:
            return self.post_sitemap(req, int(match.group(1) or 1))
        match = _CATEGORY_FEED.match(path)
        if match and match.group(1) in self.catalog.sections:
            return self.rss(req, match.group(1))
        if path.startswith("/wp-content/uploads/"):
            return image_response()
        if path in PAGES:
            return html_page(self.static_page(req, path))
        route = {
            "/robots.txt": lambda r: plain(_ROBOTS.format(base=r.base)),
            "/feed/": lambda r: self.rss(r, None), "/feed/atom/": self.atom,
            "/sitemap_index.xml": self.sitemap_index, "/news-sitemap.xml": self.news_sitemap,
            "/page-sitemap.xml": self.page_sitemap, "/category-sitemap.xml": self.category_sitemap,
            "/author-sitemap.xml": self.author_sitemap, "/wp-login.php": self.login,
            "/sitemap.xml": lambda r: redirect(r.base + "/sitemap_index.xml", 301),
            "/wp-sitemap.xml": lambda r: redirect(r.base + "/sitemap_index.xml", 301),
        }.get(path)
        return route(req) if route else self.not_found(req)

    def front(self, req: Request) -> Response:
        post_id = req.arg("p")
        if post_id:
            target = self.by_post_id.get(int(post_id)) if post_id.isdigit() else None
            if target is None and post_id.isdigit():
                target = self._synthetic_by_post_id(int(post_id))
            return redirect(req.base + target, 301) if target else self.not_found(req)
        if "s" in req.query:
            return self.search(req)
        return self.home(req, 1)

    def _synthetic_by_post_id(self, post_id: int) -> str | None:
        index = post_id - 50000
        for stub in self.catalog.stubs:
            if stub.synthetic_index == index:
                return stub.path
        return None

    # -- feeds and sitemaps ------------------------------------------------------------
    def _feed_items(self, req: Request, stubs: list[Stub]) -> list[dict]:
        items = []
        for stub in stubs[:FEED_SIZE]:
            article = self.catalog.article(stub.path)
            link = req.base + stub.path
            items.append({"title": article.title, "link": link, "comments": link + "#respond",
                          "guid": f"{req.base}/?p={article.post_id}", "permalink": False,
                          "published": _utc(article.published), "updated": _utc(article.modified or article.published),
                          "creators": article.authors, "authors": article.authors,
                          "categories": [self.catalog.sections[article.section], *article.tags],
                          "description": _excerpt(article), "summary": _excerpt(article),
                          "content": self._entry_content(article), "id": f"{req.base}/?p={article.post_id}"})
        return items

    def rss(self, req: Request, section: str | None) -> Response:
        stubs = self.catalog.in_section(section) if section else self.catalog.stubs
        title = SITE if not section else f"{self.catalog.sections[section]} Archives - {SITE}"
        extra = "<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>1</sy:updateFrequency>"
        text = feeds.rss(title=title, link=req.base + "/", description=TAGLINE, self_url=req.base + req.path,
                         items=self._feed_items(req, stubs), language="en-US",
                         last_build=_utc(stubs[0].updated) if stubs else None,
                         generator="https://wordpress.org/?v=6.6.2", extra_channel=extra)
        return xml_doc(text, "application/rss+xml; charset=UTF-8")

    def atom(self, req: Request) -> Response:
        stubs = self.catalog.stubs
        text = feeds.atom(title=SITE, subtitle=TAGLINE, site_url=req.base + "/", self_url=req.base + req.path,
                          updated=_utc(stubs[0].updated), entries=self._feed_items(req, stubs),
                          generator="WordPress")
        return xml_doc(text, "application/atom+xml; charset=UTF-8")

    def sitemap_index(self, req: Request) -> Response:
        stubs = self.catalog.stubs
        pages = max(1, math.ceil(len(stubs) / SITEMAP_SIZE))
        newest = _utc(stubs[0].updated)
        entries = [(f"{req.base}/post-sitemap{n if n > 1 else ''}.xml", newest) for n in range(1, pages + 1)]
        entries += [(f"{req.base}/page-sitemap.xml", newest), (f"{req.base}/category-sitemap.xml", newest),
                    (f"{req.base}/author-sitemap.xml", newest)]
        return xml_doc(feeds.sitemap_index(entries, stylesheet="/main-sitemap.xsl"))

    def post_sitemap(self, req: Request, number: int) -> Response:
        oldest_first = self.catalog.stubs[::-1]          # Yoast lists posts oldest first
        chunk = oldest_first[(number - 1) * SITEMAP_SIZE: number * SITEMAP_SIZE]
        if not chunk or req.path == "/post-sitemap1.xml":
            return self.not_found(req)
        return xml_doc(feeds.urlset(({"loc": req.base + s.path, "lastmod": _utc(s.updated),
                                      "images": [req.base + s.image] if s.image else []} for s in chunk),
                                    stylesheet="/main-sitemap.xsl"))

    def page_sitemap(self, req: Request) -> Response:
        return xml_doc(feeds.urlset([{"loc": req.base + "/"}] + [{"loc": req.base + p} for p in PAGES],
                                    stylesheet="/main-sitemap.xsl"))

    def category_sitemap(self, req: Request) -> Response:
        return xml_doc(feeds.urlset([{"loc": f"{req.base}/category/{c}/"} for c in self.catalog.sections],
                                    stylesheet="/main-sitemap.xsl"))

    def author_sitemap(self, req: Request) -> Response:
        return xml_doc(feeds.urlset([{"loc": f"{req.base}/author/{a}/"} for a in sorted(self.authors)],
                                    stylesheet="/main-sitemap.xsl"))

    def news_sitemap(self, req: Request) -> Response:
        entries = ({"loc": req.base + s.path, "published": s.published, "title": s.title}
                   for s in self.catalog.stubs[:NEWS_SITEMAP_SIZE])
        return xml_doc(feeds.news_sitemap(entries, publication=SITE, language="en"))

    # -- archive pages -----------------------------------------------------------------
    def home(self, req: Request, page: int) -> Response:
        return self._archive_page(req, self.catalog.stubs, page, "/", f"{SITE} - {TAGLINE}", "", "home")

    def archive(self, req: Request, kind: str, slug: str, page: int) -> Response:
        if kind == "category" and slug in self.catalog.sections:
            name, stubs = self.catalog.sections[slug], self.catalog.in_section(slug)
        elif kind == "tag" and slug in self.tags:
            name, stubs = self.tags[slug]
        elif kind == "author" and slug in self.authors:
            name, stubs = self.authors[slug]
        else:
            return self.not_found(req)
        heading = {"category": f"Category: {name}", "tag": f"Tag: {name}", "author": f"Author: {name}"}[kind]
        intro = f'<div class="author-bio"><p>{esc(BIOS.get(name, ""))}</p></div>' if kind == "author" else ""
        return self._archive_page(req, stubs, page, f"/{kind}/{slug}/", f"{name} Archives - {SITE}",
                                  f'<header class="page-header"><h1 class="page-title">{esc(heading)}</h1>{intro}</header>', kind)

    def _archive_page(self, req, stubs, page, base, title, header, kind) -> Response:
        shown, pages = paginate(stubs, page, PER_PAGE)
        if page > pages:
            return self.not_found(req)
        cards = "\n".join(_card(s) for s in shown)
        if base == "/category/tech/" and page == 1:
            cards += "\n" + self._special_cards()
        body = f'{header}<div class="posts-grid">\n{cards}\n</div>\n{_pager(base, page, pages)}'
        canonical = base if page == 1 else f"{base}page/{page}/"
        ld = {"@context": "https://schema.org", "@graph": [
            {"@type": "CollectionPage", "@id": req.base + canonical, "url": req.base + canonical, "name": title,
             "isPartOf": {"@id": req.base + "/#website"}, "inLanguage": "en-US"}, self._website_ld(req)]}
        return html_page(self._layout(req, title, body, kind=kind, canonical=canonical, ld=ld))

    def _special_cards(self) -> str:
        """A real category page's odd links: a shortlink, a shared link with tracking
        parameters, a deleted post (404), a post whose page errors (500), a video post."""
        out = []
        for special in content.SPECIAL_PAGES:
            if special["kind"] in ("redirect", "tracking_duplicate", "not_found", "server_error", "video"):
                title = special.get("title")
                if not title:
                    target = special.get("location") or special.get("canonical")
                    title = self.catalog.stub(target).title
                out.append(f'<article class="post type-post"><h2 class="entry-title"><a href="{esc(special["path"])}" '
                           f'rel="bookmark">{esc(title)}</a></h2></article>')
        return "\n".join(out)

    def search(self, req: Request) -> Response:
        query = req.arg("s")
        hits = [s for s in self.catalog.stubs if query and query.lower() in s.title.lower()][:PER_PAGE]
        body = (f'<header class="page-header"><h1 class="page-title">Search Results for: {esc(query)}</h1></header>'
                + "".join(_card(s) for s in hits))
        return html_page(self._layout(req, f"You searched for {query} - {SITE}", body, kind="search",
                                      canonical="/", robots="noindex, follow"))

    def video(self, req: Request, special: dict) -> str:
        body = f"""<article class="post format-video"><header class="entry-header"><h1 class="entry-title">{esc(special['title'])}</h1></header>
<div class="entry-content"><figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">
<iframe title="{esc(special['title'])}" width="800" height="450" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" frameborder="0" allowfullscreen></iframe>
</div><figcaption>{esc(special['caption'])}</figcaption></figure></div></article>"""
        ld = {"@context": "https://schema.org", "@graph": [
            {"@type": "WebPage", "@id": req.base + special["path"], "name": special["title"], "inLanguage": "en-US"},
            {"@type": "VideoObject", "name": special["title"], "description": special["caption"],
             "thumbnailUrl": req.base + "/wp-content/uploads/2024/08/durov-video.jpg",
             "uploadDate": "2024-08-27T14:00:00+00:00",
             "embedUrl": "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"}]}
        return self._layout(req, f"{special['title']} - {SITE}", body, kind="video", canonical=special["path"], ld=ld)

    def login(self, req: Request) -> Response:
        text = f"""<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8"><title>Log In &lsaquo; {SITE} &#8212; WordPress</title>
<meta name="robots" content="noindex, nofollow"></head><body class="login wp-core-ui">
<div id="login"><h1><a href="https://wordpress.org/">Powered by WordPress</a></h1>
<form name="loginform" id="loginform" action="/wp-login.php" method="post">
<p><label for="user_login">Username or Email Address</label><input type="text" name="log" id="user_login"></p>
<p><label for="user_pass">Password</label><input type="password" name="pwd" id="user_pass"></p>
<p class="submit"><input type="submit" name="wp-submit" id="wp-submit" value="Log In"></p></form>
<p id="nav"><a href="/wp-login.php?action=lostpassword">Lost your password?</a></p>
<p id="backtoblog"><a href="/">&larr; Go to {SITE}</a></p></div></body></html>"""
        return html_page(text)

    def static_page(self, req: Request, path: str) -> str:
        title, html = PAGES[path]
        body = f'<article class="page type-page"><header class="entry-header"><h1 class="entry-title">{title}</h1></header><div class="entry-content">{html}</div></article>'
        ld = {"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "@id": req.base + path,
                                                            "name": title, "inLanguage": "en-US"}, self._website_ld(req)]}
        return self._layout(req, f"{title} - {SITE}", body, kind="page", canonical=path, ld=ld)

    def not_found(self, req: Request) -> Response:
        body = ('<section class="error-404 not-found"><header class="page-header"><h1 class="page-title">'
                'Oops! That page can&rsquo;t be found.</h1></header><div class="page-content">'
                '<p>It looks like nothing was found at this location. Maybe try a search?</p></div></section>')
        return html_page(self._layout(req, f"Page not found - {SITE}", body, kind="error404", canonical=req.path), 404)

    # -- posts -------------------------------------------------------------------------
    def _entry_content(self, article: Article) -> str:
        paragraphs = [f"<p>{esc(p)}</p>" for p in article.paragraphs]
        also = self._also_read(article)
        if also and len(paragraphs) > 3:
            paragraphs.insert(2, f'<p><strong>Also Read:</strong> <a href="{also.path}">{esc(also.title)}</a></p>')
        return (f"<p><em>{esc(article.caption)}</em></p>\n" + "\n".join(paragraphs)
                + "\n<p><strong><em>Follow DMR News on X and Facebook for the latest tech policy updates.</em></strong></p>")

    def _also_read(self, article: Article) -> Stub | None:
        peers = self.catalog.neighbours(article.path, article.section, 1)
        return peers[0] if peers else None

    def post(self, req: Request, article: Article) -> str:
        url = req.base + article.path
        section_name = self.catalog.sections[article.section]
        words = sum(len(p.split()) for p in article.paragraphs)
        image = req.base + article.image
        published_utc, modified_utc = _utc(article.published), _utc(article.modified or article.published)
        person_ids = [f"{req.base}/#/schema/person/{slugify(a)}" for a in article.authors]
        ld = {"@context": "https://schema.org", "@graph": [
            {"@type": "Article", "@id": url + "#article", "isPartOf": {"@id": url},
             "author": [{"name": a, "@id": pid} for a, pid in zip(article.authors, person_ids)],
             "headline": article.title, "datePublished": published_utc.isoformat(),
             "dateModified": modified_utc.isoformat(), "mainEntityOfPage": {"@id": url}, "wordCount": words,
             "commentCount": len(self._comments(article)), "publisher": {"@id": req.base + "/#organization"},
             "image": {"@id": url + "#primaryimage"}, "thumbnailUrl": image, "keywords": list(article.tags),
             "articleSection": [section_name], "inLanguage": "en-US"},
            {"@type": "WebPage", "@id": url, "url": url, "name": f"{article.title} - {SITE}",
             "isPartOf": {"@id": req.base + "/#website"}, "primaryImageOfPage": {"@id": url + "#primaryimage"},
             "datePublished": published_utc.isoformat(), "dateModified": modified_utc.isoformat(),
             "breadcrumb": {"@id": url + "#breadcrumb"}, "inLanguage": "en-US"},
            {"@type": "ImageObject", "@id": url + "#primaryimage", "url": image, "contentUrl": image,
             "width": 1200, "height": 675, "caption": article.caption},
            {"@type": "BreadcrumbList", "@id": url + "#breadcrumb", "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": req.base + "/"},
                {"@type": "ListItem", "position": 2, "name": article.title}]},
            self._website_ld(req),
            *({"@type": "Person", "@id": pid, "name": a, "url": f"{req.base}/author/{slugify(a)}/"}
              for a, pid in zip(article.authors, person_ids))]}
        head = f"""<meta property="og:type" content="article" />
<meta property="og:title" content="{esc(article.title)}" />
<meta property="og:description" content="{esc(shorten(article.paragraphs[0], 155))}" />
<meta property="og:url" content="{esc(url)}" />
<meta property="og:image" content="{esc(image)}" />
<meta property="article:publisher" content="https://www.facebook.com/dmrnews" />
<meta property="article:published_time" content="{published_utc.isoformat()}" />
<meta property="article:modified_time" content="{modified_utc.isoformat()}" />
<meta name="author" content="{esc(', '.join(article.authors))}" />
<meta name="twitter:card" content="summary_large_image" />
<meta name="twitter:label1" content="Written by" /><meta name="twitter:data1" content="{esc(', '.join(article.authors))}" />
<meta name="twitter:label2" content="Est. reading time" /><meta name="twitter:data2" content="{max(1, round(words / 200))} minutes" />
<link rel="shortlink" href="{req.base}/?p={article.post_id}" />"""
        bylines = ", ".join(f'<a class="url fn n" href="/author/{slugify(a)}/" rel="author">{esc(a)}</a>'
                            for a in article.authors)
        tags = "".join(f'<a href="/tag/{slugify(t)}/" rel="tag">{esc(t)}</a>' for t in article.tags)
        updated = (f'<time class="updated" datetime="{article.modified.isoformat()}">{_long_date(article.modified)}</time>'
                   if article.modified else "")
        bios = "".join(f'<div class="author-box"><h4 class="author-title">About {esc(a)}</h4><p>{esc(BIOS.get(a, ""))}</p>'
                       f'<a href="/author/{slugify(a)}/">View all posts by {esc(a)}</a></div>' for a in article.authors)
        related = "".join(f'<div class="jp-relatedposts-post"><h4><a href="{s.path}">{esc(s.title)}</a></h4>'
                          f'<time>{_long_date(s.published)}</time></div>' for s in self._related(article))
        body = f"""<article id="post-{article.post_id}" class="post-{article.post_id} post type-post status-publish format-standard has-post-thumbnail category-{article.section}">
<header class="entry-header">
<span class="cat-links"><a href="/category/{article.section}/" rel="category tag">{esc(section_name)}</a></span>
<h1 class="entry-title">{esc(article.title)}</h1>
<div class="entry-meta"><span class="byline">by <span class="author vcard">{bylines}</span></span>
<span class="posted-on"><time class="entry-date published" datetime="{article.published.isoformat()}">{_long_date(article.published)}</time>{updated}</span>
<span class="reading-time">{max(1, round(words / 200))} min read</span></div>
</header>
{_share_bar(url, article.title)}
<figure class="post-thumbnail"><img width="1200" height="675" src="{esc(article.image)}" class="attachment-post-thumbnail wp-post-image" alt="" decoding="async"></figure>
<div class="entry-content">
{self._entry_content(article)}
</div>
<footer class="entry-footer"><span class="tags-links">Tags: {tags}</span></footer>
{_share_bar(url, article.title)}
</article>
{bios}
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>Related</em></h3>{related}</div>
{self._comments_html(article)}"""
        return self._layout(req, f"{article.title} - {SITE}", body, kind="single", canonical=article.path, ld=ld,
                            head=head, charset=article.charset, post_id=article.post_id)

    def _related(self, article: Article) -> list[Stub]:
        return self.catalog.neighbours(article.path, article.section, 3)

    def _comments(self, article: Article) -> list[tuple[str, str]]:
        # Comments on a few hand-written posts: reader text an extractor must leave out.
        if article.synthetic or article.post_id % 3:
            return []
        return COMMENTS[: 1 + article.post_id % 2]

    def _comments_html(self, article: Article) -> str:
        comments = self._comments(article)
        listing = ""
        if comments:
            items = "".join(f'<li class="comment"><article class="comment-body"><footer class="comment-meta">'
                            f'<b class="fn">{esc(who)}</b> <span class="says">says:</span></footer>'
                            f'<div class="comment-content"><p>{esc(text)}</p></div></article></li>'
                            for who, text in comments)
            count = "One thought" if len(comments) == 1 else f"{len(comments)} thoughts"
            listing = f'<h2 class="comments-title">{count} on &ldquo;{esc(article.title)}&rdquo;</h2><ol class="comment-list">{items}</ol>'
        return f"""<div id="comments" class="comments-area">{listing}
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<p class="comment-notes">Your email address will not be published. Required fields are marked *</p>
<p class="comment-form-comment"><label for="comment">Comment *</label><textarea id="comment" name="comment" rows="8"></textarea></p>
<p class="comment-form-author"><label for="author">Name *</label><input id="author" name="author" type="text"></p>
<p class="comment-form-email"><label for="email">Email *</label><input id="email" name="email" type="email"></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment">
<input type="hidden" name="comment_post_ID" value="{article.post_id}"></p></form></div></div>"""

    # -- layout ------------------------------------------------------------------------
    def _website_ld(self, req: Request) -> dict:
        return {"@type": "WebSite", "@id": req.base + "/#website", "url": req.base + "/", "name": SITE,
                "description": TAGLINE, "publisher": {"@id": req.base + "/#organization"},
                "potentialAction": [{"@type": "SearchAction", "target": {"@type": "EntryPoint",
                                     "urlTemplate": req.base + "/?s={search_term_string}"},
                                     "query-input": "required name=search_term_string"}], "inLanguage": "en-US"}

    def _layout(self, req, title, body, *, kind, canonical, ld=None, head="", charset="utf-8",
                post_id=None, robots="index, follow, max-image-preview:large") -> str:
        menu = "".join(f'<li class="menu-item"><a href="/category/{c}/">{esc(n)}</a></li>'
                       for c, n in self.catalog.sections.items())
        recent = "".join(f'<li><a href="{s.path}">{esc(s.title)}</a></li>' for s in self.catalog.stubs[:5])
        cats = "".join(f'<li class="cat-item"><a href="/category/{c}/">{esc(n)}</a> ({len(self.catalog.in_section(c))})</li>'
                       for c, n in self.catalog.sections.items())
        body_class = f"single single-post postid-{post_id}" if post_id else kind
        schema = f'<script type="application/ld+json" class="yoast-schema-graph">{json_ld(ld)}</script>' if ld else ""
        return f"""<!doctype html>
<html lang="en-US">
<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="https://gmpg.org/xfn/11">
<title>{esc(title)}</title>
<meta name="robots" content="{robots}" />
<link rel="canonical" href="{esc(req.base + canonical)}" />
<meta property="og:locale" content="en_US" />
<meta property="og:site_name" content="{SITE}" />
{head}
{schema}
<link rel="alternate" type="application/rss+xml" title="{SITE} &raquo; Feed" href="{req.base}/feed/" />
<link rel="https://api.w.org/" href="{req.base}/wp-json/" />
<link rel="stylesheet" id="theme-style-css" href="/wp-content/themes/newsup/style.css?ver=6.6.2" media="all" />
<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client=ca-pub-0000000000000000"></script>
</head>
<body class="{body_class} wp-theme-newsup">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div id="page" class="site">
<div class="top-bar"><span class="top-date">Sample edition</span>
<ul class="social"><li><a href="https://www.facebook.com/dmrnews">Facebook</a></li><li><a href="https://x.com/dmrnews">X</a></li></ul></div>
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title"><a href="/" rel="home">{SITE}</a></p>
<p class="site-description">{TAGLINE}</p></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu"><li class="menu-item"><a href="/">Home</a></li>{menu}
<li class="menu-item"><a href="/about-us/">About Us</a></li></ul></nav></header>
<div class="ad-container header-ad"><ins class="adsbygoogle" data-ad-client="ca-pub-0000000000000000" data-ad-slot="1111111111"></ins><span class="ad-label">Advertisement</span></div>
<div id="content" class="site-content"><main id="primary" class="site-main">
{body}
</main>
<aside id="secondary" class="widget-area">
<section class="widget widget_search"><form role="search" method="get" class="search-form" action="/"><label>Search for: <input type="search" name="s"></label><input type="submit" value="Search"></form></section>
<section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{recent}</ul></section>
<section class="widget widget_categories"><h2 class="widget-title">Categories</h2><ul>{cats}</ul></section>
<section class="widget widget_newsletter"><h2 class="widget-title">Newsletter</h2><p>Get the week's tech policy news in your inbox.</p>
<form action="/newsletter/" method="post"><input type="email" name="EMAIL" placeholder="Email address"><input type="submit" value="Subscribe"></form></section>
<section class="widget widget_meta"><h2 class="widget-title">Meta</h2><ul><li><a href="/wp-login.php">Log in</a></li>
<li><a href="/feed/">Entries feed</a></li><li><a href="https://wordpress.org/">WordPress.org</a></li></ul></section>
<section class="widget widget_ad"><ins class="adsbygoogle" data-ad-client="ca-pub-0000000000000000" data-ad-slot="2222222222"></ins><span class="ad-label">Advertisement</span></section>
</aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">&copy; 2024 {SITE}. All rights reserved.
<a href="/privacy-policy/">Privacy Policy</a> | <a href="/contact-us/">Contact Us</a> | <a href="/about-us/">About Us</a></div>
<p class="sample-notice">{SAMPLE_NOTICE}</p></footer>
</div>
<script src="/wp-content/themes/newsup/js/navigation.js?ver=6.6.2"></script>
</body>
</html>
"""


def _long_date(moment) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"


def _excerpt(article: Article) -> str:
    words = article.paragraphs[0].split()
    return " ".join(words[:55]) + (" [\u2026]" if len(words) > 55 else "")


def _card(stub: Stub) -> str:
    return (f'<article class="post type-post"><div class="post-thumb"><a href="{stub.path}"><img src="{esc(stub.image)}" alt="" loading="lazy"></a></div>'
            f'<div class="post-body"><span class="cat-links"><a href="/category/{stub.section}/">{esc(stub.section.replace("-", " ").title())}</a></span>'
            f'<h2 class="entry-title"><a href="{stub.path}" rel="bookmark">{esc(stub.title)}</a></h2>'
            f'<div class="entry-meta"><time datetime="{stub.published.isoformat()}">{_long_date(stub.published)}</time></div>'
            f'<p class="excerpt">{esc(shorten(stub.lead, 160))}</p></div></article>')


def _pager(base: str, page: int, pages: int) -> str:
    if pages == 1:
        return ""
    link = lambda n: base if n == 1 else f"{base}page/{n}/"    # noqa: E731
    parts = []
    if page > 1:
        parts.append(f'<a class="prev page-numbers" href="{link(page - 1)}">&laquo; Previous</a>')
    for n in page_window(page, pages):
        parts.append(f'<span aria-current="page" class="page-numbers current">{n}</span>' if n == page
                     else f'<a class="page-numbers" href="{link(n)}">{n}</a>')
    if page < pages:
        parts.append(f'<a class="next page-numbers" href="{link(page + 1)}">Next &raquo;</a>')
    return f'<nav class="navigation pagination" aria-label="Posts"><div class="nav-links">{"".join(parts)}</div></nav>'


def _share_bar(url: str, title: str) -> str:
    url, title = quote(url, safe=""), quote(title, safe="")
    return (f'<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul>'
            f'<li><a href="https://www.facebook.com/sharer.php?u={esc(url)}" class="share-facebook" target="_blank">Facebook</a></li>'
            f'<li><a href="https://x.com/intent/tweet?url={esc(url)}&amp;text={esc(title)}" class="share-x" target="_blank">X</a></li>'
            f'<li><a href="https://www.linkedin.com/shareArticle?url={esc(url)}" class="share-linkedin" target="_blank">LinkedIn</a></li>'
            f'<li><a href="https://api.whatsapp.com/send?text={esc(url)}" class="share-whatsapp" target="_blank">WhatsApp</a></li>'
            f'<li><a href="mailto:?subject={esc(title)}&amp;body={esc(url)}" class="share-email">Email</a></li></ul></div>')
