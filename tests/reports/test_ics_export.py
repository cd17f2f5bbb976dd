from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar, Component

from glutecoach.domain.library import Library
from glutecoach.domain.planning.plan import Plan
from glutecoach.reports import plan_ics

STAMP = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def _events(data: bytes) -> list[Component]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_the_ics_has_one_event_per_session(plan: Plan, small_library: Library) -> None:
    sessions = sum(len(d.sessions) for d in plan.days)
    assert sessions == 22
    assert len(_events(plan_ics(plan, small_library, STAMP))) == sessions


def test_the_calendar_names_itself(plan: Plan, small_library: Library) -> None:
    calendar = Calendar.from_ical(plan_ics(plan, small_library, STAMP))
    assert str(calendar["PRODID"]) == "-//glutecoach//plan//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["X-WR-CALNAME"]) == "Glute plan: Ana"


def test_every_event_is_all_day_with_a_unique_uid_and_a_utc_stamp(
    plan: Plan, small_library: Library
) -> None:
    events = _events(plan_ics(plan, small_library, STAMP))
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for event in events:
        start = event.decoded("DTSTART")
        assert type(start) is dt.date
        assert event.decoded("DTEND") == start + dt.timedelta(days=1)
        assert event.decoded("DTSTAMP") == dt.datetime(2025, 3, 1, 8, 30, tzinfo=dt.UTC)
        assert str(event["UID"]).endswith("@glutecoach")


def test_the_file_is_crlf_with_dates_as_values(plan: Plan, small_library: Library) -> None:
    data = plan_ics(plan, small_library, STAMP)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"DTSTART;VALUE=DATE:20250304\r\n" in data
    assert b"DTSTAMP:20250301T083000Z\r\n" in data
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_uids_are_the_same_every_time(plan: Plan, small_library: Library) -> None:
    first = plan_ics(plan, small_library, STAMP)
    later = plan_ics(plan, small_library, STAMP + dt.timedelta(days=3))
    assert [str(e["UID"]) for e in _events(first)] == [str(e["UID"]) for e in _events(later)]
    assert "20250303-20250304-pre_run_activation@glutecoach" in [
        str(e["UID"]) for e in _events(first)
    ]


def test_the_pre_run_event_lists_doses_and_the_cue_event_the_cue(
    plan: Plan, small_library: Library
) -> None:
    events = _events(plan_ics(plan, small_library, STAMP))
    tuesday = [e for e in events if e.decoded("DTSTART") == dt.date(2025, 3, 4)]
    summaries = [str(e["SUMMARY"]) for e in tuesday]
    assert summaries == [
        "Glute activation before your run (6 min)",
        "Run cue: Take quicker, lighter steps, about 5-10 % more steps per minute.",
        "Recovery after your run (5 min)",
    ]
    pre_run = str(tuesday[0]["DESCRIPTION"])
    assert "• Clamshell: 2 × 15–20 reps per side, tempo 1-1-2, rest 30 s" in pre_run
    assert "Keep the heels touching and open the top knee like a book." in pre_run
    assert "Cue: Take quicker, lighter steps" in str(tuesday[1]["DESCRIPTION"])


def test_a_naive_stamp_is_refused(plan: Plan, small_library: Library) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        plan_ics(plan, small_library, dt.datetime(2025, 3, 1, 9, 30))
