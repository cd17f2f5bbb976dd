"""Generated runners and weeks of their logging, run through the engine as the services run it:
after each log, skip, soreness or clearance the plan adapts from the day it happened.

A history shrunk or replayed by Hypothesis is simulated once (`simulate` keeps each by its
spec's repr): about 15 ms a history of up to nine steps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import strategies as st

from glutecoach.domain.library import Library, load_library
from glutecoach.domain.library.models import BodyArea, Equipment, FeltArea
from glutecoach.domain.planning import Plan, RunnerProfile, SessionKind, Weekday, build_plan
from glutecoach.domain.planning.changes import Change
from glutecoach.domain.progression import Adaptation, ExerciseLog, SessionLog, SorenessLog, adapt
from glutecoach.domain.progression.safety import Clearance, ClearedBy

LIBRARY: Library = load_library()
LOGGED_KINDS = (
    SessionKind.pre_run_activation,
    SessionKind.strength,
    SessionKind.dynamic_warm_up,
    SessionKind.post_run_recovery,
)
PAIN = st.sampled_from([0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 8])  # mostly none, often some


@dataclass(frozen=True)
class Step:
    offset: int  # days after the plan's start
    action: str  # log, skip, soreness, clear
    kind: SessionKind = SessionKind.strength
    pains: tuple[int, ...] = (0,)  # per exercise, in turn
    felt: FeltArea = FeltArea.glutes
    effort: int = 6
    completed: bool = True
    level: int = 0  # soreness
    area: BodyArea = BodyArea.hip
    by: ClearedBy = ClearedBy.runner


@dataclass(frozen=True)
class Spec:
    profile: RunnerProfile
    weeks: int
    equipment: frozenset[Equipment]
    red_flags: frozenset[BodyArea]
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Done:
    """One step and what the engine made of it."""

    step: Step
    today: dt.date
    before: Plan  # the plan the step was taken on
    log: SessionLog | None
    logs: tuple[SessionLog, ...]  # every log so far, this one included
    clearances: tuple[Clearance, ...]
    result: Adaptation


@st.composite
def steps(draw: st.DrawFn, days: int) -> tuple[Step, ...]:
    offsets = sorted(draw(st.lists(st.integers(0, days - 1), min_size=1, max_size=12)))
    chosen: list[Step] = []
    for offset in offsets:
        action = draw(st.sampled_from(["log"] * 6 + ["skip", "soreness", "clear"]))
        chosen.append(
            Step(
                offset=offset,
                action=action,
                kind=draw(st.sampled_from([SessionKind.strength] * 3 + list(LOGGED_KINDS))),
                pains=tuple(draw(st.lists(PAIN, min_size=1, max_size=6))),
                # mostly as a runner who is doing well logs, so progressions happen too
                felt=draw(st.sampled_from([FeltArea.glutes] * 12 + list(FeltArea))),
                effort=draw(st.sampled_from([4, 5, 6, 6, 7, 7, 8, 9])),
                completed=draw(st.booleans() | st.just(True)),
                level=draw(st.integers(0, 10)),
                area=draw(st.sampled_from(list(BodyArea))),
                by=draw(st.sampled_from(list(ClearedBy))),
            )
        )
    return tuple(chosen)


@st.composite
def steady_steps(draw: st.DrawFn, days: int) -> tuple[Step, ...]:
    """A runner doing well: every day one kind of session logged as prescribed, easy enough and
    felt in the glutes, so exercises come up for progression often; the pain is mostly none
    and otherwise below the stop level, where only the flag rule keeps them from moving on."""
    kind = draw(st.sampled_from(LOGGED_KINDS))
    mild = st.sampled_from([0, 0, 0, 0, 1, 2, 2, 3, 3])
    start = draw(st.integers(0, 6))
    return tuple(
        Step(
            offset=offset,
            action="log",
            kind=kind,
            pains=tuple(draw(st.lists(mild, min_size=1, max_size=4))),
            effort=draw(st.sampled_from([4, 5, 6, 7])),
        )
        for offset in range(start, min(days, start + 21))
    )


@st.composite
def specs(draw: st.DrawFn, steady: bool = False) -> Spec:
    days = list(Weekday)
    run_days = sorted(
        draw(st.sets(st.sampled_from(days), min_size=2, max_size=6)), key=lambda d: d.position
    )
    long_run = draw(st.none() | st.sampled_from(run_days))
    start = dt.date(2026, 1, 5) + dt.timedelta(days=draw(st.integers(0, 3 * 365)))
    weeks = draw(st.integers(2, 6))
    equipment = draw(st.sets(st.sampled_from(list(Equipment))))
    data = {
        "name": "Generated",
        "start_date": start,
        "run_days": run_days,
        "long_run_day": long_run,
        "weekly_km": draw(st.floats(10, 90)),
        "equipment": sorted(equipment),
        "strength_sessions_per_week": draw(st.sampled_from([2, 3])),
        "timezone": draw(st.sampled_from(["UTC", "Europe/London", "Pacific/Auckland"])),
    }
    if draw(st.booleans()):
        data["race"] = {
            "date": start + dt.timedelta(days=draw(st.integers(7, weeks * 7))),
            "distance_km": 21.1,
        }
    profile = RunnerProfile.model_validate(data)
    red = draw(st.sets(st.sampled_from(list(BodyArea)), max_size=1) | st.just(set()))
    taken = draw(steady_steps(weeks * 7) if steady else steps(weeks * 7))
    return Spec(profile, weeks, frozenset(equipment), frozenset(red), taken)


def _log(step: Step, plan: Plan, date: dt.date) -> SessionLog | None:
    day = next((d for d in plan.days if d.date == date), None)
    if day is None:
        return None
    session = day.session(step.kind) or next(
        (s for s in day.sessions if s.kind in LOGGED_KINDS and s.prescriptions), None
    )
    if session is None or not session.prescriptions:
        return None
    if step.action == "skip":
        return SessionLog(
            date=date, session=session.kind, status="skipped", skip_reason="busy", plan_version=1
        )
    exercises = []
    for n, p in enumerate(session.prescriptions):
        top = p.amount.high if step.completed or n else max(0, p.amount.low - 1)
        exercises.append(
            ExerciseLog(
                exercise_id=p.exercise_id,
                unit=p.unit,
                prescribed_sets=p.sets,
                prescribed=p.amount,
                sets=(top,) * p.sets,
                effort=step.effort,
                felt=step.felt,
                pain=step.pains[n % len(step.pains)],
            )
        )
    return SessionLog(
        date=date, session=session.kind, status="done", exercises=tuple(exercises), plan_version=1
    )


_SIMULATED: dict[str, tuple[Plan, tuple[Done, ...]]] = {}


def simulate(spec: Spec) -> tuple[Plan, tuple[Done, ...]]:
    """The first plan and every step taken on it, as the services would run them."""
    key = repr(spec)
    if key not in _SIMULATED:
        _SIMULATED[key] = _simulate(spec)
    return _SIMULATED[key]


def _simulate(spec: Spec) -> tuple[Plan, tuple[Done, ...]]:
    first = build_plan(spec.profile, None, LIBRARY, weeks=spec.weeks)
    plan = first
    logs: list[SessionLog] = []
    soreness: list[SorenessLog] = []
    clearances: list[Clearance] = []
    history: list[Change] = []
    done: list[Done] = []
    taken: set[tuple[dt.date, SessionKind]] = set()
    for step in spec.steps:
        today = first.start + dt.timedelta(days=step.offset)
        log = None
        if step.action in ("log", "skip"):
            log = _log(step, plan, today)
            if log is None or (today, log.session) in taken:
                continue
            taken.add((today, log.session))
            logs.append(log)
        elif step.action == "soreness":
            soreness.append(SorenessLog(date=today, level=step.level))
        else:
            clearances.append(Clearance(date=today, area=step.area, by=step.by))
        result = adapt(
            plan,
            logs,
            soreness,
            LIBRARY,
            today=today,
            history=history,
            equipment=spec.equipment,
            excluded=spec.red_flags,
            clearances=clearances,
            logged=log if log is not None and log.status == "done" else None,
        )
        done.append(Done(step, today, plan, log, tuple(logs), tuple(clearances), result))
        history += result.changes
        plan = result.plan
    return first, tuple(done)
