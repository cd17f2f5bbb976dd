"""/runs: the running load (weekly distance, spikes, the acute:chronic ratio), the gait trends and
the run history, as `glutecoach load` and `glutecoach runs` show them; the upload of run files,
imported in the background (`services.import_jobs`) with its progress polled, then its summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from starlette.datastructures import UploadFile

from glutecoach.domain.errors import NotFound
from glutecoach.domain.load import BandTrend, Ratio, Week
from glutecoach.domain.records import StoredRun
from glutecoach.domain.run_reports import LoadReport
from glutecoach.reports.running import ACWR_CAVEAT, ZONE_WORDS, duration, pace
from glutecoach.services import library, running
from glutecoach.services.import_jobs import (
    ACCEPT,
    HEAD_BYTES,
    ImportJob,
    ImportJobs,
    upload_problem,
)
from glutecoach.services.run_history import all_runs
from glutecoach.web.charts import Series, bar_chart, line_chart
from glutecoach.web.csrf import require_csrf
from glutecoach.web.routes.page_common import (
    Db,
    Form,
    day_month,
    first_bytes,
    has_runner,
    render,
    see_other,
)

router = APIRouter(include_in_schema=False)

MAX_WEEKS = 104  # two years: past that the bars are thinner than a line on a phone
SHOWN_RUNS = 50
UPLOAD_PATH = "/runs"
FIELD_NAMES = {"files": "Run files"}


@dataclass(frozen=True)
class RunRow:
    """One recorded run as the list shows it (the runner's time zone; '–' where unknown)."""

    start: dt.datetime
    sport: str
    km: str
    time: str
    pace: str
    hr: str
    cadence: str
    balance: str
    source: str

    @classmethod
    def of(cls, stored: StoredRun, zone: ZoneInfo) -> RunRow:
        r = stored.run
        unknown = r.sport.value == "unknown"
        return cls(
            start=r.local_start(zone),
            sport=r.sport_detail if unknown and r.sport_detail else r.sport.value,
            km=f"{r.distance_km:.2f}" if r.distance_m is not None else "–",
            time=duration(r.duration_s),
            pace=pace(r.pace_s_per_km) if r.is_running else "–",
            hr=f"{r.avg_hr}" if r.avg_hr is not None else "–",
            cadence=f"{r.cadence_spm:.0f}" if r.cadence_spm is not None else "–",
            balance=f"{r.gct_balance_left_pct:.1f}" if r.gct_balance_left_pct is not None else "–",
            source=stored.source.rsplit("/", 1)[-1],
        )


def week_ratios(report: LoadReport) -> list[Ratio | None]:
    """Each week's acute:chronic ratio on its last day shown (its Sunday, or the report's day)."""
    by_day = {r.day: r for r in report.ratios}
    return [by_day.get(min(w.start + dt.timedelta(days=6), report.on)) for w in report.weeks]


def load_chart(report: LoadReport) -> Markup:
    labels = [day_month(w.start) for w in report.weeks]
    km = Series("Running km", [round(w.running_km, 1) for w in report.weeks])
    marks = ["spike" if w.spike else None for w in report.weeks]
    return bar_chart(
        "load-km",
        f"Running distance each week, km; ▲ a spike (more than {report.spike_pct:g} % on the "
        "week before)",
        labels,
        [km],
        unit=" km",
        marks=marks,
    )


def ratio_chart(report: LoadReport, ratios: list[Ratio | None]) -> Markup | None:
    rolling = [r.rolling if r else None for r in ratios]
    ewma = [r.ewma if r else None for r in ratios]
    values = [v for v in (*rolling, *ewma) if v is not None]
    if not values:
        return None
    low, high, _ = report.acwr_limits
    return line_chart(
        "load-ratio",
        "Acute:chronic ratio at the end of each week",
        [day_month(w.start) for w in report.weeks],
        [Series("Rolling 7/28 days", rolling), Series("Exponentially weighted", ewma)],
        top=2.0 if max(values) <= 2 else None,
        band=(low, high, "usual range"),
        dot=3.5 if len(report.weeks) <= 26 else 2.0,
    )


def shown_trends(report: LoadReport) -> list[BandTrend]:
    """The pace bands with a figure from the last eight weeks (older bands say nothing now)."""
    return [
        t
        for t in report.trends
        if any(
            v is not None
            for v in (
                t.cadence_recent,
                t.cadence_before,
                t.balance_recent,
                t.balance_before,
                t.vertical_ratio_recent,
                t.vertical_ratio_before,
            )
        )
    ]


def spike_weeks(report: LoadReport) -> list[Week]:
    return [w for w in report.weeks if w.spike]


@router.get("/runs", response_class=HTMLResponse)
def runs_page(
    request: Request,
    db: Db,
    weeks: Annotated[int, Query(ge=2, le=MAX_WEEKS)] = running.LOAD_WEEKS,
) -> Response:
    if not has_runner(db, with_plan=False):
        return see_other("/start")
    return _runs_page(request, db, weeks)


def _runs_page(
    request: Request,
    db: Db,
    weeks: int = running.LOAD_WEEKS,
    *,
    job: ImportJob | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    found = running.history(db, None)
    report = running.load_report(db, None, weeks=weeks)
    zone = ZoneInfo(found.timezone)
    ratios = week_ratios(report)
    has_any = bool(found.runs or found.by_hand)
    last_run = max((r.local_start(zone) for r in all_runs(found) if r.is_running), default=None)
    max_bytes = jobs(request).max_bytes
    return render(
        request,
        "runs.html",
        {
            "active": "runs",
            "runner": found.runner,
            "timezone": found.timezone,
            "report": report,
            "has_any": has_any,
            "last_run": last_run,
            "km_in_view": sum(w.running_km for w in report.weeks),
            "load_chart": load_chart(report) if has_any else None,
            "ratio_chart": ratio_chart(report, ratios) if has_any else None,
            "weeks_with_ratio": list(zip(report.weeks, ratios, strict=True)),
            "spikes": spike_weeks(report),
            "zone_words": ZONE_WORDS[report.latest_zone] if report.latest_zone else None,
            "caveat": ACWR_CAVEAT,
            "trends": shown_trends(report),
            "rows": [RunRow.of(s, zone) for s in reversed(found.runs[-SHOWN_RUNS:])],
            "total_runs": len(found.runs),
            "by_hand": len(found.by_hand),
            "sources": library.library().sources,
            "duration": duration,
            "weeks_choices": (4, 12, 26, 52),
            "job": job,
            "errors": errors or {},
            "names": FIELD_NAMES,
            "accept": ACCEPT,
            "max_mb": max_bytes // 1_000_000,
        },
        status_code,
    )


def jobs(request: Request) -> ImportJobs:
    found: ImportJobs = request.app.state.import_jobs
    return found


@router.post(UPLOAD_PATH, response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def runs_upload(request: Request, db: Db, form: Form) -> Response:
    if not has_runner(db, with_plan=False):
        return see_other("/start")
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    problems: list[str] = []
    for upload in uploads:
        name = upload.filename or ""
        if upload.size == 0:
            problems.append(f"{name} is empty: choose it again")
        elif problem := upload_problem(name, first_bytes(upload, HEAD_BYTES)):
            problems.append(problem)
    if not uploads:
        problems.append("Choose the run files to import")
    if problems:  # each starts with the file's name, as it is spelt
        said = " ".join(p + "." for p in problems)
        return _runs_page(request, db, errors={"files": said}, status_code=422)
    job = jobs(request).start(db, [(u.filename or "", u.file) for u in uploads])
    return see_other(f"/runs/jobs/{job.id}")


@router.get("/runs/jobs/{job_id}", response_class=HTMLResponse)
def runs_job(request: Request, db: Db, job_id: str) -> Response:
    """The runs page with the import's progress on top (its summary once it ends)."""
    if not has_runner(db, with_plan=False):
        return see_other("/start")
    job = jobs(request).seen_by(db, job_id)
    if job is None:
        raise NotFound(f"no run import called {job_id}")
    return _runs_page(request, db, job=job)


@router.get("/runs/jobs/{job_id}/status", response_class=HTMLResponse)
def runs_job_status(request: Request, db: Db, job_id: str) -> Response:
    """The progress fragment the page polls; when the import ends, HTMX reloads the page, so the
    summary shows with the load chart redrawn."""
    job = jobs(request).seen_by(db, job_id)
    response = render(request, "_import_status.html", {"job": job})
    if job is not None and job.finished:
        response.headers["HX-Refresh"] = "true"
    return response
