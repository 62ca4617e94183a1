"""Periods for entity timelines, shared by both backends so they bucket identically."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from common.dates import parse_iso, utc_text
from .base import INTERVALS, IndexConfigError, TimelineRow


def zone(name: str | None):
    if not name or name.upper() == "UTC":
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise IndexConfigError(f"unknown time zone '{name}' (use an IANA name such as Asia/Seoul)") from None


def parse_utc(value: str) -> datetime:
    return parse_iso(value).astimezone(timezone.utc)


def period_start(moment: datetime, interval: str, tz) -> date:
    local = moment.astimezone(tz).date()
    if interval == "day":
        return local
    if interval == "week":                     # ISO weeks start on Monday, as Elasticsearch's do
        return local - timedelta(days=local.weekday())
    if interval == "month":
        return local.replace(day=1)
    raise IndexConfigError(f"unknown interval '{interval}' — use one of: {', '.join(INTERVALS)}")


class Periods:
    """period_start for sortable UTC strings (common.dates.utc_iso), parsing one date per period
    rather than one per row when rows come in date order: a row between the UTC instants of the
    period's first and next period's first local midnight is in the same period (a midnight that
    a daylight-saving change skips or repeats included: tests/test_timeline_periods.py)."""

    def __init__(self, interval: str, tz):
        self.interval, self.tz = interval, tz
        self.low = self.high = ""
        self.start: date | None = None

    def __call__(self, published_utc: str) -> date:
        if self.low <= published_utc < self.high:
            return self.start
        self.start = period_start(parse_utc(published_utc), self.interval, self.tz)
        self.low = utc_text(_local_midnight(self.start, self.tz))
        self.high = utc_text(_local_midnight(next_period(self.start, self.interval), self.tz))
        return self.start


def _local_midnight(day: date, tz) -> datetime:
    return datetime.combine(day, time(), tzinfo=tz)


def next_period(start: date, interval: str) -> date:
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def fill(entity: str, counts: dict[date, tuple], interval: str) -> list[TimelineRow]:
    """Rows from the first to the last period that has data, empty periods included.
    counts: period start -> (articles, mentions[, stories])."""
    if not counts:
        return []
    rows = []
    current, last = min(counts), max(counts)
    while current <= last:
        articles, mentions, *stories = counts.get(current, (0, 0, 0))
        rows.append(TimelineRow(current.isoformat(), entity, articles, mentions, stories[0] if stories else 0))
        current = next_period(current, interval)
    return rows


def span(first: date, last: date, interval: str) -> list[date]:
    """Every period start from first to last, both included."""
    out, current = [], first
    while current <= last:
        out.append(current)
        current = next_period(current, interval)
    return out
