"""The sources file: each outlet's feeds, sitemaps and listing pages. Adding an outlet is an
edit to YAML, never to code."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from common.errors import BadUsage

from .due import Schedule, ScheduleError

# The shipped outlets stay beside the crawler that fetches them; import and reprocess read them too.
DEFAULT_SOURCES = Path(__file__).parent.parent / "crawler" / "sources.yaml"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_FIELDS = {"name", "title", "feeds", "sitemaps", "start_urls", "article_urls", "allowed_domains",
           "language", "schedule", "timezone", "max_listing_pages", "enabled", "collections"}


class SourcesError(BadUsage):
    """A sources file that cannot be used; str() names the file and the entry."""


@dataclass
class Source:
    name: str
    title: str = ""
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    start_urls: list[str] = field(default_factory=list)
    article_urls: list[str] = field(default_factory=list)    # regexes; empty = judge by the page
    allowed_domains: list[str] = field(default_factory=list)
    language: str | None = None
    schedule: str | None = None
    timezone: str | None = None        # for dates the outlet prints without an offset
    max_listing_pages: int = 5         # how deep listing pagination goes
    enabled: bool = True
    collections: list[str] = field(default_factory=list)   # groups of outlets: korea, wire, eu…

    def __post_init__(self):
        self._patterns = [re.compile(p) for p in self.article_urls]
        if not self.allowed_domains:
            hosts = {urlsplit(u).hostname for u in self.feeds + self.sitemaps + self.start_urls}
            self.allowed_domains = sorted(h.lower() for h in hosts if h)

    def looks_like_article(self, url: str) -> bool | None:
        """True/False when the source gives article URL patterns, None when it leaves it to the page."""
        if not self._patterns:
            return None
        return any(p.search(url) for p in self._patterns)

    def allows(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)


def snapshot(path: str | Path | None) -> tuple[str, str]:
    """(absolute path, contents) of the sources file a crawl read, as its runs record it;
    ("", "") when it cannot be read (the crawl has already read it: nothing to report)."""
    path = Path(path or DEFAULT_SOURCES).resolve()
    try:
        return str(path), path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "", ""


def load_sources(path: str | Path | None = None, text: str | None = None) -> list[Source]:
    """The outlets of a sources file; `text`: its contents as recorded (`path` then only names it)."""
    path = Path(path or DEFAULT_SOURCES)
    try:
        data = yaml.safe_load(text if text is not None else path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourcesError(f"cannot read sources file {path}: {exc.strerror}") from exc
    except UnicodeDecodeError:
        raise SourcesError(f"{path} is not a text file (a sources file is UTF-8 YAML)") from None
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path} is not valid YAML: {exc}") from exc
    entries = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise SourcesError(f"{path}: expected a top-level 'sources:' list")
    sources, seen = [], set()
    for i, entry in enumerate(entries, 1):
        where = f"{path}, source #{i}"
        if not isinstance(entry, dict) or "name" not in entry:
            raise SourcesError(f"{where}: each source needs a 'name'")
        if not isinstance(entry["name"], str):
            raise SourcesError(f"{where}, field name: {entry['name']!r} is not text; quote it ('{entry['name']}')")
        name = entry["name"]
        where = f"{path}, source '{name}'"
        if not _NAME.match(name):
            raise SourcesError(f"{where}: names are lower-case letters, digits, '-' and '_'")
        if name in seen:
            raise SourcesError(f"{where}: the name is used twice")
        unknown = set(entry) - _FIELDS
        if unknown:
            raise SourcesError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        for key in ("feeds", "sitemaps", "start_urls", "article_urls", "allowed_domains"):
            value = entry.get(key) or []
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise SourcesError(f"{where}, field {key}: expected a list of text, got {value!r}")
            entry[key] = value
        for key in ("feeds", "sitemaps", "start_urls"):
            for url in entry[key]:
                if not _web_url(url):
                    raise SourcesError(f"{where}, field {key}: {url!r} is not an http(s) URL with a host")
        _check_fields(entry, where)
        if not (entry["feeds"] or entry["sitemaps"] or entry["start_urls"]):
            raise SourcesError(f"{where}: give at least one of feeds, sitemaps, start_urls")
        groups = entry.get("collections") or []
        groups = [groups] if isinstance(groups, str) else groups
        if not isinstance(groups, list) or not all(isinstance(g, str) and _NAME.match(g) for g in groups):
            raise SourcesError(f"{where}, field collections: {groups!r} is not a list of names in lower-case "
                              "letters, digits, '-' and '_'")
        entry["collections"] = list(dict.fromkeys(groups))
        for pattern in entry["article_urls"]:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise SourcesError(f"{where}: bad article_urls pattern {pattern!r}: {exc}") from exc
        seen.add(name)
        sources.append(Source(**entry))
    return sources


def collections(sources: list[Source]) -> dict[str, list[str]]:
    """{collection: [source names]} from every source in the file, enabled or not (a disabled
    outlet's articles stay in the index and in its collections)."""
    found: dict[str, list[str]] = {}
    for source in sources:
        for name in source.collections:
            found.setdefault(name, []).append(source.name)
    return found


def _web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port                 # a bad port raises here
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _check_fields(entry: dict, where: str) -> None:
    """The scalar fields: types and values, each refused with the field's name."""
    for key in ("title", "language"):
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise SourcesError(f"{where}, field {key}: {entry[key]!r} is not text")
    if "enabled" in entry and not isinstance(entry["enabled"], bool):
        raise SourcesError(f"{where}, field enabled: {entry['enabled']!r} is not true or false")
    pages = entry.get("max_listing_pages", 5)
    if isinstance(pages, bool) or not isinstance(pages, int) or pages < 0:
        raise SourcesError(f"{where}, field max_listing_pages: {pages!r} is not a whole number of pages (0 or more)")
    zone = entry.get("timezone")
    if zone is not None:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise SourcesError(f"{where}, field timezone: unknown time zone {zone!r} (an IANA name such as "
                               "Asia/Seoul)") from None
    schedule = entry.get("schedule")
    if schedule is not None:
        try:
            Schedule(str(schedule))
        except ScheduleError as exc:
            raise SourcesError(f"{where}, field schedule: {exc}") from None


def select(sources: list[Source], names: list[str] | None) -> list[Source]:
    if not names:
        return [s for s in sources if s.enabled]
    known = {s.name: s for s in sources}
    missing = [n for n in names if n not in known]
    if missing:
        raise SourcesError(f"unknown source(s): {', '.join(missing)} (known: {', '.join(known)})")
    return [known[n] for n in names]
