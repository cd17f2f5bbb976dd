"""One analysis from several clips of the same run: each clip's view found (the runner's left
side, right side, from behind, from the front), each side's figures taken from the clip that
sees that side, so left and right can be compared where one clip alone could not.

- The sagittal angles of a leg (knee, hip, shank, overstride) come from the side clip nearer
  that leg: the left leg from the left side's clip, the right from the right side's.
- The frontal figures (pelvic drop, knee angle, lateral lean, step width) and the timing come
  from a clip from behind or in front, which sees both feet alike; without one, each foot's
  contact time comes from the side clip it is nearer, and a step's or a flight's, which both
  feet bound, claims no left/right difference.
- Trunk lean and the hips' bounce belong to no leg: both side clips' steps are pooled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np

from glutecoach.domain.gait.analysis import GaitAnalysis, GaitError
from glutecoach.domain.gait.metrics import facing
from glutecoach.domain.gait.per_step import Metric, SideQuality
from glutecoach.domain.gait.pose import View
from glutecoach.domain.gait.sides import SAGITTAL_LEG, TIMING, hidden_leg

FRONTAL = frozenset(
    {"pelvic_drop", "knee_fppa", "lateral_trunk_lean", "step_width", "step_width_cm"}
)
TWO_FEET = frozenset({"step_time", "flight_time"})  # each value bounded by both feet's events


class ClipView(StrEnum):
    left_side = "left side"
    right_side = "right side"
    rear = "rear"
    front = "front"

    @property
    def near(self) -> str | None:
        """The leg this view sees best; None for the views that see both alike."""
        return {ClipView.left_side: "left", ClipView.right_side: "right"}.get(self)


@dataclass(frozen=True)
class Clip:
    source: str  # the file's name
    view: ClipView
    analysis: GaitAnalysis


def clip_view(analysis: GaitAnalysis) -> ClipView:
    """From behind the runner's left hip is on the picture's left, from the front on its right.
    From the side, the leg seen clearly better is the near one; with both seen alike (a 3D
    tool, motion capture), a runner facing the picture's left shows their left side."""
    pose = analysis.pose
    if analysis.view is View.rear:
        gap = np.nanmedian(pose.joint("right_hip")[:, 0] - pose.joint("left_hip")[:, 0])
        return ClipView.rear if not np.isfinite(gap) or gap >= 0 else ClipView.front
    hidden = hidden_leg(pose, View.side)
    if hidden is not None:
        return ClipView.left_side if hidden == "right" else ClipView.right_side
    return ClipView.left_side if facing(pose) < 0 else ClipView.right_side


def combine(clips: Sequence[Clip]) -> GaitAnalysis:
    """One analysis of the clips; GaitError when two show the same view (each side would be
    measured twice, and which to trust is not ours to guess) or fewer than two are given."""
    if len(clips) < 2:
        raise GaitError("give at least two clips to combine: a left, a right and a rear one")
    views = [c.view for c in clips]
    twice = sorted({v.value for v in views if views.count(v) > 1})
    if twice:
        raise GaitError(
            f"two clips show the {twice[0]} view: give one clip per view (left side, right "
            "side, from behind)"
        )
    first = clips[0].analysis
    keys = list(dict.fromkeys(m.key for c in clips for m in c.analysis.metrics))
    merged = [m for m in (_merged(key, clips) for key in keys) if m is not None]
    return replace(
        first,
        view=View.combined,
        duration_s=sum(c.analysis.duration_s for c in clips),
        frames=sum(c.analysis.frames for c in clips),
        found_share=min(c.analysis.found_share for c in clips),
        swaps_fixed=sum(c.analysis.swaps_fixed for c in clips),
        cadence_spm=round(float(np.median([c.analysis.cadence_spm for c in clips])), 1),
        steps=sum(c.analysis.steps for c in clips),
        strides={side: sum(c.analysis.strides[side] for c in clips) for side in ("left", "right")},
        metrics=tuple(merged),
        warnings=_warnings(clips),
        confidence=round(min(c.analysis.confidence for c in clips), 2),
        scale=next((c.analysis.scale for c in clips if c.analysis.scale), None),
    )


def _merged(key: str, clips: Sequence[Clip]) -> Metric | None:
    """The metric with each side from the clip that sees it (None when no clip has it)."""
    having = [(c, m) for c in clips if (m := c.analysis.metric(key)) is not None]
    if not having:
        return None
    frontal = [(c, m) for c, m in having if c.view.near is None]
    if key in FRONTAL or (key in TIMING and frontal):
        return _pooled(frontal or having)
    if key in SAGITTAL_LEG or key in TIMING:
        per_side = {near: (c, m) for c, m in having if (near := c.view.near) is not None}
        return _by_side(key, per_side, having[0][1])
    return _pooled(having)


def _pooled(having: Sequence[tuple[Clip, Metric]]) -> Metric:
    """The steps of every clip given, both sides each (the first clip's quality per side)."""
    base = having[0][1]
    values = tuple(v for _, m in having for v in m.values)
    return replace(base, values=values)


def _by_side(key: str, per_side: dict[str, tuple[Clip, Metric]], base: Metric) -> Metric:
    values = []
    quality: dict[str, SideQuality] = {}
    for side in ("left", "right"):
        found = per_side.get(side)
        if found is None:
            if side in base.quality:
                quality[side] = replace(
                    base.quality[side],
                    measured=False,
                    reason=f"not measured: no clip from the runner's {side} side",
                )
            continue
        _, metric = found
        values += [v for v in metric.values if v.side == side]
        if side in metric.quality:
            quality[side] = metric.quality[side]
    unpaired = None
    if key in TWO_FEET:
        unpaired = (
            "a step and a flight are bounded by both feet, and each side clip sees one of them "
            "half hidden: no left/right difference is claimed (add a clip from behind)"
        )
    return replace(base, values=tuple(values), quality=quality, unpaired=unpaired)


def _warnings(clips: Sequence[Clip]) -> tuple[str, ...]:
    """Each clip's warnings, named by its view, except those another clip answers (the view
    that is still missing, the hidden leg)."""
    seen = {c.view for c in clips}
    said = []
    for c in clips:
        for warning in c.analysis.warnings:
            if warning.startswith("this is the ") and " view: film from " in warning:
                continue
            if (
                "leg was behind the other" in warning
                and {
                    ClipView.left_side,
                    ClipView.right_side,
                }
                <= seen
            ):
                continue
            said.append(f"{c.view.value} clip ({c.source}): {warning}")
    if not seen & {ClipView.rear, ClipView.front}:
        said.append("no clip from behind: pelvic drop and the knee seen from behind are missing")
    for side in (ClipView.left_side, ClipView.right_side):
        if side not in seen:
            said.append(
                f"no clip from the runner's {side.near} side: that leg's knee and hip angles "
                "are not measured"
            )
    return tuple(said)
