"""The JSON API under /api/v1: the services' use cases, never re-implemented here.

Errors leave through web/errors.py as `{"error": kind, "message": sentence}` with the status the
error carries (422 bad input, 404 unknown runner or exercise, 409 a rule or a referral).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import AfterValidator

from glutecoach.domain.errors import InvalidInput
from glutecoach.domain.library import Category, Equipment, Exercise, Muscle
from glutecoach.domain.library.library import ExerciseFilter, SortKey
from glutecoach.domain.planning import Day, Plan
from glutecoach.domain.progress import Progress
from glutecoach.domain.progression import RunLog
from glutecoach.domain.screening import Screening, ScreeningInput
from glutecoach.reports.running import history_data, load_data
from glutecoach.services import history, planning, runners, running, training
from glutecoach.services import library as library_service
from glutecoach.services import screening as screening_service
from glutecoach.web.deps import AppClock, Db, runner_list
from glutecoach.web.schemas import (
    ErrorOut,
    ExerciseCard,
    ExerciseDetail,
    ExerciseSummary,
    LoadOut,
    LogRequest,
    OutcomeOut,
    PlanVersionOut,
    RunHistoryOut,
    RunnerOut,
    RunRequest,
    ScreenedOut,
    SkippedOut,
    SkipRequest,
    SorenessRequest,
    StartedOut,
    StartRequest,
    TodayOut,
)

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Unknown runner or exercise"},
    409: {"model": ErrorOut, "description": "A rule or a red-flag referral refuses it"},
    413: {"model": ErrorOut, "description": "Request body over 1 MB"},
    422: {"model": ErrorOut, "description": "Bad input; the message names the first bad field"},
}
router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)

Slug = Annotated[
    str,
    Path(
        pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$",
        description="The runner's slug, e.g. 'sam-example' (from POST /runners)",
    ),
]
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def _plausible(day: dt.date | None) -> dt.date | None:
    # The engine steps a day on from the date asked for; date.max would overflow.
    if day is not None and not EARLIEST <= day <= LATEST:
        raise ValueError(f"{day} is not between {EARLIEST} and {LATEST}")
    return day


OnDate = Annotated[
    dt.date | None,
    Query(description="The day, YYYY-MM-DD (default: today, runner's time zone)"),
    AfterValidator(_plausible),
]
AT_HAND = ["none", *(e.value for e in Equipment)]
FileFormat = Literal["json", "ics", "html", "markdown"]
MEDIA: dict[FileFormat, tuple[str, str]] = {
    "json": ("application/json", "json"),
    "ics": ("text/calendar; charset=utf-8", "ics"),
    "html": ("text/html; charset=utf-8", "html"),
    "markdown": ("text/markdown; charset=utf-8", "md"),
}


# A JSON string escape for NUL that is not itself escaped (`\\u0000` is a backslash and "u0000").
_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_NON_FINITE = re.compile(rb"NaN|Infinity")


async def check_body(request: Request) -> None:
    """What the models cannot see: Python reads NaN and Infinity as JSON numbers, which JSON has
    not (and a NaN slips past range checks); stored text cannot hold NUL (PostgreSQL refuses it)."""
    body = await request.body()
    if not (_NUL.search(body) or _NON_FINITE.search(body)):
        return
    try:
        data = json.loads(body, parse_constant=_not_a_number)
    except (ValueError, RecursionError):
        return  # not JSON at all: the body's own validation says so
    where = _nul_field(data)
    if where is not None:
        field = f"field '{where}'" if where else "the body"
        raise InvalidInput(f"{field} may not contain NUL characters (\\u0000)")


def _not_a_number(constant: str) -> None:
    raise InvalidInput(f"{constant} is not a number in JSON; send a finite number")


def _nul_field(document: Any) -> str | None:
    """Where the first string holding a NUL is, as 'a.0.b' ('' for the whole body); None when
    there is none. A loop, not recursion: a body may nest as deep as the JSON parser allows."""
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        at, value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            return at
        if isinstance(value, dict):
            children = [(_join(at, key), item) for key, item in value.items()]
        elif isinstance(value, list):
            children = [(_join(at, index), item) for index, item in enumerate(value)]
        else:
            continue
        stack.extend(reversed(children))
    return None


def _join(at: str, key: object) -> str:
    return f"{at}.{key}" if at else str(key)


BODY_CHECKED = [Depends(check_body)]


@router.get("/hello", summary="The framework's bare endpoint (the benchmarks' baseline)")
def hello() -> dict[str, str]:
    return {"hello": "glutecoach"}


# The exercise library ---------------------------------------------------------------------------


@router.get("/exercises", summary="Search and filter the exercise library")
def list_exercises(
    *,
    muscle: Annotated[Muscle | None, Query(description="Only exercises that work it")] = None,
    category: Annotated[Category | None, Query(description="Only this kind")] = None,
    equipment: Annotated[
        list[str],
        Query(
            default_factory=list,
            description="What is at hand (repeat it; 'none' for nothing): nothing more needed",
            json_schema_extra={"items": {"type": "string", "enum": AT_HAND}},
        ),
    ],
    max_difficulty: Annotated[int | None, Query(ge=1, le=5)] = None,
    min_difficulty: Annotated[int | None, Query(ge=1, le=5)] = None,
    sort: Annotated[
        SortKey, Query(description="activation: highest published glute %MVIC first")
    ] = "activation",
    q: Annotated[
        str | None, Query(max_length=100, description="Text in the name or aliases")
    ] = None,
) -> list[ExerciseSummary]:
    where = ExerciseFilter(muscle, category, _at_hand(equipment), max_difficulty, min_difficulty)
    chosen = library_service.find_exercises(where, sort)
    if q is not None and q.strip():
        chosen = [e for e in chosen if _mentions(e, q.strip().casefold())]
    return [ExerciseSummary.of(e) for e in chosen]


def _at_hand(values: list[str]) -> frozenset[Equipment] | None:
    if not values:
        return None
    unknown = [v for v in values if v not in AT_HAND]
    if unknown:
        raise InvalidInput(f"field 'equipment' '{unknown[0]}' is not one of {', '.join(AT_HAND)}")
    return frozenset(Equipment(v) for v in values if v != "none")


def _mentions(exercise: Exercise, text: str) -> bool:
    names = (exercise.name, *exercise.aliases, exercise.id.replace("_", " "))
    return any(text in name.casefold() for name in names)


@router.get(
    "/exercises/{exercise_id}",
    summary="One exercise: dosage, cues, faults, evidence and its place in the progressions",
)
def show_exercise(
    exercise_id: Annotated[str, Path(description="An exercise id, name or alias")],
) -> ExerciseDetail:
    return ExerciseDetail.of(library_service.exercise(exercise_id), library_service.library())


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
