"""The clock the use cases are handed: a fixed one answers in the runner's own time zone."""

from __future__ import annotations

import datetime as dt

import pytest

from glutecoach.domain.clock import FixedClock, next_monday

LATE_EVENING_IN_LONDON = dt.datetime(2027, 12, 31, 23, 30, tzinfo=dt.UTC)


def test_today_is_the_date_in_the_runners_time_zone() -> None:
    clock = FixedClock(LATE_EVENING_IN_LONDON)
    assert clock.today("Europe/London") == dt.date(2027, 12, 31)
    assert clock.today("Pacific/Auckland") == dt.date(2028, 1, 1)  # already the new year there
    assert clock.today("America/Los_Angeles") == dt.date(2027, 12, 31)


def test_now_is_in_utc_whatever_zone_the_moment_was_given_in() -> None:
    auckland = LATE_EVENING_IN_LONDON.astimezone(dt.timezone(dt.timedelta(hours=13)))
    now = FixedClock(auckland).now()
    assert now == LATE_EVENING_IN_LONDON and now.utcoffset() == dt.timedelta(0)


def test_a_fixed_clock_needs_an_aware_moment() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(dt.datetime(2027, 1, 1, 12))


def test_a_fixed_clock_moves_on_only_when_asked() -> None:
    clock = FixedClock(LATE_EVENING_IN_LONDON)
    assert clock.now() == clock.now()
    assert clock.later(hours=1).today("Europe/London") == dt.date(2028, 1, 1)
    assert clock.pinned is not None and "2027-12-31T23:30" in clock.pinned


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (dt.date(2027, 12, 27), dt.date(2027, 12, 27)),  # a Monday is its own
        (dt.date(2027, 12, 28), dt.date(2028, 1, 3)),  # across the new year
        (dt.date(2028, 2, 29), dt.date(2028, 3, 6)),  # a leap day
    ],
)
def test_plans_start_on_the_next_monday(day: dt.date, monday: dt.date) -> None:
    assert next_monday(day) == monday
