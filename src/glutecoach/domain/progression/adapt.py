"""Logs → a new version of the plan: each exercise progressed, held, regressed or stopped from
tomorrow on, the session after high soreness made lighter, and a step back after two weeks away.

Pure: the same plan, logs and history give the same adaptation. Days up to `today` are never
changed, so a plan version keeps what was prescribed when it was done.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence

from pydantic import BaseModel, ConfigDict

from glutecoach.domain.library import Exercise, Library
from glutecoach.domain.library.models import BodyArea, Equipment
from glutecoach.domain.planning.changes import Change
from glutecoach.domain.planning.plan import Plan, Prescription, SessionKind
from glutecoach.domain.progression.after_rest import AWAY_DAYS_READ as AWAY_DAYS_READ
from glutecoach.domain.progression.after_rest import after_soreness, after_time_away
from glutecoach.domain.progression.apply import apply_decision, rebuild
from glutecoach.domain.progression.decide import Action, Decision, decide
from glutecoach.domain.progression.keep_out import keep_out
from glutecoach.domain.progression.logs import ExerciseLog, SessionLog, SorenessLog
from glutecoach.domain.progression.safety import Clearance, Hold, PainEvent, hold_from, pain_events

Key = tuple[SessionKind, str]


def logs_needed(library: Library) -> int:
    """How many of an exercise's latest logs (in one kind of session) `adapt` can look at:
    `decide` reads the newest `progress_sessions` of them and the one before the newest, and
    the step back after time away the two newest days of done sessions. A caller may hand over
    only those, with `pain_before` for the pain logged in the older ones, and get the same
    adaptation as from every log."""
    return max(int(library.threshold("progress_sessions").value), 2)


class Adaptation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    plan: Plan
    decisions: tuple[Decision, ...]  # every logged exercise, holds included
    changes: tuple[Change, ...]


def adapt(
    plan: Plan,
    logs: Sequence[SessionLog],
    soreness: Sequence[SorenessLog],
    library: Library,
    *,
    today: dt.date,
    history: Sequence[Change] = (),
    equipment: frozenset[Equipment] = frozenset(),
    excluded: frozenset[BodyArea] = frozenset(),
    returning: bool = False,
    pain_before: Sequence[PainEvent] = (),
    clearances: Sequence[Clearance] = (),
    logged: SessionLog | None = None,
) -> Adaptation:
    """`returning`: the runner is opening today's plan, so a long gap up to today counts as time
    away; when logging (perhaps catching up on old sessions) only a gap between logs counts.
    `pain_before`: pain at `pain_flag_level` or more logged in logs not handed over (see
    `logs_needed`); with `clearances` and the screening's `excluded` areas it makes the hold
    (safety.py) that keeps what hurt out of every session from tomorrow on. `logged`: the log
    just made, when there is one: each of its exercises gets a decision."""
    hold = hold_from([*pain_before, *pain_events(logs, library)], clearances, library, excluded)

    def usable(exercise: Exercise) -> bool:
        return (
            set(exercise.equipment) <= equipment
            and not set(exercise.loads) & excluded
            and not hold.blocks(exercise)
        )

    start = today + dt.timedelta(days=1) if today < dt.date.max else today
    days = {d.date: d for d in plan.days}
    decisions = _decide_all(plan, logs, library, start, history, usable, hold)
    decisions += _already_changed(logged, decisions, history, library)
    changes: list[Change] = []
    for decision, current in decisions:
        # Pain held back by the hold is taken out below, in every kind of session at once.
        if decision.action in (Action.hold, Action.ends):
            continue
        if decision.action == Action.stop and decision.exercise_id in hold.held:
            continue
        assert current is not None
        days, change = apply_decision(days, decision, current, start, library)
        changes.append(change)
    days, lighter = after_soreness(days, soreness, library, today, history)
    days, back = after_time_away(days, logs, library, today, history, usable, returning)
    # Last, so nothing above (a step back, a progression) puts back what hurt.
    days, held = keep_out(days, hold, start, library, usable)
    changes += lighter + back + held
    return Adaptation(
        plan=rebuild(plan, days),
        decisions=tuple(d for d, _ in decisions),
        changes=tuple(changes),
    )


def _decide_all(
    plan: Plan,
    logs: Sequence[SessionLog],
    library: Library,
    start: dt.date,
    history: Sequence[Change],
    usable: Callable[[Exercise], bool],
    hold: Hold,
) -> list[tuple[Decision, Prescription | None]]:
    """A decision for every exercise logged since it last changed, each with the prescription
    it is about (None when that kind of session no longer holds it)."""
    grouped, session_pain = _logs_since(logs, _last_change(history))
    coming = _Coming(plan, start, library)
    decisions: list[tuple[Decision, Prescription | None]] = []
    for key, exercise_logs in sorted(grouped.items()):
        session, exercise_id = key
        current = coming.exercise.get(key)
        carried = current is None
        if current is None and exercise_id in library.exercises:
            # A new phase may hold a harder step of the same family: a fault or pain found
            # on the old step carries to it; a progression does not (the phase already made it).
            current = coming.family.get((session, library.family[exercise_id]))
        if current is None:
            decisions.append((_ends(session, exercise_id, library), None))
            continue
        exercise = library.exercises[current.exercise_id]
        decision = decide(
            exercise, current, session, exercise_logs, library, usable, hold, session_pain[key]
        )
        if carried:
            decision = decision.model_copy(update={"logged_as": exercise_id})
        if carried and decision.action == Action.progress:
            decision = decision.model_copy(
                update={
                    "exercise_id": exercise_id,
                    "logged_as": None,
                    "action": Action.hold,
                    "to_exercise_id": None,
                    "amount": None,
                    "reason": f"The next phase already moves on to {current.name}: keep going.",
                }
            )
        decisions.append((decision, current))
    return decisions


def _already_changed(
    logged: SessionLog | None,
    decisions: list[tuple[Decision, Prescription | None]],
    history: Sequence[Change],
    library: Library,
) -> list[tuple[Decision, Prescription | None]]:
    """A decision for each exercise of a log older than the exercise's last change (a day
    caught up on): the plan already moved on, so it stays as it is."""
    if logged is None:
        return []
    decided = {(d.session, d.logged) for d, _ in decisions}
    since = _last_change(history)
    extra: list[tuple[Decision, Prescription | None]] = []
    for e in logged.exercises:
        key = (logged.session, e.exercise_id)
        if key in decided:
            continue
        known = library.exercises.get(e.exercise_id)
        name = known.name if known else e.exercise_id
        changed = since.get(key)
        when = f" from {changed}" if changed else ""
        decision = Decision(
            session=logged.session,
            exercise_id=e.exercise_id,
            action=Action.hold,
            reason=f"{name} already changed{when}, after this day: the plan keeps it as it "
            "is, and your logs from then on count toward its next step.",
        )
        extra.append((decision, None))
    return extra


def _ends(session: SessionKind, exercise_id: str, library: Library) -> Decision:
    known = library.exercises.get(exercise_id)
    name = known.name if known else exercise_id
    return Decision(
        session=session,
        exercise_id=exercise_id,
        action=Action.ends,
        reason=f"{name} is not in your {session.value.replace('_', ' ')} sessions from "
        "tomorrow on: its part of the plan is over, nothing to change.",
    )


def _last_change(history: Sequence[Change]) -> dict[Key, dt.date]:
    since: dict[Key, dt.date] = {}
    for change in history:
        if change.session is None:
            continue
        for exercise_id in (change.exercise_id, change.to_exercise_id):
            if exercise_id is not None:
                key = (change.session, exercise_id)
                since[key] = max(since.get(key, change.effective_from), change.effective_from)
    return since


def _logs_since(
    logs: Sequence[SessionLog], since: dict[Key, dt.date]
) -> tuple[dict[Key, list[ExerciseLog]], dict[Key, int]]:
    """Each exercise's logs since it last changed, and the worst pain of the session its newest
    log is in."""
    grouped: dict[Key, list[ExerciseLog]] = defaultdict(list)
    session_pain: dict[Key, int] = {}
    for session_log in sorted(logs, key=lambda s: s.date):
        if session_log.status != "done":
            continue
        worst = max(e.pain for e in session_log.exercises) if session_log.exercises else 0
        for exercise_log in session_log.exercises:
            key = (session_log.session, exercise_log.exercise_id)
            if session_log.date >= since.get(key, dt.date.min):
                grouped[key].append(exercise_log)
                session_pain[key] = worst
    return grouped, session_pain


class _Coming:
    """The first prescription from `start` on of each exercise, and of each family, in each kind
    of session (a day's first session of that kind, as `Day.session` finds it): one pass over
    the plan instead of one per exercise logged, most of which a later plan no longer holds."""

    def __init__(self, plan: Plan, start: dt.date, library: Library) -> None:
        self.exercise: dict[Key, Prescription] = {}
        self.family: dict[tuple[SessionKind, str], Prescription] = {}
        seen: set[int] = set()  # a session met again (a stored plan shares them) adds nothing
        for day in plan.days:
            if day.date < start:
                continue
            kinds: set[SessionKind] = set()
            for session in day.sessions:
                if session.kind in kinds:
                    continue  # as `Day.session`: a day's first session of a kind
                kinds.add(session.kind)
                if id(session) in seen:
                    continue
                seen.add(id(session))
                for p in session.prescriptions:
                    self.exercise.setdefault((session.kind, p.exercise_id), p)
                    family = library.family.get(p.exercise_id)
                    if family is not None:
                        self.family.setdefault((session.kind, family), p)
