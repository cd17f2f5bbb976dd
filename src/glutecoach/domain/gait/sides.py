"""Which leg each metric was measured on, and how well: from one side view the far leg is half
hidden behind the near one, and the estimator guesses it (on the shared side clip its knee
peaks near 48° against the near knee's 78°). Its sagittal angles are then "not measured from
this view", and the report says which clip would measure them.

The far leg is the one whose knee and ankle the estimator saw clearly less well than the other's
(`OCCLUDED_GAP` in mean visibility). A pose whose legs are seen alike (motion capture, a 3D tool,
a runner filmed square from behind) has no far leg: both sides count.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from glutecoach.domain.gait.accuracy import error_of
from glutecoach.domain.gait.events import Contact
from glutecoach.domain.gait.per_step import MIN_SIDE_CONFIDENCE, Metric, SideQuality
from glutecoach.domain.gait.pose import INDEX, SIDES, PoseSequence, View

OCCLUDED_GAP = 0.1  # visibility the far leg's knee and ankle lose against the near leg's
LEG_JOINTS = ("knee", "ankle", "heel", "foot_index")
# Angles of one leg in the sagittal plane: what a hidden leg cannot give
SAGITTAL_LEG = frozenset(
    {
        "overstride",
        "overstride_cm",
        "shank_angle",
        "knee_flexion_strike",
        "knee_flexion_midstance",
        "hip_extension_toe_off",
    }
)
# Timed from both feet's events: a hidden foot's strikes are timed less surely
TIMING = frozenset({"step_time", "contact_time", "flight_time"})


def leg_confidence(pose: PoseSequence, contacts: list[Contact], side: str) -> float:
    """The mean visibility of a leg's joints over its own contacts (or the clip, without any)."""
    idx = [INDEX[f"{side}_{joint}"] for joint in LEG_JOINTS]
    frames = [
        f for c in contacts if c.side == side for f in range(c.strike_frame, c.toe_off_frame + 1)
    ]
    seen = pose.visibility[frames] if frames else pose.visibility
    return float(np.mean(seen[:, idx])) if len(seen) else 0.0


def hidden_leg(pose: PoseSequence, view: View) -> str | None:
    """The leg the side view sees behind the other, or None when both are seen alike."""
    if view is not View.side:
        return None
    seen = {
        side: float(np.mean(pose.visibility[:, [INDEX[f"{side}_knee"], INDEX[f"{side}_ankle"]]]))
        for side in SIDES
    }
    left, right = seen["left"], seen["right"]
    if abs(left - right) < OCCLUDED_GAP:
        return None
    return "right" if left > right else "left"


def qualified(
    found: list[Metric], pose: PoseSequence, contacts: list[Contact], view: View
) -> list[Metric]:
    """The metrics with their measured error and, per side, what was seen of it: a hidden leg's
    sagittal angles dropped and said so, a poorly seen side kept but marked."""
    hidden = hidden_leg(pose, view)
    confidence = {side: round(leg_confidence(pose, contacts, side), 2) for side in SIDES}
    out = []
    for metric in found:
        quality = {side: _quality(metric.key, side, confidence[side], hidden) for side in SIDES}
        values = tuple(v for v in metric.values if quality[v.side].measured)
        unpaired = None
        if hidden is not None and metric.key in TIMING:
            unpaired = (
                f"the {hidden} foot is half hidden from this view, so its strikes are timed less "
                "surely: no left/right difference is claimed (film from behind, or both sides)"
            )
        out.append(
            replace(
                metric,
                values=values,
                error=error_of(metric.key),
                quality=quality,
                unpaired=unpaired,
            )
        )
    return out


def _quality(key: str, side: str, confidence: float, hidden: str | None) -> SideQuality:
    if key in SAGITTAL_LEG and side == hidden:
        return SideQuality(
            confidence,
            measured=False,
            reason=f"not measured from this view: the {side} leg is behind the other; film "
            f"the runner's {side} side to measure it",
        )
    if confidence < MIN_SIDE_CONFIDENCE:
        return SideQuality(
            confidence,
            reason=f"the {side} leg was seen poorly (confidence {confidence:.2f}): not used",
        )
    return SideQuality(confidence)
