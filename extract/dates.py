"""When a page was published: the instant with its offset, and the page's own local day.

Two kinds of evidence. The page's structured data (JSON-LD of any type, meta tags, <time>)
carries an instant and usually an offset; the day comes from the first signal of DAY_ORDER
that finds one, an order each signal earns by its precision measured on hand-labelled real
pages (bench/date_signals.py: no signal of ours goes before htmldate unless it is right more
often than htmldate where both decide and disagree). Today: the date printed by the headline
(right on 67 of the 73 labelled pages where it and htmldate disagree), then htmldate (original_date,
extensive search), then the first structured instant; structured data alone loses to
htmldate. The time and offset come from the structured instant whose local day agrees with
the chosen day. A page without an offset keeps its day in the source's time zone."""
from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from urllib.parse import urlsplit
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
    # 12/07/2012 and 12-30-2007: month first as English-language sites write it, unless the first number
    # cannot be a month (13/1/2008)
    ("slash", re.compile(r"(?<!\d)(\d{1,2})([/-])(\d{1,2})\2((?:19|20)\d\d)(?!\d)")),
    ("mdy_name", re.compile(r"\b" + _MONTH + r",?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)(?!\d)",
                            re.IGNORECASE)),
    ("dmy_name", re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?" + _MONTH
                            + r",?\s+(?:de\s+)?((?:19|20)\d\d)(?!\d)", re.IGNORECASE)),
)
# "Updated May 22, 2024": a revision date, not the publication day
_UPDATE_MARK = re.compile(r"\b(?:updated|modified|edited|revised|aktualisiert|mis à jour)\b[^0-9|]{0,12}$", re.IGNORECASE)
_HEADLINE_AFTER = 40        # text nodes after the headline searched for its date
_HEADLINE_BEFORE = 8        # ... and before it (kickers and dates above the headline)
_TEASER_LEVELS = 2          # how far up from a date a block may hold another story's headline
_CAPTION = re.compile(r"caption|credit", re.IGNORECASE)


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


# The order in which signals decide the day: the first one that finds a day wins. Measured by
# bench/date_signals.py (its "head to head with htmldate" table) before any change here.
DAY_ORDER = ("headline", "htmldate", "structured")
# Every signal a page can give a day by (bench/date_signals.py measures each): "structured" is
# the first structured instant of any kind, the fallback when nothing else decides.
SIGNALS = ("json-ld", "meta", "time", "feed", "structured", "headline", "htmldate")


def _day_finders(tree, candidates, url: str, tz, title: str | None) -> dict:
    """Signal → a function giving its day or None. Lazy: htmldate costs more than the rest
    together, and the cascade asks it only when the signals before it found nothing."""
    def structured(kind: str | None):
        for moment, given, signal in candidates:
            if kind is None or signal == kind:
                return _local(moment, given, tz).date()
        return None

    finders = {kind: (lambda kind=kind: structured(kind)) for kind in ("json-ld", "meta", "time", "feed")}
    finders["structured"] = lambda: structured(None)
    finders["htmldate"] = lambda: htmldate_day(tree, url)

    finders["headline"] = lambda: headline_date(tree, title)
    return finders


def _candidates(tree, ld_objects, meta, tz, hint) -> list[tuple[datetime, bool, str]]:
    candidates = structured_candidates(tree, ld_objects, meta, tz)
    if (p := parse_instant(hint, tz)):
        candidates.append((*p, "feed"))
    return candidates


def day_signals(tree, ld_objects: list[dict], meta: dict, url: str, tz=None, hint: str | None = None,
                title: str | None = None) -> dict[str, date]:
    """Every signal's day for the page (a signal that finds none is left out), for measuring them."""
    finders = _day_finders(tree, _candidates(tree, ld_objects, meta, tz, hint), page_url(url), tz, title)
    return {name: day for name in SIGNALS if (day := finders[name]()) is not None}


def choose_day(days: dict, order=DAY_ORDER) -> tuple[date | None, str]:
    """(day, signal) from the first signal in `order` that has one; `days` maps a signal to its
    day or to a function giving it."""
    for name in order:
        day = days.get(name)
        if callable(day):
            day = day()
        if day is not None:
            return day, name
    return None, "none"


def published_date(tree, ld_objects: list[dict], meta: dict, url: str, tz=None,
                   hint: str | None = None, title: str | None = None) -> tuple[str | None, str]:
    """(ISO date-time with offset, which signal gave it). The day comes from the first signal of
    DAY_ORDER that finds one; the instant is the first structured one on that day."""
    url = page_url(url)
    candidates = _candidates(tree, ld_objects, meta, tz, hint)
    day, day_from = choose_day(_day_finders(tree, candidates, url, tz, title))
    if day is None:
        return None, "none"
    for moment, given, signal in candidates:
        local = _local(moment, given, tz)
        # htmldate reads a "Z" instant as a UTC day; the same instant, shown on the source's day
        if day in (local.date(), moment.date()):
            return local.isoformat(), signal
    return datetime.combine(day, time(0), tzinfo=tz or timezone.utc).isoformat(), day_from


def modified_date(ld_objects: list[dict], meta: dict, tz=None) -> str | None:
    objects = sorted(ld_objects, key=lambda o: not (types_of(o) & ARTICLE_TYPES))
    for obj in objects:
        if (v := to_iso(first(obj.get("dateModified")), tz)):
            return v
    for key in MODIFIED_META:
        if (v := to_iso(meta.get(key), tz)):
            return v
    return None


def text_date(text: str, lead: str = "") -> date | None:
    """The first date written out in a piece of visible text, in any of the common orders.
    `lead` is the text just before it (the previous line): it can say the date is an update
    time ('Updated' / 'May 22, 2024'), but a date in it is not this text's."""
    start = len(lead) + 1 if lead else 0
    text = ascii_digits(f"{lead} {text}" if lead else text)
    best: tuple[int, date] | None = None
    for order, pattern in _TEXT_DATES:
        for m in pattern.finditer(text, start):
            if best is not None and m.start() >= best[0]:
                break
            try:
                if order == "ymd":
                    found = date(int(m[1]), int(m[2]), int(m[3]))
                elif order == "dmy":
                    found = date(int(m[3]), int(m[2]), int(m[1]))
                elif order == "slash":
                    a, b = int(m[1]), int(m[3])
                    found = date(int(m[4]), b, a) if a > 12 else date(int(m[4]), a, b)
                elif order == "mdy_name":
                    found = date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
                else:
                    found = date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
            except (ValueError, KeyError):
                continue
            if found.year >= 1995 and not _UPDATE_MARK.search(text, max(0, m.start() - 40), m.start()):
                best = (m.start(), found)
                break
    return best[1] if best else None


def _visible_texts(nodes) -> list[str]:
    return [t for t in nodes if t.strip() and t.getparent() is not None
            and t.getparent().tag not in ("script", "style", "noscript", "option", "title")]


def _is_logo(el) -> bool:
    """An <h1> that is only a link to the site's home page is the masthead, not a headline: the
    date beside it is the site's clock (The Columbus Dispatch, Radio New Zealand)."""
    text = " ".join(el.text_content().split())
    for a in el.iter("a"):
        raw = (a.get("href") or "").strip()
        href = urlsplit(raw)
        if raw and not raw.startswith("#") and not href.query \
                and href.path.rstrip("/") in ("", "/index.html", "/index.php", "/default.aspx") \
                and " ".join(a.text_content().split()) == text:
            return True
    return False


def _headline(tree, title: str | None):
    """The element that shows the headline: the <h1> that carries the title, else any element
    whose own text is the title (older templates put it in a <td> or a styled <div>)."""
    wanted = " ".join((title or "").split()).casefold()
    h1s = [h for h in tree.xpath("//h1[normalize-space()]") if not _is_logo(h)]
    if wanted and len(wanted) >= 12:
        for h in h1s:
            text = " ".join(h.text_content().split()).casefold()
            if text and (text in wanted or wanted in text):
                return h
        for node in tree.xpath("//body//text()[string-length(normalize-space()) >= 12]"):
            text = " ".join(node.split()).casefold()
            parent = node.getparent()
            if parent is not None and parent.tag == "a" and parent.getparent() is not None \
                    and parent.getparent().tag in ("h2", "h3", "h4"):
                parent = parent.getparent()      # a blog's post title links to the post itself
            if parent is not None and parent.tag not in ("title", "script", "style", "a", "option", "h1") \
                    and (text == wanted or len(text) <= 2 * len(wanted) and wanted in text):
                return parent
    return h1s[0] if h1s else None


def _teaser(node, headline) -> bool:
    """The date belongs to another story: a small block around it (up to _TEASER_LEVELS up)
    holds another story's linked headline (an <h2>-<h6> with a link) and not the page's own —
    a related or latest-news list beside the title (Hindustan Times: 'January 14, 2008' under
    'Fire at Burrabazar building yet to be controlled', the story itself of the 13th)."""
    el = node
    for _ in range(_TEASER_LEVELS):
        if el is None or el.tag in ("body", "html") or el is headline or headline in el.iterdescendants():
            return False
        if el.xpath("self::*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6]//a[@href]"
                    " | .//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6]//a[@href]"):
            return True
        el = el.getparent()
    return False


def _caption(node) -> bool:
    """A photo caption or credit dates the picture, not the story ('Cybill Shepherd arrives at
    ... on May 18, 2012', '(Michael Lavine/ FOX / March 8, 2007)')."""
    for el in (node, *list(node.iterancestors())[:_TEASER_LEVELS]):
        if el.tag == "figcaption" or _CAPTION.search(f"{el.get('class', '')} {el.get('id', '')}"):
            return True
    return False


def headline_date(tree, title: str | None = None) -> date | None:
    """The date printed nearest the headline: in the lines under it (byline, dateline) or just
    above it, where a reader looks; never the site's clock in the page header, an embedded
    tweet or a related-story list further away."""
    headline = _headline(tree, title)
    if headline is None:
        return None
    after = _visible_texts(headline.xpath("following::text()[normalize-space()]")[:_HEADLINE_AFTER * 2])
    after = [t for t in after if not any(a is headline for a in t.getparent().iterancestors())][:_HEADLINE_AFTER]
    before = _visible_texts(headline.xpath("preceding::text()[normalize-space()]"
                                           "[not(ancestor::nav or ancestor::header[not(ancestor::article or ancestor::main)])]")[-_HEADLINE_BEFORE * 2:])
    before = before[::-1][:_HEADLINE_BEFORE]             # nearest first; a site header's clock is not the story's
    nearest: tuple[int, date] | None = None
    # Above the headline counts double and one line further: kickers, and the site's clock right
    # above the title (NY Daily News: 'Tuesday, January 15, 2008' over a story of the 8th)
    for texts, weight in ((after, 1), (before, 2)):
        for i, text in enumerate(texts):
            if nearest is not None and (i + weight - 1) * weight >= nearest[0]:
                break
            if _teaser(text.getparent(), headline) or _caption(text.getparent()):
                continue                                # another story's date, or a photo's
            # the node before (in reading order) says whether this one is an update time
            previous = (texts[i - 1] if i else "") if weight == 1 else (texts[i + 1] if i + 1 < len(texts) else "")
            if (found := text_date(text, " ".join(previous.split()[-3:]))):
                nearest = ((i + weight - 1) * weight, found)
                break
    if nearest:
        return nearest[1]
    # a date set one part per line ('24' / 'Jul' / '2012')
    return text_date(" ".join(after[:_HEADLINE_AFTER])) or text_date(" ".join(before[::-1]))
