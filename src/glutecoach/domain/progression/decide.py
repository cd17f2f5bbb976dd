"""One exercise's logs → progress, hold, regress or stop, with the reason the runner sees.

Only logs done since the exercise last changed count: a progression starts a new count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from glutecoach.domain.library import Exercise, Library
from glutecoach.domain.library.models import FeltArea, IntRange, Muscle
from glutecoach.domain.planning.plan import Prescription, SessionKind
from glutecoach.domain.progression.logs import ExerciseLog
from glutecoach.domain.progression.safety import Hold, safe_alternative

GLUTES = {Muscle.glute_med, Muscle.glute_max, Muscle.glute_min}
# How much a prescription grows per progression: conventions, not evidence.
STEP = {"reps": 2, "hold_s": 5, "steps": 5, "minutes": 1}
FELT_WORDS = {
    FeltArea.hamstring: "the hamstring",
    FeltArea.low_back: "the low back",
    FeltArea.side_of_thigh: "the side of the thigh",
    FeltArea.front_of_hip: "the front of the hip",
    FeltArea.quads: "the front of the thigh",
    FeltArea.calf: "the calf",
    FeltArea.nothing: "nowhere in particular",
}


class Action(StrEnum):
    progress = "progress"
    hold = "hold"
    regress = "regress"
    stop = "stop"
    ends = "ends"  # not in that kind of session from tomorrow on: nothing to change


class Decision(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    session: SessionKind
    exercise_id: str
    action: Action
    reason: str
    to_exercise_id: str | None = None  # another exercise: a step on the graph or an alternative
    amount: IntRange | None = None  # the new range when the same exercise changes dose
    # the exercise logged, when the decision is about the step of its family the plan holds now
    logged_as: str | None = None

    @property
    def logged(self) -> str:
        return self.logged_as or self.exercise_id


Usable = Callable[[Exercise], bool]


def targets_glutes(exercise: Exercise) -> bool:
    return bool(GLUTES & set(exercise.primary_muscles))


def decide(
    exercise: Exercise,
    current: Prescription,
    session: SessionKind,
    logs: Sequence[ExerciseLog],
    library: Library,
    usable: Usable,
    hold: Hold | None = None,
    session_pain: int = 0,
) -> Decision:
    """`logs`: this exercise in this kind of session since it last changed, oldest first.
    `hold`: what pain keeps out of the plan (safety.py); `session_pain`: the worst pain of any
    exercise in the session of the newest log, which keeps everything in it from moving on."""
    hold = hold or Hold()
    holding = Decision(session=session, exercise_id=exercise.id, action=Action.hold, reason="")
    if not logs:
        return holding.model_copy(update={"reason": "Not logged yet at this dose."})
    last = logs[-1]
    pain_limit = int(library.threshold("pain_referral_level").value)
    # Growing pain stops it too; a twinge below the flag level after none is left as noise.
    noise_below = int(library.threshold("pain_flag_level").value)
    rising = len(logs) >= 2 and last.pain > logs[-2].pain and last.pain >= noise_below
    if last.pain >= pain_limit or rising:
        return _stop(exercise, session, last, logs, library, usable, hold, pain_limit)
    needed = int(library.threshold("progress_sessions").value)
    recent = logs[-needed:]
    wrong = [log.felt for log in recent if log.felt != FeltArea.glutes]
    if targets_glutes(exercise) and len(recent) == needed and len(wrong) == needed:
        return _regress(exercise, current, session, library, usable, felt=wrong[-1])
    if not last.completed:
        return _regress(exercise, current, session, library, usable, felt=None)
    effort_max = library.threshold("progress_effort_max").value
    ready = len(recent) == needed and all(
        log.at_top and log.effort <= effort_max and log.felt == FeltArea.glutes for log in recent
    )
    worst = max([session_pain, *(log.pain for log in recent)])
    if ready and worst >= noise_below:
        return holding.model_copy(
            update={
                "reason": f"Hold: pain {worst}/10 in that session; nothing moves on until "
                "a session without pain."
            }
        )
    if ready:
        return _progress(exercise, current, session, library, usable)
    return holding.model_copy(update={"reason": _hold_reason(last, current, effort_max, needed)})


def _hold_reason(last: ExerciseLog, current: Prescription, effort_max: float, needed: int) -> str:
    if not last.at_top:
        return f"Hold: aim for the top of the range ({current.amount}) on every set."
    if last.effort > effort_max:
        return f"Hold: effort {last.effort}/10; it moves on at {effort_max:g}/10 or easier."
    if last.felt != FeltArea.glutes:
        return f"Hold: felt in {FELT_WORDS[last.felt]}; it moves on once you feel it in the glutes."
    return f"Hold: one more session like that ({needed} in a row) and it moves on."


def _progress(
    exercise: Exercise,
    current: Prescription,
    session: SessionKind,
    library: Library,
    usable: Usable,
) -> Decision:
    ceiling = exercise.dosage.ceiling or current.amount.high
    step = STEP[current.unit]
    if current.amount.high < ceiling:
        high = min(current.amount.high + step, ceiling)
        low = min(current.amount.low + step, high)
        amount = IntRange(low=low, high=high)
        return Decision(
            session=session,
            exercise_id=exercise.id,
            action=Action.progress,
            amount=amount,
            reason=f"Two sessions at the top of the range, easy enough and felt in the glutes: "
            f"{current.amount} → {amount}.",
        )
    harder = sorted(
        (e for e in library.harder(exercise.id) if usable(e)), key=lambda e: (e.difficulty, e.id)
    )
    if harder:
        nxt = harder[0]
        return Decision(
            session=session,
            exercise_id=exercise.id,
            action=Action.progress,
            to_exercise_id=nxt.id,
            reason=f"Mastered at {current.amount} (its ceiling): next step on the ladder is "
            f"{nxt.name}.",
        )
    return Decision(
        session=session,
        exercise_id=exercise.id,
        action=Action.hold,
        reason="Top of the ladder at its ceiling: add a band or a weight to keep it hard.",
    )


def _regress(
    exercise: Exercise,
    current: Prescription,
    session: SessionKind,
    library: Library,
    usable: Usable,
    felt: FeltArea | None,
) -> Decision:
    if felt is not None:
        fix = exercise.felt_elsewhere.get(felt) or "Slow down and make the movement smaller."
        why = f"Felt in {FELT_WORDS[felt]}, not the glutes, twice: {fix}"
    else:
        why = "The sets could not all be completed."
    easier = sorted(
        (e for e in library.easier(exercise.id) if usable(e)), key=lambda e: (-e.difficulty, e.id)
    )
    if easier:
        back = easier[0]
        return Decision(
            session=session,
            exercise_id=exercise.id,
            action=Action.regress,
            to_exercise_id=back.id,
            reason=f"{why} Back one step to {back.name}.",
        )
    step = STEP[current.unit]
    low = max(1, current.amount.low - step)
    amount = IntRange(low=low, high=max(low, current.amount.low))
    return Decision(
        session=session,
        exercise_id=exercise.id,
        action=Action.regress,
        amount=amount,
        reason=f"{why} Easier dose: {current.amount} → {amount}.",
    )


def _stop(
    exercise: Exercise,
    session: SessionKind,
    last: ExerciseLog,
    logs: Sequence[ExerciseLog],
    library: Library,
    usable: Usable,
    hold: Hold,
    pain_limit: int,
) -> Decision:
    if last.pain >= pain_limit:
        why = f"Pain {last.pain}/10 during {exercise.name} (at or above {pain_limit}/10)"
    else:
        why = f"Pain growing during {exercise.name} ({logs[-2].pain} → {last.pain}/10)"
    alternative = safe_alternative(exercise, library, usable, hold)
    instead = (
        f" Instead: {alternative.name}, which works the same muscle differently."
        if alternative
        else " It is left out."
    )
    after = (
        hold.why(exercise, library)
        if hold.blocks(exercise)
        else "If the pain is sharp, getting worse or still there in a few days, see a "
        "physiotherapist or doctor."
    )
    return Decision(
        session=session,
        exercise_id=exercise.id,
        action=Action.stop,
        to_exercise_id=alternative.id if alternative else None,
        reason=f"{why}: stopped.{instead} {after}",
    )
