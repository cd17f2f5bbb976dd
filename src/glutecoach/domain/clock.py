"""Today and now as every use case sees them: one clock, handed in, never the wall clock read
where the answer is used. A plan's days are dates in the runner's time zone, so "today" is
always asked for in a zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    @property
    def pinned(self) -> str | None:
        """What holds the date still, in words a runner can read ("2027-03-01, set by
        GLUTECOACH_TODAY"); None for the real clock."""

    def now(self) -> dt.datetime:
        """The current moment, timezone-aware, in UTC (what is stored)."""

    def today(self, timezone: str) -> dt.date:
        """The calendar date in `timezone` (an IANA name such as "Europe/London")."""


@dataclass(frozen=True)
class FixedClock:
    """A clock stopped at `moment`: tests, replays, and anything that must give the same
    answer every time it is asked."""

    moment: dt.datetime

    def __post_init__(self) -> None:
        if self.moment.tzinfo is None:
            raise ValueError("a fixed clock needs a timezone-aware moment")

    @property
    def pinned(self) -> str | None:
        return f"{self.moment.isoformat(timespec='minutes')} (a fixed clock)"

    def now(self) -> dt.datetime:
        return self.moment.astimezone(dt.UTC)

    def today(self, timezone: str) -> dt.date:
        return self.moment.astimezone(ZoneInfo(timezone)).date()

    def later(self, **delta: float) -> FixedClock:
        """The same clock moved on by `timedelta(**delta)`."""
        return FixedClock(self.moment + dt.timedelta(**delta))


def next_monday(day: dt.date) -> dt.date:
    """Plans start on a Monday: the next one, or `day` itself when it is a Monday."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)
