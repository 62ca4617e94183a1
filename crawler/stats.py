"""Per-source crawl counters kept in Scrapy's stats collector, and the summary read back from it."""
from __future__ import annotations

from dataclasses import dataclass, field

PREFIX = "policywatch"
OUTCOMES = ("pages_fetched", "new", "updated", "unchanged", "skipped", "errors")
VERDICT = ("outcome", "cause", "requests", "failed_requests")
PENDING_KEY = f"{PREFIX}/pending"      # pages fetched, not yet through extraction and the index write


def count(stats, source: str, outcome: str, reason: str | None = None, n: int = 1) -> None:
    stats.inc_value(f"{PREFIX}/{source}/{outcome}", n)
    if reason:
        stats.inc_value(f"{PREFIX}/{source}/{outcome}/{reason}", n)


@dataclass
class SourceSummary:
    source: str
    pages_fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: int = 0
    reasons: dict[str, int] = field(default_factory=dict)   # "skipped/too little text" → n
    outcome: str = "ok"          # ok, partial, failed (crawler.outcome)
    cause: str = ""              # why not ok, in one line
    requests: int = 0            # requests that got an answer or failed for good
    failed_requests: int = 0

    def record(self) -> dict:
        return ({k: getattr(self, k) for k in ("source",) + OUTCOMES} | {"reasons": self.reasons}
                | {k: getattr(self, k) for k in VERDICT})


def summarize(stats: dict, sources: list[str]) -> list[SourceSummary]:
    from .outcome import judge       # outcome.py reads this module's PREFIX
    out = {name: SourceSummary(name) for name in sources}
    for key, value in stats.items():
        parts = key.split("/", 3)
        if parts[0] != PREFIX or len(parts) < 3:
            continue
        summary = out.setdefault(parts[1], SourceSummary(parts[1]))
        if len(parts) == 3 and parts[2] in OUTCOMES:
            setattr(summary, parts[2], value)
        elif len(parts) == 4:
            summary.reasons[f"{parts[2]}/{parts[3]}"] = value
    for summary in out.values():
        verdict = judge(stats, summary.source)
        for key in VERDICT:
            setattr(summary, key, getattr(verdict, key))
    return list(out.values())
