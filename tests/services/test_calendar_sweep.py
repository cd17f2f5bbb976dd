"""The whole loop on the days a calendar gets wrong: start, today, log, skip, the plan's changes,
progress, the .ics and the handout, each on its own SQLite file and clock.

Each case names a moment (UTC) and the day the runner should see there, in their time zone: the
expected days are written out by hand, not worked out by the code under test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from glutecoach.domain.clock import FixedClock
from glutecoach.domain.errors import InvalidInput
from glutecoach.domain.planning import Day, Plan, RunKind, SessionKind, WeekKind
from glutecoach.services import history, planning, runners, screening, training
from glutecoach.services.store import open_store
from tests.clock import clock_on
from tests.conftest import EXAMPLES
from tests.services.test_training import as_prescribed

UTC = dt.UTC
LOGGABLE = (SessionKind.pre_run_activation, SessionKind.strength, SessionKind.post_run_recovery)


@dataclass(frozen=True)
class Case:
    start: dt.date  # the plan's first day, a Monday
    zone: str
    moment: Callable[[Plan], dt.datetime]  # now, in UTC
    sees: Callable[[Plan], dt.date]  # the runner's today there
    check: Callable[[Plan, Day | None], None] = lambda plan, day: None


def at(moment: str) -> Callable[[Plan], dt.datetime]:
    when = dt.datetime.fromisoformat(moment).replace(tzinfo=UTC)
    return lambda plan: when


def on(day: str) -> Callable[[Plan], dt.date]:
    date = dt.date.fromisoformat(day)
    return lambda plan: date


def noon_of(pick: Callable[[Plan], dt.date]) -> Callable[[Plan], dt.datetime]:
    return lambda plan: dt.datetime.combine(pick(plan), dt.time(12), tzinfo=UTC)


def _first_strength(plan: Plan) -> dt.date:
    return next(d.date for d in plan.days if d.session(SessionKind.strength))


def _deload_wednesday(plan: Plan) -> dt.date:
    week = next(w for w in plan.weeks if w.kind == WeekKind.deload)
    return week.start + dt.timedelta(days=2)


def _phase_boundary(plan: Plan) -> dt.date:
    return next(b.start for a, b in pairwise(plan.weeks) if a.phase != b.phase)


def _race_day(plan: Plan) -> dt.date:
    return next(d.date for d in plan.days if d.run == RunKind.race)


def _week_of(plan: Plan, date: dt.date) -> int:
    return next(w.number for w in plan.weeks if any(d.date == date for d in w.days))


def _weekday_is(name: str) -> Callable[[Plan, Day | None], None]:
    def check(plan: Plan, day: Day | None) -> None:
        assert day is not None and day.weekday.value == name

    return check


def _is_first(plan: Plan, day: Day | None) -> None:
    assert day is not None and day.date == plan.start and _week_of(plan, day.date) == 1


def _rests_after_strength(plan: Plan, day: Day | None) -> None:
    assert day is not None and day.session(SessionKind.strength) is None


def _in_deload(plan: Plan, day: Day | None) -> None:
    assert day is not None
    week = next(w for w in plan.weeks if any(d.date == day.date for d in w.days))
    assert week.kind == WeekKind.deload and week.volume_factor < 1


def _new_phase(plan: Plan, day: Day | None) -> None:
    assert day is not None
    number = _week_of(plan, day.date)
    assert plan.weeks[number - 1].phase != plan.weeks[number - 2].phase


def _race_week(plan: Plan, day: Day | None) -> None:
    assert day is not None
    week = plan.weeks[_week_of(plan, day.date) - 1]
    assert week.kind == WeekKind.taper


def _race(plan: Plan, day: Day | None) -> None:
    assert day is not None and day.run == RunKind.race
    assert day.session(SessionKind.strength) is None  # never strength on race day


def _outside(plan: Plan, day: Day | None) -> None:
    assert day is None


MONDAY = dt.date(2027, 5, 3)
CASES = {
    **{
        f"weekday-{name}": Case(
            MONDAY,
            "Europe/London",
            at(f"2027-05-{10 + n:02d}T12:00"),
            on(f"2027-05-{10 + n:02d}"),
            _weekday_is(name),
        )
        for n, name in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
    },
    "first-day": Case(MONDAY, "Europe/London", at("2027-05-03T08:00"), on("2027-05-03"), _is_first),
    "day-after-strength": Case(
        MONDAY,
        "Europe/London",
        noon_of(lambda p: _first_strength(p) + dt.timedelta(days=1)),
        lambda p: _first_strength(p) + dt.timedelta(days=1),
        _rests_after_strength,
    ),
    "deload-week": Case(
        MONDAY, "Europe/London", noon_of(_deload_wednesday), _deload_wednesday, _in_deload
    ),
    "phase-boundary": Case(
        MONDAY, "Europe/London", noon_of(_phase_boundary), _phase_boundary, _new_phase
    ),
    "race-week": Case(
        MONDAY,
        "Europe/London",
        noon_of(lambda p: _race_day(p) - dt.timedelta(days=4)),
        lambda p: _race_day(p) - dt.timedelta(days=4),
        _race_week,
    ),
    "race-day": Case(MONDAY, "Europe/London", noon_of(_race_day), _race_day, _race),
    "after-the-plan": Case(
        MONDAY,
        "Europe/London",
        noon_of(lambda p: p.end + dt.timedelta(days=3)),
        lambda p: p.end + dt.timedelta(days=3),
        _outside,
    ),
    "new-years-eve": Case(
        dt.date(2027, 12, 20), "Europe/London", at("2027-12-31T23:30"), on("2027-12-31")
    ),
    "new-years-day": Case(
        dt.date(2027, 12, 20), "Europe/London", at("2028-01-01T00:30"), on("2028-01-01")
    ),
    "28-feb-2028": Case(dt.date(2028, 2, 7), "UTC", at("2028-02-28T23:59"), on("2028-02-28")),
    "29-feb-2028": Case(dt.date(2028, 2, 7), "UTC", at("2028-02-29T00:00"), on("2028-02-29")),
    "1-mar-2028": Case(dt.date(2028, 2, 7), "UTC", at("2028-03-01T00:00"), on("2028-03-01")),
    # Europe/London: BST from 01:00 UTC on 28 March 2027 until 01:00 UTC on 31 October 2027
    "london-before-spring": Case(
        dt.date(2027, 3, 15), "Europe/London", at("2027-03-27T23:30"), on("2027-03-27")
    ),
    "london-after-spring": Case(
        dt.date(2027, 3, 15), "Europe/London", at("2027-03-28T23:30"), on("2027-03-29")
    ),
    "london-before-autumn": Case(
        dt.date(2027, 10, 18), "Europe/London", at("2027-10-30T23:30"), on("2027-10-31")
    ),
    "london-after-autumn": Case(
        dt.date(2027, 10, 18), "Europe/London", at("2027-10-31T23:30"), on("2027-10-31")
    ),
    # America/New_York: EDT from 07:00 UTC on 14 March 2027 until 06:00 UTC on 7 November 2027
    "new-york-before-spring": Case(
        dt.date(2027, 3, 1), "America/New_York", at("2027-03-14T04:30"), on("2027-03-13")
    ),
    "new-york-after-spring": Case(
        dt.date(2027, 3, 1), "America/New_York", at("2027-03-15T03:30"), on("2027-03-14")
    ),
    "new-york-before-autumn": Case(
        dt.date(2027, 10, 25), "America/New_York", at("2027-11-07T03:30"), on("2027-11-06")
    ),
    "new-york-after-autumn": Case(
        dt.date(2027, 10, 25), "America/New_York", at("2027-11-08T04:30"), on("2027-11-07")
    ),
    # NZST is UTC+12 in June; PDT is UTC-7
    "auckland-before-midnight": Case(
        dt.date(2027, 5, 24), "Pacific/Auckland", at("2027-06-01T11:30"), on("2027-06-01")
    ),
    "auckland-after-midnight": Case(
        dt.date(2027, 5, 24), "Pacific/Auckland", at("2027-06-01T12:30"), on("2027-06-02")
    ),
    "los-angeles-before-midnight": Case(
        dt.date(2027, 5, 24), "America/Los_Angeles", at("2027-06-02T06:30"), on("2027-06-01")
    ),
    "los-angeles-after-midnight": Case(
        dt.date(2027, 5, 24), "America/Los_Angeles", at("2027-06-02T07:30"), on("2027-06-02")
    ),
}


def _start(url: str, case: Case, home: Path) -> Plan:
    data = yaml.safe_load((EXAMPLES / "runner.yaml").read_text())
    race = case.start + dt.timedelta(days=8 * 7 - 1)  # the last Sunday of 8 weeks
    data.update(timezone=case.zone, start_date=case.start.isoformat())
    data["race"] = {"date": race.isoformat(), "distance_km": 21.1}
    before = clock_on(case.start - dt.timedelta(days=3))
    profile = planning.parse_profile(data, "runner.yaml", before)
    screened = screening.run(
        screening.read_input(EXAMPLES / "answers.yaml"), case.start - dt.timedelta(days=3)
    )
    with open_store(url, before) as db:
        return runners.start(db, profile, screened, weeks=8).plan


@pytest.mark.parametrize("name", list(CASES))
def test_the_runner_sees_the_right_day_and_the_loop_works_on_it(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    url = f"sqlite:///{tmp_path / 'gc.db'}"
    plan = _start(url, case, tmp_path)
    moment = case.moment(plan)
    sees = case.sees(plan)
    with open_store(url, FixedClock(moment)) as db:
        view = training.today(db, None)
        assert view.date == sees, (moment, case.zone)
        assert view.runner_today == sees
        case.check(plan, view.day)
        if view.day is None:
            assert not plan.start <= sees <= plan.end
            strength = next(d for d in plan.days if d.session(SessionKind.strength))
            entry = as_prescribed(strength, SessionKind.strength).model_copy(update={"date": None})
            with pytest.raises(InvalidInput, match="outside the plan"):
                training.log_session(db, None, entry)  # today, by default
            return
        assert view.day.date == sees
        _log_and_skip(db, view.day, sees)
        assert history.progress_report(db, None).as_of == sees
        _, versions = history.plan_changes(db, None)
        assert versions[0].version == 1
        _, _, current = training.current_plan(db, None)
    _files_show(current, sees, moment)


def _log_and_skip(db: object, day: Day, sees: dt.date) -> None:
    kinds = [s.kind for s in day.sessions if s.kind in LOGGABLE and s.prescriptions]
    if not kinds:
        return
    entry = as_prescribed(day, kinds[0]).model_copy(update={"date": None})  # today, by default
    outcome = training.log_session(db, None, entry)  # type: ignore[arg-type]
    logged = {e.exercise_id for e in entry.exercises}
    assert {d.logged for d in outcome.decisions} == logged and all(
        d.reason for d in outcome.decisions
    )
    if len(kinds) > 1:
        training.skip_session(db, None, kinds[1], "travelling")  # type: ignore[arg-type]
    again = training.today(db, None)  # type: ignore[arg-type]
    assert again.date == sees
    assert set(again.logged) == set(kinds[:2])


def _files_show(plan: Plan, sees: dt.date, moment: dt.datetime) -> None:
    day = next(d for d in plan.days if d.date == sees)
    ics = planning.render(plan, "ics", moment)
    assert isinstance(ics, bytes)
    if day.sessions:
        assert f"DTSTART;VALUE=DATE:{sees:%Y%m%d}".encode() in ics
    handout = planning.render(plan, "markdown", moment)
    assert isinstance(handout, str)
    assert f"### {sees:%A} {sees.day} {sees:%b}" in handout
