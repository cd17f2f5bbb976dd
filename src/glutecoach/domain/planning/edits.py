"""A clinician's edits to a runner's plan: swap an exercise, change a dose, leave a note.

Each edit is a value; `apply_edit` is a pure function Plan + edit + library → a new Plan, with a
record of what changed (one per kind of session touched) for the plan's history. Days before
`today` are never changed: a plan version keeps what was prescribed on days gone by.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from glutecoach.domain.errors import InvalidInput, RuleViolation
from glutecoach.domain.library import Library
from glutecoach.domain.library.models import (
    BodyArea,
    Category,
    Dosage,
    DosageUnit,
    Exercise,
    IntRange,
    Range,
)
from glutecoach.domain.planning.changes import Change
from glutecoach.domain.planning.dosage import minutes, prescribe
from glutecoach.domain.planning.plan import Day, Plan, Prescription, Session, SessionKind

BY_CLINICIAN = "Changed by your clinician"
# The kinds of exercise each session takes: a swap keeps a session what it is.
SESSION_CATEGORIES: dict[SessionKind, frozenset[Category]] = {
    SessionKind.pre_run_activation: frozenset({Category.activation}),
    SessionKind.strength: frozenset(
        {Category.activation, Category.strength, Category.power, Category.drill}
    ),
    SessionKind.dynamic_warm_up: frozenset({Category.warm_up, Category.activation, Category.drill}),
    SessionKind.post_run_recovery: frozenset({Category.mobility, Category.recovery}),
    SessionKind.run_cue: frozenset(),
}
UNIT_WORDS: dict[DosageUnit, str] = {
    "reps": "reps",
    "hold_s": "seconds held (hold_s)",
    "steps": "steps",
    "minutes": "minutes",
}
# The library's own bound on sets (Dosage.sets), so an edited dose is one the library could hold.
MAX_SETS = next(
    int(m.le) for m in Dosage.model_fields["sets"].metadata if getattr(m, "le", None) is not None
)
# What a logged set can hold (progression.logs.Amount): the bound when the library names no ceiling.
MAX_AMOUNT = 3600


class _Edit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    on: dt.date | None = None  # one day only
    from_date: dt.date | None = None  # every day from this date on (default: today)
    session: SessionKind | None = None  # only this kind of session (default: every kind)
    comment: str | None = Field(default=None, max_length=300)  # the clinician's words, shown

    @model_validator(mode="after")
    def _one_scope(self) -> _Edit:
        if self.on is not None and self.from_date is not None:
            raise ValueError("give either 'on' (one day) or 'from_date' (from then on), not both")
        return self

    def describe_scope(self, today: dt.date) -> str:
        where = f"{self.session.value} session" if self.session else "plan"
        return f"the {where} on {self.on}" if self.on else f"the {where} from {self.first(today)}"

    def first(self, today: dt.date) -> dt.date:
        return self.on or self.from_date or today

    def covers(self, day: dt.date, today: dt.date) -> bool:
        return day == self.on if self.on is not None else day >= self.first(today)


class SwapExercise(_Edit):
    kind: Literal["swap"] = "swap"
    exercise_id: str = Field(min_length=1)
    to_exercise_id: str = Field(min_length=1)


class ChangeDosage(_Edit):
    kind: Literal["dosage"] = "dosage"
    exercise_id: str = Field(min_length=1)
    sets: int | None = Field(default=None, ge=1)
    reps: Range | None = None
    hold_s: Range | None = None  # seconds per hold
    steps: Range | None = None
    minutes: Range | None = None

    @model_validator(mode="after")
    def _something(self) -> ChangeDosage:
        given = [u for u in UNIT_WORDS if getattr(self, u) is not None]
        if len(given) > 1:
            raise ValueError(f"give one of reps, hold_s, steps, minutes (got {', '.join(given)})")
        if self.sets is None and not given:
            raise ValueError("give sets, or one of reps, hold_s, steps, minutes")
        return self

    @property
    def amount(self) -> tuple[DosageUnit, IntRange] | None:
        for unit in UNIT_WORDS:
            value = getattr(self, unit)
            if value is not None:
                assert isinstance(value, IntRange)
                return unit, value
        return None


class AddNote(_Edit):
    kind: Literal["note"] = "note"
    text: str = Field(min_length=1, max_length=300)


PlanEdit = Annotated[SwapExercise | ChangeDosage | AddNote, Field(discriminator="kind")]


class Edited(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    plan: Plan
    records: tuple[Change, ...]


@dataclass(frozen=True)
class Guard:
    """What the edit may not cross: today, and the safety rules of the runner's record."""

    today: dt.date
    excluded: frozenset[BodyArea] = frozenset()  # red-flagged areas from the screening
    stopped: frozenset[str] = frozenset()  # exercises stopped for pain at the referral level


def apply_edit(
    plan: Plan, edit: SwapExercise | ChangeDosage | AddNote, library: Library, guard: Guard
) -> Edited:
    _check_dates(plan, edit, guard.today)
    if isinstance(edit, SwapExercise):
        return _swap(plan, edit, library, guard)
    if isinstance(edit, ChangeDosage):
        return _dosage(plan, edit, library, guard.today)
    return _note(plan, edit, guard.today)


def _check_dates(plan: Plan, edit: _Edit, today: dt.date) -> None:
    first = edit.first(today)
    if first < today:
        raise RuleViolation(
            f"{first} is in the past (today is {today}): days gone by keep what was prescribed"
        )
    if edit.on is not None and not plan.start <= edit.on <= plan.end:
        raise InvalidInput(f"date {edit.on} is not in the plan ({plan.start} to {plan.end})")
    if first > plan.end:
        raise InvalidInput(f"date {first} is after the plan ends ({plan.end})")


def known(library: Library, exercise_id: str, what: str = "exercise") -> Exercise:
    found = library.exercises.get(exercise_id)
    if found is None:
        close = difflib.get_close_matches(exercise_id, list(library.exercises), n=3, cutoff=0.5)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise InvalidInput(f"unknown {what} id '{exercise_id}'.{hint}")
    return found


def _comment(edit: _Edit) -> str:
    return f" {edit.comment.strip()}" if edit.comment and edit.comment.strip() else ""


def _swap(plan: Plan, edit: SwapExercise, library: Library, guard: Guard) -> Edited:
    old = known(library, edit.exercise_id)
    new = known(library, edit.to_exercise_id, "exercise to swap in")
    if old.id == new.id:
        raise InvalidInput(f"'{old.id}' would be swapped for itself")
    loaded = sorted(a.value.replace("_", " ") for a in set(new.loads) & guard.excluded)
    if loaded:
        raise RuleViolation(
            f"{new.name} loads the {', '.join(loaded)}, left out after a red flag in the "
            "screening: the plan never prescribes through it"
        )
    if new.id in guard.stopped:
        raise RuleViolation(
            f"{new.name} was stopped after the runner reported pain at the referral level"
        )
    reason = f"{BY_CLINICIAN}: {new.name} instead of {old.name}.{_comment(edit)}"

    def change(p: Prescription, session: Session) -> Prescription:
        if p.exercise_id != old.id:
            return p
        if new.category not in SESSION_CATEGORIES[session.kind]:
            raise RuleViolation(
                f"{new.name} is a {new.category.value} exercise; it does not belong in a "
                f"{session.kind.value.replace('_', ' ')} session (limit the swap to one kind "
                "of session)"
            )
        if any(q.exercise_id == new.id for q in session.prescriptions):
            raise RuleViolation(f"{new.name} is already in that {session.kind.value} session")
        swapped = prescribe(new, reason, extra_set_side=p.extra_set_side, sets=p.sets)
        return swapped

    plan, touched = _map(plan, edit, guard.today, change)
    records = tuple(
        Change(
            key=f"clinician:swap:{kind.value}:{old.id}:{first.isoformat()}",
            effective_from=first,
            action="clinician_swap",
            session=kind,
            exercise_id=old.id,
            to_exercise_id=new.id,
            before=before.name,
            after=new.name,
            reason=reason,
        )
        for kind, (first, before) in touched.items()
    )
    return _result(plan, records, old, edit, guard.today)


def _dosage(plan: Plan, edit: ChangeDosage, library: Library, today: dt.date) -> Edited:
    exercise = known(library, edit.exercise_id)
    amount = _checked_amount(exercise, edit)
    if edit.sets is not None and edit.sets > MAX_SETS:
        raise InvalidInput(f"sets must be from 1 to {MAX_SETS} (got {edit.sets})")
    dose = _dose_words(edit)

    def change(p: Prescription, session: Session) -> Prescription:
        if p.exercise_id != exercise.id:
            return p
        update: dict[str, object] = {"reason": f"{BY_CLINICIAN}: {dose}.{_comment(edit)}"}
        if edit.sets is not None:
            update["sets"] = edit.sets
        if amount is not None:
            update["amount"] = amount
        return p.model_copy(update=update)

    plan, touched = _map(plan, edit, today, change)
    records = tuple(
        Change(
            key=f"clinician:dosage:{kind.value}:{exercise.id}:{first.isoformat()}",
            effective_from=first,
            action="clinician_dosage",
            session=kind,
            exercise_id=exercise.id,
            before=f"{before.name} {before.dose}",
            after=f"{before.name} {_changed(before, edit, amount).dose}",
            reason=f"{BY_CLINICIAN}: {dose}.{_comment(edit)}",
        )
        for kind, (first, before) in touched.items()
    )
    return _result(plan, records, exercise, edit, today)


def _changed(p: Prescription, edit: ChangeDosage, amount: IntRange | None) -> Prescription:
    return p.model_copy(update={"sets": edit.sets or p.sets, "amount": amount or p.amount})


def _checked_amount(exercise: Exercise, edit: ChangeDosage) -> IntRange | None:
    given = edit.amount
    if given is None:
        return None
    unit, amount = given
    expected = exercise.dosage.unit
    if unit != expected:
        raise InvalidInput(
            f"{exercise.name} is dosed in {UNIT_WORDS[expected]}, not {UNIT_WORDS[unit]}"
        )
    ceiling = exercise.dosage.ceiling or MAX_AMOUNT
    if amount.high > ceiling:
        whose = (
            "the library's ceiling for it" if exercise.dosage.ceiling else "the most a log holds"
        )
        raise InvalidInput(
            f"{amount} {UNIT_WORDS[unit]} is out of range for {exercise.name}: at most {ceiling} "
            f"({whose}); past it, the next step on the ladder is the way on"
        )
    return amount


def _dose_words(edit: ChangeDosage) -> str:
    parts = [f"{edit.sets} sets"] if edit.sets is not None else []
    if edit.amount is not None:
        unit, amount = edit.amount
        parts.append(f"{amount} {UNIT_WORDS[unit].split(' (')[0]}")
    return f"{' of '.join(parts)} of {edit.exercise_id.replace('_', ' ')}"


def _note(plan: Plan, edit: AddNote, today: dt.date) -> Edited:
    text = f"Note from your clinician: {edit.text.strip()}"
    touched: dict[SessionKind, dt.date] = {}

    def change(day: Day) -> Day:
        sessions = []
        for session in day.sessions:
            if edit.session is None or session.kind == edit.session:
                session = session.model_copy(update={"reason": f"{session.reason} {text}"})
                touched.setdefault(session.kind, day.date)
            sessions.append(session)
        return day.model_copy(update={"sessions": tuple(sessions)})

    plan = _map_days(plan, edit, today, change)
    if not touched:
        raise RuleViolation(f"nothing planned in {edit.describe_scope(today)} to leave a note on")
    first = min(touched.values())
    record = Change(
        key=f"clinician:note:{edit.session.value if edit.session else 'day'}:{first.isoformat()}",
        effective_from=first,
        action="clinician_note",
        session=edit.session,
        before="no note",
        after=edit.text.strip(),
        reason=text,
    )
    return Edited(plan=plan, records=(record,))


def _map(
    plan: Plan,
    edit: _Edit,
    today: dt.date,
    change: Callable[[Prescription, Session], Prescription],
) -> tuple[Plan, dict[SessionKind, tuple[dt.date, Prescription]]]:
    """Apply `change` to each prescription in scope; per kind of session, the first changed."""
    touched: dict[SessionKind, tuple[dt.date, Prescription]] = {}

    def on_day(day: Day) -> Day:
        sessions = []
        for session in day.sessions:
            if edit.session is not None and session.kind != edit.session:
                sessions.append(session)
                continue
            mapped = tuple(change(p, session) for p in session.prescriptions)
            if mapped != session.prescriptions:
                before = next(
                    p for p, q in zip(session.prescriptions, mapped, strict=True) if p != q
                )
                touched.setdefault(session.kind, (day.date, before))
                session = session.model_copy(
                    update={"prescriptions": mapped, "minutes": minutes(mapped)}
                )
            sessions.append(session)
        return day.model_copy(update={"sessions": tuple(sessions)})

    return _map_days(plan, edit, today, on_day), touched


def _map_days(plan: Plan, edit: _Edit, today: dt.date, change: Callable[[Day], Day]) -> Plan:
    weeks = tuple(
        week.model_copy(
            update={
                "days": tuple(change(d) if edit.covers(d.date, today) else d for d in week.days)
            }
        )
        for week in plan.weeks
    )
    return plan.model_copy(update={"weeks": weeks})


def _result(
    plan: Plan, records: tuple[Change, ...], exercise: Exercise, edit: _Edit, today: dt.date
) -> Edited:
    if not records:
        raise RuleViolation(f"{exercise.name} is not in {edit.describe_scope(today)}")
    return Edited(plan=plan, records=records)
