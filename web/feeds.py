"""Atom feeds of saved searches (RFC 4287), built with ElementTree so every text is escaped."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from common.dates import now_iso, parse_iso
from extract.text import xml_safe
from core import output

from .saved import SavedSearch

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def atom_date(value: str) -> str:
    """An RFC 3339 date-time from the outlet's ISO date (a bare date or local time is taken as UTC)."""
    moment = parse_iso(value)
    return moment.isoformat() if moment else now_iso()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    # ElementTree escapes markup but writes control characters as they are: cleaned here too, for
    # articles indexed before ingest cleaned them and for any text that did not come through a crawl.
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_safe(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_safe(text)
    return el


def atom_feed(saved: SavedSearch, hits: list, feed_url: str, search_url: str, article_url) -> bytes:
    """hits: index Hits, newest first; article_url(id) gives the absolute URL of an article page."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", f"urn:policywatch:saved-search:{saved.slug}:{saved.created}")   # stable across host names
    _sub(feed, "title", f"PolicyWatch: {saved.name}")
    _sub(feed, "subtitle", f"Newest articles matching: {saved.query or 'everything'}")
    newest = next((h.published for h in hits if h.published), None)     # hits come newest first
    _sub(feed, "updated", atom_date(newest) if newest else saved.created)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=search_url)
    _sub(_sub(feed, "author"), "name", "PolicyWatch")
    _sub(feed, "generator", "PolicyWatch")
    for hit in hits:
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"urn:policywatch:article:{hit.id}")
        _sub(entry, "title", hit.title)
        _sub(entry, "link", rel="alternate", type="text/html", href=hit.url)
        _sub(entry, "link", rel="related", type="text/html", href=article_url(hit.id))
        _sub(entry, "updated", atom_date(hit.published) if hit.published else now_iso())
        if hit.published:
            _sub(entry, "published", atom_date(hit.published))
        _sub(_sub(entry, "author"), "name", hit.source)
        _sub(entry, "summary", output.plain(hit.snippet, ("", "")))
        for action in hit.actions:
            _sub(entry, "category", term=action, label=action.capitalize())
        for e in hit.entities[:8]:
            _sub(entry, "category", term=e["name"], scheme="urn:policywatch:entity:" + e["type"])
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
