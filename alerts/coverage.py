"""The coverage a digest opens with, so an empty one can be trusted: how many sources were
crawled in its period, and which failed or went quiet. Source health is ingest/health.py's, the
rules behind `policywatch status`."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from common.dates import parse_iso, utc_text
from ingest.health import assess
from index.base import SearchRequest
from index.query import And, Filter, Indexed

RUNS = 5                         # runs per source looked at (as `policywatch status` by default)
QUIET = timedelta(days=3)        # a crawled source with no new article for this long has gone quiet


@dataclass
class Coverage:
    since: str | None                    # the period's start (sortable UTC); None: since the alert began
    sources: int = 0                     # sources known (the sources file and those with runs)
    crawled: list[str] = field(default_factory=list)     # crawled in the period
    runs: int = 0                        # crawl runs in the period
    problems: list[str] = field(default_factory=list)    # "dmrnews — last article 3 days ago"

    def summary(self) -> str:
        head = f"{len(self.crawled)} of {self.sources} source(s) crawled"
        head += f" since {self.since}" if self.since else ""
        head += f" ({self.runs} run(s))"
        if not self.problems:
            return head + "; none stale or failing."
        return head + f"; {len(self.problems)} source(s) stale: " + "; ".join(self.problems)

    def record(self) -> dict:
        return {"since": self.since, "sources": self.sources, "crawled": self.crawled, "runs": self.runs,
                "problems": self.problems}


def _ago(delta: timedelta) -> str:
    days = delta.days
    if days >= 1:
        return f"{days} day{'s' if days > 1 else ''} ago"
    hours = delta.seconds // 3600
    return f"{hours} hour{'s' if hours != 1 else ''} ago" if hours else "less than an hour ago"


def assess_coverage(index, names: list[str], since: str | None, now: datetime) -> Coverage:
    """names: the sources the sources file lists (enabled); sources with recorded runs join them."""
    known = {r.source for r in index.runs(limit=1000)}
    sources = list(dict.fromkeys(names + sorted(known)))
    cover = Coverage(since=since, sources=len(sources))
    start = parse_iso(since)
    for name in sources:
        runs = index.runs(name, RUNS)
        in_period = [r for r in runs if start is None or parse_iso(r.started) >= start]
        if in_period:
            cover.crawled.append(name)
            cover.runs += len(in_period)
        health = assess(name, runs)
        problems = []
        if runs and runs[0].outcome == "failed":
            problems.append("last crawl failed" + (f" ({runs[0].cause})" if runs[0].cause else ""))
        problems += [f for f in health.flags if not f.startswith("last run failed")]
        if runs and not in_period:
            problems.append(f"not crawled since {runs[0].started}")
        if runs and not problems and _quiet(index, name, now):
            problems.append(f"no new article in {QUIET.days} days" + _last_article(index, name, now))
        if problems:
            cover.problems.append(f"{name} — " + "; ".join(problems))
    return cover


def _quiet(index, name: str, now: datetime) -> bool:
    window = Indexed(utc_text(now - QUIET), utc_text(now + timedelta(seconds=1)))
    return index.search(SearchRequest(And((Filter("source", name), window)), limit=0)).total == 0


def _last_article(index, name: str, now: datetime) -> str:
    newest = index.search(SearchRequest(Filter("source", name), sort="date", limit=1)).hits
    published = parse_iso(newest[0].published) if newest and newest[0].published else None
    return f" (last article {_ago(now - published)})" if published else ""
