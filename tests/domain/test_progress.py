"""Progress: adherence, exercise histories, tests against the first time, trends."""

from __future__ import annotations

import datetime as dt

from glutecoach.domain.library import Library
from glutecoach.domain.planning import SessionKind, build_plan
from glutecoach.domain.progress import ProgressLogs, progress
from glutecoach.domain.progression import ExerciseLog, SessionLog, SorenessLog
from tests.factories import MONDAY, make_profile, make_screening


def test_adherence_counts_planned_sessions_up_to_today_and_what_was_done(
    library: Library,
) -> None:
    plan = build_plan(make_profile(), None, library, weeks=4)
    week1 = plan.weeks[0]
    strength_day = week1.strength_days[0]
    strength = strength_day.session(SessionKind.strength)
    assert strength is not None
    p = strength.prescriptions[0]
    logs = [
        SessionLog(
            date=strength_day.date,
            session=SessionKind.strength,
            status="done",
            plan_version=1,
            exercises=(
                ExerciseLog(
                    exercise_id=p.exercise_id,
                    unit=p.unit,
                    prescribed_sets=p.sets,
                    prescribed=p.amount,
                    sets=(p.amount.high,) * p.sets,
                    effort=6,
                    felt="glutes",
                    pain=1,  # type: ignore[arg-type]
                ),
            ),
        ),
        SessionLog(
            date=week1.days[1].date,
            session=SessionKind.pre_run_activation,
            status="skipped",
            skip_reason="late",
            plan_version=1,
        ),
    ]
    today = week1.days[-1].date + dt.timedelta(days=2)  # two days into week 2
    report = progress(plan, ProgressLogs.of(logs), [SorenessLog(date=MONDAY, level=3)], [], today)
    assert [w.number for w in report.weeks] == [1, 2]
    first = report.weeks[0]
    expected = sum(1 for d in week1.days for s in d.sessions if s.kind != SessionKind.run_cue)
    assert (first.planned, first.done, first.skipped) == (expected, 1, 1)
    assert report.weeks[1].planned < expected
    assert report.exercises[0].exercise_id == p.exercise_id
    assert report.exercises[0].points[0].best == p.amount.high
    assert [v.value for v in report.pain] == [1]
    assert [v.value for v in report.soreness] == [3]


def test_tests_are_compared_with_the_first_screening(library: Library) -> None:
    first = make_screening(
        library,
        tests={
            "side_plank_s": {"left": 18, "right": 41},
            "clamshell_felt": {"left": "side_of_thigh", "right": "glutes"},
        },
    )
    latest = make_screening(
        library,
        tests={
            "side_plank_s": {"left": 45, "right": 41},
            "clamshell_felt": {"left": "glutes", "right": "glutes"},
        },
    )
    plan = build_plan(make_profile(), None, library, weeks=1)
    rows = progress(plan, ProgressLogs.of([]), [], [first, latest], MONDAY).tests
    left_plank = next(r for r in rows if r.test == "side_plank_s" and r.side == "left")
    assert (left_plank.first, left_plank.latest, left_plank.improved) == ("18 s", "45 s", True)
    right_plank = next(r for r in rows if r.test == "side_plank_s" and r.side == "right")
    assert right_plank.improved is None
    clam = next(r for r in rows if r.test == "clamshell_felt" and r.side == "left")
    assert (clam.first, clam.latest, clam.improved) == ("side_of_thigh", "glutes", True)
