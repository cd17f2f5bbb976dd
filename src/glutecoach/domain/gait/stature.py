"""From pixels to centimetres with the runner's height: how tall the runner stands in the picture.

The body's height in pixels is measured, not inferred from a population's proportions (no
anthropometric ratio in EVIDENCE.md has a source): the sum, up the stance side, of the ankle's
height above the sole, the shank, the thigh, the trunk (pelvis centre to shoulder centre) and the
rise from the shoulders to the nose, each taken as a robust statistic over the clip. The pose has
no point on top of the head, so the nose stands `HEAD_TOP_ALLOWANCE_CM` below the runner's height:
a CONVENTION, not a measurement or a published figure. Every centimetre that allowance is off
moves the figures by about 0.6 % for a 170 cm runner, so centimetres are labelled estimates.

Segments, not the runner's upright extent: a running pose is never upright (the knee is bent in
stance, the trunk leans), but a bone keeps its length. From the side the legs and trunk move in
the picture's plane and their lengths hold still: the median over the frames. From behind they
swing towards and away from the camera and look their true length only when upright: the 90th
percentile (the frames where they are, less the outliers).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from glutecoach.domain.errors import InvalidInput
from glutecoach.domain.gait.events import Contact
from glutecoach.domain.gait.pose import INDEX, PoseSequence, View

MIN_HEIGHT_CM = 100.0
MAX_HEIGHT_CM = 230.0
# The nose's tip to the top of the head, cm: a convention (no source), the same for everyone.
HEAD_TOP_ALLOWANCE_CM = 12.0
REAR_PERCENTILE = 90.0  # segment lengths from behind: see the module's docstring


@dataclass(frozen=True)
class Scale:
    height_cm: float  # as the runner gave it
    body_px: float  # the runner's height in the picture (pixels), head-top allowance included

    @property
    def cm_per_px(self) -> float:
        return self.height_cm / self.body_px


def check_height(height_cm: float | None) -> float | None:
    """The runner's height as given (None: not given); InvalidInput outside 100-230 cm."""
    if height_cm is None:
        return None
    if not MIN_HEIGHT_CM <= height_cm <= MAX_HEIGHT_CM:  # NaN fails this too
        raise InvalidInput(
            f"the runner's height must be between {MIN_HEIGHT_CM:.0f} and {MAX_HEIGHT_CM:.0f} cm "
            f"(got {height_cm:g}): give it in centimetres, e.g. 172"
        )
    return float(height_cm)


def _lengths(pose: PoseSequence, a: str, b: str) -> NDArray[np.float64]:
    return np.asarray(np.linalg.norm(pose.joint(a) - pose.joint(b), axis=1), dtype=np.float64)


def _centre(pose: PoseSequence, joint: str) -> NDArray[np.float64]:
    return (pose.joint(f"left_{joint}") + pose.joint(f"right_{joint}")) / 2


def _typical(values: NDArray[np.float64], view: View) -> float:
    found = values[np.isfinite(values)]
    if not len(found):
        return math.nan
    if view == View.rear:
        return float(np.percentile(found, REAR_PERCENTILE))
    return float(np.median(found))


def _better_side(pose: PoseSequence) -> str:
    """The leg the estimator saw better (from the side, the one nearer the camera)."""
    seen = {
        side: float(
            np.nanmedian(
                pose.visibility[:, [INDEX[f"{side}_{j}"] for j in ("hip", "knee", "ankle")]]
            )
        )
        for side in ("left", "right")
    }
    return max(seen, key=lambda side: seen[side])


def nose_height_px(pose: PoseSequence, contacts: Sequence[Contact], view: View) -> float:
    """Sole to nose, standing (pixels): ankle height + shank + thigh + trunk + shoulders to nose;
    NaN when a part was never seen."""
    side = _better_side(pose)
    mid = [c.mid_frame for c in contacts if c.side == side] or [c.mid_frame for c in contacts]
    heel_below = pose.joint(f"{side}_heel")[mid, 1] - pose.joint(f"{side}_ankle")[mid, 1]
    ankle = float(np.nanmedian(heel_below)) if np.isfinite(heel_below).any() else math.nan
    shank = _typical(_lengths(pose, f"{side}_knee", f"{side}_ankle"), view)
    thigh = _typical(_lengths(pose, f"{side}_hip", f"{side}_knee"), view)
    trunk_vector = _centre(pose, "shoulder") - _centre(pose, "hip")
    trunk = _typical(np.asarray(np.linalg.norm(trunk_vector, axis=1), dtype=np.float64), view)
    rise = _centre(pose, "shoulder")[:, 1] - pose.joint("nose")[:, 1]
    head = float(np.nanmedian(rise)) if np.isfinite(rise).any() else math.nan
    return max(ankle, 0.0) + shank + thigh + trunk + head


def scale(
    pose: PoseSequence, contacts: Sequence[Contact], view: View, height_cm: float
) -> Scale | None:
    """The picture's scale from the runner's height; None when the body could not be measured."""
    nose = nose_height_px(pose, contacts, view)
    if not math.isfinite(nose) or nose <= 0:
        return None
    return Scale(height_cm, nose * height_cm / (height_cm - HEAD_TOP_ALLOWANCE_CM))
