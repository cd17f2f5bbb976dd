"""Property tests over 1,000 random valid profiles: the placement rules always hold."""

from __future__ import annotations

import datetime as dt
from itertools import combinations, pairwise
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from glutecoach.domain.errors import RuleViolation
from glutecoach.domain.library import Library, load_library
from glutecoach.domain.planning import (
    Plan,
    RunKind,
    RunnerProfile,
    SessionKind,
    Weekday,
    WeekKind,
    build_plan,
)

DAYS = list(Weekday)
LIBRARY: Library = load_library()
STRENGTH_TAPER_DAYS = int(LIBRARY.threshold("strength_taper_days").value)
TAPER_DAYS = int(LIBRARY.threshold("taper_days").value)


@st.composite
def profiles(draw: st.DrawFn) -> tuple[RunnerProfile, int]:
    run_days = draw(st.sets(st.sampled_from(DAYS), min_size=1, max_size=7))
    ordered = sorted(run_days, key=lambda d: d.position)
    long_run = draw(st.none() | st.sampled_from(ordered))
    hard = draw(st.sets(st.sampled_from([d for d in ordered if d != long_run] or ordered)))
    hard.discard(long_run) if long_run else None
    start = dt.date(2026, 1, 5) + dt.timedelta(days=draw(st.integers(0, 400)))
    weeks = draw(st.integers(1, 24))
    data: dict[str, Any] = {
        "name": "Property",
        "start_date": start,
        "run_days": ordered,
        "long_run_day": long_run,
        "hard_days": sorted(hard, key=lambda d: d.position),
        "weekly_km": draw(st.floats(0, 150)),
        "planned_weekly_km": draw(st.lists(st.floats(0, 150), max_size=weeks)),
        "experience": draw(st.sampled_from(["beginner", "intermediate", "advanced"])),
        "equipment": draw(
            st.sets(st.sampled_from(["mini_band", "long_band", "dumbbell", "box", "foam_roller"]))
        ),
        "strength_minutes": draw(st.integers(10, 90)),
        "strength_sessions_per_week": draw(st.sampled_from([2, 3])),
    }
    if draw(st.booleans()):
        data["race"] = {
            "date": start + dt.timedelta(days=draw(st.integers(0, 7 * 26))),
            "distance_km": 21.1,
        }
    return RunnerProfile.model_validate(data), weeks


def _run_on(profile: RunnerProfile, date: dt.date) -> RunKind:
    """The run on a date, worked out from the profile alone (not from the planner)."""
    if profile.race is not None and date == profile.race.date:
        return RunKind.race
    day = DAYS[date.weekday()]
    if day == profile.long_run_day:
        return RunKind.long
    if day in profile.hard_days:
        return RunKind.hard
    return RunKind.easy if day in profile.run_days else RunKind.rest


def _two_days_fit(profile: RunnerProfile) -> bool:
    """Brute force: is there any pair of non-adjacent easy/rest days with no hard day after?"""
    hard = {RunKind.long, RunKind.hard}
    kinds = {d: _run_on(profile.model_copy(update={"race": None}), _on(d)) for d in DAYS}
    free = [
        d for d in DAYS if kinds[d] not in hard and kinds[DAYS[(d.position + 1) % 7]] not in hard
    ]
    return any((b.position - a.position) % 7 not in (1, 6) for a, b in combinations(free, 2))


def _on(day: Weekday) -> dt.date:
    return dt.date(2026, 11, 23) + dt.timedelta(days=day.position)  # a Monday


def _strength_dates(plan: Plan) -> list[dt.date]:
    return [d.date for d in plan.days if d.session(SessionKind.strength)]


def _check_placement(profile: RunnerProfile, plan: Plan) -> None:
    dates = _strength_dates(plan)
    for date in dates:
        assert _run_on(profile, date) in (RunKind.easy, RunKind.rest), date
        assert _run_on(profile, date + dt.timedelta(days=1)) not in (
            RunKind.long,
            RunKind.hard,
            RunKind.race,
        ), date
    for earlier, later in pairwise(dates):
        assert (later - earlier).days >= 2, (earlier, later)


def _check_weekly_count(profile: RunnerProfile, plan: Plan) -> None:
    cut = profile.race.date - dt.timedelta(days=STRENGTH_TAPER_DAYS) if profile.race else None
    for week in plan.weeks:
        last = week.days[-1].date
        if len(week.days) == 7 and (cut is None or last < cut):
            assert 2 <= len(week.strength_days) <= 3, week.number
        assert len(week.strength_days) <= 3


def _check_lighter_weeks(profile: RunnerProfile, plan: Plan) -> None:
    for previous, week in zip(plan.weeks, plan.weeks[1:], strict=False):
        if week.kind == WeekKind.deload:
            assert week.volume_factor <= 0.5
            full = previous.kind == WeekKind.build and previous.volume_factor == 1.0
            if full and previous.strength_days and week.strength_days:
                per_session_before = previous.strength_volume / len(previous.strength_days)
                per_session_now = week.strength_volume / len(week.strength_days)
                assert per_session_now <= 0.6 * per_session_before, week.number
    if profile.race is not None:
        taper_from = profile.race.date - dt.timedelta(days=TAPER_DAYS)
        cut = profile.race.date - dt.timedelta(days=STRENGTH_TAPER_DAYS)
        assert all(date < cut for date in _strength_dates(plan))
        for week in plan.weeks:
            if week.days[-1].date >= taper_from:
                assert week.kind == WeekKind.taper
                assert week.volume_factor <= 0.5
        assert plan.end <= profile.race.date


def _check_sessions(profile: RunnerProfile, plan: Plan) -> None:
    for day in plan.days:
        run = _run_on(profile, day.date)
        activation = day.session(SessionKind.pre_run_activation)
        assert (activation is not None) == (run != RunKind.rest)
        if activation is not None:
            assert 1 <= activation.minutes <= 8
            assert activation.prescriptions
        for session in day.sessions:
            assert session.reason
            assert all(p.reason for p in session.prescriptions)


@settings(
    max_examples=1300,  # about a fifth are refused as infeasible; 1,000+ are planned
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(profiles())
def test_placement_rules_hold_for_every_valid_profile(case: tuple[RunnerProfile, int]) -> None:
    profile, weeks = case
    try:
        plan = build_plan(profile, None, LIBRARY, weeks)
    except RuleViolation:
        event("refused: no two strength days fit")
        assert not _two_days_fit(profile)
        return
    event(f"planned: {len(plan.strength_weekdays)} strength days a week")
    event(f"has deload week: {any(w.kind == WeekKind.deload for w in plan.weeks)}")
    event(f"has taper: {any(w.kind == WeekKind.taper for w in plan.weeks)}")
    assert _two_days_fit(profile)
    _check_placement(profile, plan)
    _check_weekly_count(profile, plan)
    _check_lighter_weeks(profile, plan)
    _check_sessions(profile, plan)
