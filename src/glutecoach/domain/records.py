"""What glutecoach keeps for a runner, as the use cases and the interfaces read it: the stored
runner, their profile, screening and plan versions, session logs and recorded runs. Plain data;
how each is stored is the storage adapter's business."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from glutecoach.domain.planning import Day, Plan, RunnerProfile
from glutecoach.domain.progression.logs import SessionLog
from glutecoach.domain.runs import Run
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
    """A version with its whole plan (listing versions for their changes: `PlanSummary`)."""

    plan: Plan = field(repr=False, compare=False)


@dataclass(frozen=True)
class PlanDay:
    """A plan version's dates and one of its days (None: the date is outside the plan)."""

    start: dt.date
    end: dt.date
    day: Day | None


@dataclass(frozen=True)
class SessionLogRecord:
    id: int
    created_at: dt.datetime
    log: SessionLog


@dataclass(frozen=True)
class StoredRun:
    id: int
    run: Run
    source: str
    file_format: str
    file_digest: str = ""
    file_run: int = 0
    created_at: dt.datetime | None = None
