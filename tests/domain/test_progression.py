"""The progression engine: progress, hold, regress, stop — and the plan versions it makes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from glutecoach.domain.library import Library
from glutecoach.domain.library.models import Equipment, IntRange
from glutecoach.domain.planning import Plan, SessionKind, build_plan
from glutecoach.domain.planning.plan import Prescription
from glutecoach.domain.progression import (
    Action,
    ExerciseLog,
    SessionLog,
    SorenessLog,
    adapt,
    decide,
)
from tests.factories import MONDAY, make_profile

ALL_EQUIPMENT = frozenset(Equipment)


def usable(_: object) -> bool:
    return True


def clam(**changes: Any) -> Prescription:
    data: dict[str, Any] = {
        "exercise_id": "clamshell",
        "name": "Clamshell",
        "sets": 2,
        "unit": "reps",
        "amount": IntRange(low=15, high=20),
        "per_side": True,
        "rest_s": 30,
        "reason": "test",
    }
    data.update(changes)
    return Prescription(**data)


def did(
    p: Prescription, *amounts: int, effort: int = 6, felt: str = "glutes", pain: int = 0
) -> ExerciseLog:
    return ExerciseLog(
        exercise_id=p.exercise_id,
        unit=p.unit,
        prescribed_sets=p.sets,
        prescribed=p.amount,
        sets=amounts or (p.amount.high,) * p.sets,
        effort=effort,
        felt=felt,  # type: ignore[arg-type]
        pain=pain,
    )


def _decide(library: Library, logs: list[ExerciseLog], current: Prescription | None = None) -> Any:
    p = current or clam()
    exercise = library.exercises[p.exercise_id]
    return decide(exercise, p, SessionKind.strength, logs, library, usable)


def test_two_sessions_at_the_top_easy_and_in_the_glutes_add_reps_up_to_the_ceiling(
    library: Library,
) -> None:
    p = clam()
    decision = _decide(library, [did(p), did(p)])
    assert decision.action == Action.progress
    assert decision.amount == IntRange(low=17, high=22)
    capped = clam(amount=IntRange(low=20, high=24))
    assert _decide(library, [did(capped), did(capped)], capped).amount == IntRange(low=22, high=25)


def test_one_good_session_is_not_enough(library: Library) -> None:
    p = clam()
    decision = _decide(library, [did(p)])
    assert decision.action == Action.hold
    assert "one more session" in decision.reason


def test_at_the_ceiling_it_moves_to_the_next_step_on_the_graph(library: Library) -> None:
    p = clam(amount=IntRange(low=20, high=25))
    decision = _decide(library, [did(p), did(p)], p)
    assert decision.action == Action.progress
    assert decision.to_exercise_id == "banded_clamshell"


def test_hard_effort_or_the_wrong_place_holds(library: Library) -> None:
    p = clam()
    assert _decide(library, [did(p), did(p, effort=9)]).action == Action.hold
    held = _decide(library, [did(p), did(p, felt="side_of_thigh")])
    assert held.action == Action.hold
    assert "side of the thigh" in held.reason


def test_felt_in_the_wrong_place_twice_regresses_with_the_faults_cue(library: Library) -> None:
    p = clam(exercise_id="banded_clamshell", name="Banded clamshell")
    decision = _decide(library, [did(p, felt="side_of_thigh"), did(p, felt="side_of_thigh")], p)
    assert decision.action == Action.regress
    assert decision.to_exercise_id in ("clamshell", "clamshell_hip_flexed_60")
    fix = library.exercises["banded_clamshell"].felt_elsewhere.get("side_of_thigh")  # type: ignore[call-overload]
    assert fix is None or fix in decision.reason


def test_a_bridge_felt_in_the_hamstrings_twice_goes_back_a_step(library: Library) -> None:
    p = clam(
        exercise_id="single_leg_bridge",
        name="Single-leg bridge",
        per_side=True,
        amount=IntRange(low=10, high=15),
    )
    decision = _decide(library, [did(p, felt="hamstring"), did(p, felt="hamstring")], p)
    assert decision.action == Action.regress
    assert decision.to_exercise_id == "glute_bridge"
    assert "hamstring" in decision.reason


def test_sets_that_could_not_be_completed_regress(library: Library) -> None:
    p = clam()
    decision = _decide(library, [did(p, 15, 9)])
    assert decision.action == Action.regress
    assert "could not all be completed" in decision.reason


def test_an_entry_point_with_nothing_easier_regresses_its_dose(library: Library) -> None:
    p = clam(exercise_id="glute_squeeze", name="Glute squeeze", amount=IntRange(low=10, high=12))
    decision = _decide(library, [did(p, 4)], p)
    assert decision.action == Action.regress
    assert decision.amount is not None and decision.amount.high <= 10


def test_pain_at_four_stops_it_and_suggests_a_pain_free_alternative(library: Library) -> None:
    p = clam()
    decision = _decide(library, [did(p, pain=4)])
    assert decision.action == Action.stop
    alternative = library.exercises[decision.to_exercise_id]
    assert "glute_med" in [m.value for m in alternative.primary_muscles]
    assert library.family[alternative.id] != library.family["clamshell"]
    assert "see a physiotherapist or doctor" in decision.reason


def test_pain_that_grows_from_one_session_to_the_next_stops_it(library: Library) -> None:
    p = clam()
    assert _decide(library, [did(p, pain=1), did(p, pain=3)]).action == Action.stop
    assert _decide(library, [did(p, pain=2), did(p, pain=2)]).action != Action.stop


# --- whole-plan adaptation -------------------------------------------------------------------


def _plan(library: Library, weeks: int = 8) -> Plan:
    return build_plan(make_profile(), None, library, weeks=weeks)


def _log_strength(plan: Plan, date: dt.date, **how: Any) -> SessionLog:
    day = next(d for d in plan.days if d.date == date)
    session = day.session(SessionKind.strength)
    assert session is not None
    return SessionLog(
        date=date,
        session=SessionKind.strength,
        status="done",
        exercises=tuple(did(p, **how) for p in session.prescriptions),
        plan_version=1,
    )


def test_adapting_changes_only_the_days_after_today(library: Library) -> None:
    plan = _plan(library)
    first, second = [d.date for d in plan.days if d.session(SessionKind.strength)][:2]
    logs = [_log_strength(plan, first), _log_strength(plan, second)]
    result = adapt(plan, logs, [], library, today=second, equipment=ALL_EQUIPMENT)
    assert result.changes and all(c.action == "progress" for c in result.changes)
    for old, new in zip(plan.days, result.plan.days, strict=True):
        if old.date <= second:
            assert old == new
    later = [d for d in result.plan.days if d.date > second and d.session(SessionKind.strength)]
    assert later[0] != next(d for d in plan.days if d.date == later[0].date)


def test_the_same_logs_never_progress_twice(library: Library) -> None:
    plan = _plan(library)
    first, second = [d.date for d in plan.days if d.session(SessionKind.strength)][:2]
    logs = [_log_strength(plan, first), _log_strength(plan, second)]
    once = adapt(plan, logs, [], library, today=second, equipment=ALL_EQUIPMENT)
    again = adapt(
        once.plan, logs, [], library, today=second, history=once.changes, equipment=ALL_EQUIPMENT
    )
    assert again.changes == ()
    assert again.plan == once.plan


def test_high_soreness_lightens_the_next_strength_session_but_keeps_its_exercises(
    library: Library,
) -> None:
    plan = _plan(library)
    first = next(d.date for d in plan.days if d.session(SessionKind.strength))
    sore = SorenessLog(date=first + dt.timedelta(days=1), level=8)
    result = adapt(plan, [], [sore], library, today=sore.date, equipment=ALL_EQUIPMENT)
    assert [c.action for c in result.changes] == ["lighter"]
    target = result.changes[0].effective_from
    before = next(d for d in plan.days if d.date == target).session(SessionKind.strength)
    after = next(d for d in result.plan.days if d.date == target).session(SessionKind.strength)
    assert before is not None and after is not None
    assert [p.exercise_id for p in after.prescriptions] == [
        p.exercise_id for p in before.prescriptions
    ]
    assert sum(p.volume for p in after.prescriptions) < sum(p.volume for p in before.prescriptions)
    assert (
        adapt(plan, [], [SorenessLog(date=sore.date, level=3)], library, today=sore.date).changes
        == ()
    )


def test_two_weeks_away_steps_back_a_rung_instead_of_piling_up(library: Library) -> None:
    plan = build_plan(make_profile(experience="advanced"), None, library, weeks=8)
    first = next(d.date for d in plan.days if d.session(SessionKind.strength))
    logs = [_log_strength(plan, first, effort=9)]
    today = first + dt.timedelta(days=15)
    result = adapt(plan, logs, [], library, today=today, equipment=ALL_EQUIPMENT, returning=True)
    assert [c.action for c in result.changes] == ["step_back"]
    future = [d for d in result.plan.days if d.date > today and d.session(SessionKind.strength)]
    old = next(d for d in plan.days if d.date == future[0].date).session(SessionKind.strength)
    new = future[0].session(SessionKind.strength)
    assert old is not None and new is not None
    levels = lambda s: sum(library.exercises[p.exercise_id].difficulty for p in s.prescriptions)  # noqa: E731
    assert levels(new) < levels(old)
    assert first >= MONDAY


def test_catching_up_on_old_logs_is_not_time_away_but_a_gap_between_logs_is(
    library: Library,
) -> None:
    plan = build_plan(make_profile(experience="advanced"), None, library, weeks=8)
    days = [d.date for d in plan.days if d.session(SessionKind.strength)]
    today = days[0] + dt.timedelta(days=20)
    old = [_log_strength(plan, days[0], effort=9)]
    catching_up = adapt(plan, old, [], library, today=today, equipment=ALL_EQUIPMENT)
    assert catching_up.changes == ()
    late = next(d for d in days if (d - days[0]).days >= 14)
    gap = [*old, _log_strength(plan, late, effort=9)]
    back = adapt(plan, gap, [], library, today=late, equipment=ALL_EQUIPMENT)
    assert [c.action for c in back.changes] == ["step_back"]
    again = adapt(
        back.plan,
        gap,
        [],
        library,
        today=late,
        history=back.changes,
        equipment=ALL_EQUIPMENT,
        returning=True,
    )
    assert again.changes == ()


def _last_days_of_a_phase_step(plan: Plan, library: Library) -> tuple[dt.date, dt.date, str, str]:
    """Two strength days in a row holding an exercise no later strength day holds, and the
    later step of its family that the next phase holds instead."""
    days = [d for d in plan.days if d.session(SessionKind.strength)]
    for before, day, *rest in (days[i - 1 : i + 1] + days[i + 1 :] for i in range(1, len(days))):
        later = [p for d in rest for p in d.session(SessionKind.strength).prescriptions]  # type: ignore[union-attr]
        for p in day.session(SessionKind.strength).prescriptions:  # type: ignore[union-attr]
            earlier = before.session(SessionKind.strength).prescriptions  # type: ignore[union-attr]
            family = library.family.get(p.exercise_id)
            step = next((q for q in later if library.family.get(q.exercise_id) == family), None)
            if (
                step is not None
                and any(q.exercise_id == p.exercise_id for q in earlier)
                and all(q.exercise_id != p.exercise_id for q in later)
            ):
                return before.date, day.date, p.exercise_id, step.exercise_id
    raise AssertionError("no phase change in the plan")


def test_pain_on_a_step_the_plan_moves_past_carries_to_the_families_next_step(
    library: Library,
) -> None:
    plan = _plan(library)
    before, day, old_step, new_step = _last_days_of_a_phase_step(plan, library)

    def logs(**how: Any) -> list[SessionLog]:
        return [_log_strength(plan, before), _log_strength(plan, day, **how)]

    last = _log_strength(plan, day)
    only_it = last.model_copy(
        update={
            "exercises": tuple(
                e.model_copy(update={"pain": 5}) if e.exercise_id == old_step else e
                for e in last.exercises
            )
        }
    )
    hurt = adapt(
        plan,
        [_log_strength(plan, before), only_it],
        [],
        library,
        today=day,
        equipment=ALL_EQUIPMENT,
    )
    stops = {c.exercise_id for c in hurt.changes if c.action == "stop"}
    assert new_step in stops  # the next phase's step of the family that hurt
    later = [
        p.exercise_id
        for d in hurt.plan.days
        if d.date > day
        for s in d.sessions
        for p in s.prescriptions
    ]
    assert old_step not in later and new_step not in later
    # a progression is not carried: the next phase already made it harder
    easy = adapt(plan, logs(), [], library, today=day, equipment=ALL_EQUIPMENT)
    assert all(c.exercise_id not in (old_step, new_step) for c in easy.changes)
