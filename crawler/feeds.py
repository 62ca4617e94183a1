"""Reading RSS 2.0, Atom, RDF feeds and sitemaps (Google News ones included) into entries.

Scrapy's SitemapSpider drops <news:publication_date> and <news:title>; we keep them as hints
for pages whose own metadata is thin."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from lxml import etree

logger = logging.getLogger(__name__)

_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
# The element each kind of document lists its entries in, to count what a parse error cost.
_ENTRY_TAG = {"rss": "item", "rdf": "item", "feed": "entry", "urlset": "url", "sitemapindex": "sitemap"}
_ENTRY_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(item|entry|url|sitemap)[\s>/]")


@dataclass
class Entry:
    url: str
    title: str | None = None
    published: str | None = None       # ISO 8601
    authors: tuple[str, ...] = ()


@dataclass
class Parsed:
    kind: str                  # rss, atom, rdf, urlset, sitemapindex, unknown
    entries: list[Entry]
    sitemaps: list[str]        # child sitemaps of a sitemap index, newest first when they say
    lost: int = 0              # entries in the bytes that a malformed document kept from us


def _local(tag) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(el, *names) -> str | None:
    for child in el:
        if _local(child.tag) in names and (child.text or "").strip():
            return child.text.strip()
    return None


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    try:
        return parsedate_to_datetime(value).isoformat()     # RFC 822, as RSS uses
    except (TypeError, ValueError, IndexError):
        return value                                         # Atom/W3C dates are already ISO


def parse_feed_or_sitemap(body: bytes) -> Parsed:
    """The entries of a feed or sitemap. A malformed document is read as far as it goes (lxml's
    recovery); how many entries its errors cost is counted in ``lost`` from the raw bytes."""
    try:
        root = etree.fromstring(body.lstrip(), parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        return Parsed("unknown", [], [], lost=len(_ENTRY_START.findall(body)))
    parsed = _read(root)
    tag = _ENTRY_TAG.get(_local(root.tag))
    if tag and len(_PARSER.error_log):
        in_bytes = sum(1 for name in _ENTRY_START.findall(body) if name.decode() == tag)
        parsed.lost = max(0, in_bytes - len(parsed.entries) - len(parsed.sitemaps))
    return parsed


def _read(root) -> Parsed:
    kind = _local(root.tag)
    if kind == "sitemapindex":
        children = [(loc, _child_text(sm, "lastmod") or "") for sm in root if (loc := _child_text(sm, "loc"))]
        # Newest first, so that a per-run limit on sitemaps keeps the ones with recent articles
        # (W3C dates sort as text; entries without a date keep their order, after the dated ones).
        children.sort(key=lambda c: c[1], reverse=True)
        return Parsed(kind, [], [loc for loc, _ in children])
    if kind == "urlset":
        entries = []
        for url in root:
            loc = _child_text(url, "loc")
            if not loc:
                continue
            title = published = None
            for child in url:
                if _local(child.tag) == "news":
                    title = _child_text(child, "title")
                    published = _child_text(child, "publication_date")
            entries.append(Entry(loc, title, _iso(published or _child_text(url, "lastmod"))))
        return Parsed(kind, entries, [])
    if kind == "feed":
        entries = []
        for item in root:
            if _local(item.tag) != "entry":
                continue
            link = None
            for child in item:
                if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate":
                    link = child.get("href")
                    break
            authors = tuple(n for a in item if _local(a.tag) == "author" and (n := _child_text(a, "name")))
            if link:
                entries.append(Entry(link.strip(), _child_text(item, "title"),
                                     _iso(_child_text(item, "published", "updated")), authors))
        return Parsed("atom", entries, [])
    if kind in ("rss", "rdf"):
        items = root.iter("{*}item") if kind == "rdf" else root.iter("item")
        entries = []
        for item in items:
            link = _child_text(item, "link") or _child_text(item, "guid")
            if not link and item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"):
                link = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            if not link:
                continue
            creator = _child_text(item, "creator", "author")
            entries.append(Entry(link, _child_text(item, "title"),
                                 _iso(_child_text(item, "pubdate", "date")), (creator,) if creator else ()))
        return Parsed("rdf" if kind == "rdf" else "rss", entries, [])
    return Parsed("unknown", [], [])
