"""/api/v1/runners/{slug}: logging sessions, skips, soreness and runs."""

from __future__ import annotations

from fastapi import APIRouter

from glutecoach.domain.progression import RunLog
from glutecoach.services import training
from glutecoach.web.deps import Db
from glutecoach.web.routes.api_common import (
    BODY_CHECKED,
    ERRORS,
    Slug,
)
from glutecoach.web.schemas import (
    LogRequest,
    OutcomeOut,
    RunRequest,
    SkippedOut,
    SkipRequest,
    SorenessRequest,
)

router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)


@router.post(
    "/runners/{slug}/logs",
    status_code=201,
    dependencies=BODY_CHECKED,
    summary="Log a session: each exercise's next prescription, and the plan version it leads to",
)
def log_session(slug: Slug, entry: LogRequest, db: Db) -> OutcomeOut:
    return OutcomeOut.of(training.log_session(db, slug, entry))


@router.post(
    "/runners/{slug}/skips",
    status_code=201,
    summary="Skip a planned session",
    dependencies=BODY_CHECKED,
)
def skip_session(slug: Slug, body: SkipRequest, db: Db) -> SkippedOut:
    training.skip_session(db, slug, body.session, body.reason, body.date)
    return SkippedOut(session=body.session, reason=body.reason, date=body.date)


@router.post(
    "/runners/{slug}/soreness",
    status_code=201,
    dependencies=BODY_CHECKED,
    summary="Record next-day soreness (high soreness lightens the next session)",
)
def log_soreness(slug: Slug, body: SorenessRequest, db: Db) -> OutcomeOut:
    return OutcomeOut.of(training.log_soreness(db, slug, body.level, body.date, body.note))


@router.post(
    "/runners/{slug}/runs", status_code=201, summary="Record a run done", dependencies=BODY_CHECKED
)
def log_run(slug: Slug, body: RunRequest, db: Db) -> RunLog:
    return training.log_run(db, slug, body.distance_km, body.minutes, body.date)
