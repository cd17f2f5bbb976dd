"""What every page shares: rendering with the CSRF token, the one runner, forms and their errors,
and the sealed outcome a redirect after a log carries to the page that shows it."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import re
import zlib
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData, UploadFile

from glutecoach.domain.access import ActorKind
from glutecoach.domain.library import FeltArea
from glutecoach.domain.planning import RunKind, SessionKind
from glutecoach.domain.screening.questionnaire import PAIN_AREA_PROMPTS
from glutecoach.services import runners, training
from glutecoach.services.store import Store
from glutecoach.web import auth
from glutecoach.web.csrf import COOKIE, set_cookie, token_for
from glutecoach.web.deps import get_db
from glutecoach.web.templating import templates

Db = Annotated[Store, Depends(get_db)]

SESSION_LABELS: dict[str, str] = {
    SessionKind.pre_run_activation: "Before the run",
    SessionKind.dynamic_warm_up: "Dynamic warm-up",
    SessionKind.strength: "Strength",
    SessionKind.post_run_recovery: "After the run",
    SessionKind.run_cue: "Run cue",
}
RUN_LABELS: dict[str, str] = {
    RunKind.rest: "No run",
    RunKind.easy: "Easy run",
    RunKind.hard: "Hard run",
    RunKind.long: "Long run",
    RunKind.race: "Race",
}
FELT_LABELS: dict[str, str] = {
    FeltArea.glutes: "Glutes (the target)",
    FeltArea.hamstring: "Back of the thigh (hamstring)",
    FeltArea.low_back: "Low back",
    FeltArea.side_of_thigh: "Side of the thigh",
    FeltArea.front_of_hip: "Front of the hip",
    FeltArea.quads: "Front of the thigh (quads)",
    FeltArea.calf: "Calf",
    FeltArea.nothing: "Nothing in particular",
}
TEST_LABELS = {
    "side_plank_s": "Side plank",
    "single_leg_bridge_reps": "Single-leg bridge",
    "single_leg_squat_faults": "Single-leg squat",
    "clamshell_felt": "Clamshell: where felt",
}
UNIT_WORDS = {"reps": "reps", "hold_s": "seconds held", "steps": "steps", "minutes": "minutes"}
LABELS = {
    "session": SESSION_LABELS,
    "run": RUN_LABELS,
    "felt": FELT_LABELS,
    "pain_area": PAIN_AREA_PROMPTS,
    "unit": UNIT_WORDS,
    "test": TEST_LABELS,
}


def day_month(value: dt.date) -> str:
    """'7 Nov': a date as the pages' charts and tables write it."""
    return f"{value.day} {value:%b}"


def render(
    request: Request, name: str, context: Mapping[str, Any], status_code: int = 200
) -> HTMLResponse:
    """A page (or an HTMX fragment) with the CSRF token in its context and cookie."""
    full = {
        "csrf_token": token_for(request),
        "labels": LABELS,
        "active": None,
        "viewer": auth.signed_in(request),
        "viewing": auth.viewing(request),
        **context,
    }
    response = templates.TemplateResponse(request, name, full, status_code=status_code)
    set_cookie(request, response)
    return response


def see_other(url: str) -> RedirectResponse:
    """The redirect after a POST (and to /start while there is no runner)."""
    return RedirectResponse(url, status_code=303)


def runner_open(db: Store) -> None:
    """A clinician's runner pages need one of their runners open: else back to their list."""
    if db.actor.kind is ActorKind.CLINICIAN and db.actor.focus is None:
        raise auth.ChooseRunner


def has_runner(db: Store, *, with_plan: bool = True) -> bool:
    """Whether the one runner this web app shows exists, with a plan unless `with_plan` is False
    (for a clinician: the runner they opened; with none open, their pages go back to their list
    of runners)."""
    runner_open(db)
    # a new account, or a runner whose runs came first, has no plan: /start makes one
    return runners.shown(db, with_plan=with_plan) is not None


def snapshot(db: Store) -> training.Snapshot:
    return training.snapshot_of(db)


async def read_form(request: Request) -> FormData:
    return await request.form()


Form = Annotated[FormData, Depends(read_form)]


def form_values(form: FormData, lists: tuple[str, ...] = ()) -> dict[str, str | list[str]]:
    """The submitted values to put back in the form; `lists` names the checkbox groups."""
    values: dict[str, str | list[str]] = {name: [] for name in lists}
    for key in form:
        items = [v for v in form.getlist(key) if isinstance(v, str)]
        values[key] = items if key in lists else (items[-1] if items else "")
    return values


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def texts(form: FormData, name: str) -> list[str]:
    return [v for v in form.getlist(name) if isinstance(v, str) and v]


_FIELD = re.compile(r"field '([^']+)' ?(.*)$", re.DOTALL)
# pydantic's wording, said the way a form says it
_PLAIN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^is missing$"), "Please fill this in."),
    (re.compile(r"^Input should be a valid number.*"), "Enter a number."),
    (re.compile(r"^Input should be a valid integer.*"), "Enter a whole number."),
    (re.compile(r"^Input should be a valid date.*"), "Enter a date."),
    (re.compile(r"^Input should be greater than or equal to (\S+)$"), r"Enter \1 or more."),
    (re.compile(r"^Input should be greater than (\S+)$"), r"Enter more than \1."),
    (re.compile(r"^Input should be less than or equal to (\S+)$"), r"Enter \1 or less."),
    (re.compile(r"^String should have at least 1 character$"), "Please fill this in."),
    (re.compile(r"^(List|Tuple) should have at least 1 item.*"), "Choose at least one."),
)


def plain(said: str) -> str:
    for pattern, words in _PLAIN:
        if pattern.match(said):
            return pattern.sub(words, said)
    return said[:1].upper() + said[1:]


def split_message(message: str) -> tuple[str | None, str]:
    """`profile: field 'race.date' is missing` → ('race.date', 'Please fill this in.');
    a message about no one field → (None, the message without its label)."""
    found = _FIELD.search(message)
    if found is None:
        return None, message.split(": ", 1)[-1] if ": " in message else message
    return found.group(1), plain(found.group(2).strip())


# A redirect after a log carries what the engine decided to the page that shows it. The value is
# signed with the browser's own CSRF secret, so only this browser's posts can make one.


def seal(request: Request, data: Any) -> str:
    raw = zlib.compress(json.dumps(data, separators=(",", ":")).encode(), 9)
    body = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return f"{body}.{_signature(request, body)}"


def unseal(request: Request, token: str | None) -> Any | None:
    """The data, or None when the token is missing, altered or from another browser."""
    if not token or "." not in token or COOKIE not in request.cookies:
        return None
    body, signature = token.rsplit(".", 1)
    if not hmac.compare_digest(signature, _signature(request, body)):
        return None
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflate = zlib.decompressobj()
        data = inflate.decompress(raw, 500_000)
        return json.loads(data)
    except (binascii.Error, zlib.error, ValueError):
        return None


def _signature(request: Request, body: str) -> str:
    key = token_for(request).encode()
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()[:32]


def first_bytes(upload: UploadFile, count: int) -> bytes:
    """The start of an uploaded file, rewound for saving."""
    head: bytes = upload.file.read(count)
    upload.file.seek(0)
    return head
