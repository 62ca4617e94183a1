"""Coverage over time for searches (`policywatch trend`, the web's coverage chart): the
periods and shares, shared by both backends, which only count (Index.period_counts).

The range is --from/--to when given, else from the first to the last period in which any of
the queries matched, so several queries always share the same periods."""
from __future__ import annotations

from datetime import datetime, timedelta

from .base import INTERVALS, IndexConfigError, TrendRow
from .query import Node
from . import timeline as tl

COLUMNS = ["date", "query", "articles", "stories", "share"]
SHARE_DIGITS = 6


def trend(index, queries: list[tuple[str, Node]], interval: str = "month", tz: str | None = None,
          date_from: datetime | None = None, date_to: datetime | None = None) -> list[TrendRow]:
    """One row per period per query (queries in the order given, periods oldest first).
    date_from is inclusive, date_to exclusive (as SearchRequest)."""
    if interval not in INTERVALS:
        raise IndexConfigError(f"unknown interval '{interval}' — use one of: {', '.join(INTERVALS)}")
    zone = tl.zone(tz)
    counted = [(label, index.period_counts(query, interval, tz, date_from, date_to)) for label, query in queries]
    starts = {d for _, c in counted for d in c.matched}
    first = tl.period_start(date_from, interval, zone) if date_from else min(starts, default=None)
    last = (tl.period_start(date_to - timedelta(microseconds=1), interval, zone) if date_to
            else max(starts, default=None))
    if first is None and last is None:
        return []                                  # no range given and nothing matched
    first, last = first or last, last or first
    periods = tl.span(first, last, interval)
    rows = []
    for label, counts in counted:
        for start in periods:
            articles, stories = counts.matched.get(start, (0, 0))
            total = counts.totals.get(start, 0)
            rows.append(TrendRow(start.isoformat(), label, articles, stories,
                                 round(articles / total, SHARE_DIGITS) if total else 0.0))
    return rows
