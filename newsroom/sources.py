"""The PolicyWatch sources file for a running newsroom (format: crawler/sources.yaml)."""
from __future__ import annotations

import re

_ENTRIES = {
    "yonhap": {
        "title": "Yonhap News Agency (sample newsroom)",
        "feeds": ["/RSS/news.xml", "/RSS/national.xml", "/RSS/nk.xml"],
        "sitemaps": ["/sitemap.xml"],
        "start_urls": ["/", "/national/all", "/nk/all", "/politics/all", "/economy/all"],
        "article_urls": [r"/view/AEN\d{17}"],
        "timezone": "Asia/Seoul",
        "schedule": "30m",
        "collections": ["korea", "wire"],
    },
    "dmr": {
        "title": "DMR News (sample newsroom)",
        "feeds": ["/feed/"],
        "sitemaps": ["/sitemap_index.xml", "/news-sitemap.xml"],
        "start_urls": ["/", "/category/tech/", "/category/policy/", "/category/social-media/"],
        "timezone": "America/New_York",
        "schedule": "1h",
        "collections": ["tech"],
    },
    "yonhap_ko": {
        "title": "연합뉴스 (sample newsroom, Korean)",
        "feeds": ["/rss/news.xml"],
        "sitemaps": [],
        "start_urls": ["/"],
        "article_urls": [r"/view/AKR\d{17}"],
        "language": "ko",
        "timezone": "Asia/Seoul",
        "schedule": "30m",
        "collections": ["korea"],
    },
    "faults": {
        "title": "The Sample Ledger (faulty pages, for fault-tolerance tests)",
        "feeds": ["/feed.xml"],
        "sitemaps": ["/sitemap.xml"],
        "start_urls": ["/"],
        "schedule": "1h",
        "enabled": False,
    },
}


def sources_yaml(urls: dict[str, str]) -> str:
    """YAML text listing every outlet in ``urls`` (name -> base URL, as ``Newsroom.urls``).
    The faults outlet is written with ``enabled: false``: a plain crawl skips it and a
    fault-tolerance test asks for it by name."""
    lines = ["# PolicyWatch sources for the bundled sample newsroom (`python -m newsroom`).",
             "# Generated: the URLs point at a running newsroom and change with its ports.",
             "sources:"]
    for name, base in urls.items():
        if name not in _ENTRIES:
            raise ValueError(f"unknown outlet {name!r}")
        entry, base = _ENTRIES[name], base.rstrip("/")
        lines += [f"  - name: {name}", f"    title: {_quote(entry['title'])}"]
        for key in ("feeds", "sitemaps", "start_urls"):
            lines.append(f"    {key}:" + ("" if entry[key] else " []"))
            lines += [f"      - {_quote(base + path)}" for path in entry[key]]
        if entry.get("article_urls"):
            lines.append("    article_urls:")
            lines += [f"      - {_quote('^' + re.escape(base) + pattern)}" for pattern in entry["article_urls"]]
        lines.append(f"    language: {entry.get('language', 'en')}")
        lines.append(f"    schedule: {entry['schedule']}")
        if entry.get("timezone"):
            lines.append(f"    timezone: {entry['timezone']}")
        if entry.get("collections"):
            lines.append(f"    collections: [{', '.join(entry['collections'])}]")
        if entry.get("enabled") is False:
            lines.append("    enabled: false")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    # Single quotes keep regex backslashes literal in YAML; a quote inside is doubled.
    return "'" + text.replace("'", "''") + "'"
