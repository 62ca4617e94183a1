"""Per-source crawl counters kept in Scrapy's stats collector, and the summary read back from it."""
from __future__ import annotations

from dataclasses import dataclass, field

from .keys import PREFIX, parse_key
from .outcome import judge

OUTCOMES = ("pages_fetched", "new", "updated", "unchanged", "skipped", "errors")
VERDICT = ("outcome", "cause", "requests", "failed_requests")
PENDING_KEY = f"{PREFIX}/pending"      # pages fetched, not yet through extraction and the index write
NLP_LOADS_KEY = f"{PREFIX}/nlp_loads"  # worker processes that loaded the spaCy pipeline in this run


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
    outcome: str = "ok"          # ok, partial, failed (ingest.outcome)
    cause: str = ""              # why not ok, in one line
    requests: int = 0            # requests that got an answer or failed for good
    failed_requests: int = 0

    @property
    def degraded(self) -> int:
        """Articles indexed without entities because NLP failed on them."""
        return degraded(self.reasons)

    def record(self) -> dict:
        return ({k: getattr(self, k) for k in ("source",) + OUTCOMES} | {"degraded": self.degraded}
                | {"reasons": self.reasons}
                | {k: getattr(self, k) for k in VERDICT})


def degraded(reasons: dict[str, int]) -> int:
    """How many articles the reasons ('outcome/reason' → n) count as degraded."""
    return sum(n for key, n in reasons.items() if key.startswith("degraded/"))


def summarize(stats: dict, sources: list[str]) -> list[SourceSummary]:
    out = {name: SourceSummary(name) for name in sources}
    for key, value in stats.items():
        if not (parsed := parse_key(key)):
            continue
        source, outcome, reason = parsed
        summary = out.setdefault(source, SourceSummary(source))
        if reason is None and outcome in OUTCOMES:
            setattr(summary, outcome, value)
        elif reason is not None:
            summary.reasons[f"{outcome}/{reason}"] = value
    for summary in out.values():
        verdict = judge(stats, summary.source)
        for key in VERDICT:
            setattr(summary, key, getattr(verdict, key))
    return list(out.values())
