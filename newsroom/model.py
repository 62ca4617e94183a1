"""The article record every outlet renders, and the date and text helpers they share."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")
EST = timezone(timedelta(hours=-5), "EST")
EDT = timezone(timedelta(hours=-4), "EDT")

# AP style, which Yonhap's datelines follow: short months abbreviated, the rest spelled out.
AP_MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]


@dataclass(frozen=True)
class Article:
    outlet: str
    key: str                      # yonhap story id / WordPress slug / faults slug
    path: str                     # URL path on the outlet, always starting with "/"
    title: str
    section: str
    paragraphs: tuple[str, ...]   # body text exactly as the page shows it, dateline included
    published: datetime           # aware, in the outlet's own offset
    authors: tuple[str, ...]
    modified: datetime | None = None
    image: str = ""               # path on the outlet
    caption: str = ""             # photo caption or WordPress "Featured Image" credit line
    tags: tuple[str, ...] = ()
    charset: str = "utf-8"        # what the page is encoded in and declares
    language: str = "en"
    attn: str = ""                # Yonhap's "(ATTN: ...)" editor's note, not body text
    post_id: int | None = None    # WordPress post id
    synthetic: bool = False

    @property
    def summary(self) -> str:
        return shorten(self.paragraphs[0], 200) if self.paragraphs else ""

    def to_dict(self) -> dict:
        """The ground-truth record newsroom.corpus hands to tests (plain JSON-able types)."""
        data = asdict(self)
        data["published"] = self.published.isoformat()
        data["modified"] = self.modified.isoformat() if self.modified else None
        data["paragraphs"] = list(self.paragraphs)
        data["authors"] = list(self.authors)
        data["tags"] = list(self.tags)
        data["text"] = "\n\n".join(self.paragraphs)
        return data


@dataclass(frozen=True)
class Stub:
    """What listings, feeds and sitemaps need, without the body: synthetic articles are
    listed from stubs and only generated in full when their page is requested."""
    path: str
    title: str
    section: str
    published: datetime
    modified: datetime | None
    lead: str
    authors: tuple[str, ...] = ()
    image: str = ""
    synthetic_index: int | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def updated(self) -> datetime:
        return self.modified or self.published


def parse_iso(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"date without offset in content data: {value}")
    return moment


def new_york(moment_utc: datetime) -> datetime:
    """US Eastern time for 2024 dates: DST from March 10 to Nov. 3 (enough for our data)."""
    utc = moment_utc.astimezone(timezone.utc)
    start = datetime(utc.year, 3, 10, 7, tzinfo=timezone.utc)    # 2 a.m. EST
    end = datetime(utc.year, 11, 3, 6, tzinfo=timezone.utc)      # 2 a.m. EDT
    return utc.astimezone(EDT if start <= utc < end else EST)


def rfc822(moment: datetime) -> str:
    """RSS pubDate, e.g. 'Mon, 02 Sep 2024 13:48:22 +0900' (English names whatever the locale)."""
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return (f"{days[moment.weekday()]}, {moment.day:02d} {months[moment.month - 1]} {moment.year} "
            f"{moment:%H:%M:%S} {sign}{minutes // 60:02d}{minutes % 60:02d}")


def http_date(moment: datetime) -> str:
    return rfc822(moment.astimezone(timezone.utc)).replace("+0000", "GMT")


def ap_date(moment: datetime) -> str:
    return f"{AP_MONTHS[moment.month - 1]} {moment.day}"


def slugify(text: str, max_len: int = 80) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", text.replace("'", ""))
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > max_len:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "..."


_OPEN_DOUBLE = re.compile(r'(^|[\s(\[{\u2014-])"')
_OPEN_SINGLE = re.compile(r"(^|[\s(\[{\u2014\u201c-])'")


def texturize(text: str) -> str:
    """Curl quotes the way WordPress's wptexturize does for ordinary prose."""
    text = _OPEN_DOUBLE.sub("\\1\u201c", text).replace('"', "\u201d")
    text = _OPEN_SINGLE.sub("\\1\u2018", text).replace("'", "\u2019")
    return text
