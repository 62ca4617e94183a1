"""When a page was published: the instant with its offset, and the page's own local day.

Two kinds of evidence. The page's structured data (JSON-LD of any type, meta tags, <time>)
carries an instant and usually an offset; htmldate (original_date, extensive search) is the
better day finder on real pages, since it also reads URLs, visible bylines in many formats and
languages, and weighs the candidates. The day comes from htmldate where the structured data
disagrees or is missing; the time and offset come from the structured data whose local day
agrees with it. A page without an offset keeps its day in the source's time zone."""
from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from htmldate import find_date

from .metadata import ARTICLE_TYPES, first, types_of

logger = logging.getLogger(__name__)

PUBLISHED_META = ("article:published_time", "og:published_time", "published_time", "pubdate", "publishdate",
                  "publish-date", "date", "dc.date.issued", "dc.date", "dcterms.created", "dcterms.date",
                  "sailthru.date", "parsely-pub-date", "article.published", "datepublished",
                  "cxenseparse:recs:publishtime", "citation_publication_date", "originalpublicationdate")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified")

# The Wayback Machine's prefix: the date in it is the capture, not the publication.
_ARCHIVE_PREFIX = re.compile(r"^https?://(?:web\.)?archive\.org/web/\d+(?:[a-z]{2}_)?/", re.IGNORECASE)
_URL_DATE = re.compile(r"/(20\d\d|19\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|[-_.])")
_URL_DATE_COMPACT = re.compile(r"(?<!\d)(20\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_ISO_LOOSE = re.compile(r"^(\d{4})-?(\d\d)-?(\d\d)(?:[T ](\d\d):?(\d\d)(?::?(\d\d))?(?:[.,]\d+)?)?\s*"
                        r"([+-]\d\d:?\d\d|[+-]\d\d|Z|UTC|GMT|KST|JST)?$", re.IGNORECASE)
_NAMED_ZONES = {"Z": timezone.utc, "UTC": timezone.utc, "GMT": timezone.utc, "KST": ZoneInfo("Asia/Seoul"),
                "JST": ZoneInfo("Asia/Tokyo")}

# Visible dates, the last resort: year first, day first (27.06.2018) and month names in the
# languages of the outlets we follow. Every number group ends at a boundary (2020/07/13 is
# the 13th, not the 1st).
_MONTHS = {}
for _number, _names in enumerate((
        "jan january januar janvier enero gennaio janeiro", "feb february februar février fevrier febrero febbraio fevereiro",
        "mar march märz maerz mars marzo março", "apr april avril abril aprile",
        "may mai mayo maggio maio", "jun june juni juin junio giugno junho",
        "jul july juli juillet julio luglio julho", "aug august août aout agosto",
        "sep sept september septembre septiembre settembre setembro",
        "oct october oktober octobre octubre ottobre outubro", "nov november novembre noviembre novembro",
        "dec december dezember décembre decembre diciembre dicembre dezembro"), 1):
    for _name in _names.split():
        _MONTHS[_name] = _number
_MONTH = r"(" + "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True)) + r")\.?"
_TEXT_DATES = (
    ("ymd", re.compile(r"(?<!\d)((?:19|20)\d\d)[-./](0?[1-9]|1[0-2])[-./](0?[1-9]|[12]\d|3[01])(?!\d)")),
    ("dmy", re.compile(r"(?<!\d)(0?[1-9]|[12]\d|3[01])\.\s?(0?[1-9]|1[0-2])\.\s?((?:19|20)\d\d)(?!\d)")),
    ("mdy_name", re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)(?!\d)", re.IGNORECASE)),
    ("dmy_name", re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?" + _MONTH
                            + r"\s+(?:de\s+)?((?:19|20)\d\d)(?!\d)", re.IGNORECASE)),
)


def zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("unknown time zone %r in sources; dates without an offset are taken as UTC", name)
        return None


def ascii_digits(value: str) -> str:
    """'২০২৩-০৫-১২' → '2023-05-12': pages write dates in their own script's digits."""
    if value.isascii():
        return value
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and unicodedata.digit(ch, None) is not None else ch
                   for ch in value)


def parse_instant(value, tz: tzinfo | None = None) -> tuple[datetime, bool] | None:
    """(aware datetime, whether the page gave the offset) from an ISO-like string, or None.
    A value without an offset is read in `tz` (the source's zone) or UTC."""
    if not value or not isinstance(value, str):
        return None
    value = ascii_digits(value.strip())
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        m = _ISO_LOOSE.match(value)
        if not m:
            return None
        y, mo, d, h, mi, s, off = m.groups()
        try:
            moment = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
            if off and off.upper() in _NAMED_ZONES:
                moment = moment.replace(tzinfo=_NAMED_ZONES[off.upper()])
            elif off:
                digits = off.replace(":", "")
                moment = datetime.fromisoformat(f"{moment.isoformat()}{digits[:3]}:{digits[3:5] or '00'}")
        except ValueError:
            return None
    given = moment.tzinfo is not None
    if not given:
        moment = moment.replace(tzinfo=tz or timezone.utc)
    if not 1995 <= moment.year <= 2100:
        return None
    return moment, given


def to_iso(value, tz: tzinfo | None = None) -> str | None:
    """An ISO 8601 date-time with offset, or None. Naive times take the outlet's zone (or UTC)."""
    parsed = parse_instant(value, tz)
    return parsed[0].isoformat() if parsed else None


def page_url(url: str) -> str:
    """The page's own URL: an archive.org capture URL without its capture prefix."""
    return _ARCHIVE_PREFIX.sub("", url)


def structured_candidates(tree, ld_objects: list[dict], meta: dict, tz) -> list[tuple[datetime, bool, str]]:
    """Every publication instant the page states in markup, most reliable first:
    (moment, offset given, signal)."""
    found: list[tuple[datetime, bool, str]] = []
    # Article types first, then any other type that states a publication date (QAPage, WebPage, ...)
    objects = sorted(ld_objects, key=lambda o: not (types_of(o) & ARTICLE_TYPES))
    for obj in objects:
        value = first(obj.get("datePublished") or obj.get("dateCreated") or obj.get("uploadDate"))
        if (p := parse_instant(value, tz)):
            found.append((*p, "json-ld"))
    for key in PUBLISHED_META:
        if (p := parse_instant(meta.get(key), tz)):
            found.append((*p, "meta"))
    for el in tree.xpath('//time[@datetime][@pubdate or @itemprop="datePublished" or contains(@class,"publish")]'
                         ' | //*[@itemprop="datePublished"][@content or @datetime]'):
        if (p := parse_instant(el.get("datetime") or el.get("content"), tz)):
            found.append((*p, "time"))
    for el in tree.xpath("//time[@datetime]")[:3]:
        if (p := parse_instant(el.get("datetime"), tz)):
            found.append((*p, "time"))
    return found


def htmldate_day(tree, url: str) -> date | None:
    """htmldate's publication day for the page (it reads a copy of the tree)."""
    try:
        found = find_date(tree, url=url, original_date=True, extensive_search=True)
    except (ValueError, TypeError, OverflowError) as exc:
        logger.info("htmldate failed on %s: %s", url, exc)
        return None
    try:
        return date.fromisoformat(found) if found else None
    except ValueError:
        return None


def _local(moment: datetime, given: bool, tz) -> datetime:
    """The page's local wall clock: its own offset when it gave one (UTC "Z" says nothing about
    the page's day, so the source's zone wins over it), else already read in the source's zone."""
    if tz is not None and given and moment.utcoffset() == timedelta(0):
        return moment.astimezone(tz)
    return moment


def published_date(tree, ld_objects: list[dict], meta: dict, url: str, tz=None,
                   hint: str | None = None) -> tuple[str | None, str]:
    """(ISO date-time with offset, which signal gave it)."""
    url = page_url(url)
    candidates = structured_candidates(tree, ld_objects, meta, tz)
    if (p := parse_instant(hint, tz)):
        candidates.append((*p, "feed"))
    day = htmldate_day(tree, url)
    if day is None:
        if candidates:
            moment, given, signal = candidates[0]
            return _local(moment, given, tz).isoformat(), signal
        if (found := url_date(url, tz)):
            return found, "url"
        visible = visible_date(tree, tz)
        return (visible, "text") if visible else (None, "none")
    for moment, given, signal in candidates:
        local = _local(moment, given, tz)
        if local.date() == day:
            return local.isoformat(), signal
    return datetime.combine(day, time(0), tzinfo=tz or timezone.utc).isoformat(), "htmldate"


def modified_date(ld_objects: list[dict], meta: dict, tz=None) -> str | None:
    objects = sorted(ld_objects, key=lambda o: not (types_of(o) & ARTICLE_TYPES))
    for obj in objects:
        if (v := to_iso(first(obj.get("dateModified")), tz)):
            return v
    for key in MODIFIED_META:
        if (v := to_iso(meta.get(key), tz)):
            return v
    return None


def url_date(url: str, tz=None) -> str | None:
    url = page_url(url)
    for pattern in (_URL_DATE, _URL_DATE_COMPACT):
        if (m := pattern.search(url)):
            try:
                return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=tz or timezone.utc).isoformat()
            except ValueError:
                continue
    return None


def text_date(text: str) -> date | None:
    """The first date written out in a piece of visible text, in any of the common orders."""
    text = ascii_digits(text)
    best: tuple[int, date] | None = None
    for order, pattern in _TEXT_DATES:
        m = pattern.search(text)
        if not m:
            continue
        try:
            if order == "ymd":
                found = date(int(m[1]), int(m[2]), int(m[3]))
            elif order == "dmy":
                found = date(int(m[3]), int(m[2]), int(m[1]))
            elif order == "mdy_name":
                found = date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
            else:
                found = date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
        except (ValueError, KeyError):
            continue
        if best is None or m.start() < best[0]:
            best = (m.start(), found)
    return best[1] if best else None


def visible_date(tree, tz) -> str | None:
    """A date printed in the page's byline/dateline area (first ones in the main content)."""
    candidates = tree.xpath('//*[contains(@class,"date") or contains(@class,"time") or contains(@class,"byline")'
                            ' or contains(@class,"meta") or contains(@class,"posted")]//text()')
    texts = [t for t in candidates if t.strip()][:40]
    for text in texts + tree.xpath("//body//text()")[:400]:
        if (found := text_date(text)):
            return datetime.combine(found, time(0), tzinfo=tz or timezone.utc).isoformat()
    return None
