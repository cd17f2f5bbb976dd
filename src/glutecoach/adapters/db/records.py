"""What the repository hands out, and the conversions between stored rows and domain models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal

from glutecoach.adapters.db.tables import (
    ExerciseLogRow,
    PlanRow,
    RunnerRow,
    SessionLogRow,
    SetLogRow,
)
from glutecoach.domain.library.models import IntRange
from glutecoach.domain.planning import Plan, RunnerProfile
from glutecoach.domain.progression.logs import ExerciseLog, SessionLog
from glutecoach.domain.screening import Screening

ScreeningPurpose = Literal["initial", "retest"]


@dataclass(frozen=True)
class RunnerRecord:
    id: int
    slug: str
    name: str
    created_at: dt.datetime


@dataclass(frozen=True)
class ProfileRecord:
    version: int
    created_at: dt.datetime
    profile: RunnerProfile


@dataclass(frozen=True)
class ScreeningRecord:
    id: int
    purpose: ScreeningPurpose
    created_at: dt.datetime
    screening: Screening


@dataclass(frozen=True)
class PlanSummary:
    """A plan version without the plan: why it was made and what changed."""

    version: int
    created_at: dt.datetime
    reason: str
    changes: tuple[str, ...]
    profile_version: int
    screening_id: int | None


@dataclass(frozen=True)
class PlanRecord(PlanSummary):
    document: Mapping[str, Any] = field(repr=False)  # the stored Plan, read-only

    @cached_property
    def plan(self) -> Plan:
        """The whole plan, parsed on first use: listing versions for their changes stays cheap."""
        return Plan.model_validate(dict(self.document))


@dataclass(frozen=True)
class SessionLogRecord:
    id: int
    created_at: dt.datetime
    log: SessionLog


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
        document=MappingProxyType(row.data),
    )


def exercise_row(position: int, log: ExerciseLog) -> ExerciseLogRow:
    return ExerciseLogRow(
        position=position,
        exercise_id=log.exercise_id,
        unit=log.unit,
        prescribed_sets=log.prescribed_sets,
        prescribed_low=log.prescribed.low,
        prescribed_high=log.prescribed.high,
        load=log.load,
        effort=log.effort,
        felt=log.felt.value,
        pain=log.pain,
        sets=[SetLogRow(set_number=n, amount=amount) for n, amount in enumerate(log.sets, 1)],
    )


def session_log(row: SessionLogRow) -> SessionLog:
    return SessionLog.model_validate(
        {
            "date": row.date,
            "session": row.session,
            "status": row.status,
            "skip_reason": row.skip_reason,
            "plan_version": row.plan_version,
            "exercises": [
                ExerciseLog.model_validate(
                    {
                        "exercise_id": e.exercise_id,
                        "unit": e.unit,
                        "prescribed_sets": e.prescribed_sets,
                        "prescribed": IntRange(low=e.prescribed_low, high=e.prescribed_high),
                        "sets": tuple(s.amount for s in e.sets),
                        "load": e.load,
                        "effort": e.effort,
                        "felt": e.felt,
                        "pain": e.pain,
                    }
                )
                for e in row.exercises
            ],
        }
    )
