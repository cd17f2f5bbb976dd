"""Today's sessions and logging: each log is one transaction, and the plan adapts to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from glutecoach.adapters.db.repositories import Database, PlanRecord, Repository, RunnerRecord
from glutecoach.domain.errors import InvalidInput, RuleViolation
from glutecoach.domain.library import FeltArea, load_library
from glutecoach.domain.planning import Day, Plan, RunnerProfile, SessionKind
from glutecoach.domain.progression import (
    AWAY_DAYS_READ,
    Adaptation,
    Change,
    Decision,
    ExerciseLog,
    RunLog,
    SessionLog,
    SorenessLog,
    adapt,
    logs_needed,
)
from glutecoach.domain.progression.logs import Amount
from glutecoach.domain.progression.safety import Clearance, Hold, PainEvent, hold_from
from glutecoach.domain.screening import Screening
from glutecoach.domain.validation import parse_model
from glutecoach.services.retry import retry_conflicts
from glutecoach.services.runners import choose, no_plan, planned_runner

LOGGABLE = (
    SessionKind.pre_run_activation,
    SessionKind.strength,
    SessionKind.dynamic_warm_up,
    SessionKind.post_run_recovery,
)


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExerciseEntry(_Input):
    """One exercise as the runner reports it; the prescription is looked up, not trusted."""

    exercise_id: str
    sets: tuple[Amount, ...] = Field(max_length=20)  # reps, seconds, steps or minutes per set
    load: str | None = Field(default=None, max_length=40)
    effort: int = Field(ge=1, le=10)
    felt: FeltArea
    pain: int = Field(ge=0, le=10)


class SessionEntry(_Input):
    date: dt.date | None = None  # default: today
    session: SessionKind
    exercises: tuple[ExerciseEntry, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Snapshot:
    """Everything the engine needs about one runner, read in one transaction. Of the session
    logs only those the engine looks at (`logs_needed`), whatever the length of the history: a
    use case that shows every log reads them itself."""

    runner: RunnerRecord
    plan: PlanRecord
    profile: RunnerProfile
    screening: Screening | None
    recent_logs: list[SessionLog]
    pain: list[PainEvent]  # every exercise logged with pain at `pain_flag_level` or more
    clearances: list[Clearance]
    soreness: list[SorenessLog]
    history: list[Change]


@dataclass(frozen=True)
class Outcome:
    plan_version: int  # the version now current
    decisions: tuple[Decision, ...]
    changes: tuple[Change, ...]


def encode_changes(changes: tuple[Change, ...]) -> list[str]:
    return [c.model_dump_json() for c in changes]


def decode_changes(lines: tuple[str, ...]) -> list[Change]:
    return [Change.model_validate_json(line) for line in lines]


def snapshot(repo: Repository, slug: str | None) -> Snapshot:
    runner, plan, profile = planned_runner(repo, slug)
    screening = repo.latest_screening(runner.id)
    library = load_library()
    painful_from = int(library.threshold("pain_flag_level").value)
    return Snapshot(
        runner=runner,
        plan=plan,
        profile=profile,
        screening=screening.screening if screening else None,
        recent_logs=repo.engine_session_logs(runner.id, logs_needed(library), AWAY_DAYS_READ),
        pain=repo.pain.events(runner.id, painful_from),
        clearances=repo.pain.clearances(runner.id),
        soreness=repo.soreness(runner.id),
        history=decode_changes(tuple(repo.plan_change_lines(runner.id))),
    )


def hold_of(snap: Snapshot) -> Hold:
    """What pain keeps out of the runner's plan now (domain/progression/safety.py)."""
    excluded = frozenset(snap.screening.excluded_areas if snap.screening else ())
    return hold_from(snap.pain, snap.clearances, load_library(), excluded)


def _adapt(
    snap: Snapshot,
    logs: list[SessionLog],
    soreness: list[SorenessLog],
    on: dt.date,
    returning: bool = False,
    logged: SessionLog | None = None,
) -> Adaptation:
    return adapt(
        snap.plan.plan,
        logs,
        soreness,
        load_library(),
        today=on,
        history=snap.history,
        equipment=frozenset(snap.profile.equipment),
        excluded=frozenset(snap.screening.excluded_areas if snap.screening else ()),
        returning=returning,
        pain_before=snap.pain,
        clearances=snap.clearances,
        logged=logged,
    )


def _save_version(repo: Repository, snap: Snapshot, result: Adaptation, why: str) -> int:
    if not result.changes:
        return snap.plan.version
    return repo.add_plan(
        snap.runner.id,
        result.plan,
        reason=why,
        changes=encode_changes(result.changes),
        profile_version=snap.plan.profile_version,
        screening_id=snap.plan.screening_id,
        based_on=snap.plan,
    )


def save_adaptation(repo: Repository, snap: Snapshot, today: dt.date, why: str) -> Outcome:
    """The plan adapted to what the snapshot holds now (e.g. a clearance just added), stored
    as a new version when anything changed."""
    result = _adapt(snap, snap.recent_logs, snap.soreness, today)
    return Outcome(_save_version(repo, snap, result, why), result.decisions, result.changes)


def _check_date(date: dt.date, today: dt.date, plan: Plan) -> None:
    if date > today:
        raise InvalidInput(f"date {date} is in the future (today is {today})")
    if date < plan.start or date > plan.end:
        raise InvalidInput(f"date {date} is outside the plan ({plan.start} to {plan.end})")


def _day(plan: Plan, date: dt.date) -> Day:
    return next(d for d in plan.days if d.date == date)


@dataclass(frozen=True)
class TodayView:
    runner: RunnerRecord
    date: dt.date
    plan_version: int
    day: Day | None  # None outside the plan's dates
    changes: tuple[Change, ...]  # made now, e.g. the step back after two weeks away
    logged: tuple[SessionKind, ...]  # sessions already logged (or skipped) today
    plan_start: dt.date  # the dates of the version the day comes from
    plan_end: dt.date
    runner_today: dt.date  # today in the runner's time zone; `date` may be before or after it

    @property
    def is_preview(self) -> bool:
        return self.date > self.runner_today


@retry_conflicts  # after time away it stores a version, which another page load may race
def today(db: Database, slug: str | None, on: dt.date | None = None) -> TodayView:
    """Today's sessions (or another day's). Usually a few small queries and one day of the plan
    (not the whole plan, unless it is cached); only after two weeks without a log does it run
    the engine (to step the plan back) and store a new version. A day still to come is a
    preview: it never adapts the plan."""
    with db.unit() as repo:
        runner = choose(repo, slug)
        latest = repo.latest_profile(runner.id)
        version = repo.current_plan_version(runner.id)
        if latest is None or version is None:
            raise no_plan(runner)
        runner_today = repo.clock.today(latest[1].timezone)
        date = on or runner_today
        changes: tuple[Change, ...] = ()
        logged: tuple[SessionKind, ...] = ()
        if date <= runner_today:
            last = repo.last_done_log_date(runner.id)
            away = load_library().threshold("step_back_after_days").value
            if last is not None and (date - last).days >= away:
                snap = snapshot(repo, slug)
                result = _adapt(snap, snap.recent_logs, snap.soreness, date, returning=True)
                changes = result.changes
                version = _save_version(repo, snap, result, "back after time away")
            logged = tuple(SessionKind(k) for k in repo.logged_sessions_on(runner.id, date))
        found = repo.plan_day(runner.id, version, date)
    return TodayView(
        runner, date, version, found.day, changes, logged, found.start, found.end, runner_today
    )


def current_plan(db: Database, slug: str | None) -> tuple[RunnerRecord, int, Plan]:
    """The runner's current plan version (parsed once per process)."""
    with db.unit() as repo:
        runner = choose(repo, slug)
        version = repo.current_plan_version(runner.id)
        if version is None:
            raise no_plan(runner)
        return runner, version, repo.plan(runner.id, version)


def plan_of(db: Database, slug: str | None, version: int) -> Plan:
    """One version of the runner's plan (parsed once per process), e.g. the one a page's day
    came from."""
    with db.unit() as repo:
        return repo.plan(choose(repo, slug).id, version)


def parse_entry(data: Any, label: str) -> SessionEntry:
    return parse_model(SessionEntry, data, label)


@retry_conflicts
def log_session(
    db: Database, slug: str | None, entry: SessionEntry, on: dt.date | None = None
) -> Outcome:
    """Store one session's log and the plan version it leads to, all or nothing."""
    with db.unit() as repo:
        snap = snapshot(repo, slug)
        today = on or repo.clock.today(snap.profile.timezone)
        date = entry.date or today
        plan = snap.plan.plan
        _check_date(date, today, plan)
        _refuse_if_logged(repo, snap.runner.id, date, entry.session)
        log = _session_log(plan, snap, entry, date)
        repo.add_session_log(snap.runner.id, log)
        result = _adapt(snap, [*snap.recent_logs, log], snap.soreness, today, logged=log)
        version = _save_version(
            repo, snap, result, f"after your {entry.session.value} log of {date}"
        )
    return Outcome(version, result.decisions, result.changes)


def _refuse_if_logged(repo: Repository, runner_id: int, date: dt.date, kind: SessionKind) -> None:
    if kind.value in repo.logged_sessions_on(runner_id, date):
        raise RuleViolation(f"the {kind.value} session of {date} is already logged")


def _session_log(plan: Plan, snap: Snapshot, entry: SessionEntry, date: dt.date) -> SessionLog:
    if entry.session not in LOGGABLE:
        raise InvalidInput(f"session '{entry.session.value}' is not one you log")
    session = _day(plan, date).session(entry.session)
    if session is None:
        planned = ", ".join(s.kind.value for s in _day(plan, date).sessions if s.kind in LOGGABLE)
        raise InvalidInput(
            f"no {entry.session.value} session is planned on {date} (planned: {planned or 'none'})"
        )
    prescribed = {p.exercise_id: p for p in session.prescriptions}
    exercises = []
    for e in entry.exercises:
        p = prescribed.get(e.exercise_id)
        if p is None:
            raise InvalidInput(
                f"exercise '{e.exercise_id}' is not in the {entry.session.value} session of "
                f"{date} (it has: {', '.join(prescribed)})"
            )
        exercises.append(
            ExerciseLog(
                exercise_id=e.exercise_id,
                unit=p.unit,
                prescribed_sets=p.sets,
                prescribed=p.amount,
                sets=e.sets,
                load=e.load,
                effort=e.effort,
                felt=e.felt,
                pain=e.pain,
            )
        )
    return parse_model(
        SessionLog,
        {
            "date": date,
            "session": entry.session,
            "status": "done",
            "exercises": tuple(exercises),
            "plan_version": snap.plan.version,
        },
        "your log",
    )


@retry_conflicts
def skip_session(
    db: Database,
    slug: str | None,
    session: SessionKind,
    reason: str,
    date: dt.date | None = None,
    on: dt.date | None = None,
) -> None:
    reason = reason.strip()
    if not reason or len(reason) > 200:
        raise InvalidInput("field 'reason' must say why the session was skipped (1-200 characters)")
    with db.unit() as repo:
        snap = snapshot(repo, slug)
        today = on or repo.clock.today(snap.profile.timezone)
        day = date or today
        _check_date(day, today, snap.plan.plan)
        if _day(snap.plan.plan, day).session(session) is None:
            raise InvalidInput(f"no {session.value} session is planned on {day}")
        _refuse_if_logged(repo, snap.runner.id, day, session)
        repo.add_session_log(
            snap.runner.id,
            SessionLog(
                date=day,
                session=session,
                status="skipped",
                skip_reason=reason,
                plan_version=snap.plan.version,
            ),
        )


@retry_conflicts
def log_soreness(
    db: Database,
    slug: str | None,
    level: int,
    date: dt.date | None = None,
    note: str | None = None,
    on: dt.date | None = None,
) -> Outcome:
    with db.unit() as repo:
        snap = snapshot(repo, slug)
        today = on or repo.clock.today(snap.profile.timezone)
        day = date or today
        if day > today:
            raise InvalidInput(f"date {day} is in the future (today is {today})")
        sore = parse_model(SorenessLog, {"date": day, "level": level, "note": note}, "soreness")
        repo.add_soreness(snap.runner.id, sore)
        result = _adapt(snap, snap.recent_logs, [*snap.soreness, sore], today)
        version = _save_version(repo, snap, result, f"after soreness {level}/10 on {day}")
    return Outcome(version, result.decisions, result.changes)


@retry_conflicts
def log_run(
    db: Database,
    slug: str | None,
    distance_km: float,
    minutes: float,
    date: dt.date | None = None,
    on: dt.date | None = None,
) -> RunLog:
    """A run done, when no run file is imported."""
    with db.unit() as repo:
        snap = snapshot(repo, slug)
        today = on or repo.clock.today(snap.profile.timezone)
        day = date or today
        if day > today:
            raise InvalidInput(f"date {day} is in the future (today is {today})")
        run = parse_model(
            RunLog, {"date": day, "distance_km": distance_km, "minutes": minutes}, "run"
        )
        repo.add_run(snap.runner.id, run)
    return run


def snapshot_of(db: Database, slug: str | None = None) -> Snapshot:
    """The runner's plan, logs and screening as the engine reads them, in one unit of work."""
    with db.unit() as repo:
        return snapshot(repo, slug)
