"""Article metadata from the page's own markup: JSON-LD, OpenGraph and other meta tags,
<time> elements, bylines, the URL. Each getter tries the most reliable signal first."""
from __future__ import annotations

import json
import logging
import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import html as lxml_html

logger = logging.getLogger(__name__)

ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                 "opinionnewsarticle", "backgroundnewsarticle", "report", "liveblogposting", "techarticle"}
_PUBLISHED_META = ("article:published_time", "og:published_time", "published_time", "pubdate", "publishdate",
                   "publish-date", "date", "dc.date.issued", "dc.date", "dcterms.created", "sailthru.date",
                   "parsely-pub-date", "article.published", "datepublished", "cxenseparse:recs:publishtime")
_MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified", "dcterms.modified", "last-modified")
_URL_DATE = re.compile(r"/(20\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|[-_])")
_URL_DATE_COMPACT = re.compile(r"(?<!\d)(20\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d{7})")
_TEXT_DATE = re.compile(r"\b(20\d\d)[-./](0?[1-9]|1[0-2])[-./](0?[1-9]|[12]\d|3[01])(?:[ T]+(\d\d):(\d\d))?")
_MONTHS = {m: i for i, ms in enumerate([("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
                                         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
                                         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
                                         ("dec", "december")], 1) for m in ms}
_WORDY_DATE = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.? (\d{1,2}),? (20\d\d)"
                         r"(?:,? (?:at )?(\d{1,2}):(\d\d) ?([ap]\.?m\.?)?)?", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_BYLINE_PREFIX = re.compile(r"^\s*(?:written\s+)?by[:\s]+|^\s*(?:reporter|correspondent|staff writer)s?[:\s]+",
                            re.IGNORECASE)
_NOT_A_NAME = re.compile(r"https?://|www\.|\d|@|^(?:admin|staff|editor|editors|news desk|newsroom|"
                         r"wire|reuters|afp|ap|yonhap|associated press|the associated press|guest|contributor)$|\bstaff$|\bdesk$",
                         re.IGNORECASE)


def parse_tree(text: str):
    return lxml_html.document_fromstring(text)


def json_ld(tree) -> list[dict]:
    """All JSON-LD objects of the page, @graph and lists flattened. Malformed blocks are skipped."""
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
            # Some sites put raw newlines or a trailing comma in their JSON-LD; one retry.
            try:
                walk(json.loads(re.sub(r",\s*([}\]])", r"\1", raw.replace("\n", " "))))
            except json.JSONDecodeError:
                logger.debug("unreadable JSON-LD block skipped")
    return found


def _types(obj: dict) -> set[str]:
    t = obj.get("@type", [])
    return {x.lower() for x in ([t] if isinstance(t, str) else t) if isinstance(x, str)}


def article_ld(objects: list[dict]) -> dict | None:
    for obj in objects:
        if _types(obj) & ARTICLE_TYPES:
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


def to_iso(value, tz=None) -> str | None:
    """An ISO 8601 date-time with offset, or None. Naive times take the outlet's zone (or UTC)."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        m = re.match(r"^(\d{4})-?(\d\d)-?(\d\d)(?:[T ](\d\d):?(\d\d)(?::?(\d\d))?(?:\.\d+)?)?\s*([+-]\d\d:?\d\d|Z|UTC|GMT|KST)?$",
                     value, re.IGNORECASE)
        if not m:
            return None
        y, mo, d, h, mi, s, off = m.groups()
        try:
            moment = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
        except ValueError:
            return None
        if off and off.upper() in ("Z", "UTC", "GMT"):
            moment = moment.replace(tzinfo=timezone.utc)
        elif off and off.upper() == "KST":
            moment = moment.replace(tzinfo=ZoneInfo("Asia/Seoul"))
        elif off:
            moment = datetime.fromisoformat(moment.isoformat() + off[:3] + ":" + off[-2:])
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz or timezone.utc)
    if not 1995 <= moment.year <= 2100:
        return None
    return moment.isoformat()


def zone(name: str | None):
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("unknown time zone %r in sources; dates without an offset are taken as UTC", name)
        return None


def published_date(tree, ld: dict | None, meta: dict, url: str, tz=None, hint: str | None = None) -> tuple[str | None, str]:
    """(ISO date-time, which signal gave it)."""
    if ld and (v := to_iso(_first(ld.get("datePublished") or ld.get("dateCreated")), tz)):
        return v, "json-ld"
    for key in _PUBLISHED_META:
        if (v := to_iso(meta.get(key.lower()), tz)):
            return v, "meta"
    for el in tree.xpath('//time[@datetime]'):
        if (v := to_iso(el.get("datetime"), tz)):
            return v, "time"
    if hint and (v := to_iso(hint, tz)):
        return v, "feed"
    for pattern in (_URL_DATE, _URL_DATE_COMPACT):
        if (m := pattern.search(url)):
            try:
                return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=tz or timezone.utc).isoformat(), "url"
            except ValueError:
                pass
    visible = _visible_date(tree, tz)
    return (visible, "text") if visible else (None, "none")


def _visible_date(tree, tz) -> str | None:
    """A date printed in the page's byline/dateline area (first ones in the main content)."""
    candidates = tree.xpath('//*[contains(@class,"date") or contains(@class,"time") or contains(@class,"byline")'
                            ' or contains(@class,"meta") or contains(@class,"posted")]//text()')
    texts = [t for t in candidates if t.strip()][:40]
    for text in texts + tree.xpath("//body//text()")[:400]:
        if (m := _TEXT_DATE.search(text)):
            y, mo, d, h, mi = m.groups()
            try:
                return datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), tzinfo=tz or timezone.utc).isoformat()
            except ValueError:
                continue
        if (m := _WORDY_DATE.search(text)):
            mon, d, y, h, mi, ampm = m.groups()
            hour = int(h or 0)
            if ampm and ampm[0].lower() == "p" and hour < 12:
                hour += 12
            if ampm and ampm[0].lower() == "a" and hour == 12:
                hour = 0
            try:
                return datetime(int(y), _MONTHS[mon.lower().rstrip(".")], int(d), hour, int(mi or 0),
                                tzinfo=tz or timezone.utc).isoformat()
            except (ValueError, KeyError):
                continue
    return None


def modified_date(ld: dict | None, meta: dict, tz=None) -> str | None:
    if ld and (v := to_iso(_first(ld.get("dateModified")), tz)):
        return v
    for key in _MODIFIED_META:
        if (v := to_iso(meta.get(key.lower()), tz)):
            return v
    return None


def _first(value):
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
            if isinstance(a, dict) and _types(a) & {"organization", "newsmediaorganization"}:
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
    value = _first(ld.get("articleSection")) if ld else None
    return value if isinstance(value, str) and value.strip() else meta.get("article:section")


def image(ld: dict | None, meta: dict) -> str | None:
    if meta.get("og:image"):
        return meta["og:image"]
    value = _first(ld.get("image")) if ld else None
    if isinstance(value, dict):
        value = value.get("url")
    return value if isinstance(value, str) else None


def site_name(ld_objects: list[dict], meta: dict) -> str | None:
    if meta.get("og:site_name"):
        return meta["og:site_name"]
    for obj in ld_objects:
        if _types(obj) & {"newsmediaorganization", "organization", "website"} and isinstance(obj.get("name"), str):
            return obj["name"]
    return None
