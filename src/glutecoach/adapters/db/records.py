"""The conversions between stored rows and what the repository hands out (domain/records.py,
its names kept here for the adapter's own modules)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, Protocol

from glutecoach.adapters.db.plan_documents import plan_from_document
from glutecoach.adapters.db.tables import (
    PlanRow,
    RunnerRow,
)
from glutecoach.domain.library.models import IntRange
from glutecoach.domain.progression.logs import ExerciseLog, SessionLog
from glutecoach.domain.records import (
    PlanDay as PlanDay,
)
from glutecoach.domain.records import (
    PlanRecord as PlanRecord,
)
from glutecoach.domain.records import (
    PlanSummary as PlanSummary,
)
from glutecoach.domain.records import (
    ProfileRecord as ProfileRecord,
)
from glutecoach.domain.records import (
    RunnerRecord as RunnerRecord,
)
from glutecoach.domain.records import (
    ScreeningPurpose as ScreeningPurpose,
)
from glutecoach.domain.records import (
    ScreeningRecord as ScreeningRecord,
)
from glutecoach.domain.records import (
    SessionLogRecord as SessionLogRecord,
)


def runner_record(row: RunnerRow) -> RunnerRecord:
    return RunnerRecord(row.id, row.slug, row.name, row.created_at)


def purpose(value: str) -> ScreeningPurpose:
    return "retest" if value == "retest" else "initial"


def plan_record(row: PlanRow) -> PlanRecord:
    return PlanRecord(
        version=row.version,
        created_at=row.created_at,
        reason=row.reason,
        changes=tuple(str(change) for change in row.changes),
        profile_version=row.profile_version,
        screening_id=row.screening_id,
        plan=plan_from_document(row.data),
    )


def changes_until(lines: Iterable[str]) -> dt.date | None:
    """The latest day one of a plan version's change lines (`Change` as JSON) takes effect; a
    line that does not say counts as taking effect for ever, so no read bounded by it misses
    the line. None for a version without changes."""
    latest: dt.date | None = None
    for line in lines:
        try:
            day = dt.date.fromisoformat(json.loads(line)["effective_from"])
        except (ValueError, TypeError, KeyError):
            day = dt.date.max
        latest = day if latest is None else max(latest, day)
    return latest


def exercise_values(session_log_id: int, position: int, log: ExerciseLog) -> dict[str, Any]:
    """An exercise's log as the columns of its row (its sets are rows of their own)."""
    return {
        "session_log_id": session_log_id,
        "position": position,
        "exercise_id": log.exercise_id,
        "unit": log.unit,
        "prescribed_sets": log.prescribed_sets,
        "prescribed_low": log.prescribed.low,
        "prescribed_high": log.prescribed.high,
        "load": log.load,
        "effort": log.effort,
        "felt": log.felt.value,
        "pain": log.pain,
    }


class _ExerciseLogFields(Protocol):
    exercise_id: str
    unit: str
    prescribed_sets: int
    prescribed_low: int
    prescribed_high: int
    load: str | None
    effort: int
    felt: str
    pain: int


class _SessionLogFields(Protocol):
    date: dt.date
    session: str
    status: str
    skip_reason: str | None
    plan_version: int


def exercise_log(row: _ExerciseLogFields, sets: Iterable[int]) -> ExerciseLog:
    """An exercise's log from its stored fields (an ORM row or a plain result row)."""
    return ExerciseLog.model_validate(
        {
            "exercise_id": row.exercise_id,
            "unit": row.unit,
            "prescribed_sets": row.prescribed_sets,
            "prescribed": IntRange(low=row.prescribed_low, high=row.prescribed_high),
            "sets": tuple(sets),
            "load": row.load,
            "effort": row.effort,
            "felt": row.felt,
            "pain": row.pain,
        }
    )


def session_log_of(row: _SessionLogFields, exercises: Iterable[ExerciseLog]) -> SessionLog:
    """A session's log from its stored fields and its exercises' logs."""
    return SessionLog.model_validate(
        {
            "date": row.date,
            "session": row.session,
            "status": row.status,
            "skip_reason": row.skip_reason,
            "plan_version": row.plan_version,
            "exercises": list(exercises),
        }
    )
