"""Source health from recorded crawl runs: what `policywatch status` flags."""
from __future__ import annotations

from dataclasses import dataclass, field

from .stats import degraded

RECENT = 3               # runs that must all come back empty to flag a dead source
JUMP = 0.25              # a rate this much above the earlier runs' average is a jump
MIN_RATE = 0.3           # ... and only when it is at least this high
MIN_PAGES = 5            # too few extracted pages say nothing about a rate
PARTLY_FAILED = 0.2      # a run where this share of requests failed is flagged (below: the odd dead link)


@dataclass
class Health:
    source: str
    runs: list = field(default_factory=list)       # SourceRun, newest first
    flags: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.flags


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole >= MIN_PAGES else None


def assess(source: str, runs: list) -> Health:
    """runs: that source's SourceRun records, newest first."""
    health = Health(source, runs)
    if not runs:
        health.flags.append("never crawled")
        return health
    latest = runs[0]
    if latest.outcome == "failed":
        health.flags.append(f"last run failed: {latest.cause}")
    elif latest.outcome == "partial" and latest.failed_requests >= PARTLY_FAILED * max(latest.requests, 1):
        health.flags.append(f"last run partly failed: {latest.cause}")
    if n := degraded(latest.reasons or {}):
        health.flags.append(f"degraded: {n} article(s) indexed without entities (NLP failed); "
                            "fix the cause, then run `policywatch reprocess --nlp-only`")
    recent = runs[:RECENT]
    if all(r.new + r.updated + r.unchanged == 0 for r in recent):
        health.flags.append(f"no articles in the last {len(recent)} run(s)")
    earlier = runs[1:]
    for label, part in (("empty-body", lambda r: r.empty_body), ("missing-date", lambda r: r.no_date)):
        now = _rate(part(latest), latest.extracted)
        before = [x for r in earlier if (x := _rate(part(r), r.extracted)) is not None]
        if now is not None and before and now >= MIN_RATE and now - sum(before) / len(before) >= JUMP:
            health.flags.append(f"{label} rate jumped to {now:.0%} (was {sum(before) / len(before):.0%}): "
                                "a layout change?")
    if latest.finished is None:
        health.flags.append("last run did not finish")
    return health
