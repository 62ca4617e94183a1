"""When an alert is due. An instant alert is due at every run; a daily or weekly digest once its
time (--at, in --tz; weekly: on Mondays) has come since the slot it last delivered. A channel that
failed waits for its backoff to end, then is due again whatever its frequency: the digest it owes
is still owed."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from common.dates import parse_iso, utc_text
from common.errors import BadUsage

from .model import Alert, Channel

BACKOFF_FIRST = timedelta(minutes=1)      # after the first failure; doubled after each next one
BACKOFF_MOST = timedelta(hours=6)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadUsage(f"unknown time zone '{name}': use an IANA name such as Asia/Seoul or UTC") from None


def latest_slot(alert: Alert, now: datetime) -> datetime | None:
    """The last digest time at or before `now` (aware, UTC); None for an instant alert."""
    if alert.every == "instant":
        return None
    local = now.astimezone(zone(alert.tz))
    hour, minute = map(int, alert.at.split(":"))
    day = local.date()
    if alert.every == "weekly":
        day -= timedelta(days=local.weekday())            # back to Monday
    slot = datetime.combine(day, time(hour, minute), tzinfo=local.tzinfo)
    if slot > local:
        slot = datetime.combine(day - timedelta(days=7 if alert.every == "weekly" else 1), time(hour, minute),
                                tzinfo=local.tzinfo)
    return slot.astimezone(timezone.utc)


def next_slot(alert: Alert, now: datetime) -> datetime | None:
    """The next digest time after `now`; None for an instant alert (it goes at every run)."""
    if alert.every == "instant":
        return None
    step = timedelta(days=7 if alert.every == "weekly" else 1)
    last = latest_slot(alert, now).astimezone(zone(alert.tz))
    # step in local days (wall clock), so 08:00 stays 08:00 across a DST change
    following = datetime.combine(last.date() + step, last.timetz().replace(tzinfo=None), tzinfo=last.tzinfo)
    return following.astimezone(timezone.utc)


def channel_due(alert: Alert, channel: Channel, now: datetime) -> bool:
    if channel.retry_at and now < parse_iso(channel.retry_at):
        return False                                      # backing off
    if channel.failures or alert.every == "instant":
        return True
    slot = latest_slot(alert, now)
    since = parse_iso(channel.slot) if channel.slot else parse_iso(alert.created)
    return slot > since


def next_delivery(alert: Alert, channel: Channel, now: datetime) -> str:
    """What the alerts page and `alert show` say of the next delivery."""
    if channel.retry_at and now < parse_iso(channel.retry_at):
        return f"retry after {channel.retry_at}"
    if alert.every == "instant":
        return "at the next run, when something new matches"
    if channel_due(alert, channel, now):
        return "now (due)"
    return utc_text(next_slot(alert, now))


def backoff(failures: int) -> timedelta:
    return min(BACKOFF_FIRST * 2 ** max(failures - 1, 0), BACKOFF_MOST)
