"""The pain hold's pass: `adapt` runs it last and over every kind of session at once, and it
alone moves prescriptions into `Session.held` and back out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from glutecoach.domain.library import Exercise, Library
from glutecoach.domain.planning.changes import Change
from glutecoach.domain.planning.dosage import minutes, prescribe
from glutecoach.domain.planning.plan import Day, HeldBack, Prescription, Session
from glutecoach.domain.progression.apply import map_sessions
from glutecoach.domain.progression.safety import Hold, safe_alternative


def keep_out(
    days: dict[dt.date, Day],
    hold: Hold,
    start: dt.date,
    library: Library,
    usable: Callable[[Exercise], bool],
) -> tuple[dict[dt.date, Day], list[Change]]:
    """From `start` on, every prescription the hold blocks moves to its session's held-back
    list (a safe alternative in its place when there is one), and every held-back one no longer
    blocked returns as it was."""
    out: dict[str, tuple[Prescription, str | None]] = {}
    back: dict[str, Prescription] = {}

    def blocked(exercise_id: str) -> Exercise | None:
        exercise = library.exercises.get(exercise_id)
        return exercise if exercise is not None and hold.blocks(exercise) else None

    def session_of(session: Session) -> Session:
        if not session.held and not any(blocked(p.exercise_id) for p in session.prescriptions):
            return session
        prescriptions, held = _returning(session, blocked, back)
        kept: list[Prescription] = []
        for p in prescriptions:
            exercise = blocked(p.exercise_id)
            if exercise is None:
                kept.append(p)
                continue
            why = hold.why(exercise, library)
            alternative = safe_alternative(exercise, library, usable, hold)
            taken = {q.exercise_id for q in [*prescriptions, *kept]}
            if alternative is not None and alternative.id not in taken:
                kept.append(
                    prescribe(alternative, f"Instead of {exercise.name}. {why}", sets=p.sets)
                )
                held.append(HeldBack(prescription=p, reason=why, replaced_by=alternative.id))
            else:
                held.append(HeldBack(prescription=p, reason=why))
            out.setdefault(p.exercise_id, (p, held[-1].replaced_by))
        return session.model_copy(
            update={"prescriptions": tuple(kept), "held": tuple(held), "minutes": minutes(kept)}
        )

    days = map_sessions(days, start, session_of)
    changes = [_held_change(hold, library, start, p, to) for p, to in out.values()]
    changes += [_back_change(start, p) for p in back.values()]
    return days, changes


def _returning(
    session: Session,
    blocked: Callable[[str], Exercise | None],
    back: dict[str, Prescription],
) -> tuple[list[Prescription], list[HeldBack]]:
    """The session's prescriptions with every held-back one no longer blocked in again (where
    its alternative was, or at the end), and what stays held."""
    prescriptions = list(session.prescriptions)
    held: list[HeldBack] = []
    for h in session.held:
        if blocked(h.prescription.exercise_id) is not None:
            held.append(h)
            continue
        ids = [p.exercise_id for p in prescriptions]
        if h.replaced_by is not None and h.replaced_by in ids:
            prescriptions[ids.index(h.replaced_by)] = h.prescription
        elif h.prescription.exercise_id not in ids:
            prescriptions.append(h.prescription)
        back.setdefault(h.prescription.exercise_id, h.prescription)
    return prescriptions, held


def _held_change(
    hold: Hold, library: Library, start: dt.date, p: Prescription, to: str | None
) -> Change:
    event = hold.held.get(p.exercise_id)
    return Change(
        key=f"held:{p.exercise_id}:{start.isoformat()}",
        effective_from=start,
        action="stop",
        session=event.session if event is not None else None,
        exercise_id=p.exercise_id,
        to_exercise_id=to,
        before=f"{p.name} {p.dose}",
        after=library.exercises[to].name if to is not None else "held back",
        reason=hold.why(library.exercises[p.exercise_id], library),
    )


def _back_change(start: dt.date, p: Prescription) -> Change:
    return Change(
        key=f"back:{p.exercise_id}:{start.isoformat()}",
        effective_from=start,
        action="restore",
        exercise_id=p.exercise_id,
        before="held back",
        after=f"{p.name} {p.dose}",
        reason=f"The pain that held {p.name} back is cleared: it is back in every session it "
        "was in, at the dose it had.",
    )
