"""index/timeline.Periods parses one date per period; it must give period_start's answer for every
instant, around daylight-saving changes and in zones whose offsets are not whole hours."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from index import timeline as tl


@pytest.mark.parametrize("zone", ["UTC", "Asia/Seoul", "America/Santiago", "Asia/Kathmandu", "Australia/Lord_Howe",
                                  "America/Havana", "America/Asuncion"])
@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_periods_agree_with_period_start_at_every_quarter_hour(zone, interval):
    tz = tl.zone(zone)
    start = datetime(2023, 1, 1, tzinfo=timezone.utc)
    instants = [(start + timedelta(minutes=15 * i)).strftime("%Y-%m-%dT%H:%M:%SZ") for i in range(4 * 24 * 400)]
    period = tl.Periods(interval, tz)
    assert [period(s) for s in instants] == [tl.period_start(tl.parse_utc(s), interval, tz) for s in instants]
    shuffled = instants[::-7] + instants[::13]          # out of order too: only slower, never wrong
    assert [period(s) for s in shuffled] == [tl.period_start(tl.parse_utc(s), interval, tz) for s in shuffled]
