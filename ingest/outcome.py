"""Whether a source's crawl worked: ok, partial (some requests failed) or failed (every request
failed, or the crawl crashed), with the cause in one line a person can act on. The crawl
summary, the recorded run and `policywatch status` all read it from here."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

from index.base import SourceRun

from .sources import snapshot
from .keys import PREFIX, parse_key

OK, PARTIAL, FAILED = "ok", "partial", "failed"
CRASH_KEY = f"{PREFIX}/crash"          # one line: why the whole crawl stopped (a worker died, …)
RUNS_RECORDED_KEY = f"{PREFIX}/runs_recorded"   # set once the pipeline has recorded this crawl's runs
MAX_HOSTS = 3                          # host names named in a cause


def hosts_key(source: str) -> str:
    """Stats key of {reason: {host, …}}: which hosts a source's failed requests went to."""
    return f"{PREFIX}/{source}/failed_hosts"


def note_failure(stats, source: str, reason: str, host: str) -> None:
    """A request of `source` failed for good (after its retries) under `reason`."""
    stats.inc_value(f"{PREFIX}/{source}/failed_requests")
    hosts = stats.get_value(hosts_key(source))
    if hosts is None:
        hosts = {}
        stats.set_value(hosts_key(source), hosts)
    hosts.setdefault(reason, set()).add(host)


@dataclass
class Verdict:
    outcome: str          # ok, partial, failed
    cause: str            # "" when ok
    requests: int         # requests that got an answer or failed for good
    failed_requests: int


def judge(stats: dict, source: str) -> Verdict:
    prefix = f"{PREFIX}/{source}/"
    failed = int(stats.get(prefix + "failed_requests", 0))
    requests = int(stats.get(prefix + "pages_fetched", 0)) + failed
    if crash := stats.get(CRASH_KEY):
        return Verdict(FAILED, f"the crawl crashed: {crash}", requests, failed)
    if not failed:
        return Verdict(OK, "", requests, failed)
    hosts: dict[str, set] = stats.get(hosts_key(source)) or {}
    reasons = Counter({parsed[2]: n for key, n in stats.items()
                       if (parsed := parse_key(key)) and parsed[:2] == (source, "errors") and parsed[2] in hosts})
    listed = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items(), key=lambda r: (-r[1], r[0])))
    if failed < requests:
        return Verdict(PARTIAL, f"{failed} of {requests} requests failed: {listed}", requests, failed)
    if len(reasons) == 1:
        (reason,) = reasons
        cause = _single_cause(reason, sorted(hosts[reason]))
    else:
        cause = f"every request failed: {listed}"
    return Verdict(FAILED, f"{cause} ({_requests(requests)})", requests, failed)


def _single_cause(reason: str, hosts: list[str]) -> str:
    named = ", ".join(hosts[:MAX_HOSTS]) + (f" and {len(hosts) - MAX_HOSTS} more" if len(hosts) > MAX_HOSTS else "")
    if reason == "DNS lookup failed":
        return f"cannot resolve {named} — no network?"
    if reason == "connection refused":
        return f"connection refused by {named} — is the site down?"
    if reason == "connection failed":
        return f"cannot connect to {named}"
    if reason == "timeout":
        return f"timeouts: {named} did not answer in time"
    return f"{reason} on every page"


def _requests(n: int) -> str:
    return "the only request failed" if n == 1 else f"all {n} requests failed"


_RUN_COUNTS = ("pages_fetched", "new", "updated", "unchanged", "skipped", "errors", "extracted", "empty_body",
               "no_date", "no_author")


def source_runs(stats: dict, sources: list[str], sources_file: str | None = None) -> list[SourceRun]:
    """This crawl, per source, as recorded for `policywatch status` and source health, with the
    sources file it read (later commands on this index use the same outlets and collections)."""
    file, text = snapshot(sources_file)
    started = stats.get("start_time") or datetime.now(timezone.utc)
    run_id = started.strftime("%Y%m%dT%H%M%S.%fZ")
    finished = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    runs = []
    for source in sources:
        prefix = f"{PREFIX}/{source}/"
        reasons = {f"{p[1]}/{p[2]}": v for k, v in stats.items()
                   if (p := parse_key(k)) and p[0] == source and p[2] is not None}
        verdict = judge(stats, source)
        runs.append(SourceRun(run_id, source, started.strftime("%Y-%m-%dT%H:%M:%SZ"), finished,
                              **{k: int(stats.get(prefix + k, 0)) for k in _RUN_COUNTS}, reasons=reasons,
                              outcome=verdict.outcome, cause=verdict.cause, requests=verdict.requests,
                              failed_requests=verdict.failed_requests, sources_file=file, sources_text=text))
    return runs
