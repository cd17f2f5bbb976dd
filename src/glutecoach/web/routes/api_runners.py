"""/api/v1 screenings and runners: screen answers, start a runner, store a screening, and the
plan that follows (today, the plan as JSON or a file, its changes)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from glutecoach.domain.planning import Day, Plan
from glutecoach.domain.screening import Screening, ScreeningInput
from glutecoach.services import history, planning, runners, training
from glutecoach.services import library as library_service
from glutecoach.services import screening as screening_service
from glutecoach.web.deps import AppClock, Db, runner_list
from glutecoach.web.routes.api_common import (
    BODY_CHECKED,
    ERRORS,
    MEDIA,
    FileFormat,
    OnDate,
    Slug,
)
from glutecoach.web.schemas import (
    ExerciseCard,
    PlanVersionOut,
    RunnerOut,
    ScreenedOut,
    StartedOut,
    StartRequest,
    TodayOut,
)

router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)


# Screening and runners --------------------------------------------------------------------------


@router.post(
    "/screenings",
    dependencies=BODY_CHECKED,
    summary="Screen answers and test results (nothing is stored)",
    description="Findings with their reasons and evidence; red-flag pain gives a referral.",
)
def screen(answers: ScreeningInput, clock: AppClock) -> Screening:
    return screening_service.run(answers, clock.today("UTC"))


@router.get("/runners", summary="Every runner in this database")
def list_runners(db: Db) -> list[RunnerOut]:
    return [RunnerOut.of(r) for r in runner_list(db)]


@router.post(
    "/runners",
    status_code=201,
    dependencies=BODY_CHECKED,
    summary="Start a runner: profile, optional screening, and the first plan",
    description="The same name again keeps the history and makes a new plan version. "
    "409 when a red flag stops the programme: the message is the referral.",
)
def start_runner(body: StartRequest, db: Db, response: Response) -> StartedOut:
    profile = planning.parse_profile(body.profile, "profile", db.clock)
    screening = (
        screening_service.run(body.answers, db.clock.today(profile.timezone))
        if body.answers is not None
        else None
    )
    started = runners.start(db, profile, screening, body.weeks)
    response.headers["Location"] = f"{router.prefix}/runners/{started.runner.slug}/plan"
    return StartedOut.of(started)


@router.post(
    "/runners/{slug}/screenings",
    status_code=201,
    dependencies=BODY_CHECKED,
    summary="Store a screening: the first one rebuilds the plan, later ones are re-tests",
    description="A red flag, first time or later, pauses the plan (or the area) from today: "
    "see the referral in the screening.",
)
def record_screening(slug: Slug, answers: ScreeningInput, db: Db) -> ScreenedOut:
    _, _, plan = training.current_plan(db, slug)
    result = screening_service.run(answers, db.clock.today(plan.timezone))
    screened = runners.record_screening(db, slug, result, weeks=len(plan.weeks))
    return ScreenedOut(
        screening=result, replanned=screened.replanned, plan_version=screened.plan_version
    )


# Following the plan -----------------------------------------------------------------------------


@router.get("/runners/{slug}/today", summary="The day's sessions, with each exercise's cues")
def today(slug: Slug, db: Db, date: OnDate = None) -> TodayOut:
    view = training.today(db, slug, date)
    return TodayOut(
        runner=view.runner.slug,
        date=view.date,
        plan_version=view.plan_version,
        logged=view.logged,
        changes=view.changes,
        day=view.day,
        exercises=_cards(view.day),
    )


def _cards(day: Day | None) -> tuple[ExerciseCard, ...]:
    if day is None:
        return ()
    exercises = library_service.library().exercises
    ids = dict.fromkeys(p.exercise_id for s in day.sessions for p in s.prescriptions)
    return tuple(ExerciseCard.of(exercises[i]) for i in ids if i in exercises)


@router.get(
    "/runners/{slug}/plan",
    summary="The current plan: JSON, or a file (ics, html handout, markdown)",
    response_model=Plan,
    responses={
        200: {
            "content": {media: {} for media, _ in MEDIA.values() if media != "application/json"},
            "description": "The plan; with `format`, a file to download",
        }
    },
)
def plan(slug: Slug, db: Db, format: FileFormat = "json") -> Response:
    runner, version, current = training.current_plan(db, slug)
    media, suffix = MEDIA[format]
    if format == "json":
        return Response(current.model_dump_json(), media_type=media)
    filename = f"glutecoach-plan-{runner.slug}-v{version}.{suffix}"
    return Response(
        planning.render(current, format, db.clock.now()),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/runners/{slug}/plan/changes", summary="Every plan version: what changed and why")
def plan_changes(slug: Slug, db: Db) -> list[PlanVersionOut]:
    _, versions = history.plan_changes(db, slug)
    return [PlanVersionOut.of(v) for v in versions]
