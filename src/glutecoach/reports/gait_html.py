"""The gait report as one self-contained HTML file: the metrics with their bands, the angles over
the gait cycle (mean ± SD, left against right), per-step values, key frames with the skeleton and
the measured angles drawn on them, the findings and what the plan does about them."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from glutecoach.domain.gait.analysis import GaitAnalysis
from glutecoach.domain.gait.events import Contact, strides
from glutecoach.domain.gait.metrics import joint_angle
from glutecoach.domain.gait.pose import PoseSequence, View
from glutecoach.domain.gait.sides import hidden_leg
from glutecoach.domain.gait.summary import GaitSummary
from glutecoach.reports._templates import environment
from glutecoach.reports.gait import (
    BANDS,
    Change,
    asymmetry_text,
    centimetres_note,
    repeatability_note,
    side_notes,
    side_value,
)
from glutecoach.reports.key_frames import KeyFrame, KeyMoment, key_frames
from glutecoach.reports.plots import new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CYCLE_POINTS = 101  # 0-100 % of a stride


def _knee_flexion(pose: PoseSequence, side: str) -> NDArray[np.float64]:
    hip, knee, ankle = (pose.joint(f"{side}_{j}") for j in ("hip", "knee", "ankle"))
    out = np.full(pose.frames, np.nan)
    for f in range(pose.frames):
        if np.isfinite(hip[f]).all() and np.isfinite(knee[f]).all() and np.isfinite(ankle[f]).all():
            out[f] = 180 - joint_angle(hip[f], knee[f], ankle[f])
    return out


def _pelvic_tilt(pose: PoseSequence, side: str) -> NDArray[np.float64]:
    """The other hip's height below this one's, as an angle (+ = the other side dropped)."""
    me, other = (
        pose.joint(f"{side}_hip"),
        pose.joint(f"{'right' if side == 'left' else 'left'}_hip"),
    )
    across = other - me
    return np.asarray(np.degrees(np.arctan2(across[:, 1], np.abs(across[:, 0]))), dtype=np.float64)


def cycles(
    pose: PoseSequence, series: NDArray[np.float64], pairs: list[tuple[Contact, Contact]]
) -> NDArray[np.float64]:
    """(strides, 101): the series from each foot strike to the same foot's next, resampled."""
    rows = []
    grid = np.linspace(0, 1, CYCLE_POINTS)
    for a, b in pairs:
        frames = np.arange(a.strike_frame, b.strike_frame + 1)
        values = series[frames]
        if len(frames) < 4 or not np.isfinite(values).all():
            continue
        share = (pose.times_s[frames] - pose.times_s[frames[0]]) / (
            pose.times_s[frames[-1]] - pose.times_s[frames[0]]
        )
        rows.append(np.interp(grid, share, values))
    return np.array(rows) if rows else np.empty((0, CYCLE_POINTS))


def cycle_plot(analysis: GaitAnalysis) -> str | None:
    """An inline SVG: the knee (side view) or the pelvis (rear view) over the stride."""
    pose = analysis.pose
    contacts = list(analysis.contacts)
    measure, title, unit = (
        (_knee_flexion, "Knee flexion over the stride", "degrees of flexion")
        if analysis.view == View.side
        else (_pelvic_tilt, "Pelvis over the stride (+ = other side lower)", "degrees")
    )
    if analysis.view is View.combined:
        return None  # one clip's pose would stand for all: each clip's own report has its curves
    hidden = hidden_leg(pose, analysis.view)
    figure = new_figure(6.0, 3.2)
    axes: Axes = figure.subplots()
    drawn = False
    for side, colour in (("left", "#e74c3c"), ("right", "#3498db")):
        if side == hidden:  # guessed behind the near leg: its curve would mislead
            continue
        rows = cycles(pose, measure(pose, side), strides(contacts, side))
        if len(rows) < 2:
            continue
        grid = np.linspace(0, 100, CYCLE_POINTS)
        mean, sd = rows.mean(axis=0), rows.std(axis=0)
        axes.plot(grid, mean, color=colour, label=f"{side} (n = {len(rows)} strides)")
        axes.fill_between(grid, mean - sd, mean + sd, color=colour, alpha=0.2)
        drawn = True
    if not drawn:
        return None
    axes.set_xlabel("% of the stride, from foot strike")
    axes.set_ylabel(unit)
    axes.set_title(title)
    axes.legend(fontsize=8)
    out = io.StringIO()
    figure.savefig(out, format="svg")
    svg = out.getvalue()
    return svg[svg.index("<svg") :]


def gait_html(
    summary: GaitSummary,
    analysis: GaitAnalysis,
    *,
    frames: Sequence[tuple[KeyMoment, NDArray[np.uint8] | None]] = (),
    drawn: Sequence[KeyFrame] = (),
    comparison: list[Change] | None = None,
    previous: GaitSummary | None = None,
    plan_note: str | None = None,
) -> str:
    template = environment().get_template("gait.html.j2")
    return template.render(
        s=summary,
        bands=BANDS,
        side_value=side_value,
        asymmetry_text=asymmetry_text,
        side_notes=side_notes(summary),
        cycle_svg=cycle_plot(analysis),
        key_frames=[*key_frames(analysis, frames), *drawn],
        comparison=comparison or [],
        cm_note=centimetres_note(summary) if summary.height_cm is not None else None,
        error_note=repeatability_note() if comparison else None,
        previous=previous,
        plan_note=plan_note,
    )
