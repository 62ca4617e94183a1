"""XML the outlets publish: RSS 2.0, Atom 1.0, sitemaps, sitemap indexes, Google News sitemaps.

Built as text (not ElementTree) so each outlet can keep the small quirks real CMSs have:
CDATA descriptions, namespace prefixes declared up front, a stylesheet line."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable
from xml.sax.saxutils import escape as _escape

from .model import rfc822


def x(text: str) -> str:
    """Escape text for element content and attribute values."""
    return _escape(text, {'"': "&quot;"})


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss(*, title: str, link: str, description: str, self_url: str, items: Iterable[dict],
        language: str = "en", last_build: datetime | None = None, generator: str = "",
        extra_channel: str = "") -> str:
    """items: title, link, guid, permalink (bool), published, description, and optionally
    creator, categories, content (HTML for content:encoded), comments."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
           'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" '
           'xmlns:slash="http://purl.org/rss/1.0/modules/slash/">',
           "<channel>",
           f"<title>{x(title)}</title>",
           f'<atom:link href="{x(self_url)}" rel="self" type="application/rss+xml" />',
           f"<link>{x(link)}</link>",
           f"<description>{x(description)}</description>",
           f"<language>{x(language)}</language>"]
    if last_build:
        out.append(f"<lastBuildDate>{rfc822(last_build)}</lastBuildDate>")
    if generator:
        out.append(f"<generator>{x(generator)}</generator>")
    if extra_channel:
        out.append(extra_channel)
    for item in items:
        out.append("<item>")
        out.append(f"<title>{x(item['title'])}</title>")
        out.append(f"<link>{x(item['link'])}</link>")
        if item.get("comments"):
            out.append(f"<comments>{x(item['comments'])}</comments>")
        for name in item.get("creators", ()):
            out.append(f"<dc:creator>{cdata(name)}</dc:creator>")
        out.append(f"<pubDate>{rfc822(item['published'])}</pubDate>")
        for category in item.get("categories", ()):
            out.append(f"<category>{cdata(category)}</category>")
        permalink = "true" if item.get("permalink") else "false"
        out.append(f'<guid isPermaLink="{permalink}">{x(item["guid"])}</guid>')
        out.append(f"<description>{cdata(item['description'])}</description>")
        if item.get("content"):
            out.append(f"<content:encoded>{cdata(item['content'])}</content:encoded>")
        out.append("</item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def atom(*, title: str, subtitle: str, site_url: str, self_url: str, updated: datetime,
         entries: Iterable[dict], generator: str = "") -> str:
    """entries: title, link, id, published, updated, authors, summary, content (HTML), categories."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0" xml:lang="en-US">',
           f'<title type="text">{x(title)}</title>',
           f'<subtitle type="text">{x(subtitle)}</subtitle>',
           f"<updated>{updated.isoformat()}</updated>",
           f'<link rel="alternate" type="text/html" href="{x(site_url)}" />',
           f"<id>{x(self_url)}</id>",
           f'<link rel="self" type="application/atom+xml" href="{x(self_url)}" />']
    if generator:
        out.append(f"<generator>{x(generator)}</generator>")
    for entry in entries:
        out.append("<entry>")
        for name in entry.get("authors", ()):
            out.append(f"<author><name>{x(name)}</name></author>")
        out.append(f'<title type="html">{cdata(x(entry["title"]))}</title>')
        out.append(f'<link rel="alternate" type="text/html" href="{x(entry["link"])}" />')
        out.append(f"<id>{x(entry['id'])}</id>")
        out.append(f"<updated>{entry['updated'].isoformat()}</updated>")
        out.append(f"<published>{entry['published'].isoformat()}</published>")
        for category in entry.get("categories", ()):
            out.append(f'<category scheme="{x(site_url)}" term="{x(category)}" />')
        out.append(f'<summary type="html">{cdata(entry["summary"])}</summary>')
        if entry.get("content"):
            out.append(f'<content type="html" xml:base="{x(entry["link"])}">{cdata(entry["content"])}</content>')
        out.append("</entry>")
    out += ["</feed>", ""]
    return "\n".join(out)


def urlset(entries: Iterable[dict], stylesheet: str = "") -> str:
    """entries: loc, and optionally lastmod (datetime), changefreq, priority, images (list of URLs)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    if stylesheet:
        out.append(f'<?xml-stylesheet type="text/xsl" href="{x(stylesheet)}"?>')
    out.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">')
    for entry in entries:
        parts = [f"<loc>{x(entry['loc'])}</loc>"]
        if entry.get("lastmod"):
            parts.append(f"<lastmod>{entry['lastmod'].isoformat()}</lastmod>")
        if entry.get("changefreq"):
            parts.append(f"<changefreq>{entry['changefreq']}</changefreq>")
        if entry.get("priority"):
            parts.append(f"<priority>{entry['priority']}</priority>")
        for image in entry.get("images", ()):
            parts.append(f"<image:image><image:loc>{x(image)}</image:loc></image:image>")
        out.append("<url>" + "".join(parts) + "</url>")
    out += ["</urlset>", ""]
    return "\n".join(out)


def sitemap_index(entries: Iterable[tuple[str, datetime | None]], stylesheet: str = "") -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    if stylesheet:
        out.append(f'<?xml-stylesheet type="text/xsl" href="{x(stylesheet)}"?>')
    out.append('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for loc, lastmod in entries:
        stamp = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        out.append(f"<sitemap><loc>{x(loc)}</loc>{stamp}</sitemap>")
    out += ["</sitemapindex>", ""]
    return "\n".join(out)


def news_sitemap(entries: Iterable[dict], publication: str, language: str = "en") -> str:
    """Google News sitemap. entries: loc, published (datetime), title, keywords (optional)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">']
    for entry in entries:
        keywords = entry.get("keywords")
        out.append(
            "<url>"
            f"<loc>{x(entry['loc'])}</loc>"
            "<news:news>"
            f"<news:publication><news:name>{x(publication)}</news:name>"
            f"<news:language>{x(language)}</news:language></news:publication>"
            f"<news:publication_date>{entry['published'].isoformat()}</news:publication_date>"
            f"<news:title>{x(entry['title'])}</news:title>"
            + (f"<news:keywords>{x(keywords)}</news:keywords>" if keywords else "")
            + "</news:news></url>")
    out += ["</urlset>", ""]
    return "\n".join(out)
