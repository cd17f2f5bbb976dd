"""Plans that follow the running, on SQLite and PostgreSQL: the running week read from history
when the profile leaves it out, a spiking week's strength made lighter once, and a growing
contact-time imbalance turned into a screening finding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from glutecoach.adapters.db.recorded_runs import NewRecordedRun
from glutecoach.adapters.db.repositories import Database
from glutecoach.domain.errors import InvalidInput
from glutecoach.domain.planning import SessionKind
from glutecoach.domain.runs import Run, Sport
from glutecoach.domain.screening import FindingKind
from glutecoach.services import planning, run_import, runners, running, screening
from glutecoach.services.files import read_document
from glutecoach.services.store import open_store
from tests.clock import CLOCK, TODAY, clock_on
from tests.conftest import EXAMPLES
from tests.runfiles import gpx_run

UTC = dt.UTC
THIS_MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with open_store(database_url) as database:
        yield database


def six_weeks(folder: Path) -> Path:
    """Tue easy 8 km at 6:00/km, Thu 10 km at 4:48/km, Sun long 18 km; the last six weeks."""
    for week in range(1, 7):
        monday = THIS_MONDAY - dt.timedelta(weeks=week)
        for offset, km, minutes in ((1, 8, 48), (3, 10, 48), (6, 18, 110)):
            day = monday + dt.timedelta(days=offset)
            gpx_run(folder, dt.datetime.combine(day, dt.time(7), UTC), km, minutes)
    return folder


def profile_without_the_running_week() -> dict[str, Any]:
    data = read_document(EXAMPLES / "runner.yaml")
    assert isinstance(data, dict)
    for key in ("run_days", "long_run_day", "hard_days", "weekly_km", "planned_weekly_km"):
        data.pop(key, None)
    return {**data, "timezone": "UTC"}


def test_the_running_week_comes_from_six_weeks_of_runs(db: Database, tmp_path: Path) -> None:
    summary = run_import.import_runs(db, [six_weeks(tmp_path)], runner_name="Sam Example")
    assert summary.imported_runs == 18
    data, note = running.complete_profile(db, profile_without_the_running_week(), "profile.yaml")
    assert data["run_days"] == ["tue", "thu", "sun"]
    assert data["long_run_day"] == "sun"
    assert data["hard_days"] == ["thu"]
    assert data["weekly_km"] == pytest.approx(36, abs=0.1)
    assert note is not None and "from your last 6 weeks of runs" in note
    profile = planning.parse_profile(data, "profile.yaml", CLOCK)
    started = runners.start(db, profile, None, weeks=4)
    assert not started.new_runner  # the runner the runs were imported for
    strength = {d.weekday.value for w in started.plan.weeks for d in w.strength_days}
    assert strength and "sat" not in strength  # never the day before the long run


def test_without_history_the_missing_field_is_named(db: Database) -> None:
    with pytest.raises(InvalidInput, match="field 'run_days' is missing"):
        running.complete_profile(db, profile_without_the_running_week(), "profile.yaml")


def test_a_profile_that_names_its_week_is_left_alone(db: Database) -> None:
    data = read_document(EXAMPLES / "runner.yaml")
    assert isinstance(data, dict)
    assert running.complete_profile(db, data, "runner.yaml") == (data, None)


def start_in_january(db: Database) -> None:
    data = read_document(EXAMPLES / "runner.yaml")
    assert isinstance(data, dict)
    data = {**data, "timezone": "UTC", "start_date": "2026-01-05"}
    data.pop("race")
    data.pop("planned_weekly_km")
    profile = planning.parse_profile(data, "runner.yaml", clock_on(dt.date(2026, 1, 1)))
    runners.start(db, profile, None, weeks=8)


def test_a_spiking_week_gets_lighter_strength_once(db: Database, tmp_path: Path) -> None:
    start_in_january(db)
    for week in range(1, 5):  # four weeks of 20 km before the plan
        monday = dt.date(2026, 1, 5) - dt.timedelta(weeks=week)
        for offset in (1, 3):
            day = dt.datetime.combine(monday + dt.timedelta(days=offset), dt.time(7), UTC)
            gpx_run(tmp_path, day, 10, 60)
    for day in (5, 6):  # then 30 km by Tuesday of the plan's first week: +50 %
        gpx_run(tmp_path, dt.datetime(2026, 1, day, 7, tzinfo=UTC), 15, 90)
    run_import.import_runs(db, [tmp_path])
    tuesday = dt.date(2026, 1, 6)
    before = running.follow_running(db, None, on=dt.date(2026, 1, 4))
    assert before.warning is None and before.plan_version is None

    follow = running.follow_running(db, None, on=tuesday)

    assert follow.warning is not None and "rose 50 %" in follow.warning
    assert follow.plan_version == 2
    (change,) = follow.changes
    assert change.action == "lighter" and "winter_2020_spikes" in change.reason
    plans = {}
    with db.unit() as repo:
        runner = repo.runners()[0]
        for version in (1, 2):
            plans[version] = repo.plan(runner.id, version)
    week_days = {d.date: d for d in plans[1].weeks[0].days}
    lighter_days = 0
    for day in plans[2].weeks[0].days:
        old = week_days[day.date].session(SessionKind.strength)
        new = day.session(SessionKind.strength)
        if old is None or new is None:
            continue
        old_sets = sum(p.sets for p in old.prescriptions)
        new_sets = sum(p.sets for p in new.prescriptions)
        if day.date >= tuesday:
            assert new_sets < old_sets
            lighter_days += 1
        else:
            assert new_sets == old_sets
    assert lighter_days >= 1
    assert plans[2].weeks[1] == plans[1].weeks[1]  # next week untouched
    again = running.follow_running(db, None, on=dt.date(2026, 1, 8))
    assert again.warning is not None and again.plan_version is None  # once a week


def balanced_run(day: dt.date, left_pct: float) -> Run:
    return Run(
        started_at=dt.datetime.combine(day, dt.time(7), UTC),
        sport=Sport.running,
        distance_m=10_000,
        elapsed_s=3000,
        gct_balance_left_pct=left_pct,
        records=300,
    )


def test_a_growing_contact_time_imbalance_becomes_a_screening_finding(db: Database) -> None:
    start_example = planning.read_profile(EXAMPLES / "runner.yaml", CLOCK)
    runners.start(db, start_example, None, weeks=4)
    runs = [balanced_run(TODAY - dt.timedelta(days=d), 50.6) for d in (33, 40, 47)]
    runs += [balanced_run(TODAY - dt.timedelta(days=d), 53.1) for d in (2, 9, 16)]
    with db.unit() as repo:
        runner = repo.runners()[0]
        items = [
            NewRecordedRun(r, f"run{i}.fit", "fit", f"{i:064d}", 0) for i, r in enumerate(runs)
        ]
        repo.recorded_runs.add(runner.id, items, CLOCK.now())
    answers = screening.read_input(EXAMPLES / "answers.yaml")
    screened = runners.record_screening(db, None, screening.run(answers, TODAY), weeks=4)
    with db.unit() as repo:
        stored = repo.screenings(repo.runners()[0].id)[-1].screening
    finding = stored.finding(FindingKind.contact_time_imbalance)
    assert finding is not None
    assert "left foot spends 53.1 %" in finding.summary and "up from 50.6 %" in finding.summary
    assert finding.exercises  # single-leg and hip exercises that address it
    assert screened.replanned  # the first screening rebuilds the plan around its findings
