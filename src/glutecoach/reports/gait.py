"""The gait analysis for people: the terminal summary, per-step CSV, the re-test comparison,
and the data the HTML report is drawn from."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from glutecoach.domain.gait.summary import GaitSummary, MetricSummary
from glutecoach.domain.library import Library

# What a metric's normal band is, where the evidence gives one; None: no published band.
BANDS: dict[str, str] = {
    "contact_time": "no published band for recreational runners in EVIDENCE.md",
    "pelvic_drop": "more drop went with injury (Bramah 2018, 3D); no 2D cut-off published",
    "knee_fppa": "2D knee valgus does not track 3D knee abduction in running (Dingenen): "
    "shown, never used for a finding",
    "overstride": "no numeric cut-off published; lands closer as cadence rises (Lieberman 2015)",
    "trunk_lean": "more lean in injured runners (Bramah 2018), and with strong hip extensors",
    "knee_flexion_strike": "injured runners landed with a straighter knee (Bramah 2018)",
}
# Repeatability figures the literature gives (degrees); others come from the steps' own spread.
PUBLISHED_ERROR = {"knee_flexion_strike": "gait_knee_angle_error_deg"}


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    digits = 0 if unit in ("ms",) else 1
    return f"{value:.{digits}f}{' ' + unit if unit and unit != '°' else unit}"


def render(summary: GaitSummary, out: Console) -> None:
    out.print(
        f"[bold]Gait analysis[/] of {summary.source}: {summary.view.value} view, "
        f"{summary.duration_s:.1f} s at {summary.fps:.0f} fps, runner found in "
        f"{summary.found_share:.0%} of {summary.frames} frames; {summary.steps} steps "
        f"({summary.strides_left} left, {summary.strides_right} right strides)."
    )
    out.print(f"[bold]Cadence {summary.cadence_spm:.1f} steps/min[/]")
    table = Table(title="Per step: median (spread), left / right, asymmetry, steps")
    for column in ("Metric", "Median", "Spread", "Left", "Right", "L−R", "Steps"):
        table.add_column(column, justify="left" if column == "Metric" else "right")
    for m in summary.metrics:
        table.add_row(
            f"{m.label} ({m.unit})",
            _fmt(m.median),
            _fmt(m.spread),
            _fmt(m.left),
            _fmt(m.right),
            _fmt(m.asymmetry, m.asymmetry_unit),
            str(m.steps),
        )
    out.print(table)
    for warning in summary.warnings:
        out.print(f"[yellow]Warning[/]: {warning}")
    if summary.findings:
        out.print("[bold]Findings[/] (screening, not diagnosis):")
        for f in summary.findings:
            out.print(f"  {f.kind.value}: {f.reason.text}")
    else:
        out.print("No findings beyond the thresholds glutecoach uses.")


def steps_csv(summary: GaitSummary) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["metric", "unit", "side", "time_s", "value"])
    for m in summary.metrics:
        for v in m.values:
            writer.writerow([m.key, m.unit, v.side, v.time_s, v.value])
    return out.getvalue()


def standard_error(metric: MetricSummary) -> float | None:
    """Of the median, from the steps' spread (IQR/1.349 ≈ SD; SE(median) ≈ 1.2533·SD/√n)."""
    if metric.spread is None or metric.steps < 2:
        return None
    return 1.2533 * (metric.spread / 1.349) / math.sqrt(metric.steps)


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    unit: str
    before: float | None
    after: float | None
    error: float | None  # the smallest change that is more than measurement noise
    meaningful: bool | None  # None when either side or the error is unknown


def compare(before: GaitSummary, after: GaitSummary, library: Library) -> list[Change]:
    """Each metric of two analyses side by side; a change counts when it exceeds the larger of
    the published repeatability (knee angle) and 1.96 × the combined standard error of the two
    medians (from each clip's own steps)."""
    rows = []
    for new in after.metrics:
        old = before.metric(new.key)
        errors = []
        if old is not None:
            a, b = standard_error(old), standard_error(new)
            if a is not None and b is not None:
                errors.append(1.96 * math.hypot(a, b))
        if new.key in PUBLISHED_ERROR:
            errors.append(library.threshold(PUBLISHED_ERROR[new.key]).value)
        error = max(errors) if errors else None
        meaningful = None
        if old is not None and old.median is not None and new.median is not None and error:
            meaningful = abs(new.median - old.median) > error
        rows.append(
            Change(
                new.key,
                new.label,
                new.unit,
                old.median if old else None,
                new.median,
                round(error, 2) if error else None,
                meaningful,
            )
        )
    cadence_error = math.hypot(_cadence_se(before), _cadence_se(after)) * 1.96
    rows.insert(
        0,
        Change(
            "cadence",
            "Cadence",
            "steps/min",
            before.cadence_spm,
            after.cadence_spm,
            round(cadence_error, 2),
            abs(after.cadence_spm - before.cadence_spm) > cadence_error,
        ),
    )
    return rows


def _cadence_se(summary: GaitSummary) -> float:
    """Cadence's standard error from the step times' (cadence = 60 000 / step time in ms)."""
    steps = summary.metric("step_time")
    se = standard_error(steps) if steps is not None else None
    if se is None or steps is None or not steps.median:
        return 0.0
    return summary.cadence_spm * se / steps.median


def render_comparison(before: GaitSummary, rows: list[Change], out: Console) -> None:
    table = Table(title=f"Against your analysis of {before.analysed_on} ({before.source})")
    for column in ("Metric", "Before", "Now", "Change", "Beyond noise?"):
        table.add_column(column, justify="left" if column == "Metric" else "right")
    for r in rows:
        change = None if r.before is None or r.after is None else r.after - r.before
        verdict = {True: "yes", False: "no", None: "–"}[r.meaningful]
        table.add_row(f"{r.label} ({r.unit})", _fmt(r.before), _fmt(r.after), _fmt(change), verdict)
    out.print(table)
