"""The run history and the load report: terminal tables and plain data for --json and the web."""

from __future__ import annotations

import dataclasses
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

from glutecoach.domain.load import Zone
from glutecoach.domain.records import StoredRun
from glutecoach.domain.run_reports import ImportSummary, LoadReport, RunHistory

ZONE_WORDS = {
    Zone.low: "below the usual range: less running than of late",
    Zone.sweet_spot: "within the usual range",
    Zone.high: "above the usual range: more running than of late",
    Zone.danger: "a sharp rise on what you are used to",
}
ACWR_CAVEAT = (
    "The acute:chronic ratio is contested as an injury predictor (mostly team-sport data): read it "
    "as how this week compares with your last four, not as a forecast."
)


def duration(seconds: float | None) -> str:
    if not seconds:
        return "–"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def pace(seconds_per_km: float | None) -> str:
    if seconds_per_km is None:
        return "–"
    minutes, secs = divmod(round(seconds_per_km), 60)
    return f"{minutes}:{secs:02d}/km"


def _num(value: float | None, digits: int = 0, unit: str = "") -> str:
    return "–" if value is None else f"{value:.{digits}f}{unit}"


def render_import(summary: ImportSummary, out: Console) -> None:
    who = f"{summary.runner.name} ({summary.runner.slug})"
    if summary.new_runner:
        out.print(f"New runner {who}: start their plan with 'glutecoach start'.")
    runs = ", ".join(f"{n} {sport}" for sport, n in sorted(summary.runs.items())) or "none"
    out.print(
        f"[bold]Imported[/] {summary.imported_runs} activities ({runs}) from "
        f"{summary.imported_files} of {summary.files} files for {who} in {summary.seconds:.1f} s"
    )
    if summary.duplicates:
        out.print(f"[bold]Duplicates skipped[/]: {len(summary.duplicates)}")
        for label, why in summary.duplicates:
            out.print(f"  {label}: {why}", markup=False)
    if summary.rejected:
        out.print(f"[bold]Rejected[/]: {len(summary.rejected)}")
        for label, reason in summary.rejected:
            out.print(f"  {label}: {reason}", markup=False)
    if summary.ignored:
        out.print(f"Not run files, left alone: {summary.ignored}")
    if summary.spike_warning:
        out.print(f"[bold]Spike warning[/]: {summary.spike_warning}.")
        if summary.plan_version is not None:
            out.print(
                f"This week's remaining strength is lighter (plan version {summary.plan_version}); "
                "see 'glutecoach plan --changes'."
            )


def import_data(summary: ImportSummary) -> dict[str, Any]:
    return {
        "runner": summary.runner.slug,
        "new_runner": summary.new_runner,
        "files": summary.files,
        "imported_files": summary.imported_files,
        "imported_runs": summary.imported_runs,
        "runs_by_sport": summary.runs,
        "records": summary.records,
        "duplicates": [{"file": f, "why": w} for f, w in summary.duplicates],
        "rejected": [{"file": f, "reason": r} for f, r in summary.rejected],
        "ignored": summary.ignored,
        "seconds": round(summary.seconds, 3),
        "spike_warning": summary.spike_warning,
        "plan_version": summary.plan_version,
    }


def run_data(stored: StoredRun, zone: ZoneInfo) -> dict[str, Any]:
    run = stored.run
    return {
        "id": stored.id,
        "start": run.local_start(zone).isoformat(),
        "started_at_utc": run.started_at.isoformat(),
        **run.model_dump(mode="json", exclude={"started_at"}),
        "pace_s_per_km": round(run.pace_s_per_km, 1) if run.pace_s_per_km else None,
        "source": stored.source,
        "file_format": stored.file_format,
    }


def history_data(found: RunHistory) -> dict[str, Any]:
    zone = ZoneInfo(found.timezone)
    return {
        "runner": found.runner.slug,
        "timezone": found.timezone,
        "runs": [run_data(s, zone) for s in found.runs],
        "logged_by_hand": [log.model_dump(mode="json") for log in found.by_hand],
    }


def render_history(found: RunHistory, out: Console, limit: int | None = None) -> None:
    zone = ZoneInfo(found.timezone)
    shown = found.runs[-limit:] if limit else found.runs
    table = Table(title=f"Runs of {found.runner.name} ({found.timezone})")
    for column in ("Start", "Sport", "km", "Time", "Pace", "HR", "Steps/min", "GCT L %", "File"):
        right = column not in ("Start", "Sport", "File")
        table.add_column(column, justify="right" if right else "left", no_wrap=column != "File")
    for s in shown:
        r = s.run
        table.add_row(
            r.local_start(zone).strftime("%Y-%m-%d %H:%M"),
            r.sport_detail if r.sport.value == "unknown" and r.sport_detail else r.sport.value,
            _num(r.distance_km, 2),
            duration(r.duration_s),
            pace(r.pace_s_per_km).removesuffix("/km") if r.is_running else "–",
            _num(r.avg_hr),
            _num(r.cadence_spm),
            _num(r.gct_balance_left_pct, 1),
            s.source.rsplit("/", 1)[-1][:32],
        )
    out.print(table)
    if found.by_hand:
        out.print(f"Runs logged by hand on days no file covers: {len(found.by_hand)}")
    if limit and len(found.runs) > limit:
        out.print(f"Showing the last {limit} of {len(found.runs)}; --all for every one.")


def load_data(report: LoadReport) -> dict[str, Any]:
    latest = report.latest
    return {
        "runner": report.runner.slug,
        "timezone": report.timezone,
        "on": report.on.isoformat(),
        "weeks": [
            {
                **dataclasses.asdict(w),
                "start": w.start.isoformat(),
                "long_run_share": w.long_run_share,
            }
            for w in report.weeks
        ],
        "acwr": {
            "latest": None
            if latest is None
            else {**dataclasses.asdict(latest), "day": latest.day.isoformat()},
            "zone": report.latest_zone.value if report.latest_zone else None,
            "sweet_spot": list(report.acwr_limits[:2]),
            "danger": report.acwr_limits[2],
            "source": report.acwr_source,
            "caveat": ACWR_CAVEAT,
            "daily": [{**dataclasses.asdict(r), "day": r.day.isoformat()} for r in report.ratios],
        },
        "spike_threshold_pct": report.spike_pct,
        "spike_source": report.spike_source,
        "trends": [
            {
                **{k: v for k, v in dataclasses.asdict(t).items() if k != "points"},
                "points": [{**dataclasses.asdict(p), "day": p.day.isoformat()} for p in t.points],
            }
            for t in report.trends
        ],
        "gct_imbalance": None if report.imbalance is None else report.imbalance.describe(),
        "habits": None
        if report.habits is None
        else {
            "weeks": report.habits.weeks,
            "run_days": [d.value for d in report.habits.run_days],
            "long_run_day": report.habits.long_run_day.value
            if report.habits.long_run_day
            else None,
            "hard_days": [d.value for d in report.habits.hard_days],
            "weekly_km": report.habits.weekly_km,
        },
        "runs_counted": report.runs_counted,
        "other_activities": report.other_activities,
    }


def render_load(report: LoadReport, out: Console) -> None:
    table = Table(title=f"Running load of {report.runner.name}, weeks to {report.on:%d %b %Y}")
    for column in ("Week of", "km", "Time", "Runs", "Long run", "Change", "Other"):
        table.add_column(column, justify="left" if column == "Week of" else "right")
    for w in report.weeks:
        change = "–" if w.change_pct is None else f"{w.change_pct:+.0f} %"
        share = f" ({w.long_run_share:.0%})" if w.long_run_share else ""
        table.add_row(
            w.start.strftime("%d %b %Y"),
            f"{w.running_km:.1f}",
            duration(w.running_s),
            str(w.runs),
            f"{w.long_run_km:.1f}{share}",
            f"[bold red]{change} spike[/]" if w.spike else change,
            str(w.other_activities) if w.other_activities else "",
        )
    out.print(table)
    spikes = [w for w in report.weeks if w.spike]
    if spikes:
        out.print(
            f"[bold]Spike warning[/]: {len(spikes)} week(s) rose more than {report.spike_pct:g} % "
            f"on the week before (source: {report.spike_source}); the plan lightens strength in "
            "such a week."
        )
    latest = report.latest
    if latest is not None and latest.rolling is not None:
        words = ZONE_WORDS[report.latest_zone] if report.latest_zone else ""
        ewma = f", exponentially weighted {latest.ewma:.2f}" if latest.ewma is not None else ""
        low, high, danger = report.acwr_limits
        out.print(
            f"Acute:chronic ratio {latest.rolling:.2f} ({latest.acute_km:.1f} km this 7 days, "
            f"{latest.chronic_km:.1f} km a week over 28){ewma}: {words}. Usual range "
            f"{low:g}–{high:g}, sharp rise ≥ {danger:g} (source: {report.acwr_source})."
        )
        out.print(ACWR_CAVEAT, style="dim")
    else:
        out.print("Acute:chronic ratio: not yet (it needs 4 weeks of runs).")
    if report.imbalance is not None:
        out.print(f"[bold]Ground contact balance[/]: {report.imbalance.describe()}.")
    for t in report.trends:
        parts = []
        for label, recent, before, unit in (
            ("cadence", t.cadence_recent, t.cadence_before, " spm"),
            ("GCT balance L", t.balance_recent, t.balance_before, " %"),
            ("vertical ratio", t.vertical_ratio_recent, t.vertical_ratio_before, " %"),
        ):
            if recent is not None:
                was = f" (was {before:.1f})" if before is not None else ""
                parts.append(f"{label} {recent:.1f}{unit}{was}")
        if parts:
            out.print(f"{t.band}: " + ", ".join(parts))
    if report.habits is not None:
        out.print(f"Your running week, {report.habits.describe()}.")
    if report.other_activities:
        out.print(f"Other activities (not counted as running): {report.other_activities}")
