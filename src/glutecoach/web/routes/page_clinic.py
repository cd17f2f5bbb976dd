"""A clinician's pages: their runners at a glance, one runner opened (screening, plan, progress,
gait, notes), plan edits, notes and invitations. The use cases are `services.clinic` and
`services.accounts`; the database each route gets is already limited to the clinician's runners."""

from __future__ import annotations

import logging
from dataclasses import replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from glutecoach.adapters.db.repositories import Database
from glutecoach.domain.access import Actor, ActorKind
from glutecoach.domain.errors import Forbidden, GlutecoachError, InvalidInput, RuleViolation
from glutecoach.domain.library import load_library
from glutecoach.services import accounts, clinic
from glutecoach.services.mail import MailError
from glutecoach.web import auth
from glutecoach.web.csrf import require_csrf
from glutecoach.web.routes.page_common import Form, render, see_other, text

router = APIRouter()
log = logging.getLogger(__name__)


def _clinician(request: Request) -> tuple[Actor, Database]:
    """The signed-in clinician (unfocused: every runner of theirs) and the database as they see
    it; Forbidden for anyone else."""
    actor = auth.current_actor(request)
    if actor.kind is not ActorKind.CLINICIAN:
        raise Forbidden("these pages are for clinicians: sign in with a clinician's account")
    actor = replace(actor, focus=None)
    base: Database = request.app.state.db
    return actor, base.for_actor(actor)


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
    try:
        token = accounts.invite_runner(db, email)
    except GlutecoachError as error:
        refused = {"invited": None, "errors": {"email": error.message}, "email": email}
        return render(request, "clinic.html", {"runners": clinic.overview(db), **refused}, 422)
    link = accounts.link(request.app.state.settings.public_url, "invite", token)
    body = (
        "Your physio or coach has invited you to glutecoach, where they set your glute programme "
        f"and follow how it goes. Make your account here (the link works for 7 days):\n\n{link}\n"
    )
    sent = True
    try:
        request.app.state.mailer.send(email, "Your invitation to glutecoach", body)
    except MailError as error:
        log.error("invitation mail to %s failed: %s", email, error.message)
        sent = False
    invited = {"email": email, "link": link, "sent": sent}
    done = {"invited": invited, "errors": {}}
    return render(request, "clinic.html", {"runners": clinic.overview(db), **done})


def _detail_page(
    request: Request, db: Database, slug: str, errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    detail = clinic.runner_detail(db, slug)
    library = load_library()
    exercises = sorted(library.exercises.values(), key=lambda e: e.name)
    context = {
        "detail": detail,
        "notes": accounts.notes(db, slug),
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
        accounts.add_note(db, slug, text(form, "note"))
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
    for name in ("exercise_id", "to_exercise_id", "from_date", "comment", "session", "sets"):
        if text(form, name):
            data[name] = text(form, name)
    for name in ("reps", "hold_s"):
        if text(form, name):
            data[name] = _range(text(form, name))
    try:
        clinic.edit_plan(db, slug, clinic.parse_edit(data, "plan edit"))
    except (InvalidInput, RuleViolation) as error:  # a runner out of reach stays a 404
        return _detail_page(request, db, slug, {"edit": error.message}, 422)
    return see_other(f"/clinic/runners/{slug}?saved=plan")


def _range(value: str) -> object:
    """'10' or '8-12' as the edit's range (the edit model checks the numbers)."""
    low, _, high = value.partition("-")
    return {"low": low.strip(), "high": (high or low).strip()}
