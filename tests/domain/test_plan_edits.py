"""A clinician's edits to a plan: pure, refused with a readable message when they break a rule."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from glutecoach.domain.errors import InvalidInput, RuleViolation
from glutecoach.domain.library import BodyArea, Library, load_library
from glutecoach.domain.planning import Plan, Prescription, SessionKind
from glutecoach.domain.planning.edits import (
    SESSION_CATEGORIES,
    AddNote,
    ChangeDosage,
    Guard,
    SwapExercise,
    apply_edit,
)
from glutecoach.domain.planning.placement import place_strength
from tests.factories import MONDAY, make_plan, make_profile

PLAN = make_plan(weeks=3)


def strength_days(plan: Plan) -> list[dt.date]:
    return [d.date for d in plan.days if d.session(SessionKind.strength)]


def prescriptions(plan: Plan, date: dt.date, kind: SessionKind) -> tuple[Prescription, ...]:
    day = next(d for d in plan.days if d.date == date)
    session = day.session(kind)
    assert session is not None
    return session.prescriptions


def first_strength(plan: Plan = PLAN) -> tuple[dt.date, Prescription]:
    date = strength_days(plan)[0]
    return date, prescriptions(plan, date, SessionKind.strength)[0]


def an_unused_strength_exercise(library: Library, plan: Plan, date: dt.date) -> str:
    present = {p.exercise_id for p in prescriptions(plan, date, SessionKind.strength)}
    return next(
        e.id
        for e in library.select()
        if e.category.value == "strength" and e.id not in present and not e.equipment
    )


def test_a_swap_in_one_session_changes_that_session_only(library: Library) -> None:
    date, old = first_strength()
    new = an_unused_strength_exercise(library, PLAN, date)
    edit = SwapExercise(
        exercise_id=old.exercise_id,
        to_exercise_id=new,
        on=date,
        session=SessionKind.strength,
        comment="Easier on the knee.",
    )
    edited = apply_edit(PLAN, edit, library, Guard(today=MONDAY))
    after = prescriptions(edited.plan, date, SessionKind.strength)
    assert [p.exercise_id for p in after].count(new) == 1
    assert old.exercise_id not in [p.exercise_id for p in after]
    swapped = next(p for p in after if p.exercise_id == new)
    assert swapped.reason.startswith("Changed by your clinician")
    assert "Easier on the knee." in swapped.reason
    later = strength_days(PLAN)[1]
    assert prescriptions(edited.plan, later, SessionKind.strength) == prescriptions(
        PLAN, later, SessionKind.strength
    )
    assert [(r.session, r.exercise_id, r.to_exercise_id) for r in edited.records] == [
        (SessionKind.strength, old.exercise_id, new)
    ]


def test_a_swap_from_a_date_leaves_the_days_before_alone(library: Library) -> None:
    first, second = strength_days(PLAN)[:2]
    _, old = first_strength()
    new = an_unused_strength_exercise(library, PLAN, first)
    edit = SwapExercise(
        exercise_id=old.exercise_id,
        to_exercise_id=new,
        from_date=second,
        session=SessionKind.strength,
    )
    edited = apply_edit(PLAN, edit, library, Guard(today=MONDAY))
    before = {p.exercise_id for p in prescriptions(edited.plan, first, SessionKind.strength)}
    assert old.exercise_id in before
    for day in edited.plan.days:
        session = day.session(SessionKind.strength)
        if day.date >= second and session is not None:
            assert old.exercise_id not in {p.exercise_id for p in session.prescriptions}
    assert all(r.effective_from >= second for r in edited.records)


def test_it_refuses_an_unknown_exercise_with_a_suggestion(library: Library) -> None:
    _, old = first_strength()
    with pytest.raises(InvalidInput, match=r"unknown exercise to swap in id 'clamshel'.*clamshell"):
        apply_edit(
            PLAN,
            SwapExercise(exercise_id=old.exercise_id, to_exercise_id="clamshel"),
            library,
            Guard(today=MONDAY),
        )
    with pytest.raises(InvalidInput, match="unknown exercise id 'nope'"):
        apply_edit(PLAN, ChangeDosage(exercise_id="nope", sets=2), library, Guard(today=MONDAY))


def test_it_refuses_a_swap_into_an_exercise_that_loads_a_red_flagged_area(
    library: Library,
) -> None:
    date, old = first_strength()
    knee = next(
        e.id
        for e in library.select()
        if BodyArea.knee in e.loads and e.category.value == "strength" and e.id != old.exercise_id
    )
    edit = SwapExercise(exercise_id=old.exercise_id, to_exercise_id=knee, on=date)
    with pytest.raises(RuleViolation, match=r"loads the .*knee.*red flag"):
        apply_edit(PLAN, edit, library, Guard(today=MONDAY, excluded=frozenset({BodyArea.knee})))
    # without the red flag the same swap is allowed
    assert apply_edit(PLAN, edit, library, Guard(today=MONDAY)).records


def test_it_refuses_a_swap_into_an_exercise_stopped_for_pain(library: Library) -> None:
    date, old = first_strength()
    new = an_unused_strength_exercise(library, PLAN, date)
    edit = SwapExercise(exercise_id=old.exercise_id, to_exercise_id=new, on=date)
    with pytest.raises(RuleViolation, match="pain"):
        apply_edit(PLAN, edit, library, Guard(today=MONDAY, stopped=frozenset({new})))


def test_it_refuses_a_swap_that_does_not_fit_the_session(library: Library) -> None:
    date, old = first_strength()
    stretch = next(e.id for e in library.select() if e.category.value == "mobility")
    edit = SwapExercise(exercise_id=old.exercise_id, to_exercise_id=stretch, on=date)
    with pytest.raises(RuleViolation, match="does not belong in a strength session"):
        apply_edit(PLAN, edit, library, Guard(today=MONDAY))


def test_it_refuses_past_days_and_days_outside_the_plan(library: Library) -> None:
    date, old = first_strength()
    dose = {"exercise_id": old.exercise_id, "sets": 3}
    with pytest.raises(RuleViolation, match="in the past"):
        apply_edit(
            PLAN, ChangeDosage(**dose, on=date), library, Guard(today=date + dt.timedelta(1))
        )
    outside = PLAN.end + dt.timedelta(days=3)
    with pytest.raises(InvalidInput, match="not in the plan"):
        apply_edit(PLAN, ChangeDosage(**dose, on=outside), library, Guard(today=MONDAY))
    with pytest.raises(InvalidInput, match="after the plan ends"):
        apply_edit(PLAN, ChangeDosage(**dose, from_date=outside), library, Guard(today=MONDAY))


def test_it_refuses_an_exercise_not_in_the_edited_days(library: Library) -> None:
    date, _ = first_strength()
    missing = an_unused_strength_exercise(library, PLAN, date)
    edit = ChangeDosage(exercise_id=missing, sets=2, on=date, session=SessionKind.strength)
    with pytest.raises(RuleViolation, match="is not in the strength session on"):
        apply_edit(PLAN, edit, library, Guard(today=MONDAY))


def test_a_dosage_change_sets_the_dose_and_says_why(library: Library) -> None:
    _, old = first_strength()
    exercise = library.exercises[old.exercise_id]
    unit = exercise.dosage.unit
    top = exercise.dosage.ceiling or exercise.dosage.amount.high
    low = max(1, top - 2)
    edit = ChangeDosage.model_validate(
        {"exercise_id": old.exercise_id, "sets": 3, unit: {"low": low, "high": top}}
    )
    edited = apply_edit(PLAN, edit, library, Guard(today=MONDAY))
    for day in edited.plan.days:
        for session in day.sessions:
            for p in session.prescriptions:
                if p.exercise_id == old.exercise_id:
                    assert (p.sets, p.amount.low, p.amount.high) == (3, low, top)
                    assert p.reason.startswith("Changed by your clinician")
    record = next(r for r in edited.records if r.session == SessionKind.strength)
    assert record.before != record.after


def test_a_dosage_out_of_the_librarys_range_is_refused(library: Library) -> None:
    capped = next(e for e in library.select() if e.dosage.ceiling and e.dosage.unit == "reps")
    over = capped.dosage.ceiling + 1  # type: ignore[operator]
    plan = PLAN
    with pytest.raises(InvalidInput, match=f"at most {capped.dosage.ceiling}"):
        apply_edit(
            plan,
            ChangeDosage(exercise_id=capped.id, reps={"low": over, "high": over}),
            library,
            Guard(today=MONDAY),
        )
    with pytest.raises(InvalidInput, match="sets must be from 1 to 10"):
        apply_edit(plan, ChangeDosage(exercise_id=capped.id, sets=11), library, Guard(MONDAY))


def test_a_dose_in_the_wrong_unit_is_refused(library: Library) -> None:
    held = next(e for e in library.select() if e.dosage.unit == "hold_s")
    edit = ChangeDosage(exercise_id=held.id, reps={"low": 10, "high": 12})
    with pytest.raises(InvalidInput, match="dosed in seconds held"):
        apply_edit(PLAN, edit, library, Guard(today=MONDAY))


def test_a_note_shows_on_the_days_sessions_and_nowhere_else(library: Library) -> None:
    date = strength_days(PLAN)[0]
    edited = apply_edit(
        PLAN, AddNote(text="Keep the band light today.", on=date), library, Guard(today=MONDAY)
    )
    for before, after in zip(PLAN.days, edited.plan.days, strict=True):
        for s0, s1 in zip(before.sessions, after.sessions, strict=True):
            assert s0.prescriptions == s1.prescriptions
            if after.date == date:
                assert s1.reason.endswith("Note from your clinician: Keep the band light today.")
            else:
                assert s1 == s0
    rest = next(d.date for d in PLAN.days if not d.sessions and d.date > MONDAY)
    with pytest.raises(RuleViolation, match="nothing planned"):
        apply_edit(PLAN, AddNote(text="Rest!", on=rest), library, Guard(today=MONDAY))


Swap = tuple[str, str, dt.date | None, dt.date | None, SessionKind]


@st.composite
def swaps(draw: st.DrawFn, plan: Plan = PLAN) -> Swap:
    """A swap in one kind of session, into an exercise of a kind that session takes."""
    library = load_library()
    kind = draw(st.sampled_from([k for k in SessionKind if SESSION_CATEGORIES[k]]))
    present = sorted(
        {p.exercise_id for d in plan.days if (s := d.session(kind)) for p in s.prescriptions}
    )
    fits = sorted(
        e.id for e in library.exercises.values() if e.category in SESSION_CATEGORIES[kind]
    )
    dates = st.sampled_from([d.date for d in plan.days])
    on = draw(st.one_of(st.none(), dates))
    from_date = None if on is not None else draw(st.one_of(st.none(), dates))
    return draw(st.sampled_from(present)), draw(st.sampled_from(fits)), on, from_date, kind


@settings(max_examples=150, deadline=None)
@given(swap=swaps())
def test_any_valid_swap_keeps_the_placement_and_changes_only_what_it_says(swap: Swap) -> None:
    library = load_library()
    old, new, on, from_date, kind = swap
    edit = SwapExercise(
        exercise_id=old, to_exercise_id=new, on=on, from_date=from_date, session=kind
    )
    try:
        edited = apply_edit(PLAN, edit, library, Guard(today=MONDAY)).plan
    except (InvalidInput, RuleViolation):
        # e.g. the exercise is not on that one day; hypothesis fails the test if most are refused
        assume(False)
        return
    pattern = place_strength(make_profile())
    assert edited.strength_weekdays == PLAN.strength_weekdays == pattern.strength
    first = on or from_date or MONDAY
    for before, after in zip(PLAN.days, edited.days, strict=True):
        # same days, same runs, same sessions in the same order: placement untouched
        assert (after.date, after.run) == (before.date, before.run)
        assert [s.kind for s in after.sessions] == [s.kind for s in before.sessions]
        in_days = after.date == on if on is not None else after.date >= first
        for s0, s1 in zip(before.sessions, after.sessions, strict=True):
            if not in_days or s0.kind != kind:
                assert s1 == s0
                continue
            assert len(s1.prescriptions) == len(s0.prescriptions)
            for p0, p1 in zip(s0.prescriptions, s1.prescriptions, strict=True):
                if p0.exercise_id == old:
                    assert p1.exercise_id == new
                    assert p1.reason.startswith("Changed by your clinician")
                else:
                    assert p1 == p0
    assert edited.referrals == PLAN.referrals
    assert edited.notes == PLAN.notes


@pytest.mark.parametrize(
    ("typed", "low", "high"), [("10", 10, 10), ("8-12", 8, 12), ("8–12", 8, 12)]
)
def test_a_dose_range_is_read_as_a_person_types_it(typed: str, low: int, high: int) -> None:
    edit = ChangeDosage.model_validate({"exercise_id": "clamshell", "reps": typed})
    assert edit.reps is not None and (edit.reps.low, edit.reps.high) == (low, high)


@pytest.mark.parametrize("typed", ["ten", "12-8", "-", "0"])
def test_a_dose_range_that_is_no_range_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        ChangeDosage.model_validate({"exercise_id": "clamshell", "reps": typed})
