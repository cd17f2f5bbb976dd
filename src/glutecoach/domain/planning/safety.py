"""Red flags found after a plan exists: the plan stops for that area (or altogether) from a date.

The days before `start` are left as they were, so the plan's history stays true.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from glutecoach.domain.library import Library
from glutecoach.domain.library.models import BodyArea
from glutecoach.domain.planning.dosage import minutes
from glutecoach.domain.planning.plan import Day, Plan, SessionKind


def pause(plan: Plan, start: dt.date, message: str) -> Plan:
    """No exercise at all from `start`: a red flag at the hip (or of unknown site)."""
    return _map_days(plan, start, lambda day: day.model_copy(update={"sessions": ()}), message)


def leave_out(
    plan: Plan, start: dt.date, areas: frozenset[BodyArea], library: Library, message: str
) -> Plan:
    """From `start`, no exercise that loads a red-flagged area; sessions left empty go."""

    def clean(day: Day) -> Day:
        sessions = []
        for session in day.sessions:
            kept = tuple(
                p
                for p in session.prescriptions
                if not set(library.exercises[p.exercise_id].loads) & areas
            )
            if session.kind != SessionKind.run_cue and not kept:
                continue
            sessions.append(
                session.model_copy(update={"prescriptions": kept, "minutes": minutes(kept)})
                if kept != session.prescriptions
                else session
            )
        return day.model_copy(update={"sessions": tuple(sessions)})

    return _map_days(plan, start, clean, message)


def _map_days(plan: Plan, start: dt.date, change: Callable[[Day], Day], message: str) -> Plan:
    weeks = tuple(
        week.model_copy(
            update={"days": tuple(change(d) if d.date >= start else d for d in week.days)}
        )
        for week in plan.weeks
    )
    referrals = plan.referrals if message in plan.referrals else (*plan.referrals, message)
    return plan.model_copy(update={"weeks": weeks, "referrals": referrals})
