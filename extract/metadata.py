"""Article metadata from the page's own markup: JSON-LD, OpenGraph and other meta tags,
<time> elements, bylines, the URL. Each getter tries the most reliable signal first."""
from __future__ import annotations

import json
import logging
import re

from lxml import html as lxml_html
from trafilatura.utils import load_html

logger = logging.getLogger(__name__)

ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                 "opinionnewsarticle", "backgroundnewsarticle", "report", "liveblogposting", "techarticle",
                 "scholarlyarticle", "socialmediaposting", "posting"}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_BYLINE_PREFIX = re.compile(r"^\s*(?:written\s+)?by[:\s]+|^\s*(?:reporter|correspondent|staff writer)s?[:\s]+",
                            re.IGNORECASE)
_NOT_A_NAME = re.compile(r"https?://|www\.|\d|@|^(?:admin|staff|editor|editors|news desk|newsroom|"
                         r"wire|reuters|afp|ap|yonhap|associated press|the associated press|guest|contributor)$|\bstaff$|\bdesk$",
                         re.IGNORECASE)


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def parse_tree(text: str):
    return page_tree(text)[0]


def page_tree(text: str):
    """(tree, whether it is trafilatura's): the page's one tree, shared by every stage of
    extract.article. It is built by trafilatura's own loader (comments dropped, faulty markup
    repaired), so trafilatura given the tree extracts exactly what it extracts from the text (it
    parses text with this call and works on a copy of a tree) and the page is parsed once."""
    tree = load_html(text)
    if tree is not None:
        return tree, True
    # trafilatura refuses what does not look like HTML (and then extracts nothing); lxml still
    # reads it for the metadata. lxml refuses a str that still carries an encoding declaration
    # (XHTML pages do); the text is decoded already, so the declaration has nothing left to say.
    return lxml_html.document_fromstring(_XML_DECLARATION.sub("", text, count=1)), False


def json_ld(tree) -> list[dict]:
    """All JSON-LD objects of the page, @graph and lists flattened. A block is read as far as it
    parses (comments, trailing commas and trailing garbage tolerated); what cannot be read is
    skipped with a logged reason."""
    found: list[dict] = []

    def walk(obj):
        if isinstance(obj, list):
            for x in obj:
                walk(x)
        elif isinstance(obj, dict):
            found.append(obj)
            if "@graph" in obj:
                walk(obj["@graph"])

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            walk(json.loads(raw))
        except json.JSONDecodeError:
            values = _lenient_json(raw)
            if not values:
                logger.info("unreadable JSON-LD block skipped: %s", raw[:80].replace("\n", " "))
            for value in values:
                walk(value)
    return found


# A JSON string (kept) or a // or /* */ comment (dropped): strings first so a URL's // survives.
_JSON_STRING_OR_COMMENT = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/', re.DOTALL)
_DECODER = json.JSONDecoder(strict=False)     # strict=False: raw newlines and tabs inside strings


def _lenient_json(raw: str) -> list:
    """The JSON values in a block that json.loads refuses: HTML comment or CDATA wrappers,
    // and /* */ comments, trailing commas, and garbage after the last value."""
    raw = re.sub(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$", "", raw)
    raw = _JSON_STRING_OR_COMMENT.sub(lambda m: m[1] or "", raw)
    raw = re.sub(r",\s*([}\]])", r"\1", raw)
    values, pos = [], 0
    while (start := _next_value(raw, pos)) is not None:
        try:
            value, pos = _DECODER.raw_decode(raw, start)
        except json.JSONDecodeError:
            break
        values.append(value)
    return values


def _next_value(raw: str, pos: int) -> int | None:
    starts = [i for i in (raw.find("{", pos), raw.find("[", pos)) if i >= 0]
    return min(starts) if starts else None


def types_of(obj: dict) -> set[str]:
    t = obj.get("@type", [])
    return {x.lower() for x in ([t] if isinstance(t, str) else t) if isinstance(x, str)}


def article_ld(objects: list[dict]) -> dict | None:
    for obj in objects:
        if types_of(obj) & ARTICLE_TYPES:
            return obj
    return None


def meta_tags(tree) -> dict[str, str]:
    """name/property/itemprop → content, first occurrence wins, keys lower-cased."""
    tags: dict[str, str] = {}
    for el in tree.xpath("//meta[@content]"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        if key:
            tags.setdefault(key.strip().lower(), el.get("content").strip())
    return tags


def canonical_url(tree) -> str | None:
    for el in tree.xpath('//link[@rel="canonical"][@href]'):
        return el.get("href").strip()
    return None


def first(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def clean_author(raw: str) -> list[str]:
    """'By Kim Ji-hoon (jhkim@example.com)' → ['Kim Ji-hoon']; 'By A and B' → ['A', 'B']."""
    raw = _EMAIL.sub("", raw)
    raw = re.sub(r"\([^)]*\)", "", raw)
    raw = _BYLINE_PREFIX.sub("", raw.strip())
    names = []
    for part in re.split(r"\s*(?:,|;|&|\band\b|\|)\s*", raw):
        part = part.strip(" .-–—:·/\u00a0\t\n")
        part = re.sub(r"\s+", " ", part)
        if not part or _NOT_A_NAME.search(part):
            continue
        words = part.split()
        if not 1 <= len(words) <= 5 or not any(w[0].isupper() for w in words):
            continue
        names.append(part)
    return names


def authors(tree, ld: dict | None, meta: dict, site_name: str | None = None) -> list[str]:
    raw: list[str] = []
    if ld:
        value = ld.get("author")
        for a in (value if isinstance(value, list) else [value]):
            if isinstance(a, dict) and types_of(a) & {"organization", "newsmediaorganization"}:
                continue
            name = a.get("name") if isinstance(a, dict) else a
            if isinstance(name, str):
                raw.append(name)
    if not raw:
        for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"):
            if meta.get(key) and not meta[key].startswith("http"):
                raw.append(meta[key])
                break
    if not raw:
        raw = [text for el in tree.xpath(
            '//a[@rel="author"] | //*[@itemprop="author"] | //*[contains(@class,"byline")] | '
            '//*[contains(@class,"author-name")] | //*[contains(@class,"writer")] | //*[contains(@class,"author")][not(ancestor::form)]')
            if len(text := " ".join(el.text_content().split())) < 80][:3]
    names: list[str] = []
    for r in raw:
        for n in clean_author(r):
            if n not in names and n != site_name:
                names.append(n)
    return names


def title(tree, ld: dict | None, meta: dict, site_name: str | None = None) -> str | None:
    candidates = []
    if ld and isinstance(ld.get("headline"), str):
        candidates.append(ld["headline"])
    candidates += [meta.get("og:title"), meta.get("twitter:title")]
    candidates += [" ".join(h.text_content().split()) for h in tree.xpath("//h1")[:1]]
    candidates += [t.text_content() for t in tree.xpath("//title")[:1]]
    # pages without <title> (older templates, archived copies): the first sub-heading that reads
    # like a headline, so the story is not lost for want of a title
    candidates += [" ".join(h.text_content().split()) for h in tree.xpath("//h2 | //h3")
                   if 3 <= len(h.text_content().split()) <= 30][:1]
    for c in candidates:
        if c and c.strip():
            return _strip_site(" ".join(c.split()), site_name)
    return None


def _strip_site(text: str, site_name: str | None) -> str:
    """'Police probe Telegram | Yonhap News Agency' → 'Police probe Telegram'."""
    parts = re.split(r"\s+[|–—-]\s+", text)
    if len(parts) > 1 and (site_name and site_name.lower() in parts[-1].lower() or len(parts[-1].split()) <= 4
                           and len(parts[0].split()) > 3):
        return " - ".join(parts[:-1]) if site_name and site_name.lower() in parts[-1].lower() else parts[0]
    return text


def language(tree, ld: dict | None, meta: dict) -> str | None:
    for value in (tree.get("lang"), ld.get("inLanguage") if ld else None, meta.get("og:locale"),
                  meta.get("content-language"), meta.get("dc.language")):
        if isinstance(value, str) and re.match(r"^[A-Za-z]{2,3}\b", value.strip()):
            return value.strip()[:2].lower()
    return None


def section(ld: dict | None, meta: dict) -> str | None:
    value = first(ld.get("articleSection")) if ld else None
    return value if isinstance(value, str) and value.strip() else meta.get("article:section")


def image(ld: dict | None, meta: dict) -> str | None:
    if meta.get("og:image"):
        return meta["og:image"]
    value = first(ld.get("image")) if ld else None
    if isinstance(value, dict):
        value = value.get("url")
    return value if isinstance(value, str) else None


def site_name(ld_objects: list[dict], meta: dict) -> str | None:
    if meta.get("og:site_name"):
        return meta["og:site_name"]
    for obj in ld_objects:
        if types_of(obj) & {"newsmediaorganization", "organization", "website"} and isinstance(obj.get("name"), str):
            return obj["name"]
    return None
