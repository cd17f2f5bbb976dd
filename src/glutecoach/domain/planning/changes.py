"""A change to a runner's plan, in the shape the plan's history keeps: what, from when, why.

It lives with the plan because both the progression engine (after a log) and a clinician's edit
(domain/planning/edits.py) make them, and the plan cannot depend on the engine.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from glutecoach.domain.planning.plan import SessionKind


class Change(BaseModel):
    """What changed in the plan, from when, and why; kept with the plan version that made it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str  # what the change answers, so the same log never changes the plan twice
    effective_from: dt.date
    # progress, regress, stop, lighter, step_back; clinician_swap, clinician_dosage, clinician_note
    action: str
    session: SessionKind | None = None
    exercise_id: str | None = None
    to_exercise_id: str | None = None
    before: str
    after: str
    reason: str
