"""Edits to the plan's days from `start` on: a decision applied, and the edited days put back
into the plan.

The decisions, the step back after time away and the pain hold all edit through `map_days` or
`map_sessions`, so the days before `start` are never touched and what a pass leaves alone stays
the object it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from glutecoach.domain.library import Library
from glutecoach.domain.library.models import IntRange
from glutecoach.domain.planning.changes import Change
from glutecoach.domain.planning.dosage import minutes, prescribe
from glutecoach.domain.planning.plan import Day, Plan, Prescription, Session, SessionKind
from glutecoach.domain.progression.decide import Action, Decision


def apply_decision(
    days: dict[dt.date, Day],
    decision: Decision,
    current: Prescription,
    start: dt.date,
    library: Library,
) -> tuple[dict[dt.date, Day], Change]:
    replacement = library.exercises[decision.to_exercise_id] if decision.to_exercise_id else None
    # Pain stops an exercise everywhere; a dose or ladder step belongs to one kind of session.
    kinds = set(SessionKind) if decision.action == Action.stop else {decision.session}

    def change(p: Prescription, session: Session) -> Prescription | None:
        if p.exercise_id != decision.exercise_id or session.kind not in kinds:
            return p
        if decision.amount is not None:
            return p.model_copy(
                update={
                    "amount": _shift(p.amount, current.amount, decision.amount),
                    "reason": decision.reason,
                }
            )
        if replacement is None:
            return None
        if any(q.exercise_id == replacement.id for q in session.prescriptions):
            return None  # already in this session: the replaced one simply goes
        return prescribe(replacement, decision.reason, sets=p.sets)

    updated = map_days(days, start, change)
    after = (
        f"{decision.amount}"
        if decision.amount is not None
        else (replacement.name if replacement is not None else "left out")
    )
    return updated, Change(
        key=f"{decision.session.value}:{decision.exercise_id}:{start.isoformat()}",
        effective_from=start,
        action=decision.action.value,
        session=decision.session,
        exercise_id=decision.exercise_id,
        to_exercise_id=decision.to_exercise_id,
        before=f"{current.name} {current.dose}",
        after=after,
        reason=decision.reason,
    )


def _shift(amount: IntRange, old: IntRange, new: IntRange) -> IntRange:
    """Move a (possibly lighter-week) range by the same step as the base range moved."""
    if amount == old:
        return new
    low = max(1, amount.low + new.low - old.low)
    return IntRange(low=low, high=max(low, amount.high + new.high - old.high))


def map_days(
    days: dict[dt.date, Day],
    start: dt.date,
    change: Callable[[Prescription, Session], Prescription | None],
) -> dict[dt.date, Day]:
    """`change` applied to every prescription from `start` on."""

    def session_of(session: Session) -> Session:
        old = session.prescriptions
        new = tuple(q for p in old if (q := change(p, session)) is not None)
        if len(new) == len(old) and all(q is p for q, p in zip(new, old, strict=True)):
            return session
        return session.model_copy(update={"prescriptions": new, "minutes": minutes(new)})

    return map_sessions(days, start, session_of)


def map_sessions(
    days: dict[dt.date, Day], start: dt.date, change: Callable[[Session], Session]
) -> dict[dt.date, Day]:
    """`change` applied to every session from `start` on. The days and sessions it leaves
    alone stay the objects they were, and a session that many days share (a stored plan's are
    shared) is mapped once."""
    mapped: dict[int, Session] = {}  # by identity: hashing a session walks every prescription

    def session_of(session: Session) -> Session:
        found = mapped.get(id(session))
        if found is None:
            found = mapped[id(session)] = change(session)
        return found

    def day_of(day: Day) -> Day:
        sessions = tuple(session_of(s) for s in day.sessions)
        if all(new is old for new, old in zip(sessions, day.sessions, strict=True)):
            return day
        return day.model_copy(update={"sessions": sessions})

    return {date: day_of(day) if date >= start else day for date, day in days.items()}


def rebuild(plan: Plan, days: dict[dt.date, Day]) -> Plan:
    weeks = tuple(
        w.model_copy(update={"days": tuple(days[d.date] for d in w.days)}) for w in plan.weeks
    )
    return plan.model_copy(update={"weeks": weeks})
