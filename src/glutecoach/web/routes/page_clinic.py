"""A clinician's pages: their runners at a glance, one runner opened (screening, plan, progress,
gait, notes), plan edits, notes and invitations. The use cases are `services.clinic` and
`services.accounts`; the database each route gets is already limited to the clinician's runners."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from glutecoach.domain.access import Actor, ActorKind
from glutecoach.domain.errors import Forbidden, GlutecoachError, InvalidInput, RuleViolation
from glutecoach.domain.library import load_library
from glutecoach.services import accounts, clinic, clinician_notes
from glutecoach.services.store import Store, as_seen_by
from glutecoach.web import auth
from glutecoach.web.csrf import require_csrf
from glutecoach.web.routes.page_common import Form, render, see_other, text

router = APIRouter()


def _clinician(request: Request) -> tuple[Actor, Store]:
    """The signed-in clinician (unfocused: every runner of theirs) and the database as they see
    it; Forbidden for anyone else."""
    actor = auth.current_actor(request)
    if actor.kind is not ActorKind.CLINICIAN:
        raise Forbidden("these pages are for clinicians: sign in with a clinician's account")
    actor = replace(actor, focus=None)
    base: Store = request.app.state.db
    return actor, as_seen_by(base, actor)


@router.get("/clinic", response_class=HTMLResponse)
def clinic_page(request: Request) -> Response:
    _, db = _clinician(request)
    response = render(
        request, "clinic.html", {"runners": clinic.overview(db), "invited": None, "errors": {}}
    )
    auth.open_runner(response, request, None)  # the list: no runner open
    return response


@router.post("/clinic/invite", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def invite(request: Request, form: Form) -> Response:
    _, db = _clinician(request)
    email = text(form, "email")
    settings, mailer = request.app.state.settings, request.app.state.mailer
    try:
        invited = accounts.send_invitation(db, email, settings.public_url, mailer)
    except GlutecoachError as error:
        refused = {"invited": None, "errors": {"email": error.message}, "email": email}
        return render(request, "clinic.html", {"runners": clinic.overview(db), **refused}, 422)
    done = {"invited": invited, "errors": {}}
    return render(request, "clinic.html", {"runners": clinic.overview(db), **done})


def _detail_page(
    request: Request, db: Store, slug: str, errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    detail = clinic.runner_detail(db, slug)
    library = load_library()
    exercises = sorted(library.exercises.values(), key=lambda e: e.name)
    context = {
        "detail": detail,
        "notes": clinician_notes.notes(db, slug),
        "exercises": exercises,
        "errors": errors,
        "saved": request.query_params.get("saved"),
    }
    response = render(request, "clinic_runner.html", context, status)
    auth.open_runner(response, request, slug)  # the runner's own pages now show this runner
    return response


@router.get("/clinic/runners/{slug}", response_class=HTMLResponse)
def runner_page(request: Request, slug: str) -> Response:
    _, db = _clinician(request)
    return _detail_page(request, db, slug, {})


@router.post(
    "/clinic/runners/{slug}/notes",
    response_class=HTMLResponse,
    dependencies=[Depends(require_csrf)],
)
def add_note(request: Request, slug: str, form: Form) -> Response:
    _, db = _clinician(request)
    try:
        clinician_notes.add_note(db, slug, text(form, "note"))
    except (InvalidInput, RuleViolation) as error:  # a runner out of reach stays a 404
        return _detail_page(request, db, slug, {"note": error.message}, 422)
    return see_other(f"/clinic/runners/{slug}?saved=note")


@router.post(
    "/clinic/runners/{slug}/plan",
    response_class=HTMLResponse,
    dependencies=[Depends(require_csrf)],
)
def edit_plan(request: Request, slug: str, form: Form) -> Response:
    _, db = _clinician(request)
    data: dict[str, object] = {"kind": text(form, "kind")}
    fields = ("exercise_id", "to_exercise_id", "from_date", "comment", "session", "sets")
    for name in (*fields, "reps", "hold_s"):  # a range as typed, "10" or "8-12"
        if text(form, name):
            data[name] = text(form, name)
    try:
        clinic.edit_plan(db, slug, clinic.parse_edit(data, "plan edit"))
    except (InvalidInput, RuleViolation) as error:  # a runner out of reach stays a 404
        return _detail_page(request, db, slug, {"edit": error.message}, 422)
    return see_other(f"/clinic/runners/{slug}?saved=plan")
