"""The keys a run's counters are stored under, 'policywatch/SOURCE/OUTCOME[/REASON]': written by
stats.count(), read back by stats.summarize() and outcome.judge(), which both import them from here."""
from __future__ import annotations

PREFIX = "policywatch"


def parse_key(key: str) -> tuple[str, str, str | None] | None:
    """The one reading of the keys count() writes: 'policywatch/SOURCE/OUTCOME[/REASON]' →
    (source, outcome, reason or None); None for any other key."""
    parts = key.split("/", 3)
    if parts[0] != PREFIX or len(parts) < 3:
        return None
    return parts[1], parts[2], parts[3] if len(parts) == 4 else None
