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
from glutecoach.domain.planning.plan import Day, Plan, Prescription, Session, SessionKind
from glutecoach.domain.progression.decide import Action, Decision, decide
from glutecoach.domain.progression.logs import ExerciseLog, SessionLog, SorenessLog

TRAINED = (SessionKind.pre_run_activation, SessionKind.strength)
Key = tuple[SessionKind, str]


# The step back after time away measures the gap between the two newest days with a done
# session (or the newest and today, when returning): no older day matters to it.
AWAY_DAYS_READ = 2


def logs_needed(library: Library) -> int:
    """How many of an exercise's latest logs (in one kind of session) `adapt` can look at:
    `decide` reads the newest `progress_sessions` of them and the one before the newest, and
    the step back after time away the two newest days of done sessions. A caller may hand over
    only those, with `painful_before` for the exercises that hurt in the older ones, and get
    the same adaptation as from every log."""
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
    painful_before: frozenset[str] = frozenset(),
) -> Adaptation:
    """`returning`: the runner is opening today's plan, so a long gap up to today counts as time
    away; when logging (perhaps catching up on old sessions) only a gap between logs counts.
    `painful_before`: exercises logged with pain at `pain_flag_level` or more in logs not handed
    over (see `logs_needed`): a regression or stop never falls back to one of them."""
    painful_from = library.threshold("pain_flag_level").value

    def usable(exercise: Exercise) -> bool:
        return set(exercise.equipment) <= equipment and not set(exercise.loads) & excluded

    start = today + dt.timedelta(days=1) if today < dt.date.max else today
    since = _last_change(history)
    grouped = _logs_since(logs, since)
    painful = painful_before | frozenset(
        e.exercise_id for s in logs for e in s.exercises if e.pain >= painful_from
    )
    days = {d.date: d for d in plan.days}
    coming = _Coming(plan, start, library)
    decisions: list[Decision] = []
    changes: list[Change] = []
    for key, exercise_logs in sorted(grouped.items()):
        session, exercise_id = key
        if exercise_id not in library.exercises:
            continue
        current = coming.exercise.get(key)
        carried = current is None
        if current is None:
            # A new phase may hold a harder step of the same family: a fault or pain found
            # on the old step carries to it; a progression does not (the phase already made it).
            current = coming.family.get((session, library.family[exercise_id]))
            if current is None:
                continue
        exercise = library.exercises[current.exercise_id]
        decision = decide(exercise, current, session, exercise_logs, library, usable, painful)
        if carried and decision.action == Action.progress:
            continue
        decisions.append(decision)
        if decision.action == Action.hold:
            continue
        days, change = _apply(days, decision, current, start, library)
        changes.append(change)
    days, lighter = _after_soreness(days, soreness, library, today, history)
    days, back = _after_time_away(days, logs, library, today, history, usable, returning)
    changes += lighter + back
    return Adaptation(plan=_rebuild(plan, days), decisions=tuple(decisions), changes=tuple(changes))


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
) -> dict[Key, list[ExerciseLog]]:
    grouped: dict[Key, list[ExerciseLog]] = defaultdict(list)
    for session_log in sorted(logs, key=lambda s: s.date):
        if session_log.status != "done":
            continue
        for exercise_log in session_log.exercises:
            key = (session_log.session, exercise_log.exercise_id)
            if session_log.date >= since.get(key, dt.date.min):
                grouped[key].append(exercise_log)
    return grouped


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
    """`change` applied to every prescription from `start` on. The days and sessions it leaves
    alone stay the objects they were, and a session that many days share (a stored plan's are
    shared) is mapped once."""
    mapped: dict[int, Session] = {}  # by identity: hashing a session walks every prescription

    def session_of(session: Session) -> Session:
        found = mapped.get(id(session))
        if found is None:
            old = session.prescriptions
            new = tuple(q for p in old if (q := change(p, session)) is not None)
            same = len(new) == len(old) and all(q is p for q, p in zip(new, old, strict=True))
            found = (
                session
                if same
                else session.model_copy(update={"prescriptions": new, "minutes": minutes(new)})
            )
            mapped[id(session)] = found
        return found

    def day_of(day: Day) -> Day:
        sessions = tuple(session_of(s) for s in day.sessions)
        if all(new is old for new, old in zip(sessions, day.sessions, strict=True)):
            return day
        return day.model_copy(update={"sessions": sessions})

    return {date: day_of(day) if date >= start else day for date, day in days.items()}


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
        if session.kind not in TRAINED:
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
