"""The one ISO 8601 date helper every stage uses (the extraction's loose page dates aside:
extract/dates.py reads what pages print, then hands ISO strings on)."""
from __future__ import annotations

from datetime import datetime, timezone


def parse_iso(value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time ('Z' accepted) as an aware datetime; one printed without an
    offset is taken as UTC. None when absent or unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def utc_text(moment: datetime) -> str:
    """An aware datetime in the sortable UTC form (`2024-08-26T05:05:00Z`): comparing the strings
    compares the instants."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_iso(value: str | None) -> str | None:
    """The sortable UTC form of an ISO date-time; None when absent or unreadable."""
    moment = parse_iso(value)
    return utc_text(moment) if moment else None


def now_iso() -> str:
    """Now, in the same sortable UTC form."""
    return utc_text(datetime.now(timezone.utc))
