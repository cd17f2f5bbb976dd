"""Prescriptions from the library's default dosage: scaled for lighter weeks, timed for sessions."""

from __future__ import annotations

import math

from glutecoach.domain.library.models import Exercise, IntRange
from glutecoach.domain.planning.plan import Prescription
from glutecoach.domain.screening.inputs import Side

# Time estimates for fitting sessions into the runner's minutes: conventions, not evidence.
SECONDS_PER_REP = 3.0  # when the exercise gives no tempo
SECONDS_PER_STEP = 1.0
TRANSITION_S = 15.0  # getting into position between exercises


def prescribe(
    exercise: Exercise,
    reason: str,
    extra_set_side: Side | None = None,
    sets: int | None = None,
) -> Prescription:
    d = exercise.dosage
    return Prescription(
        exercise_id=exercise.id,
        name=exercise.name,
        sets=sets or d.sets,
        unit=d.unit,
        amount=d.amount,
        per_side=exercise.per_side,
        extra_set_side=extra_set_side if exercise.per_side else None,
        tempo=d.tempo,
        rest_s=d.rest_s,
        reason=reason,
    )


def scaled(p: Prescription, factor: float) -> Prescription:
    """About `factor` of the volume: fewer sets first, then a shorter range when one set is left."""
    if factor >= 1:
        return p
    sets = max(1, math.floor(p.sets * factor + 0.5))
    remaining = factor * p.sets / sets
    amount = p.amount
    if remaining < 0.9:
        low = max(1, round(amount.low * remaining))
        high = max(low, round(amount.high * remaining))
        amount = IntRange(low=low, high=high)
    return p.model_copy(update={"sets": sets, "amount": amount, "extra_set_side": None})


def seconds(p: Prescription) -> float:
    """An estimate of how long a prescription takes, rests included."""
    if p.unit == "reps":
        per_rep = sum(int(x) for x in p.tempo.split("-")) if p.tempo else SECONDS_PER_REP
        one_set = p.amount.high * per_rep
    elif p.unit == "steps":
        one_set = p.amount.high * SECONDS_PER_STEP * 2  # each way
    elif p.unit == "hold_s":
        one_set = float(p.amount.high)
    else:
        one_set = p.amount.high * 60.0
    sides = 2 if p.per_side else 1
    sets = p.sets * sides + (1 if p.extra_set_side else 0)
    return sets * one_set + max(0, sets - 1) * p.rest_s + TRANSITION_S


def minutes(prescriptions: tuple[Prescription, ...] | list[Prescription]) -> int:
    return max(1, round(sum(seconds(p) for p in prescriptions) / 60)) if prescriptions else 0
