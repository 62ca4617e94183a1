"""The one ISO 8601 date helper every stage uses (the extraction's loose page dates aside:
crawler/dates.py reads what pages print, then hands ISO strings on)."""
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


UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"      # sortable: comparing the strings compares the instants


def utc_iso(value: str | None) -> str | None:
    """A sortable UTC form of an ISO date-time (`2024-08-26T05:05:00Z`); None when absent or unreadable."""
    moment = parse_iso(value)
    return moment.astimezone(timezone.utc).strftime(UTC_FORMAT) if moment else None


def now_iso() -> str:
    """Now, in the same sortable UTC form."""
    return datetime.now(timezone.utc).strftime(UTC_FORMAT)
