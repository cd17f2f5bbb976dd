"""/gait: how to film, the upload (analysed in the background, its progress polled) and the
runner's gait reports, as `glutecoach gait` makes them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from glutecoach.domain.errors import InvalidInput, NotFound
from glutecoach.domain.gait import filming
from glutecoach.domain.gait.pose import View
from glutecoach.domain.gait.stature import check_height
from glutecoach.services import gait as gait_service
from glutecoach.services import library as library_service
from glutecoach.services.gait_jobs import (
    ACCEPT,
    HEAD_BYTES,
    GaitJobs,
    Job,
    upload_problem,
)
from glutecoach.web.csrf import require_csrf
from glutecoach.web.routes.page_common import (
    Db,
    Form,
    first_bytes,
    has_runner,
    render,
    see_other,
    text,
)

router = APIRouter(include_in_schema=False)

UPLOAD_PATH = "/gait"
VIEWS = (
    ("auto", "Work it out from the clip"),
    ("side", "From the side"),
    ("rear", "From behind"),
)
FIELD_NAMES = {
    "file": "Video or pose file",
    "view": "Camera view",
    "height_cm": "Your height",
    "model": "Pose model",
}
MAX_CLIPS = 3  # a left side, a right side and a rear clip of one run
MODEL_WORDS = {
    "lite": "fastest, least sure of the hidden leg",
    "full": "the default",
    "heavy": "about 3x slower, steadiest contact times",
}
MODELS = tuple(
    (name, f"{name.capitalize()}: {MODEL_WORDS.get(name, label)}")
    for name, label in gait_service.MODELS
)
# Content-Security-Policy of a stored report: no script, nothing fetched, only inside this app.
REPORT_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'; "
    "base-uri 'none'; form-action 'none'"
)


def jobs(request: Request) -> GaitJobs:
    found: GaitJobs = request.app.state.gait_jobs
    return found


def _upload_page(
    request: Request,
    db: Db,
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    past = list(reversed(gait_service.history(db, None)))
    max_bytes = jobs(request).max_bytes
    return render(
        request,
        "gait.html",
        {
            "active": "gait",
            "values": values,
            "errors": errors,
            "names": FIELD_NAMES,
            "views": VIEWS,
            "models": MODELS,
            "default_model": gait_service.DEFAULT_MODEL_NAME,
            "accept": ACCEPT,
            "max_bytes": max_bytes,
            "max_mb": max_bytes // 1_000_000,
            "past": past,
        },
        status_code,
    )


@router.get("/gait", response_class=HTMLResponse)
def gait_page(request: Request, db: Db) -> Response:
    if not has_runner(db, with_plan=False):
        return see_other("/start")
    return _upload_page(request, db, {}, {})


@router.post(UPLOAD_PATH, response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def gait_upload(request: Request, db: Db, form: Form) -> Response:
    if not has_runner(db, with_plan=False):
        return see_other("/start")
    view = text(form, "view") or "auto"
    uploads = [u for u in form.getlist("file") if isinstance(u, UploadFile) and u.filename]
    errors: dict[str, str] = {}
    if view not in {v for v, _ in VIEWS}:
        errors["view"] = "Choose side, rear, or let the app work it out."
    elif len(uploads) > 1 and view != "auto":
        errors["view"] = "With several clips, leave this on auto: each clip's view is read from it."
    model = text(form, "model") or gait_service.DEFAULT_MODEL_NAME
    try:
        gait_service.pose_model(model)
    except InvalidInput as error:
        errors["model"] = error.message[0].upper() + error.message[1:] + "."
    height: float | None = None
    try:
        height = _height(text(form, "height_cm"))
    except InvalidInput as error:
        errors["height_cm"] = error.message
    if problem := _files_problem(uploads):
        errors["file"] = problem
    if errors:
        values = {"view": view, "height_cm": text(form, "height_cm"), "model": model}
        return _upload_page(request, db, values, errors, 422)
    chosen = None if view == "auto" else View(view)
    first, *more = uploads
    job = jobs(request).start(
        db,
        first.file,
        first.filename or "upload",
        chosen,
        height_cm=height,
        model=model,
        more=[(u.file, u.filename or "upload") for u in more],
    )
    return see_other(f"/gait/jobs/{job.id}")


def _files_problem(uploads: list[UploadFile]) -> str | None:
    """What is wrong with the chosen files, in a sentence for the form; None: they may be clips
    (the analysis then checks each one whole)."""
    if not uploads:
        return "Choose a video of your running, or a pose file."
    if len(uploads) > MAX_CLIPS:
        return f"Choose at most {MAX_CLIPS} clips of one run: a left, a right and a rear one."
    for upload in uploads:
        if upload.size == 0:
            return f"{upload.filename} is empty: choose the clip again."
        if problem := upload_problem(upload.filename or "", first_bytes(upload, HEAD_BYTES)):
            return problem + "."  # it starts with the file's own name: never capitalised
    return None


def _height(value: str) -> float | None:
    """The optional height field: empty is none; InvalidInput with the reason otherwise."""
    if not value:
        return None
    try:
        height = float(value.replace(",", "."))
    except ValueError:
        raise InvalidInput("Give your height as a number of centimetres, e.g. 172.") from None
    try:
        return check_height(height)
    except InvalidInput:
        raise InvalidInput("Give your height in centimetres, between 100 and 230.") from None


def _job(request: Request, db: Db, job_id: str) -> Job:
    job = jobs(request).seen_by(db, job_id)
    if job is None:
        raise NotFound(f"no gait analysis in progress called {job_id}")
    return job


@router.get("/gait/filming", response_class=HTMLResponse)
def gait_filming_page(request: Request) -> Response:
    """The filming guide: where to put the phone, and what the checks before an analysis look
    for (domain/gait/filming.py)."""
    library = library_service.library()
    checks = {
        "min_fps": library.threshold("gait_min_fps").value,
        "refuse_fps": library.threshold("gait_refuse_fps").value,
        "min_px": filming.MIN_SHORT_SIDE_PX,
        "feet_cut": filming.FEET_CUT_SHARE,
        "small_body": filming.SMALL_BODY_SHARE,
    }
    return render(request, "gait_filming.html", {"active": "gait", "checks": checks})


@router.get("/gait/jobs/{job_id}", response_class=HTMLResponse)
def gait_job(request: Request, db: Db, job_id: str) -> Response:
    if not has_runner(db, with_plan=False):
        return see_other("/start")
    job = _job(request, db, job_id)
    if job.state == "done":
        return see_other(f"/gait/{job.analysis_id}")
    return render(request, "gait_job.html", {"active": "gait", "job": job})


@router.get("/gait/jobs/{job_id}/status", response_class=HTMLResponse)
def gait_job_status(request: Request, db: Db, job_id: str) -> Response:
    """The progress fragment the job page polls; when the report is ready, HTMX goes there."""
    job = jobs(request).seen_by(db, job_id)
    response = render(request, "_gait_status.html", {"job": job})
    if job is not None and job.state == "done":
        response.headers["HX-Redirect"] = f"/gait/{job.analysis_id}"
    return response


@router.get("/gait/{analysis_id:int}", response_class=HTMLResponse)
def gait_report_page(request: Request, db: Db, analysis_id: int) -> Response:
    if not has_runner(db, with_plan=False):
        return see_other("/start")
    stored, previous = gait_service.analysis(db, None, analysis_id)
    found = jobs(request)
    context: dict[str, Any] = {
        "active": "gait",
        "stored": stored,
        "s": stored.summary,
        "previous": previous,
        "has_report": found.report_file(stored) is not None,
        "about": found.about(stored),
    }
    return render(request, "gait_report.html", context)


@router.get("/gait/{analysis_id:int}/report.html", response_class=HTMLResponse)
def gait_report_file(request: Request, db: Db, analysis_id: int) -> Response:
    """The report as `glutecoach gait` writes it: one self-contained HTML file."""
    if not has_runner(db, with_plan=False):
        return see_other("/start")
    stored, _ = gait_service.analysis(db, None, analysis_id)
    path = jobs(request).report_file(stored)
    if path is None:
        raise NotFound(f"gait analysis {analysis_id} has no report file (it was made elsewhere)")
    html = path.read_text(encoding="utf-8")
    return HTMLResponse(
        html,
        headers={"Content-Security-Policy": REPORT_POLICY, "X-Content-Type-Options": "nosniff"},
    )
