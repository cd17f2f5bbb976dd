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
from glutecoach.domain.library.models import BodyArea, Equipment, IntRange
from glutecoach.domain.planning.changes import Change
from glutecoach.domain.planning.dosage import minutes, prescribe, scaled
from glutecoach.domain.planning.plan import (
    Day,
    HeldBack,
    Plan,
    Prescription,
    Session,
    SessionKind,
)
from glutecoach.domain.progression.decide import Action, Decision, decide
from glutecoach.domain.progression.logs import ExerciseLog, SessionLog, SorenessLog
from glutecoach.domain.progression.safety import (
    Clearance,
    Hold,
    PainEvent,
    hold_from,
    pain_events,
    safe_alternative,
)

TRAINED = (SessionKind.pre_run_activation, SessionKind.strength)
Key = tuple[SessionKind, str]


# The step back after time away measures the gap between the two newest days with a done
# session (or the newest and today, when returning): no older day matters to it.
AWAY_DAYS_READ = 2


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
        days, change = _apply(days, decision, current, start, library)
        changes.append(change)
    days, lighter = _after_soreness(days, soreness, library, today, history)
    days, back = _after_time_away(days, logs, library, today, history, usable, returning)
    # Last, so nothing above (a step back, a progression) puts back what hurt.
    days, held = _keep_out(days, hold, start, library, usable)
    changes += lighter + back + held
    return Adaptation(
        plan=_rebuild(plan, days),
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


def _apply(
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

    updated = _map_days(days, start, change)
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


def _map_days(
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

    return _map_sessions(days, start, session_of)


def _map_sessions(
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


def _keep_out(
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

    days = _map_sessions(days, start, session_of)
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


def _after_soreness(
    days: dict[dt.date, Day],
    soreness: Sequence[SorenessLog],
    library: Library,
    today: dt.date,
    history: Sequence[Change],
) -> tuple[dict[dt.date, Day], list[Change]]:
    level = library.threshold("soreness_lighter_level").value
    factor = library.threshold("soreness_volume_factor").value
    done = {c.key for c in history}
    changes: list[Change] = []
    for sore in sorted(soreness, key=lambda s: s.date):
        key = f"soreness:{sore.date.isoformat()}"
        if sore.level < level or key in done or sore.date > today:
            continue
        target = next(
            (
                d
                for date, d in sorted(days.items())
                if date > max(today, sore.date) and d.session(SessionKind.strength)
            ),
            None,
        )
        if target is None:
            continue
        session = target.session(SessionKind.strength)
        assert session is not None
        lighter = tuple(scaled(p, factor) for p in session.prescriptions)
        days[target.date] = target.model_copy(
            update={
                "sessions": tuple(
                    s.model_copy(update={"prescriptions": lighter, "minutes": minutes(lighter)})
                    if s.kind == SessionKind.strength
                    else s
                    for s in target.sessions
                )
            }
        )
        changes.append(
            Change(
                key=key,
                effective_from=target.date,
                action="lighter",
                session=None,
                before=f"{len(session.prescriptions)} exercises, full volume",
                after=f"about {factor:.0%} of the volume, same exercises",
                reason=f"Soreness {sore.level}/10 on {sore.date}: the next strength session "
                f"({target.date}) is lighter; the exercises stay the same.",
            )
        )
    return days, changes


def _after_time_away(
    days: dict[dt.date, Day],
    logs: Sequence[SessionLog],
    library: Library,
    today: dt.date,
    history: Sequence[Change],
    usable: Callable[[Exercise], bool],
    returning: bool,
) -> tuple[dict[dt.date, Day], list[Change]]:
    done = sorted({s.date for s in logs if s.status == "done"})[-AWAY_DAYS_READ:]
    if not done:
        return days, []
    # The gap that ends now: up to today when returning, else before the newest log.
    last, until = (
        (done[-1], today) if returning else (done[-2] if len(done) > 1 else done[-1], done[-1])
    )
    away = (until - last).days
    key = f"away:{last.isoformat()}"
    if away < library.threshold("step_back_after_days").value or key in {c.key for c in history}:
        return days, []

    def step_back(p: Prescription, session: Session) -> Prescription | None:
        # What pain holds back stays as it is, for the hold to take out and say why.
        if session.kind not in TRAINED or not usable(library.exercises[p.exercise_id]):
            return p
        easier = sorted(
            (e for e in library.easier(p.exercise_id) if usable(e)),
            key=lambda e: (-e.difficulty, e.id),
        )
        if not easier or any(q.exercise_id == easier[0].id for q in session.prescriptions):
            return p
        return prescribe(easier[0], f"Back after {away} days away: one step easier.", sets=p.sets)

    start = today + dt.timedelta(days=1) if today < dt.date.max else today
    updated = _map_days(days, start, step_back)
    change = Change(
        key=key,
        effective_from=start,
        action="step_back",
        before="the plan as it was",
        after="every exercise one step easier",
        reason=f"{away} days since your last logged session: missed sessions are not piled up; "
        "the plan steps back a rung and moves on from today.",
    )
    return updated, [change]


def _rebuild(plan: Plan, days: dict[dt.date, Day]) -> Plan:
    weeks = tuple(
        w.model_copy(update={"days": tuple(days[d.date] for d in w.days)}) for w in plan.weeks
    )
    return plan.model_copy(update={"weeks": weeks})
