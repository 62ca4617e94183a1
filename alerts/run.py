"""Running alerts: for each channel that is due, the digest of what was indexed since its mark,
sent, and only then the mark moved. Saved after each channel, so a process killed between the
send and the save repeats that one message at the next run and never skips one.

What "new" means: indexed (index/query.Indexed: when the article was first written to the index,
not when it was published), so a late article, published last week and crawled now, is new. The
window ends `settle` seconds before now: a crawl still writing may stamp an article a moment before
its transaction commits (or Elasticsearch refreshes), and that article must fall in the next
window, not between two."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from common.dates import parse_iso, utc_text
from common.errors import BadUsage
from index.query import Node

from . import channels, render
from .channels import Secrets
from .case_digest import build_case
from .coverage import assess_coverage
from .digest import Digest, build
from .model import Alert, all_alerts, get, save
from .timing import backoff, channel_due, latest_slot

logger = logging.getLogger(__name__)

SETTLE = 30.0          # seconds: see the module's docstring; `alert run --settle`, config alert_settle


@dataclass
class Context:
    """What running alerts needs from the edge (the CLI, the scheduler, the web UI)."""
    secrets: Secrets
    parse_query: Callable[[str], Node]     # the search language, aliases and collections resolved
    sources: list[str]                     # the sources file's enabled sources (coverage)
    base_url: str | None = None            # the web UI's address, for links to article pages
    settle: float = SETTLE


@dataclass
class Outcome:
    alert: str
    channel: str          # redacted
    status: str           # sent, failed, nothing new, not due
    stories: int = 0
    error: str | None = None

    def record(self) -> dict:
        return vars(self).copy()


def digest_for(index, ctx: Context, alert: Alert, start: str | None, end: str, now: datetime) -> Digest:
    cover = assess_coverage(index, ctx.sources, start, now)
    if alert.case:
        return build_case(index, alert, start, end, cover, ctx.base_url)
    return build(index, alert, ctx.parse_query(alert.query_text()), start, end, cover, ctx.base_url)


def run_alerts(index, ctx: Context, now: datetime | None = None, due_only: bool = True,
               names: list[str] | None = None) -> list[Outcome]:
    """Run the alerts (all, or `names`); with due_only, only channels whose time has come.
    `now` decides what is due (tests pass one); the window always ends at the real clock."""
    clock = datetime.now(timezone.utc)
    now = now or clock
    index.refresh()                      # Elasticsearch: every write so far searchable
    end = utc_text(clock - timedelta(seconds=ctx.settle))
    alerts = [get(index, n) for n in names] if names else all_alerts(index)
    outcomes = []
    for alert in alerts:
        digests: dict[str, Digest] = {}       # channels with one mark share one digest
        for channel in alert.channels:
            shown = channels.redact(channel.url, ctx.secrets)
            if due_only and not channel_due(alert, channel, now):
                outcomes.append(Outcome(alert.name, shown, "not due"))
                continue
            if end <= channel.mark:
                outcomes.append(Outcome(alert.name, shown, "nothing new"))
                continue
            digest = digests.get(channel.mark) or digests.setdefault(
                channel.mark, digest_for(index, ctx, alert, channel.mark, end, now))
            slot = latest_slot(alert, now)
            if digest.empty and (alert.every == "instant" or not alert.empty_digest):
                # nothing matched in the window: it is behind the channel, sent or not
                channel.mark, channel.slot = end, utc_text(slot) if slot else channel.slot
                channel.failures, channel.retry_at = 0, None
                save(index, alert)
                outcomes.append(Outcome(alert.name, shown, "nothing new"))
                continue
            error = channels.send(channel.url, ctx.secrets, render.title(digest), render.text(digest),
                                  render.html(digest), render.payload(digest))
            if error:
                channel.failures += 1
                channel.failed_total += 1
                channel.error = error
                channel.retry_at = utc_text(now + backoff(channel.failures))
                logger.warning("alert %s: delivery to %s failed (%d in a row): %s", alert.name, shown,
                               channel.failures, error)
                outcomes.append(Outcome(alert.name, shown, "failed", digest.stories, error))
            else:
                channel.mark, channel.slot = end, utc_text(slot) if slot else channel.slot
                channel.delivered = utc_text(clock)
                channel.sent_items += digest.stories
                channel.failures, channel.error, channel.retry_at = 0, None, None
                logger.info("alert %s: %d stories sent to %s", alert.name, digest.stories, shown)
                outcomes.append(Outcome(alert.name, shown, "sent", digest.stories))
            save(index, alert)
    return outcomes


def send_test(index, ctx: Context, name: str, dry_run: bool = False) -> tuple[Digest, list[Outcome]]:
    """A sample now: the alert's newest matches whatever its marks, to every channel; no mark moves."""
    alert = get(index, name)
    now = datetime.now(timezone.utc)
    index.refresh()
    digest = digest_for(index, ctx, alert, None, utc_text(now + timedelta(seconds=1)), now)
    digest.alert = f"{alert.name} (test)"
    outcomes = []
    if dry_run:
        return digest, outcomes
    for channel in alert.channels:
        shown = channels.redact(channel.url, ctx.secrets)
        error = channels.send(channel.url, ctx.secrets, render.title(digest), render.text(digest),
                              render.html(digest), render.payload(digest))
        outcomes.append(Outcome(alert.name, shown, "failed" if error else "sent", digest.stories, error))
    return digest, outcomes


def preview(index, ctx: Context, alert: Alert, since: str | None = None) -> Digest:
    """The digest an alert would send for what is indexed (since `since`), without storing or sending."""
    now = datetime.now(timezone.utc)
    index.refresh()
    return digest_for(index, ctx, alert, since, utc_text(now + timedelta(seconds=1)), now)


def create(index, secrets: Secrets, name: str, channel_urls: list[str], *, query: str = "",
           entity: str | None = None, case: str | None = None, every: str = "instant", at: str = "08:00",
           tz: str = "UTC",
           since: datetime | None = None, empty_digest: bool = True, saved: str | None = None) -> Alert:
    """Check and store a new alert (the CLI's `alert add`, the web UI's "Alert me"). BadUsage for a
    bad name, time, zone, frequency or channel, or a case the index does not hold: nothing is
    stored then. The query is the caller's
    to check (it resolves aliases and collections)."""
    from .model import FREQUENCIES, Channel, add, check_name, check_time
    from .timing import zone
    check_name(name)
    if every not in FREQUENCIES:
        raise BadUsage(f"unknown frequency '{every}': use one of {', '.join(FREQUENCIES)}")
    at = check_time(at)
    zone(tz)
    if not channel_urls:
        raise BadUsage("give at least one channel (an Apprise URL)")
    for url in channel_urls:
        channels.check(url, secrets)
    made = utc_text(datetime.now(timezone.utc))
    mark = utc_text(since) if since else made
    if case is not None and next(iter(index.statements(case=case)), None) is None:
        raise BadUsage(f"no case '{case}' in the index (see policywatch cases)")
    alert = Alert(name, query=query, entity=entity, case=case, every=every, at=at, tz=tz, empty_digest=empty_digest,
                  created=made, saved=saved, channels=[Channel(url, mark) for url in dict.fromkeys(channel_urls)])
    add(index, alert)
    return alert


def summary(alert: Alert, secrets: Secrets, now: datetime) -> dict:
    """An alert as `alert list/show`, `status` and the alerts page show it: channels redacted."""
    from .timing import next_delivery
    return {"name": alert.name, "query": alert.query_text(), "every": alert.every,
            "at": None if alert.every == "instant" else f"{alert.at} {alert.tz}",
            "created": alert.created, "saved_search": alert.saved,
            "channels": [{"url": channels.redact(c.url, secrets), "last_delivery": c.delivered,
                          "next": next_delivery(alert, c, now), "failures": c.failures,
                          "failed_total": c.failed_total, "last_error": c.error, "mark": c.mark,
                          "stories_sent": c.sent_items} for c in alert.channels]}


def parse_now(text: str | None) -> datetime | None:
    return parse_iso(text) if text else None
