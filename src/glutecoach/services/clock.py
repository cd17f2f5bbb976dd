"""Today, in the runner's time zone: the one place the services read the clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def today(timezone: str = "UTC") -> dt.date:
    return dt.datetime.now(ZoneInfo(timezone)).date()


def next_monday(day: dt.date) -> dt.date:
    """Plans start on a Monday: the next one, or `day` itself when it is a Monday."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def now() -> dt.datetime:
    """The current moment, timezone-aware UTC (what is stored)."""
    return dt.datetime.now(dt.UTC)
