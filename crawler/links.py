"""Links of a listing page, read straight off the page's lxml tree.

Scrapy's LinkExtractor canonicalises every URL and checks it against ~150 file extensions: a
third of the crawl process's time on listing pages, for work the spider does anyway
(normalize_url, its own non-article filter). Here: each <a>/<area> href made absolute against the
page's <base>, escaped as Scrapy escapes a request's URL, and kept once per normalised URL, in
page order."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree
from scrapy.utils.response import get_base_url
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

from ingest.urls import normalize_url

_TEXT = etree.XPath("string()")
_LINK_TAGS = ("a", "area")
_NOT_FETCHABLE = ("javascript:", "mailto:", "tel:", "data:", "#")


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass
class ListingLinks:
    links: list[Link]            # every distinct link, in page order
    rel_next: set[str]           # hrefs of <a rel=next> and <link rel=next>, absolute


def listing_links(response) -> ListingLinks:
    """The links of an HTML response (a Scrapy TextResponse, parsed once by its selector)."""
    base = get_base_url(response)
    links: list[Link] = []
    seen: set[str] = set()
    rel_next: set[str] = set()
    for el in response.selector.root.iter(*_LINK_TAGS, "link"):
        href = el.get("href")
        if not href:
            continue
        href = strip_html5_whitespace(href)
        if "next" in (el.get("rel") or "").lower().split():
            rel_next.add(urljoin(base, href))
        if el.tag == "link" or href.lower().startswith(_NOT_FETCHABLE):
            continue
        try:
            url = safe_url_string(urljoin(base, href), encoding=response.encoding)
        except ValueError:         # a bogus href (a bad port, say): not a link
            continue
        if (key := normalize_url(url)) not in seen:
            seen.add(key)
            links.append(Link(url, _TEXT(el) or ""))
    return ListingLinks(links, rel_next)
