"""A runner at a glance for their clinician: adherence this week, the last log, the flags."""

from __future__ import annotations

import datetime as dt

from glutecoach.domain.clinic import FlagKind, RunnerOverview, overview
from glutecoach.domain.library import Library
from glutecoach.domain.planning import Plan, SessionKind
from glutecoach.domain.progression import Change, SessionLog
from tests.factories import MONDAY, make_change, make_exercise_log, make_plan, make_session_log

PLAN = make_plan(weeks=3)


def planned_in_week(plan: Plan, until: dt.date) -> list[tuple[dt.date, SessionKind]]:
    week = next(w for w in plan.weeks if any(d.date == until for d in w.days))
    counted = {SessionKind.strength, SessionKind.pre_run_activation}
    counted |= {SessionKind.dynamic_warm_up, SessionKind.post_run_recovery}
    return [
        (d.date, s.kind)
        for d in week.days
        if d.date <= until
        for s in d.sessions
        if s.kind in counted
    ]


def done(date: dt.date, kind: SessionKind, pain: int = 0, felt: str = "glutes") -> SessionLog:
    return make_session_log(make_exercise_log(pain=pain, felt=felt), date=date, session=kind.value)


def see(library: Library, logs: list[SessionLog], today: dt.date, **kw: object) -> RunnerOverview:
    return overview(
        "ana",
        "Ana",
        kw.pop("plan", PLAN),  # type: ignore[arg-type]
        1,
        logs,
        kw.pop("changes", []),  # type: ignore[arg-type]
        library,
        today,
    )


def test_adherence_counts_the_sessions_done_of_those_planned_up_to_today(library: Library) -> None:
    today = MONDAY + dt.timedelta(days=10)
    planned = planned_in_week(PLAN, today)
    assert len(planned) >= 3
    logs = [done(d, k) for d, k in planned[:2]]
    logs.append(
        make_session_log(
            date=planned[2][0],
            session=planned[2][1].value,
            status="skipped",
            skip_reason="ill",
            exercises=(),
        )
    )
    seen = see(library, logs, today)
    assert seen.adherence is not None
    assert (seen.adherence.planned, seen.adherence.done, seen.adherence.skipped) == (
        len(planned),
        2,
        1,
    )
    assert seen.last_log == max(d for d, _ in planned[:3])


def test_missed_sessions_this_week_are_flagged_but_today_is_not_over(library: Library) -> None:
    today = MONDAY + dt.timedelta(days=10)
    gone = [p for p in planned_in_week(PLAN, today) if p[0] < today]
    logs = [done(d, k) for d, k in gone]
    assert not [f for f in see(library, logs, today).flags if f.kind == FlagKind.missed]
    flags = [f for f in see(library, logs[1:], today).flags if f.kind == FlagKind.missed]
    assert len(flags) == 1
    assert f"1 of {len(gone)} sessions missed" in flags[0].text


def test_pain_in_the_last_two_weeks_is_flagged_with_score_and_where(library: Library) -> None:
    today = MONDAY + dt.timedelta(days=12)
    old = done(MONDAY - dt.timedelta(days=5), SessionKind.strength, pain=6)
    recent = done(MONDAY + dt.timedelta(days=8), SessionKind.strength, pain=5, felt="low_back")
    flags = [f for f in see(library, [old, recent], today).flags if f.kind == FlagKind.pain]
    assert len(flags) == 1
    assert "5/10" in flags[0].text and "low back" in flags[0].text
    assert flags[0].date == recent.date
    limit = int(library.threshold("pain_referral_level").value)
    assert flags[0].urgent == (limit <= 5)
    twinge = done(MONDAY + dt.timedelta(days=8), SessionKind.strength, pain=1)
    assert not [f for f in see(library, [twinge], today).flags if f.kind == FlagKind.pain]


def test_a_recent_regression_is_flagged_and_an_old_one_is_not(library: Library) -> None:
    today = MONDAY + dt.timedelta(days=16)

    def change(days: int, action: str) -> Change:
        return make_change(MONDAY + dt.timedelta(days=days), action)

    changes = [change(1, "regress"), change(12, "regress"), change(13, "progress")]
    flags = [
        f for f in see(library, [], today, changes=changes).flags if f.kind == FlagKind.regression
    ]
    assert [f.date for f in flags] == [MONDAY + dt.timedelta(days=12)]
    assert "low back" in flags[0].text


def test_a_red_flag_referral_is_urgent(library: Library) -> None:
    plan = PLAN.model_copy(update={"referrals": ("Knee pain at night: see a clinician.",)})
    seen = see(library, [], MONDAY + dt.timedelta(days=3), plan=plan)
    referral = [f for f in seen.flags if f.kind == FlagKind.referral]
    assert len(referral) == 1 and "Knee pain at night" in referral[0].text
    assert seen.urgent
    assert not see(library, [], MONDAY + dt.timedelta(days=3)).urgent


def test_outside_the_plan_there_is_no_adherence_and_without_a_plan_a_flag(
    library: Library,
) -> None:
    assert see(library, [], PLAN.end + dt.timedelta(days=5)).adherence is None
    seen = see(library, [], MONDAY, plan=None)
    assert seen.adherence is None and [f.kind for f in seen.flags] == [FlagKind.no_plan]
