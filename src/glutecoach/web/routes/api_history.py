"""/api/v1/runners/{slug}: progress, run history, running load and the export."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from glutecoach.domain.progress import Progress
from glutecoach.reports.running import history_data, load_data
from glutecoach.services import history, running
from glutecoach.web.deps import Db
from glutecoach.web.routes.api_common import (
    ERRORS,
    OnDate,
    Slug,
)
from glutecoach.web.schemas import (
    LoadOut,
    RunHistoryOut,
)

router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)


# History ----------------------------------------------------------------------------------------


@router.get(
    "/runners/{slug}/progress",
    summary="Adherence by week, each exercise over time, tests against the first time",
)
def progress(slug: Slug, db: Db, date: OnDate = None) -> Progress:
    return history.progress_report(db, slug, date)


@router.get(
    "/runners/{slug}/runs",
    summary="The run history: every imported activity, and runs logged by hand",
    description="What `glutecoach runs --json` prints. Start times are local to the runner's "
    "time zone (`start`) and in UTC (`started_at_utc`).",
    response_model=RunHistoryOut,
)
def run_history(slug: Slug, db: Db) -> Response:
    return _json(history_data(running.history(db, slug)))


@router.get(
    "/runners/{slug}/load",
    summary="The running load: weekly distance and spikes, acute:chronic ratio, gait trends",
    description="What `glutecoach load --json` prints: the weeks up to `date`, the daily "
    "acute:chronic ratios over them (null until 4 weeks of history), gait per pace band.",
    response_model=LoadOut,
)
def running_load(
    slug: Slug,
    db: Db,
    weeks: Annotated[
        int,
        Query(
            ge=2, le=running.MAX_LOAD_WEEKS, description="Weeks to show, the last ending on date"
        ),
    ] = running.LOAD_WEEKS,
    date: OnDate = None,
) -> Response:
    return _json(load_data(running.load_report(db, slug, date, weeks)))


def _json(data: Any) -> Response:
    """The CLI's own JSON, as it stands (a response model would re-spell its dates)."""
    return Response(json.dumps(data), media_type="application/json")


@router.get(
    "/runners/{slug}/export",
    summary="Everything stored for the runner as one JSON document (glutecoach import-data)",
    response_model=dict[str, Any],
)
def export(slug: Slug, db: Db) -> Response:
    with tempfile.TemporaryDirectory(prefix="glutecoach-export-") as folder:
        written = history.export_runner(db, slug, FilePath(folder) / "export.json")
        document = written.read_bytes()
    return Response(
        document,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="glutecoach-{slug}.json"'},
    )
