"""Today, logging and the adapting plan, through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from glutecoach.adapters.db.repositories import Database
from glutecoach.domain.errors import InvalidInput, RuleViolation
from glutecoach.domain.library import load_library
from glutecoach.domain.planning import Day, Plan, SessionKind, WeekKind
from glutecoach.services import history, planning, runners, screening, training
from glutecoach.services.store import open_store
from tests.clock import TODAY, clock_on
from tests.conftest import EXAMPLES

T0 = dt.date(2026, 11, 20)  # screened on a Friday; the plan starts Monday 23 November


def start_example(db: Database) -> Plan:
    result = screening.run(screening.read_input(EXAMPLES / "answers.yaml"), T0)
    profile = planning.read_profile(EXAMPLES / "runner.yaml", clock_on(T0))
    return runners.start(db, profile, result, weeks=8).plan


def as_prescribed(day: Day, kind: SessionKind, **how: Any) -> training.SessionEntry:
    session = day.session(kind)
    assert session is not None
    special: dict[str, dict[str, Any]] = how.pop("only", {})
    exercises = []
    for p in session.prescriptions:
        entry = {
            "exercise_id": p.exercise_id,
            "sets": [p.amount.high] * p.sets,
            "effort": 6,
            "felt": "glutes",
            "pain": 0,
        }
        entry.update(special.get(p.exercise_id, {}))
        exercises.append(entry)
    return training.SessionEntry(date=day.date, session=kind, exercises=exercises)  # type: ignore[arg-type]


def test_a_log_is_stored_and_two_good_sessions_make_a_new_plan_version(db: Database) -> None:
    plan = start_example(db)
    first, second = [d for d in plan.days if d.session(SessionKind.strength)][:2]
    one = training.log_session(db, None, as_prescribed(first, SessionKind.strength), on=first.date)
    assert one.plan_version == 1
    assert {d.action.value for d in one.decisions} == {"hold"}
    two = training.log_session(
        db, None, as_prescribed(second, SessionKind.strength), on=second.date
    )
    assert two.plan_version == 2
    assert {d.action.value for d in two.decisions} == {"progress"}
    slug, versions = history.plan_changes(db, None)
    assert slug == "sam-example"
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].changes == ()
    assert len(versions[1].changes) == len(two.changes) > 0


def test_today_shows_the_current_prescription(db: Database) -> None:
    plan = start_example(db)
    day = next(d for d in plan.days if d.session(SessionKind.strength))
    view = training.today(db, None, day.date)
    assert view.day is not None
    assert view.day.session(SessionKind.strength) == day.session(SessionKind.strength)
    assert view.logged == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": dt.date(2026, 12, 30)}, "is in the future"),
        ({"session": SessionKind.dynamic_warm_up}, "no dynamic_warm_up session is planned"),
        ({"exercise": "skater_squat"}, "exercise 'skater_squat' is not in the strength session"),
    ],
)
def test_impossible_logs_are_refused_and_nothing_is_stored(
    db: Database, change: dict[str, Any], message: str
) -> None:
    plan = start_example(db)
    day = next(d for d in plan.days if d.session(SessionKind.strength))
    entry = as_prescribed(day, SessionKind.strength)
    if "date" in change:
        entry = entry.model_copy(update={"date": change["date"]})
    if "session" in change:
        entry = entry.model_copy(update={"session": change["session"]})
    if "exercise" in change:
        bad = entry.exercises[0].model_copy(update={"exercise_id": change["exercise"]})
        entry = entry.model_copy(update={"exercises": (bad, *entry.exercises[1:])})
    with pytest.raises(InvalidInput, match=message):
        training.log_session(db, None, entry, on=day.date)
    with db.unit() as repo:
        runner = runners.choose(repo, None)
        assert repo.session_logs(runner.id) == []
        assert len(repo.plan_versions(runner.id)) == 1


def test_values_out_of_range_are_refused_with_the_field_named() -> None:
    base = {
        "session": "strength",
        "exercises": [
            {"exercise_id": "clamshell", "sets": [15], "effort": 6, "felt": "glutes", "pain": 0}
        ],
    }
    for field, value, where in (
        ("pain", 15, "exercises.0.pain"),
        ("sets", [-3], "exercises.0.sets.0"),
        ("effort", 0, "exercises.0.effort"),
        ("felt", "elbow", "exercises.0.felt"),
    ):
        data: dict[str, Any] = {**base, "exercises": [{**base["exercises"][0], field: value}]}
        with pytest.raises(InvalidInput, match=f"field '{where}'"):
            training.parse_entry(data, "log.yaml")


def test_a_session_cannot_be_logged_twice(db: Database) -> None:
    plan = start_example(db)
    day = next(d for d in plan.days if d.session(SessionKind.strength))
    training.log_session(db, None, as_prescribed(day, SessionKind.strength), on=day.date)
    with pytest.raises(RuleViolation, match="already logged"):
        training.log_session(db, None, as_prescribed(day, SessionKind.strength), on=day.date)


def test_skips_soreness_and_runs_are_stored(db: Database) -> None:
    plan = start_example(db)
    run_day = next(d for d in plan.days if d.session(SessionKind.pre_run_activation))
    training.skip_session(
        db, None, SessionKind.pre_run_activation, "late for work", run_day.date, on=run_day.date
    )
    training.log_run(db, None, 8.2, 45, run_day.date, on=run_day.date)
    outcome = training.log_soreness(db, None, 3, run_day.date, on=run_day.date)
    assert outcome.changes == ()
    with db.unit() as repo:
        runner = runners.choose(repo, None)
        logs = repo.session_logs(runner.id)
        assert [(log.status, log.skip_reason) for log in logs] == [("skipped", "late for work")]
        assert [r.distance_km for r in repo.runs(runner.id)] == [8.2]
        assert [s.level for s in repo.soreness(runner.id)] == [3]
    report = history.progress_report(db, None, run_day.date)
    assert report.weeks[0].skipped == 1


def test_the_example_runner_through_eight_simulated_weeks(db: Database) -> None:
    """Progressions, a regression for a fault, a stop for pain, soreness and a deload."""
    plan = start_example(db)
    library = load_library()
    fault: str | None = None
    pain: str | None = None
    sore_after: dt.date | None = None
    for week in plan.weeks:
        for planned in week.days:
            day = training.today(db, None, planned.date).day
            assert day is not None
            if sore_after is not None and day.date == sore_after + dt.timedelta(days=1):
                training.log_soreness(db, None, 8, day.date, on=day.date)  # the day after
            for kind in (SessionKind.pre_run_activation, SessionKind.strength):
                session = day.session(kind)
                if session is None or not session.prescriptions:
                    continue
                only: dict[str, dict[str, Any]] = {}
                if kind == SessionKind.strength and week.number == 1:
                    # A hip-extension move felt in the hamstring all week: it must step back.
                    fault = fault or next(
                        p.exercise_id
                        for p in session.prescriptions
                        if "hip_extension"
                        in [q.value for q in library.exercises[p.exercise_id].trains]
                    )
                    only[fault] = {"felt": "hamstring"}
                if kind == SessionKind.strength and week.number == 5 and pain is None:
                    pain = session.prescriptions[-1].exercise_id
                    only[pain] = {"pain": 5}
                entry = as_prescribed(day, kind, only=only)
                training.log_session(db, None, entry, on=day.date)
            if week.number == 3 and day.session(SessionKind.strength) and sore_after is None:
                sore_after = day.date
    _, versions = history.plan_changes(db, None)
    actions = [(c.action, c.exercise_id) for v in versions for c in v.changes]
    assert any(a == "progress" for a, _ in actions)
    assert ("regress", fault) in actions
    assert ("stop", pain) in actions
    assert any(a == "lighter" for a, _ in actions)
    final = versions[-1]
    assert len(versions) > 3
    report = history.progress_report(db, None, plan.end)
    assert report.adherence_percent is not None and report.adherence_percent > 40
    with db.unit() as repo:
        current = repo.current_plan(runners.choose(repo, None).id)
    assert current is not None and current.version == final.version
    deload = next(w for w in current.plan.weeks if w.kind == WeekKind.deload)
    before = current.plan.weeks[deload.number - 2]
    assert deload.strength_volume < before.strength_volume
    stop_day = next(c.effective_from for v in versions for c in v.changes if c.action == "stop")
    assert all(
        p.exercise_id != pain
        for d in current.plan.days
        if d.date >= stop_day
        for s in d.sessions
        for p in s.prescriptions
    )


def test_export_then_import_into_an_empty_database_keeps_everything(
    db: Database, database_url: str, tmp_path: Path
) -> None:
    plan = start_example(db)
    first, second = [d for d in plan.days if d.session(SessionKind.strength)][:2]
    for day in (first, second):
        training.log_session(db, None, as_prescribed(day, SessionKind.strength), on=day.date)
    exported = history.export_runner(db, None, tmp_path / "sam.json")
    with open_store(f"sqlite:///{tmp_path / 'other.db'}") as other:
        assert history.import_runner(other, exported) == "sam-example"
        again = history.export_runner(other, None, tmp_path / "again.json")
    assert exported.read_text() == again.read_text()


def test_the_first_screening_rebuilds_the_plan_and_later_ones_are_retests(db: Database) -> None:
    profile = planning.read_profile(EXAMPLES / "runner.yaml", clock_on(T0))
    runners.start(db, profile, None, weeks=8)
    result = screening.run(screening.read_input(EXAMPLES / "answers.yaml"), T0)
    first = runners.record_screening(db, None, result)
    assert (first.replanned, first.plan_version) == (True, 2)
    again = runners.record_screening(db, None, result)
    assert (again.replanned, again.plan_version) == (False, None)
    with db.unit() as repo:
        runner = runners.choose(repo, None)
        assert [s.purpose for s in repo.screenings(runner.id)] == ["initial", "retest"]
        current = repo.current_plan(runner.id)
        assert current is not None and current.plan.findings


def _red_flag(area: str) -> Any:
    data = screening.parse_input({"answers": {"pain": [{"area": area, "level": 6}]}}, "answers")
    return screening.run(data, T0)


def test_a_first_screening_with_a_hip_red_flag_pauses_the_plan_and_is_stored(db: Database) -> None:
    profile = planning.read_profile(EXAMPLES / "runner.yaml", clock_on(T0))
    started = runners.start(db, profile, None, weeks=8)
    result = runners.record_screening(db, None, _red_flag("hip"))
    assert result.replanned
    with db.unit() as repo:
        runner = runners.choose(repo, None)
        current = repo.current_plan(runner.id)
        assert [s.purpose for s in repo.screenings(runner.id)] == ["initial"]
    assert current is not None
    start = max(db.clock.today(profile.timezone), started.plan.start)
    assert all(not d.sessions for d in current.plan.days if d.date >= start)
    assert current.plan.referrals and "physiotherapist or doctor" in current.plan.referrals[-1]


def test_a_retest_with_a_knee_red_flag_leaves_out_what_loads_the_knee(db: Database) -> None:
    start_example(db)
    runners.record_screening(db, None, _red_flag("knee_front"))
    library = load_library()
    with db.unit() as repo:
        runner = runners.choose(repo, None)
        current = repo.current_plan(runner.id)
        profile = repo.latest_profile(runner.id)
    assert current is not None and profile is not None
    start = max(db.clock.today(profile[1].timezone), current.plan.start)
    used = {
        p.exercise_id
        for d in current.plan.days
        if d.date >= start
        for s in d.sessions
        for p in s.prescriptions
    }
    assert used
    assert all("knee" not in [a.value for a in library.exercises[i].loads] for i in used)


def test_a_skip_needs_a_reason(db: Database) -> None:
    plan = start_example(db)
    day = next(d for d in plan.days if d.session(SessionKind.strength))
    with pytest.raises(InvalidInput, match="field 'reason'"):
        training.skip_session(db, None, SessionKind.strength, "  ", day.date, on=day.date)


def test_a_day_to_come_is_a_preview_and_never_steps_the_plan_back(db: Database) -> None:
    """Opening a day weeks ahead must not count as weeks away from training."""
    now = TODAY
    start = now - dt.timedelta(days=now.weekday() + 7)  # the Monday of last week
    profile = planning.read_profile(EXAMPLES / "runner.yaml", clock_on(start)).model_copy(
        update={"start_date": start, "timezone": "UTC", "race": None}
    )
    result = screening.run(screening.read_input(EXAMPLES / "answers.yaml"), start)
    plan = runners.start(db, profile, result, weeks=8).plan
    done = next(d for d in plan.days if d.date <= now and d.session(SessionKind.strength))
    training.log_session(db, None, as_prescribed(done, SessionKind.strength), on=now)
    version = training.today(db, None).plan_version
    away = load_library().threshold("step_back_after_days").value
    later = done.date + dt.timedelta(days=int(away) + 7)
    assert later > now

    preview = training.today(db, None, later)

    assert preview.is_preview and preview.runner_today == now
    assert preview.plan_version == version and preview.changes == () and preview.logged == ()
    assert preview.day is not None and preview.day.date == later
    assert history.plan_changes(db, None)[1][-1].version == version  # nothing stored
