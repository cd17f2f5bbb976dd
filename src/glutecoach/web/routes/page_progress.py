"""/progress: adherence, each exercise over time, the tests before and after, soreness and pain."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from glutecoach.domain.progress import ExerciseHistory, Progress
from glutecoach.services import history, library
from glutecoach.web.charts import Series, bar_chart, line_chart
from glutecoach.web.routes.page_common import (
    TEST_LABELS,
    Db,
    day_month,
    has_runner,
    render,
    see_other,
)

router = APIRouter(include_in_schema=False)

UNIT_SHORT = {"reps": " reps", "hold_s": " s", "steps": " steps", "minutes": " min"}


def adherence_chart(report: Progress) -> Markup:
    labels = [f"W{w.number}" for w in report.weeks]
    done = Series("Sessions done", [w.percent for w in report.weeks])
    return bar_chart(
        "adherence", "Sessions done each week, % of planned", labels, [done], unit=" %", top=100
    )


def exercise_chart(item: ExerciseHistory, name: str, index: int) -> Markup:
    unit = UNIT_SHORT.get(item.points[0].unit, "")
    labels = [day_month(p.date) for p in item.points]
    best = Series("Best set", [float(p.best) for p in item.points])
    return line_chart(
        f"ex-{index}", f"{name}: best set each time ({unit.strip()})", labels, [best], unit=unit
    )


def tests_chart(report: Progress) -> Markup | None:
    rows = [t for t in report.tests if t.test in ("side_plank_s", "single_leg_bridge_reps")]
    if not rows:
        return None
    labels = [f"{TEST_LABELS[t.test].split()[-1]} {t.side[0].upper()}" for t in rows]
    first = Series("First test", [float(t.first.split()[0]) for t in rows])
    latest = Series("Latest test", [float(t.latest.split()[0]) for t in rows])
    return bar_chart("tests", "Tests: first and latest (seconds or reps)", labels, [first, latest])


def symptoms_chart(report: Progress) -> Markup | None:
    dates = sorted({v.date for v in (*report.soreness, *report.pain)})
    if not dates:
        return None
    sore = {v.date: v.value for v in report.soreness}
    pain = {v.date: v.value for v in report.pain}
    return line_chart(
        "symptoms",
        "Soreness and pain, 0 to 10",
        [day_month(d) for d in dates],
        [
            Series("Soreness", [sore.get(d) for d in dates]),
            Series("Worst pain in a session", [pain.get(d) for d in dates]),
        ],
        top=10,
    )


@router.get("/progress", response_class=HTMLResponse)
def progress_page(request: Request, db: Db) -> Response:
    if not has_runner(db):
        return see_other("/start")
    report = history.progress_report(db, None)
    names = {k: e.name for k, e in library.library().exercises.items()}
    exercises = [
        (
            item,
            names.get(item.exercise_id, item.exercise_id),
            exercise_chart(item, names.get(item.exercise_id, item.exercise_id), i)
            if len(item.points) > 1
            else None,
        )
        for i, item in enumerate(report.exercises)
    ]
    return render(
        request,
        "progress.html",
        {
            "active": "progress",
            "report": report,
            "adherence_chart": adherence_chart(report) if report.weeks else None,
            "exercises": exercises,
            "tests_chart": tests_chart(report),
            "symptoms_chart": symptoms_chart(report),
            "test_labels": TEST_LABELS,
            "unit_short": UNIT_SHORT,
        },
    )
