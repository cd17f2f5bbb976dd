"""Make a plan: read and check the profile, read the screening, build, render, write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from glutecoach.domain.clock import Clock, next_monday
from glutecoach.domain.errors import InvalidInput
from glutecoach.domain.library import load_library
from glutecoach.domain.planning import Plan, RunnerProfile, build_plan
from glutecoach.domain.screening import Screening
from glutecoach.domain.validation import parse_model
from glutecoach.reports import plan_html, plan_ics, plan_markdown, to_json
from glutecoach.services.files import read_document, write_atomically

FileFormat = Literal["json", "markdown", "html", "ics"]
MAX_ZONE_NAME = 64  # the longest IANA name is 32 characters; a longer one is not looked up
SUFFIX: dict[FileFormat, str] = {"json": ".json", "markdown": ".md", "html": ".html", "ics": ".ics"}


def parse_profile(data: Any, label: str, clock: Clock) -> RunnerProfile:
    """Check a profile; fill in what the runner may leave out (start date, race in N weeks),
    from the runner's today by `clock`."""
    if isinstance(data, dict):
        data = dict(data)
        current = clock.today(_known_zone(data.get("timezone")))
        data.setdefault("start_date", next_monday(current).isoformat())
        race = data.get("race")
        if isinstance(race, dict) and "in_weeks" in race:
            data["race"] = _race_in_weeks(race, data["start_date"], label)
        _refuse_past_race(data.get("race"), current, label)
    return parse_model(RunnerProfile, data, label)


def _known_zone(zone: Any) -> str:
    """The profile's zone when it is a real one; the model's own check reports a bad name."""
    if not isinstance(zone, str) or not 0 < len(zone) <= MAX_ZONE_NAME:
        return "UTC"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return "UTC"
    return zone


def _refuse_past_race(race: Any, current: dt.date, label: str) -> None:
    if not isinstance(race, dict):
        return
    try:
        date = dt.date.fromisoformat(str(race.get("date")))
    except ValueError:
        return  # not a date at all: the model's own message says so
    if date < current:
        raise InvalidInput(f"{label}: field 'race.date' {date} is in the past (today is {current})")


def _race_in_weeks(race: dict[str, Any], start: Any, label: str) -> dict[str, Any]:
    weeks = race["in_weeks"]
    if not isinstance(weeks, int) or isinstance(weeks, bool) or not 1 <= weeks <= 104:
        raise InvalidInput(f"{label}: field 'race.in_weeks' must be a whole number from 1 to 104")
    try:
        first = dt.date.fromisoformat(str(start))
    except ValueError:
        raise InvalidInput(f"{label}: field 'start_date' is not a date (YYYY-MM-DD)") from None
    rest = {k: v for k, v in race.items() if k != "in_weeks"}
    # The race closes week N: the day before the same weekday N weeks on.
    return {**rest, "date": (first + dt.timedelta(days=7 * weeks - 1)).isoformat()}


def read_profile(path: Path, clock: Clock) -> RunnerProfile:
    return parse_profile(read_document(path), str(path), clock)


def make(profile: RunnerProfile, screening: Screening | None, weeks: int = 8) -> Plan:
    return build_plan(profile, screening, load_library(), weeks)


def render(plan: Plan, fmt: FileFormat, stamp: dt.datetime) -> str | bytes:
    """`stamp`: when the calendar file is made (its events' DTSTAMP)."""
    library = load_library()
    if fmt == "json":
        return to_json(plan) + "\n"
    if fmt == "markdown":
        return plan_markdown(plan, library)
    if fmt == "html":
        return plan_html(plan, library)
    return plan_ics(plan, library, stamp)


def write(plan: Plan, fmt: FileFormat, path: Path, stamp: dt.datetime) -> Path:
    return write_atomically(path, render(plan, fmt, stamp))
