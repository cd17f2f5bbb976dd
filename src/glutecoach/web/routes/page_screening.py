"""/screening: the questionnaire and the four functional tests → findings, in plain words."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from glutecoach.domain.errors import InvalidInput
from glutecoach.domain.library import FeltArea
from glutecoach.domain.screening import PainArea, Screening, Side
from glutecoach.domain.screening.questionnaire import RED_FLAG_QUESTIONS, SIGNS, TESTS
from glutecoach.services import library, runners, screening
from glutecoach.web.csrf import require_csrf
from glutecoach.web.routes.page_common import (
    Db,
    Form,
    form_values,
    has_runner,
    render,
    see_other,
    snapshot,
    split_message,
    text,
)

router = APIRouter(include_in_schema=False)

MAX_PAIN_ROWS = 10
SQUAT_FAULTS = (
    ("knee_caves_in", "The knee caved in"),
    ("pelvis_drops", "The pelvis dropped on the free-leg side"),
    ("trunk_leans", "The trunk leaned sideways"),
)
TEST_NAMES = {
    "side_plank": "Side plank (seconds)",
    "single_leg_bridge": "Single-leg bridge (reps)",
}
_PAIN_KEY = re.compile(r"^pain-(\d+)-area$")
# Where a message about the screening document belongs on the form.
_TEST_FIELDS = {
    "tests.side_plank_s": "side_plank",
    "tests.single_leg_bridge_reps": "bridge",
    "tests.clamshell_felt": "clamshell",
}


def _context(values: dict[str, Any], errors: dict[str, str], rows: list[int]) -> dict[str, Any]:
    return {
        "active": "screening",
        "values": values,
        "errors": errors,
        "pain_rows": rows,
        "signs": SIGNS,
        "red_flags": RED_FLAG_QUESTIONS,
        "pain_areas": list(PainArea),
        "sides": list(Side),
        "tests": {t.id: t for t in TESTS},
        "squat_faults": SQUAT_FAULTS,
        "felt_areas": list(FeltArea),
        "max_pain_rows": MAX_PAIN_ROWS,
    }


@router.get("/screening", response_class=HTMLResponse)
def screening_page(request: Request, db: Db) -> Response:
    if not has_runner(db):
        return see_other("/start")
    snap = snapshot(db)
    values = {"weekly_km": f"{snap.profile.weekly_km:g}", "squat_done": "yes"}
    context = _context(values, {}, [0])
    context["previous"] = snap.screening.screened_on if snap.screening else None
    return render(request, "screening.html", context)


@router.get("/screening/pain-row", response_class=HTMLResponse)
def pain_row(
    request: Request, index: Annotated[int, Query(ge=1, lt=MAX_PAIN_ROWS)]
) -> HTMLResponse:
    """One more pain entry (HTMX), with the "add another" button moved on by one."""
    return render(request, "_pain_row_more.html", {**_context({}, {}, []), "index": index})


def _number(form: FormData, name: str) -> str | None:
    return text(form, name) or None


def _pair(form: FormData, left: str, right: str) -> dict[str, str] | None:
    """Both sides, one side (the other then reads as missing), or None when neither was done."""
    pair = {side: v for side, v in (("left", text(form, left)), ("right", text(form, right))) if v}
    return pair or None


def pain_rows(form: FormData) -> list[int]:
    found = sorted(int(m.group(1)) for key in form if (m := _PAIN_KEY.match(key)))
    return [i for i in found if i < MAX_PAIN_ROWS] or [0]


def screening_data(form: FormData, rows: list[int]) -> tuple[dict[str, Any], list[int]]:
    """The form as the screening document, and which form row each pain report came from."""
    pain, used = [], []
    for i in rows:
        if not text(form, f"pain-{i}-area"):
            continue
        report: dict[str, Any] = {
            "area": text(form, f"pain-{i}-area"),
            "side": text(form, f"pain-{i}-side") or "both",
        }
        if text(form, f"pain-{i}-level"):
            report["level"] = text(form, f"pain-{i}-level")
        report.update(
            {q.field: bool(text(form, f"pain-{i}-{q.field}")) for q in RED_FLAG_QUESTIONS}
        )
        pain.append(report)
        used.append(i)
    background = {
        key: value
        for key, name in (
            ("years_running", "years_running"),
            ("weekly_km", "weekly_km"),
            ("recent_increase_pct", "recent_increase_pct"),
        )
        if (value := _number(form, name)) is not None
    }
    answers: dict[str, Any] = {q.field: bool(text(form, q.field)) for q in SIGNS}
    answers.update(pain=pain, background=background)
    tests: dict[str, Any] = {}
    for key, prefix in (("side_plank_s", "side_plank"), ("single_leg_bridge_reps", "bridge")):
        if pair := _pair(form, f"{prefix}_left", f"{prefix}_right"):
            tests[key] = pair
    if text(form, "squat_done"):
        tests["single_leg_squat"] = {
            side: {fault: bool(text(form, f"squat_{side}_{fault}")) for fault, _ in SQUAT_FAULTS}
            for side in ("left", "right")
        }
    if pair := _pair(form, "clamshell_left", "clamshell_right"):
        tests["clamshell_felt"] = pair
    return {"answers": answers, "tests": tests}, used


def field_errors(message: str, used: list[int]) -> dict[str, str]:
    where, said = split_message(message)
    if where is None:
        return {"form": said}
    parts = where.split(".")
    if parts[:2] == ["answers", "pain"] and len(parts) >= 4 and int(parts[2]) < len(used):
        return {f"pain-{used[int(parts[2])]}-{parts[3]}": said}
    if parts[:2] == ["answers", "background"] and len(parts) >= 3:
        return {parts[2]: said}
    prefix = _TEST_FIELDS.get(".".join(parts[:2]))
    if prefix is not None:
        side = parts[2] if len(parts) >= 3 else "left"
        return {f"{prefix}_{side}": said}
    return {"form": f"{where}: {said}"}


@router.post("/screening", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def screening_submit(request: Request, db: Db, form: Form) -> Response:
    if not has_runner(db):
        return see_other("/start")
    rows = pain_rows(form)
    data, used = screening_data(form, rows)
    day = db.clock.today(snapshot(db).profile.timezone)
    try:
        result = screening.run(screening.parse_input(data, "answers"), day)
    except InvalidInput as error:
        values = form_values(form)
        context = _context(values, field_errors(error.message, used), rows)
        return render(request, "screening.html", context, 422)
    screened = runners.record_screening(db, None, result)
    return see_other(f"/screening/results?replanned={int(screened.replanned)}")


def _results(result: Screening, replanned: bool | None) -> dict[str, Any]:
    lib = library.library()
    return {
        "active": "screening",
        "screening": result,
        "replanned": replanned,
        "sources": lib.sources,
        "exercises": lib.exercises,
        "test_names": TEST_NAMES,
        "cited": sorted({s for f in result.findings for r in f.reasons for s in r.sources}),
    }


@router.get("/screening/results", response_class=HTMLResponse)
def screening_results(request: Request, db: Db, replanned: int | None = None) -> Response:
    if not has_runner(db):
        return see_other("/start")
    result = snapshot(db).screening
    if result is None:
        return see_other("/screening")
    return render(
        request,
        "screening_results.html",
        _results(result, None if replanned is None else bool(replanned)),
    )
