"""When a source is next due: its `schedule` field, an interval (`90s`, `30m`, `2h`, `1d`) or a cron
expression (`*/30 * * * *`, evaluated in UTC). The sources file checks it on loading; the
scheduler (crawler/schedule.py) asks it when to crawl."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from croniter import croniter

from common.errors import BadUsage

_INTERVAL = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ScheduleError(BadUsage):
    pass


@dataclass(frozen=True)
class Schedule:
    text: str

    def __post_init__(self):
        if not _INTERVAL.match(self.text) and not croniter.is_valid(self.text):
            raise ScheduleError(f"bad schedule '{self.text}': use an interval such as 30m, 2h, 1d "
                                "or a cron expression such as '*/30 * * * *'")

    def next_after(self, moment: datetime) -> datetime:
        if (m := _INTERVAL.match(self.text)):
            return moment + timedelta(seconds=int(m[1]) * _UNITS[m[2].lower()])
        return croniter(self.text, moment.astimezone(timezone.utc)).get_next(datetime)
