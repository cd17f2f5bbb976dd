"""Who is asking: the account behind a request's session cookie, or — while the database has no
accounts — the one local user of the single-user mode, who must be on this computer.

Every route that reads or writes a runner's data takes the store through `deps.get_db`, which
asks `current_actor` and hands the route the store *as seen by that actor*
(`services.store.as_seen_by`): the use cases then see only the runners the actor may see, so no
page or endpoint checks access itself. Routes without the database (the exercise library, the log-in
pages, the bare "hello") are public.

A clinician looks at one runner at a time: the `gc_runner` cookie names the runner they opened, and
the actor is focused on that runner, so the runner's own pages (Today, Plan, Progress…) show that
runner for the clinician exactly as they show it to the runner.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import replace
from typing import cast
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from glutecoach.domain.access import LOCAL, Actor, ActorKind
from glutecoach.domain.errors import Forbidden, NotFound
from glutecoach.domain.records import RunnerRecord
from glutecoach.services import accounts, runners
from glutecoach.services.store import Store, as_seen_by

SESSION_COOKIE = "gc_session"
RUNNER_COOKIE = "gc_runner"  # the runner a clinician has open
SESSION_MAX_AGE_S = int(accounts.SESSION_TTL.total_seconds())
RECHECK_NO_ACCOUNTS_S = 2.0  # single-user mode notices a first account within this time
LOCAL_ONLY = (
    "this glutecoach has no accounts yet, so it runs in single-user mode and answers only the "
    "computer it runs on; add a clinician with 'glutecoach accounts add-clinician' to serve others"
)


_UNKNOWN = object()


class LoginRequired(Exception):
    """No valid session: pages go to the log-in page, the API answers 401."""


class ChooseRunner(Exception):
    """A clinician asked for a runner's page with no runner open: back to their runners."""


def _loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def accounts_exist(request: Request) -> bool:
    """Whether the app is past single-user mode. Once accounts exist they stay, so a yes is kept;
    a no is asked again every few seconds (an account may be added from the CLI meanwhile)."""
    state = request.app.state
    if getattr(state, "accounts_exist", False):
        return True
    checked: float = getattr(state, "accounts_checked_at", 0.0)
    if time.monotonic() - checked < RECHECK_NO_ACCOUNTS_S:
        return False
    exist = accounts.accounts_exist(state.db)
    state.accounts_exist, state.accounts_checked_at = exist, time.monotonic()
    return exist


def signed_in(request: Request) -> Actor | None:
    """The request's actor, or None for a visitor who is not signed in (never raises)."""
    found = getattr(request.state, "actor", _UNKNOWN)
    if found is not _UNKNOWN:
        return cast("Actor | None", found)
    base: Store = request.app.state.db
    actor: Actor | None
    if not accounts_exist(request):
        actor = LOCAL if _loopback(request) else None
    else:
        token = request.cookies.get(SESSION_COOKIE)
        actor = accounts.actor_for_session(base, token) if token else None
        if actor is not None and actor.kind is ActorKind.CLINICIAN:
            actor = _focused(request, base, actor, request.cookies.get(RUNNER_COOKIE))
    request.state.actor = actor
    return actor


def current_actor(request: Request) -> Actor:
    """The request's actor; LoginRequired (or Forbidden off this computer in single-user mode)."""
    actor = signed_in(request)
    if actor is not None:
        return actor
    if not accounts_exist(request):
        raise Forbidden(LOCAL_ONLY)
    raise LoginRequired


def _focused(request: Request, base: Store, actor: Actor, slug: str | None) -> Actor:
    """The clinician focused on the runner they opened (if it is theirs); the runner's name is
    kept for the bar that tells the clinician whose pages they are looking at."""
    if not slug:
        return actor
    try:
        runner = runners.opened(as_seen_by(base, actor), slug)
    except NotFound:  # not theirs, or gone: the cookie names nobody they may open
        return actor
    request.state.viewing = runner
    return replace(actor, focus=runner.id)


def viewing(request: Request) -> RunnerRecord | None:
    """The runner a clinician has open, for the pages' header (None for everyone else)."""
    signed_in(request)
    found: RunnerRecord | None = getattr(request.state, "viewing", None)
    return found


def start_session(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_MAX_AGE_S,
        httponly=True,
        # Lax: the cookie is not sent with another site's POSTs, which protects the JSON API
        # (forms also carry the CSRF token)
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(RUNNER_COOKIE)


def open_runner(response: Response, request: Request, slug: str | None) -> None:
    """Point a clinician's pages at one of their runners (None: back to the list)."""
    if slug is None:
        response.delete_cookie(RUNNER_COOKIE)
        return
    response.set_cookie(
        RUNNER_COOKIE, slug, httponly=True, samesite="lax", secure=request.url.scheme == "https"
    )


def install_auth(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _: LoginRequired) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"error": "login_required", "message": "sign in first (POST /login)"},
                status_code=401,
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(ChooseRunner)
    async def choose_runner(request: Request, _: ChooseRunner) -> Response:
        return RedirectResponse("/clinic", status_code=303)
