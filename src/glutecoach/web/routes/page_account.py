"""Signing in and out, signing up, accepting a clinician's invitation, changing and resetting a
password. The use cases are `services.accounts`; these pages only read forms and set cookies."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from glutecoach.domain.errors import GlutecoachError, InvalidInput, TooManyAttempts
from glutecoach.services import accounts
from glutecoach.web import auth
from glutecoach.web.csrf import require_csrf
from glutecoach.web.routes.page_common import Form, render, see_other, text

router = APIRouter()


def _next(target: str) -> str:
    """Only a path on this site: never send a freshly signed-in browser elsewhere."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _same(password: str, again: str) -> None:
    if password != again:
        raise InvalidInput("again: the two passwords differ; type the same one twice")


# How the account service words its refusals, and the form field each is about.
_FIELD_OF = (
    ("old", "the current password"),
    ("again", "again: "),
    ("password", "password: "),
    ("name", "name: "),
    ("email", "email "),
    ("email", "there is already an account"),
)


def _errors(error: GlutecoachError, fields: tuple[str, ...]) -> dict[str, str]:
    """The message beside the field it is about (the whole form's when it is about none)."""
    message = error.message
    for field, start in _FIELD_OF:
        if field in fields and message.startswith(start):
            said = message.removeprefix(start) if start.endswith(": ") else message
            return {field: said[:1].upper() + said[1:]}
    return {"form": message}


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    if auth.signed_in(request) is not None and auth.accounts_exist(request):
        return see_other(_next(next))
    return render(request, "login.html", {"values": {"next": _next(next)}, "errors": {}})


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def login_submit(request: Request, form: Form) -> Response:
    email, target = text(form, "email"), _next(text(form, "next") or "/")
    try:
        token = accounts.log_in(
            request.app.state.db, email, _secret(form, "password"), _ip(request)
        )
    except TooManyAttempts as error:
        values = {"email": email, "next": target}
        page = render(
            request, "login.html", {"values": values, "errors": {"form": error.message}}, 429
        )
        page.headers["Retry-After"] = str(error.retry_after_s)
        return page
    except GlutecoachError as error:
        values = {"email": email, "next": target}
        return render(
            request, "login.html", {"values": values, "errors": {"form": error.message}}, 401
        )
    response = see_other(target)
    auth.start_session(response, request, token)
    return response


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request) -> Response:
    token = request.cookies.get(auth.SESSION_COOKIE)
    if token:
        accounts.log_out(request.app.state.db, token)
    response = see_other("/login")
    auth.end_session(response)
    return response


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request) -> Response:
    return render(request, "signup.html", {"values": {}, "errors": {}})


@router.post("/signup", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def signup_submit(request: Request, form: Form) -> Response:
    values = {"name": text(form, "name"), "email": text(form, "email")}
    password, again = _secret(form, "password"), _secret(form, "again")
    db = request.app.state.db
    try:
        _same(password, again)
        accounts.sign_up_runner(db, values["email"], values["name"], password)
        token = accounts.log_in(db, values["email"], password, _ip(request))
    except GlutecoachError as error:
        errors = _errors(error, ("name", "email", "password", "again"))
        return render(request, "signup.html", {"values": values, "errors": errors}, 422)
    request.app.state.accounts_exist = True
    response = see_other("/start")
    auth.start_session(response, request, token)
    return response


@router.get("/invitation", response_class=HTMLResponse)
def invitation_page(request: Request, token: str = "") -> Response:
    return render(request, "invitation.html", {"values": {"token": token}, "errors": {}})


@router.post("/invitation", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def invitation_submit(request: Request, form: Form) -> Response:
    values = {"name": text(form, "name"), "token": text(form, "token")}
    password, again = _secret(form, "password"), _secret(form, "again")
    db = request.app.state.db
    try:
        _same(password, again)
        account = accounts.accept_invitation(db, values["token"], values["name"], password)
        token = accounts.log_in(db, account.email, password, _ip(request))
    except GlutecoachError as error:
        errors = _errors(error, ("name", "password", "again"))
        return render(request, "invitation.html", {"values": values, "errors": errors}, 422)
    response = see_other("/start")
    auth.start_session(response, request, token)
    return response


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request) -> Response:
    actor = auth.current_actor(request)
    return render(request, "account.html", {"actor": actor, "errors": {}, "changed": False})


@router.post("/account/password", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def change_password(request: Request, form: Form) -> Response:
    actor = auth.current_actor(request)
    old, new, again = _secret(form, "old"), _secret(form, "password"), _secret(form, "again")
    try:
        _same(new, again)
        accounts.change_password(
            request.app.state.db,
            actor,
            old,
            new,
            current_token=request.cookies.get(auth.SESSION_COOKIE),
        )
    except GlutecoachError as error:
        errors = _errors(error, ("old", "password", "again"))
        return render(
            request, "account.html", {"actor": actor, "errors": errors, "changed": False}, 422
        )
    return render(request, "account.html", {"actor": actor, "errors": {}, "changed": True})


@router.get("/reset-password", response_class=HTMLResponse)
def reset_page(request: Request, token: str = "") -> Response:
    name = "reset_set.html" if token else "reset_ask.html"
    return render(request, name, {"values": {"token": token}, "errors": {}, "sent": False})


@router.post("/reset-password", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def reset_submit(request: Request, form: Form) -> Response:
    token = text(form, "token")
    db = request.app.state.db
    if not token:  # the request for a link: the same answer whether or not the address is known
        settings, mailer = request.app.state.settings, request.app.state.mailer
        accounts.send_reset(db, text(form, "email"), settings.public_url, mailer)
        return render(request, "reset_ask.html", {"values": {}, "errors": {}, "sent": True})
    password, again = _secret(form, "password"), _secret(form, "again")
    try:
        _same(password, again)
        accounts.reset_password(db, token, password)
    except GlutecoachError as error:
        errors = _errors(error, ("password", "again"))
        return render(
            request, "reset_set.html", {"values": {"token": token}, "errors": errors}, 422
        )
    return see_other("/login")


def _secret(form: FormData, name: str) -> str:
    """A password field as typed (not stripped: spaces are part of a password)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""
