"""The one day the test suite lives on, whatever the machine's clock says.

Everything the suite runs is handed a clock pinned to it: in-process use cases a `FixedClock`
at noon (UTC) of that day, or the app's settings (GLUTECOACH_TODAY, set for the whole run by
tests/conftest.py, and for every child process: the CLI, the web servers, the workers).
`GLUTECOACH_TEST_TODAY=YYYY-MM-DD` moves the whole suite to another day, to check that what it
asserts does not depend on the day it runs."""

from __future__ import annotations

import datetime as dt
import os

from glutecoach.domain.clock import FixedClock

TODAY = dt.date.fromisoformat(os.environ.get("GLUTECOACH_TEST_TODAY", "2026-03-18"))
NOW = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
CLOCK = FixedClock(NOW)


def clock_on(day: dt.date) -> FixedClock:
    """A clock stopped at noon (UTC) of `day`."""
    return FixedClock(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))
