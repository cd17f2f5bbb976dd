"""The planner's rules on concrete runners."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from glutecoach.domain.errors import InvalidInput, Referral, RuleViolation
from glutecoach.domain.library import BodyArea, Library
from glutecoach.domain.planning import (
    Phase,
    RunKind,
    SessionKind,
    Weekday,
    WeekKind,
    build_plan,
)
from glutecoach.domain.planning.placement import place_strength
from tests.factories import MONDAY, make_profile, make_screening


def test_it_refuses_a_strength_day_before_the_long_run_or_a_hard_day() -> None:
    pattern = place_strength(make_profile())  # runs tue thu(hard) sat sun(long)
    assert Weekday.sat not in pattern.strength  # before the long run
    assert Weekday.wed not in pattern.strength  # before the hard day
    assert Weekday.thu not in pattern.strength and Weekday.sun not in pattern.strength
    assert pattern.strength == (Weekday.mon, Weekday.fri)


def test_three_sessions_are_placed_when_asked_and_they_fit() -> None:
    pattern = place_strength(
        make_profile(
            run_days=["tue", "sat"], long_run_day="sat", hard_days=[], strength_sessions_per_week=3
        )
    )
    assert len(pattern.strength) == 3
    indexes = sorted(d.position for d in pattern.strength)
    gaps = [(b - a) % 7 for a, b in zip(indexes, indexes[1:] + indexes[:1], strict=True)]
    assert min(gaps) >= 2


def test_it_says_so_when_only_two_of_three_sessions_fit() -> None:
    pattern = place_strength(make_profile(strength_sessions_per_week=3))
    assert len(pattern.strength) == 2
    assert "only 2 fit" in pattern.notes[-1]


def test_a_week_with_no_room_for_two_strength_days_is_refused_with_the_reason() -> None:
    profile = make_profile(
        run_days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        long_run_day="sun",
        hard_days=["tue", "thu", "sat"],
    )
    with pytest.raises(RuleViolation, match="no two non-consecutive easy or rest days"):
        place_strength(profile)


def test_every_run_day_gets_activation_a_cue_and_recovery_and_hard_days_a_warm_up(
    library: Library,
) -> None:
    plan = build_plan(make_profile(), None, library, weeks=2)
    for day in plan.days:
        kinds = [s.kind for s in day.sessions]
        if day.run == RunKind.rest:
            assert SessionKind.pre_run_activation not in kinds
            continue
        assert SessionKind.pre_run_activation in kinds
        assert SessionKind.run_cue in kinds
        assert SessionKind.post_run_recovery in kinds
        assert (SessionKind.dynamic_warm_up in kinds) == (day.run == RunKind.hard)


def test_pre_run_activation_takes_five_to_eight_minutes(library: Library) -> None:
    plan = build_plan(make_profile(equipment=[]), None, library, weeks=1)
    minutes = {
        d.session(SessionKind.pre_run_activation).minutes
        for d in plan.days
        if d.run != RunKind.rest
    }  # type: ignore[union-attr]
    assert minutes and all(5 <= m <= 8 for m in minutes)


def test_post_run_recovery_rolls_front_and_back_and_stretches(library: Library) -> None:
    plan = build_plan(make_profile(), None, library, weeks=1)
    recovery = plan.days[1].session(SessionKind.post_run_recovery)
    assert recovery is not None
    ids = [p.exercise_id for p in recovery.prescriptions]
    assert ids[:2] == ["foam_roll_front", "foam_roll_back"]
    assert any("stretch" in i for i in ids)


def test_without_a_foam_roller_recovery_is_stretching_only(library: Library) -> None:
    plan = build_plan(make_profile(equipment=[]), None, library, weeks=1)
    recovery = plan.days[1].session(SessionKind.post_run_recovery)
    assert recovery is not None
    assert all("foam_roll" not in p.exercise_id for p in recovery.prescriptions)


def test_exercises_need_only_the_equipment_at_hand(library: Library) -> None:
    plan = build_plan(make_profile(equipment=[]), None, library, weeks=8)
    for day in plan.days:
        for session in day.sessions:
            for p in session.prescriptions:
                assert library.exercises[p.exercise_id].equipment == (), p.exercise_id


def test_phases_move_up_the_progression_graph(library: Library) -> None:
    plan = build_plan(make_profile(experience="advanced"), None, library, weeks=12)
    by_phase: dict[Phase, float] = {}
    for week in plan.weeks:
        if week.kind == WeekKind.build and week.strength_days:
            session = week.strength_days[0].session(SessionKind.strength)
            assert session is not None
            chosen = [library.exercises[p.exercise_id] for p in session.prescriptions]
            levels = [e.difficulty for e in chosen if e.category.value != "drill"]
            by_phase.setdefault(week.phase, sum(levels) / len(levels))
    assert by_phase[Phase.foundation] < by_phase[Phase.strength] <= by_phase[Phase.integration]


def test_integration_includes_a_gait_specific_drill(library: Library) -> None:
    plan = build_plan(make_profile(), None, library, weeks=9)
    integration = [w for w in plan.weeks if w.phase == Phase.integration]
    session = integration[0].strength_days[0].session(SessionKind.strength)
    assert session is not None
    categories = {library.exercises[p.exercise_id].category.value for p in session.prescriptions}
    assert "drill" in categories


def test_every_fourth_week_is_a_deload_at_about_half_volume(library: Library) -> None:
    plan = build_plan(make_profile(), None, library, weeks=8)
    assert [w.kind for w in plan.weeks].count(WeekKind.deload) == 1
    week3, week4 = plan.weeks[2], plan.weeks[3]
    assert week4.kind == WeekKind.deload
    assert week4.strength_volume <= 0.6 * week3.strength_volume


def test_a_race_gets_a_taper_and_no_strength_in_the_last_ten_days(library: Library) -> None:
    race = MONDAY + dt.timedelta(days=7 * 6 - 1)  # a Sunday six weeks on
    profile = make_profile(race={"date": race.isoformat(), "distance_km": 42.2})
    plan = build_plan(profile, None, library, weeks=8)
    assert plan.end == race
    assert plan.days[-1].run == RunKind.race
    assert [w.kind for w in plan.weeks][-2:] == [WeekKind.taper, WeekKind.taper]
    strength = [d.date for d in plan.days if d.session(SessionKind.strength)]
    assert max(strength) < race - dt.timedelta(days=10)
    assert plan.days[-1].session(SessionKind.pre_run_activation) is not None


def test_a_spike_in_planned_running_lightens_that_weeks_strength(library: Library) -> None:
    plan = build_plan(make_profile(planned_weekly_km=[30, 45, 45]), None, library, weeks=3)
    assert plan.weeks[1].volume_factor < 1
    assert any("Running rises 50 %" in n for n in plan.weeks[1].notes)
    assert plan.weeks[1].strength_volume < plan.weeks[0].strength_volume


def test_run_cues_rotate_and_the_findings_cues_come_first(library: Library) -> None:
    screening = make_screening(library, answers={"hip_drop_seen": True})
    plan = build_plan(make_profile(), screening, library, weeks=2)
    cues = [d.session(SessionKind.run_cue).cue.id for d in plan.days if d.run != RunKind.rest]  # type: ignore[union-attr]
    assert cues[0] in ("quicker_cadence", "squeeze_stance_glute", "level_pelvis")
    assert len(set(cues)) >= 4


def test_the_weaker_side_gets_an_extra_set_and_the_reason_quotes_the_test(
    library: Library,
) -> None:
    screening = make_screening(library, tests={"side_plank_s": {"left": 18, "right": 41}})
    plan = build_plan(make_profile(), screening, library, weeks=1)
    strength = plan.days[0].session(SessionKind.strength)
    assert strength is not None
    sided = [p for p in strength.prescriptions if p.extra_set_side is not None]
    assert sided and all(p.extra_set_side.value == "left" for p in sided)  # type: ignore[union-attr]
    assert "left side held 18 s vs 41 s on the right" in sided[0].reason


def test_a_red_flag_at_the_knee_leaves_out_every_exercise_that_loads_the_knee(
    library: Library,
) -> None:
    screening = make_screening(library, answers={"pain": [{"area": "knee_front", "level": 5}]})
    plan = build_plan(make_profile(), screening, library, weeks=12)
    used = {p.exercise_id for d in plan.days for s in d.sessions for p in s.prescriptions}
    assert used
    assert all(BodyArea.knee not in library.exercises[i].loads for i in used)
    assert plan.referrals and "clinician" in plan.referrals[0]


def test_a_red_flag_at_the_hip_stops_the_plan_and_refers(library: Library) -> None:
    screening = make_screening(
        library, answers={"pain": [{"area": "hip", "level": 2, "limp": True}]}
    )
    with pytest.raises(Referral, match="see a physiotherapist or doctor"):
        build_plan(make_profile(), screening, library)


def test_the_same_input_gives_the_same_plan_byte_for_byte(library: Library) -> None:
    screening = make_screening(library, answers={"hip_drop_seen": True})
    first = build_plan(make_profile(), screening, library, weeks=16).model_dump_json()
    again = build_plan(make_profile(), screening, library, weeks=16).model_dump_json()
    assert first == again


def test_plan_length_is_checked(library: Library) -> None:
    with pytest.raises(InvalidInput, match="between 1 and 24"):
        build_plan(make_profile(), None, library, weeks=25)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"run_days": []}, "run_days"),
        ({"long_run_day": "mon"}, "long_run_day 'mon' is not one of the run_days"),
        ({"hard_days": ["wed"]}, "hard_days wed are not run_days"),
        ({"run_days": ["tue", "tue", "sun"]}, "lists tue more than once"),
        ({"timezone": "Mars/Olympus"}, "not a time zone name"),
        ({"race": {"date": "2026-01-01", "distance_km": 10}}, "before the plan's start date"),
        ({"strength_sessions_per_week": 4}, "strength_sessions_per_week"),
        ({"shoe_size": 44}, "shoe_size"),
    ],
)
def test_a_bad_profile_is_refused_with_the_field_named(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        make_profile(**overrides)
