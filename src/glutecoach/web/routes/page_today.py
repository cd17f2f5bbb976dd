"""/today: the guided session, its log, skipping it, and next-day soreness."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from glutecoach.domain.errors import GlutecoachError, InvalidInput, NotFound
from glutecoach.domain.library import FeltArea
from glutecoach.domain.planning import Day, Plan, Prescription, Session, SessionKind
from glutecoach.domain.progression import Decision
from glutecoach.domain.progression.safety import AREA_WORDS, ClearedBy
from glutecoach.services import history, library, recheck, training
from glutecoach.services.store import Store
from glutecoach.web.csrf import require_csrf
from glutecoach.web.routes.page_common import (
    FELT_LABELS,
    Db,
    Form,
    form_values,
    has_runner,
    render,
    runner_open,
    seal,
    see_other,
    split_message,
    text,
    unseal,
)

router = APIRouter(include_in_schema=False)

MAX_SETS = 20
_EXERCISE_KEY = re.compile(r"^ex-(\d+)-id$")
SAVED = {
    "skipped": "Session skipped. The reason is kept with your log.",
    "soreness": "Soreness saved. The plan takes it into account.",
    "cleared": "Thanks: what the pain held back is in your plan again from tomorrow.",
    "still_sore": "Still sore: it stays out of your plan. If the pain is sharp, getting worse or "
    "still there in a few days, see a physiotherapist or doctor.",
}
FIELD_WORDS = {"felt": "where felt", "load": "band or weight"}
EFFORT_WORDS = {1: "very easy", 3: "easy", 5: "moderate", 7: "hard", 9: "very hard", 10: "maximal"}
CHOOSE = ("", "Choose…")
CHOICES = {  # the log form's <select>s as (value, label)
    "effort": [
        CHOOSE,
        *(
            (str(n), f"{n} – {EFFORT_WORDS.get(n)}" if n in EFFORT_WORDS else str(n))
            for n in range(1, 11)
        ),
    ],
    "felt": [CHOOSE, *((a.value, FELT_LABELS[a.value]) for a in FeltArea)],
    "pain": [
        (
            str(n),
            f"{n} – none" if n == 0 else f"{n} – stop and see a clinician" if n >= 4 else str(n),
        )
        for n in range(11)
    ],
    "soreness": [(str(n), str(n)) for n in range(11)],
}


def _parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"field 'date' '{value}' is not a date (YYYY-MM-DD)") from None


def _kind(value: str) -> SessionKind:
    try:
        return SessionKind(value)
    except ValueError:
        raise InvalidInput(f"'{value}' is not a session") from None


def _chosen(day: Day | None, wanted: str | None, logged: tuple[SessionKind, ...]) -> Session | None:
    if day is None:
        return None
    loggable = [s for s in day.sessions if s.kind in training.LOGGABLE]
    named = next((s for s in loggable if s.kind.value == wanted), None)
    return named or next((s for s in loggable if s.kind not in logged), None)


def _version_changes(db: Store, version: int | None) -> tuple[Any, ...]:
    if version is None:
        return ()
    _, versions = history.plan_changes(db, None)
    return next((v.changes for v in versions if v.version == version), ())


def log_errors(errors: dict[str, str]) -> list[tuple[str, int, str, str]]:
    """The log form's messages for the summary at its top: (field id, exercise, field, message)."""
    found = [(name, name.split("-", 2), message) for name, message in errors.items()]
    return [
        (name, int(parts[1]), FIELD_WORDS.get(parts[2], parts[2]), message)
        for name, parts, message in found
        if len(parts) == 3 and parts[0] == "ex" and parts[1].isdigit()
    ]


def _page(
    request: Request,
    db: Store,
    date: dt.date | None,
    wanted: str | None = None,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    saved: str | None = None,
    version: int | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    view = training.today(db, None, date)
    chosen = _chosen(view.day, wanted, view.logged)
    can_log = not view.is_preview
    errors = errors or {}
    # Messages whose field is not on the page (its session is logged, or the day is to come)
    # are said at the top instead.
    form_shown = chosen is not None and chosen.kind not in view.logged and can_log
    loose = [
        message if key == "form" else f"{key}: {message}"
        for key, message in errors.items()
        if key == "form" or not (form_shown or (key.startswith("soreness") and can_log))
    ]
    context = {
        "active": "today",
        "view": view,
        "day": view.day,
        "plan_start": view.plan_start,
        "plan_end": view.plan_end,
        "chosen": chosen,
        "can_log": can_log,
        "loose_errors": loose,
        "is_today": view.date == view.runner_today,
        "yesterday": view.date - dt.timedelta(days=1),
        "tomorrow": view.date + dt.timedelta(days=1),
        "exercises": library.library().exercises,
        "choices": CHOICES,
        "values": values or {},
        "errors": errors,
        "log_errors": log_errors(errors),
        "saved": SAVED.get(saved or ""),
        "changes": (*view.changes, *_version_changes(db, version)),
        "max_sets": MAX_SETS,
        "pain": recheck.pain_status(db, view.runner.slug, view.runner_today),
        "area_words": AREA_WORDS,
    }
    return render(request, "today.html", context, status_code)


# A plain function, so it runs in a worker thread like the other pages: with a plan not yet
# parsed in this process and a database across a socket it takes tens of milliseconds, which on
# the event loop stalled every other connection of the worker (bench/clinic.py). On one SQLite
# runner, where it is quicker, the thread's hand-offs cost ~16 % (bench/web.py).
@router.get("/today", response_class=HTMLResponse)
def today_page(
    request: Request,
    db: Db,
    date: dt.date | None = None,
    session: str | None = None,
    saved: str | None = None,
    v: int | None = None,
) -> Response:
    runner_open(db)
    try:
        return _page(request, db, date, session, saved=saved, version=v)
    except NotFound:  # no runner, or no plan, yet
        return see_other("/start")


def entry_data(form: FormData) -> dict[str, Any]:
    """The log form as the session entry the training service reads; empty fields left out."""
    indices = sorted(int(m.group(1)) for key in form if (m := _EXERCISE_KEY.match(key)))
    exercises = []
    for i in indices:
        sets = [v for j in range(MAX_SETS) if (v := text(form, f"ex-{i}-set-{j}"))]
        exercise: dict[str, Any] = {"exercise_id": text(form, f"ex-{i}-id"), "sets": sets}
        for name in ("load", "effort", "felt", "pain"):
            if text(form, f"ex-{i}-{name}"):
                exercise[name] = text(form, f"ex-{i}-{name}")
        exercises.append(exercise)
    return {"date": text(form, "date"), "session": text(form, "session"), "exercises": exercises}


def field_errors(message: str) -> dict[str, str]:
    where, said = split_message(message)
    parts = (where or "").split(".")
    if len(parts) >= 3 and parts[0] == "exercises":
        return {f"ex-{parts[1]}-{parts[2]}": said}
    return {"form": said if where in (None, "exercises") else f"{where}: {said}"}


@router.post("/today/log", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def log_submit(request: Request, db: Db, form: Form) -> Response:
    if not has_runner(db):
        return see_other("/start")
    data = entry_data(form)
    date: dt.date | None = None
    try:
        date = _parse_day(data["date"])
        entry = training.parse_entry(data, "your log")
        outcome = training.log_session(db, None, entry)
    except GlutecoachError as error:
        return _page(
            request,
            db,
            date,
            text(form, "session"),
            values=form_values(form),
            errors=field_errors(error.message),
            status_code=error.status_code,
        )
    logged = {e.exercise_id for e in entry.exercises}
    decisions = [
        d.model_dump(mode="json")
        for d in outcome.decisions
        if d.session == entry.session and d.exercise_id in logged
    ]
    token = seal(request, {"v": outcome.plan_version, "d": decisions})
    return see_other(f"/today/logged?date={date}&session={entry.session.value}&o={token}")


def next_time(plan: Plan, decision: Decision, after: dt.date) -> tuple[Day, Prescription] | None:
    """Where the exercise (or the one it became) is next prescribed, and at what dose."""
    target = decision.to_exercise_id or decision.exercise_id
    for day in plan.days:
        session = day.session(decision.session) if day.date > after else None
        for p in session.prescriptions if session else ():
            if p.exercise_id == target:
                return day, p
    return None


def _title(day: Day | None, kind: SessionKind) -> str:
    planned = day.session(kind) if day is not None else None
    return planned.title if planned is not None else kind.value.replace("_", " ").capitalize()


@router.get("/today/logged", response_class=HTMLResponse)
def logged_page(
    request: Request, db: Db, date: dt.date, session: str, o: str | None = None
) -> Response:
    if not has_runner(db):
        return see_other("/start")
    sealed = unseal(request, o) or {}
    try:
        decisions = [Decision.model_validate(d) for d in sealed.get("d", [])]
    except (ValidationError, TypeError):
        decisions = []
    view = training.today(db, None, date)
    plan = training.plan_of(db, None, view.plan_version)  # the version the day comes from
    version = sealed.get("v") if isinstance(sealed.get("v"), int) else None
    context = {
        "active": "today",
        "date": date,
        "kind": _kind(session),
        "title": _title(view.day, _kind(session)),
        "view": view,
        "decisions": [(d, next_time(plan, d, date)) for d in decisions],
        "exercises": library.library().exercises,
        "cue": view.day.session(SessionKind.run_cue) if view.day else None,
        "remaining": [
            s
            for s in (view.day.sessions if view.day else ())
            if s.kind in training.LOGGABLE and s.kind not in view.logged
        ],
        "changes": _version_changes(db, version),
    }
    return render(request, "today_logged.html", context)


@router.post("/today/skip", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def skip_submit(request: Request, db: Db, form: Form) -> Response:
    if not has_runner(db):
        return see_other("/start")
    reason = text(form, "reason")
    date: dt.date | None = None
    try:
        date = _parse_day(text(form, "date"))
        kind = _kind(text(form, "session"))
        if not 1 <= len(reason) <= 200:
            raise InvalidInput("field 'skip_reason' say why you skip it, in up to 200 characters")
        training.skip_session(db, None, kind, reason, date)
    except GlutecoachError as error:
        where, said = split_message(error.message)
        return _page(
            request,
            db,
            date,
            text(form, "session"),
            values=form_values(form),
            errors={"skip_reason" if where else "form": said},
            status_code=error.status_code,
        )
    return see_other(f"/today?date={date}&session={kind.value}&saved=skipped")


@router.post("/today/soreness", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def soreness_submit(request: Request, db: Db, form: Form) -> Response:
    if not has_runner(db):
        return see_other("/start")
    note = text(form, "note") or None
    date: dt.date | None = None
    try:
        date = _parse_day(text(form, "date"))
        level = text(form, "level")
        if not level.isdigit():
            raise InvalidInput("field 'level' choose how sore you are, 0 to 10")
        if note is not None and len(note) > 200:
            raise InvalidInput("field 'note' keep the note under 200 characters")
        outcome = training.log_soreness(db, None, int(level), date, note)
    except GlutecoachError as error:
        where, said = split_message(error.message)
        field = "soreness_note" if where == "note" else "soreness_level"
        return _page(
            request,
            db,
            date,
            values=form_values(form),
            errors={field: said},
            status_code=error.status_code,
        )
    return see_other(f"/today?date={date}&saved=soreness&v={outcome.plan_version}")


@router.post("/today/recheck", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def recheck_submit(request: Request, db: Db, form: Form) -> Response:
    """The re-check Today asks for: a 'pain-free' answer brings back what the pain held back."""
    if not has_runner(db):
        return see_other("/start")
    if text(form, "answer") != "pain_free":
        return see_other("/today?saved=still_sore")
    try:
        outcome = recheck.clear(db, None, ClearedBy.runner)
    except GlutecoachError as error:
        return _page(
            request, db, None, errors={"form": error.message}, status_code=error.status_code
        )
    return see_other(f"/today?saved=cleared&v={outcome.plan_version}")
