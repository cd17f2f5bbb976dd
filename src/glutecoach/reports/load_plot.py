"""The load report as a picture: weekly running distance (spike weeks marked) over the
acute:chronic ratio with its usual range. matplotlib's object API, never pyplot (see plots.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from glutecoach.domain.run_reports import LoadReport
from glutecoach.reports.plots import WIDTH_IN, as_days, date_axis, new_figure, save_figure

HEIGHT_IN = 5.5


def write_load_plot(
    report: LoadReport, path: Path, fmt: Literal["png", "svg"] = "png"
) -> Path | None:
    """The chart at `path` (its folder made if needed); None when there is nothing to draw."""
    if not report.weeks:
        return None
    figure = new_figure(WIDTH_IN, HEIGHT_IN)
    weekly, ratio = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    starts = as_days([w.start + dt.timedelta(days=3) for w in report.weeks])  # bar mid-week
    colours = ["#c0392b" if w.spike else "#2e86c1" for w in report.weeks]
    weekly.bar(starts, [w.running_km for w in report.weeks], width=6, color=colours)
    weekly.set_ylabel("running km per week")
    weekly.set_title(f"Running load, {report.runner.name}")
    if any(w.spike for w in report.weeks):
        weekly.text(
            0.01,
            0.95,
            f"red: > {report.spike_pct:g} % on the week before",
            transform=weekly.transAxes,
            va="top",
            fontsize=8,
        )
    days = as_days([r.day for r in report.ratios])
    low, high, danger = report.acwr_limits
    ratio.axhspan(low, high, color="#27ae60", alpha=0.15, label=f"usual range {low:g}–{high:g}")
    ratio.axhline(danger, color="#c0392b", linewidth=0.8, linestyle="--", label=f"{danger:g}")
    ratio.plot(days, [r.rolling for r in report.ratios], color="#34495e", label="rolling 7/28 days")
    ratio.plot(
        days, [r.ewma for r in report.ratios], color="#8e44ad", linestyle=":", label="weighted"
    )
    ratio.set_ylabel("acute:chronic")
    ratio.legend(fontsize=7, loc="upper left")
    date_axis(ratio)
    return save_figure(figure, path, fmt)
