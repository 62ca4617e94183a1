"""Ground truth for tests: what the newsroom serves, without starting it.

``outlet=None`` means the newsroom proper, "yonhap" and "dmr"; the "faults" outlet and the
Korean "yonhap_ko" outlet are only included when asked for by name (start() serves the
Korean one when asked, too).

Paths are relative to an outlet's base URL; pass ``urls=newsroom.urls`` to get absolute
``url`` values as well.
"""
from __future__ import annotations

from collections import Counter

from .catalog import Catalog, handwritten
from .content import dmr as dmr_content
from .content import yonhap as yonhap_content
from .faults import fault_pages
from .model import slugify

NEWSROOM = ("yonhap", "dmr")


def _outlets(outlet: str | None) -> tuple[str, ...]:
    if outlet is None:
        return NEWSROOM
    if outlet not in ("yonhap", "dmr", "faults", "yonhap_ko"):
        raise ValueError(f"unknown outlet {outlet!r}")
    return (outlet,)


def _absolute(record: dict, urls: dict | None) -> dict:
    base = (urls or {}).get(record["outlet"])
    record["url"] = base + record["path"] if base else record["path"]
    return record


def articles(outlet: str | None = None, include_synthetic: int = 0, urls: dict | None = None) -> list[dict]:
    """The articles as dicts, newest first: outlet, key, path, url, title, section, paragraphs
    (page text, Yonhap dateline included), text, published/modified (ISO 8601 with offset),
    authors, tags, image, caption, charset, language, attn, post_id, synthetic.
    ``include_synthetic=N`` adds the N synthetic articles per outlet that ``start(scale=N)``
    serves (generating them in full: slow for large N)."""
    out = []
    for name in _outlets(outlet):
        if include_synthetic and name != "faults":
            items = Catalog(name, include_synthetic).articles()
        else:
            items = list(handwritten(name))
        for article in items:
            out.append(_absolute(article.to_dict(), urls))
    return out


def special_pages(outlet: str | None = None, urls: dict | None = None) -> list[dict]:
    """The edge-case pages: outlet, path (as linked, query and fragment included), url,
    kind, status, is_article, and per kind: location (redirects), canonical (tracking
    duplicates), charset (legacy charsets), title.

    kinds: home, section, tag, author, page, video, login, about (not articles);
    not_found (404); server_error (500); redirect (301 to ``location``);
    tracking_duplicate (an article linked with utm_* parameters and a #fragment);
    legacy_charset (an article not in UTF-8); script_title (an article whose title text
    contains a <script> tag); and for "faults" the kinds listed in newsroom.faults."""
    out = []
    for name in _outlets(outlet):
        if name == "faults":
            out += [_absolute(dict(p, is_article=p["kind"] in ("flaky_500", "robots_disallowed")), urls)
                    for p in fault_pages()]
            continue
        content = {"yonhap": yonhap_content, "dmr": dmr_content}.get(name)
        pages = [dict(p) for p in content.SPECIAL_PAGES] if content else []
        if name == "dmr":
            pages += _dmr_archives(pages)
        for article in handwritten(name):
            if article.charset != "utf-8":
                pages.append({"path": article.path, "kind": "legacy_charset", "status": 200,
                              "charset": article.charset, "title": article.title})
            if "<script" in article.title:
                pages.append({"path": article.path, "kind": "script_title", "status": 200, "title": article.title})
        for page in pages:
            page["outlet"] = name
            page["is_article"] = page["kind"] in ("tracking_duplicate", "legacy_charset", "script_title")
            out.append(_absolute(page, urls))
    return out


def _dmr_archives(listed: list[dict]) -> list[dict]:
    """Every tag and author archive the dmr posts link to (only one of each is in the content list)."""
    seen = {p["path"] for p in listed}
    extra = []
    for article in handwritten("dmr"):
        for kind, names in (("tag", article.tags), ("author", article.authors)):
            for name in names:
                path = f"/{kind}/{slugify(name)}/"
                if path not in seen:
                    seen.add(path)
                    extra.append({"path": path, "kind": kind, "status": 200, "title": name})
    for path in ("/privacy-policy/", "/contact-us/"):
        extra.append({"path": path, "kind": "page", "status": 200})
    return extra


def counts_by_month(outlet: str | None = None) -> dict[str, dict[str, int]]:
    """{outlet: {"2024-09": n, ...}} for the hand-written articles (by their local date)."""
    result = {}
    for name in _outlets(outlet):
        result[name] = dict(sorted(Counter(f"{a.published:%Y-%m}" for a in handwritten(name)).items()))
    return result
