"""/plan: the week view, the plan's history, and the handout and calendar downloads."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from glutecoach.services import history, library, planning
from glutecoach.web.routes.page_common import Db, has_runner, render, see_other, snapshot

router = APIRouter(include_in_schema=False)


@router.get("/plan", response_class=HTMLResponse)
def plan_page(request: Request, db: Db) -> Response:
    if not has_runner(db):
        return see_other("/start")
    snap = snapshot(db)
    _, versions = history.plan_changes(db, None)
    return render(
        request,
        "plan.html",
        {
            "active": "plan",
            "plan": snap.plan.plan,
            "version": snap.plan.version,
            "versions": [v for v in reversed(versions) if v.changes],
            "today": db.clock.today(snap.profile.timezone),
            "exercises": library.library().exercises,
        },
    )


@router.get("/plan/handout.html", response_class=HTMLResponse)
def handout(db: Db) -> Response:
    if not has_runner(db):
        return see_other("/start")
    page = planning.render(snapshot(db).plan.plan, "html", db.clock.now())
    return HTMLResponse(page)


@router.get("/plan/plan.ics")
def calendar(db: Db) -> Response:
    if not has_runner(db):
        return see_other("/start")
    snap = snapshot(db)
    return Response(
        planning.render(snap.plan.plan, "ics", db.clock.now()),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{snap.runner.slug}-plan.ics"'},
    )
