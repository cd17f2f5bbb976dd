"""Progress: adherence by week, each exercise over time, the tests against the first time,
soreness and pain trends. Pure: the plan, logs and screenings in; a report model out."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from glutecoach.domain.library.models import FeltArea
from glutecoach.domain.planning.plan import Plan, SessionKind
from glutecoach.domain.progression.logs import SessionLog, SorenessLog
from glutecoach.domain.screening import Screening

COUNTED = (
    SessionKind.pre_run_activation,
    SessionKind.strength,
    SessionKind.dynamic_warm_up,
    SessionKind.post_run_recovery,
)


Status = Literal["done", "skipped"]


@dataclass(frozen=True, slots=True)
class LoggedSession:
    """A logged session, as adherence counts it."""

    date: dt.date
    session: SessionKind
    status: Status


@dataclass(frozen=True, slots=True)
class LoggedExercise:
    """An exercise as logged, as the report draws it: the best set, not each set."""

    date: dt.date
    session: SessionKind
    exercise_id: str
    prescribed_sets: int
    prescribed: str  # the range, e.g. "15–20"
    best: int  # 0 when no set was done
    unit: str
    effort: int
    felt: FeltArea
    pain: int


@dataclass(frozen=True)
class ProgressLogs:
    """What the report reads of the logs, each by date then in the order saved. A store reads
    this much straight from its rows: for a year of logs, building each whole log with its sets
    costs several times the report."""

    sessions: tuple[LoggedSession, ...]
    exercises: tuple[LoggedExercise, ...]

    @classmethod
    def of(cls, logs: Iterable[SessionLog]) -> ProgressLogs:
        ordered = sorted(logs, key=_day)
        return cls(
            tuple(LoggedSession(log.date, log.session, log.status) for log in ordered),
            tuple(
                LoggedExercise(
                    date=log.date,
                    session=log.session,
                    exercise_id=e.exercise_id,
                    prescribed_sets=e.prescribed_sets,
                    prescribed=str(e.prescribed),
                    best=max(e.sets, default=0),
                    unit=e.unit,
                    effort=e.effort,
                    felt=e.felt,
                    pain=e.pain,
                )
                for log in ordered
                for e in log.exercises
            ),
        )


class _Report(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WeekAdherence(_Report):
    number: int
    start: dt.date
    planned: int
    done: int
    skipped: int

    @property
    def percent(self) -> float | None:
        return None if self.planned == 0 else round(100 * self.done / self.planned, 1)


class ExercisePoint(_Report):
    date: dt.date
    session: SessionKind
    prescribed: str  # e.g. "2 × 15–20 reps"
    best: int  # the best set, in the prescription's unit
    unit: str
    effort: int
    felt: str
    pain: int


class ExerciseHistory(_Report):
    exercise_id: str
    points: tuple[ExercisePoint, ...]


class TestComparison(_Report):
    test: str  # side_plank_s, single_leg_bridge_reps, single_leg_squat_faults, clamshell_felt
    side: str
    first: str
    latest: str
    first_on: dt.date
    latest_on: dt.date
    improved: bool | None  # None when it cannot be ranked (where the clamshell was felt)


class DatedValue(_Report):
    date: dt.date
    value: float


class Progress(_Report):
    runner: str
    as_of: dt.date
    weeks: tuple[WeekAdherence, ...]
    exercises: tuple[ExerciseHistory, ...]
    tests: tuple[TestComparison, ...]
    soreness: tuple[DatedValue, ...]
    pain: tuple[DatedValue, ...]  # the highest pain logged in any exercise that day

    @property
    def adherence_percent(self) -> float | None:
        planned = sum(w.planned for w in self.weeks)
        return None if planned == 0 else round(100 * sum(w.done for w in self.weeks) / planned, 1)


def progress(
    plan: Plan,
    logs: ProgressLogs,
    soreness: Sequence[SorenessLog],
    screenings: Sequence[Screening],
    today: dt.date,
) -> Progress:
    return Progress(
        runner=plan.runner,
        as_of=today,
        weeks=_adherence(plan, logs.sessions, today),
        exercises=_exercises(logs.exercises),
        tests=_tests(screenings),
        soreness=tuple(DatedValue(date=s.date, value=s.level) for s in sorted(soreness, key=_day)),
        pain=_pain(logs.exercises),
    )


def _day(item: SorenessLog | SessionLog) -> dt.date:
    return item.date


def _adherence(
    plan: Plan, logs: Sequence[LoggedSession], today: dt.date
) -> tuple[WeekAdherence, ...]:
    status = {(log.date, log.session): log.status for log in logs}
    weeks = []
    for week in plan.weeks:
        if week.start > today:
            break
        planned = [
            (d.date, s.kind)
            for d in week.days
            if d.date <= today
            for s in d.sessions
            if s.kind in COUNTED
        ]
        weeks.append(
            WeekAdherence(
                number=week.number,
                start=week.start,
                planned=len(planned),
                done=sum(status.get(k) == "done" for k in planned),
                skipped=sum(status.get(k) == "skipped" for k in planned),
            )
        )
    return tuple(weeks)


def _exercises(logged: Sequence[LoggedExercise]) -> tuple[ExerciseHistory, ...]:
    points: dict[str, list[ExercisePoint]] = defaultdict(list)
    for e in logged:
        points[e.exercise_id].append(
            ExercisePoint(
                date=e.date,
                session=e.session,
                prescribed=f"{e.prescribed_sets} × {e.prescribed}",
                best=e.best,
                unit=e.unit,
                effort=e.effort,
                felt=e.felt.value,
                pain=e.pain,
            )
        )
    return tuple(ExerciseHistory(exercise_id=k, points=tuple(v)) for k, v in sorted(points.items()))


def _pain(logged: Sequence[LoggedExercise]) -> tuple[DatedValue, ...]:
    worst: dict[dt.date, int] = {}
    for e in logged:
        worst[e.date] = max(worst.get(e.date, 0), e.pain)
    return tuple(DatedValue(date=d, value=v) for d, v in sorted(worst.items()))


def _tests(screenings: Sequence[Screening]) -> tuple[TestComparison, ...]:
    with_tests = [s for s in screenings if s.input.tests != type(s.input.tests)()]
    if not with_tests:
        return ()
    first, latest = with_tests[0], with_tests[-1]
    rows: list[TestComparison] = []
    for side in ("left", "right"):
        for name, unit in (("side_plank_s", " s"), ("single_leg_bridge_reps", " reps")):
            a, b = getattr(first.input.tests, name), getattr(latest.input.tests, name)
            if a is not None and b is not None:
                before, after = getattr(a, side), getattr(b, side)
                rows.append(
                    _row(
                        name,
                        side,
                        f"{before:g}{unit}",
                        f"{after:g}{unit}",
                        first,
                        latest,
                        after > before if after != before else None,
                    )
                )
        a, b = first.input.tests.single_leg_squat, latest.input.tests.single_leg_squat
        if a is not None and b is not None:
            before = _faults(getattr(a, side))
            after = _faults(getattr(b, side))
            rows.append(
                _row(
                    "single_leg_squat_faults",
                    side,
                    f"{before} faults",
                    f"{after} faults",
                    first,
                    latest,
                    after < before if after != before else None,
                )
            )
        a, b = first.input.tests.clamshell_felt, latest.input.tests.clamshell_felt
        if a is not None and b is not None:
            before, after = getattr(a, side).value, getattr(b, side).value
            better = None if before == after else after == "glutes"
            rows.append(_row("clamshell_felt", side, before, after, first, latest, better))
    return tuple(rows)


def _faults(observation: object) -> int:
    return sum(
        bool(getattr(observation, f)) for f in ("knee_caves_in", "pelvis_drops", "trunk_leans")
    )


def _row(
    test: str, side: str, first: str, latest: str, a: Screening, b: Screening, improved: bool | None
) -> TestComparison:
    return TestComparison(
        test=test,
        side=side,
        first=first,
        latest=latest,
        first_on=a.screened_on,
        latest_on=b.screened_on,
        improved=improved,
    )
