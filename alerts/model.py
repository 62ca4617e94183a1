"""An alert and each of its channels, as kept in the index (index.base.StoredAlert.record).

Each channel keeps its own mark: matches indexed before it were delivered to that channel (or
were there when the alert was made). A mark moves only once the channel accepted a message, so a
channel that is down gets, when it is back, everything it missed, and the others are not held up."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from common.errors import BadUsage
from index.base import StoredAlert

FREQUENCIES = ("instant", "daily", "weekly")
MAX_NAME = 80
_NAME = re.compile(r"^[\w][\w.-]*$")


class UnknownAlert(BadUsage):
    def __init__(self, name: str):
        super().__init__(f"no alert named '{name}' (see policywatch alert list)")


@dataclass
class Channel:
    url: str                        # as given: may hold ${VAR} or be a config channel's name; never expanded here
    mark: str                       # indexed stamps before this one were delivered (sortable UTC)
    slot: str | None = None         # the digest time (daily/weekly) last delivered
    delivered: str | None = None    # when the channel last accepted a message
    sent_items: int = 0             # stories delivered, all told
    failures: int = 0               # failed deliveries in a row (0: healthy)
    failed_total: int = 0
    error: str | None = None        # the last failure, redacted
    retry_at: str | None = None     # no new try before this (backoff)


@dataclass
class Alert:
    name: str
    query: str = ""                 # search language (index/query.py); "" for an entity alert
    entity: str | None = None       # canonical name: the alert is entity:"NAME"
    case: str | None = None         # a case id (index/cases.py): new stages and new sources are news
    every: str = "instant"
    at: str = "08:00"               # daily/weekly digests: local time in `tz`
    tz: str = "UTC"
    empty_digest: bool = True       # a daily/weekly digest with nothing new still goes out, saying so
    created: str = ""
    saved: str | None = None        # the saved search it was made from
    channels: list[Channel] = field(default_factory=list)

    def query_text(self) -> str:
        """The search-language query, or for a case alert "case:ID" (shown, never searched)."""
        if self.case:
            return f"case:{self.case}"
        if self.entity:
            return 'entity:"' + self.entity.replace('"', "") + '"'
        return self.query

    def failing(self) -> bool:
        return any(c.failures for c in self.channels)

    def stored(self) -> StoredAlert:
        record = asdict(self)
        del record["name"]
        return StoredAlert(self.name, record)

    @classmethod
    def from_stored(cls, stored: StoredAlert) -> "Alert":
        record = dict(stored.record)
        channels = [Channel(**c) for c in record.pop("channels", [])]
        known = cls.__dataclass_fields__
        return cls(name=stored.name, channels=channels, **{k: v for k, v in record.items() if k in known})


def check_name(name: str) -> str:
    if not name or len(name) > MAX_NAME or not _NAME.match(name):
        raise BadUsage(f"bad alert name '{name[:MAX_NAME]}': use letters, digits, '.', '-' or '_' "
                       f"(at most {MAX_NAME}), starting with a letter or digit")
    return name


def check_time(at: str) -> str:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", at or "")
    if not match:
        raise BadUsage(f"bad --at '{at}': use HH:MM (24-hour), such as 08:00")
    return f"{int(match[1]):02d}:{match[2]}"


# -- the store: alerts kept with the index -----------------------------------------------------------
def all_alerts(index) -> list[Alert]:
    return [Alert.from_stored(s) for s in index.alerts()]


def get(index, name: str) -> Alert:
    for alert in all_alerts(index):
        if alert.name == name:
            return alert
    raise UnknownAlert(name)


def add(index, alert: Alert) -> None:
    if any(a.name == alert.name for a in all_alerts(index)):
        raise BadUsage(f"an alert named '{alert.name}' already exists (policywatch alert remove {alert.name})")
    index.save_alert(alert.stored())


def save(index, alert: Alert) -> None:
    index.save_alert(alert.stored())


def remove(index, name: str) -> None:
    if not index.remove_alert(name):
        raise UnknownAlert(name)
