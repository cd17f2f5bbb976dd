"""Server-rendered pages (Jinja2 + HTMX) for the one runner this web app shows.

Each page lives in its own `page_*.py` module; this router gathers them. While the database has no
runner, every page but the home page, the exercise library and /start sends the browser to /start.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from glutecoach.services import clinician_notes, runners
from glutecoach.web.routes import (
    page_account,
    page_clinic,
    page_exercises,
    page_gait,
    page_plan,
    page_progress,
    page_runs,
    page_screening,
    page_start,
    page_today,
)
from glutecoach.web.routes.page_common import Db, render, runner_open

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: Db) -> Response:
    runner_open(db)
    runner = runners.shown(db)
    notes = clinician_notes.notes(db, None) if runner is not None and not db.actor.is_local else []
    return render(request, "home.html", {"runner": runner, "notes": notes})


for module in (
    page_account,
    page_clinic,
    page_start,
    page_screening,
    page_plan,
    page_today,
    page_exercises,
    page_progress,
    page_runs,
    page_gait,
):
    router.include_router(module.router)
