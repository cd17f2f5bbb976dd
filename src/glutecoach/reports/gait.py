"""The gait analysis for people: the terminal summary, per-step CSV, the re-test comparison,
and the data the HTML report is drawn from."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from glutecoach.domain.gait.repeatability import (
    Repeatability,
    Verdict,
    load_repeatability,
    verdict,
)
from glutecoach.domain.gait.stature import HEAD_TOP_ALLOWANCE_CM
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


NOT_MEASURED = "not measured"


def side_value(metric: MetricSummary, side: str) -> tuple[str, bool]:
    """A side's median as shown, and whether it is to be trusted: a side not measured from this
    view says so, one seen poorly is shown but marked (never used in findings)."""
    seen = metric.side(side)
    if seen is not None and not seen.measured:
        return NOT_MEASURED, False
    value = metric.left if side == "left" else metric.right
    return _fmt(value), seen is None or seen.usable


def asymmetry_text(metric: MetricSummary) -> str:
    """The claimed left − right difference in the metric's unit, with its share for times of
    100 ms or more; a dash where none is claimed."""
    if metric.asymmetry is None:
        return "–"
    text = _fmt(metric.asymmetry, metric.asymmetry_unit)
    if metric.asymmetry_pct is not None:
        text += f" ({metric.asymmetry_pct:+.0f} %)"
    return text


def side_notes(summary: GaitSummary) -> list[str]:
    """Why a side was not measured or not used, and why no difference was claimed: each
    reason once, with the metrics it applies to."""
    notes: dict[str, list[str]] = {}
    for m in summary.metrics:
        reasons = [s.reason for s in m.sides if s.reason] + ([m.unpaired] if m.unpaired else [])
        for reason in reasons:
            notes.setdefault(reason, []).append(m.label.lower())
    return [f"{', '.join(labels).capitalize()}: {reason}." for reason, labels in notes.items()]


def render(summary: GaitSummary, out: Console) -> None:
    out.print(
        f"[bold]Gait analysis[/] of {summary.source}: {summary.view.value} view, "
        f"{summary.duration_s:.1f} s at {summary.fps:.0f} fps, runner found in "
        f"{summary.found_share:.0%} of {summary.frames} frames; {summary.steps} steps "
        f"({summary.strides_left} left, {summary.strides_right} right strides)."
    )
    for clip in summary.clips:
        out.print(
            f"  {clip.view} clip: {clip.source}, {clip.duration_s:.1f} s at {clip.fps:.0f} fps, "
            f"cadence {clip.cadence_spm:.1f}"
        )
    if summary.estimator:
        out.print(f"[dim]Pose model: {summary.estimator}[/]")
    out.print(f"[bold]Cadence {summary.cadence_spm:.1f} steps/min[/]")
    table = Table(
        title="Per step: median (spread), left / right, a difference where one is claimed, steps"
    )
    for column in ("Metric", "Median", "Spread", "Left", "Right", "L−R", "Steps"):
        table.add_column(column, justify="left" if column == "Metric" else "right")
    for m in summary.metrics:
        left, right = (_shown(*side_value(m, side)) for side in ("left", "right"))
        table.add_row(
            f"{m.label} ({m.unit})",
            _fmt(m.median),
            _fmt(m.spread),
            left,
            right,
            asymmetry_text(m),
            str(m.steps),
        )
    out.print(table)
    out.print(
        "[dim]A left/right difference is claimed only where both sides were measured well and "
        "differ by more than twice the metric's measured error.[/]"
    )
    for note in side_notes(summary):
        out.print(f"[dim]{note}[/]")
    if summary.height_cm is not None:
        out.print(f"[dim]{centimetres_note(summary)}[/]")
    if summary.advice:
        out.print("[bold]In plain words[/]:")
        for a in summary.advice:
            train = ", ".join(e.name for e in a.exercises)
            out.print(f"  • {a.text}" + (f" Try: {train}." if train else ""))
    for warning in summary.warnings:
        out.print(f"[yellow]Warning[/]: {warning}")
    if summary.findings:
        out.print("[bold]Findings[/] (screening, not diagnosis):")
        for f in summary.findings:
            out.print(f"  {f.kind.value}: {f.reason.text}")
    else:
        out.print("No findings beyond the thresholds glutecoach uses.")


def _shown(text: str, trusted: bool) -> str:
    return text if trusted else f"[dim]{text}[/]"


def centimetres_note(summary: GaitSummary) -> str:
    """How the cm figures were made, for every report that shows them."""
    return (
        f"Centimetres are estimates: your height ({summary.height_cm:g} cm) against your body's "
        f"height in the picture ({summary.body_height_px or 0:.0f} px: ankle, leg, trunk and "
        f"head to the nose, plus {HEAD_TOP_ALLOWANCE_CM:g} cm to the top of the head by "
        "convention)."
    )


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
    error: float | None  # the smallest change that is more than measurement error (None: unknown)
    meaningful: bool | None  # None when either side or the metric's repeatability is unknown
    verdict: Verdict = Verdict.unknown
    mdc95: float | None = None  # the metric's measured minimal detectable change

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


def _row(
    key: str,
    label: str,
    unit: str,
    values: tuple[float | None, float | None],
    errors: list[float],
    repeatability: Repeatability,
) -> Change:
    """A change is real when it exceeds the metric's measured MDC95, raised to a published
    figure or to this pair's own step-to-step noise when those are larger; a metric without a
    measured MDC has no verdict."""
    before, after = values
    measured = repeatability.error(key, unit)
    mdc = measured.mdc95 if measured is not None else None
    error = max([mdc, *errors]) if mdc is not None else None
    change = None if before is None or after is None else after - before
    said = verdict(change, error)
    meaningful = None if said == Verdict.unknown else said == Verdict.real
    rounded = round(error, 2) if error is not None else None
    return Change(key, label, unit, before, after, rounded, meaningful, said, mdc)


def compare(
    before: GaitSummary,
    after: GaitSummary,
    library: Library,
    repeatability: Repeatability | None = None,
) -> list[Change]:
    """Each metric of two analyses side by side, with whether its change exceeds the metric's
    measurement error (repeatability.yaml: this method's own, measured on one runner)."""
    known = repeatability or load_repeatability()
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
        values = (old.median if old else None, new.median)
        rows.append(_row(new.key, new.label, new.unit, values, errors, known))
    cadence_error = math.hypot(_cadence_se(before), _cadence_se(after)) * 1.96
    values = (before.cadence_spm, after.cadence_spm)
    rows.insert(0, _row("cadence", "Cadence", "steps/min", values, [cadence_error], known))
    return rows


def repeatability_note(repeatability: Repeatability | None = None) -> str:
    known = repeatability or load_repeatability()
    return (
        f"Measurement error: each metric's minimal detectable change (MDC95), measured on "
        f"{known.measured_on} by bench/gait_repeatability.py on {known.windows} analyses of one "
        "runner's side-view clip (shifted windows, a mirrored copy): this method's own "
        "repeatability, not a published figure. Rear-view metrics have no figure yet."
    )


def comparison_json(rows: list[Change]) -> list[dict[str, object]]:
    return [
        {
            "key": r.key,
            "label": r.label,
            "unit": r.unit,
            "before": r.before,
            "after": r.after,
            "change": None if r.change is None else round(r.change, 2),
            "mdc95": r.mdc95,
            "threshold": r.error,
            "verdict": r.verdict.value,
        }
        for r in rows
    ]


def _cadence_se(summary: GaitSummary) -> float:
    """Cadence's standard error from the step times' (cadence = 60 000 / step time in ms)."""
    steps = summary.metric("step_time")
    se = standard_error(steps) if steps is not None else None
    if se is None or steps is None or not steps.median:
        return 0.0
    return summary.cadence_spm * se / steps.median


def render_comparison(before: GaitSummary, rows: list[Change], out: Console) -> None:
    table = Table(title=f"Against your analysis of {before.analysed_on} ({before.source})")
    for column in ("Metric", "Before", "Now", "Change", "Error", "Verdict"):
        table.add_column(column, justify="left" if column in ("Metric", "Verdict") else "right")
    for r in rows:
        table.add_row(
            f"{r.label} ({r.unit})",
            _fmt(r.before),
            _fmt(r.after),
            _fmt(r.change),
            "–" if r.error is None else f"±{_fmt(r.error)}",
            r.verdict.value,
        )
    out.print(table)
    out.print(f"[dim]{repeatability_note()}[/]")
