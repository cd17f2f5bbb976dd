"""The rear-view gait metrics, per contact: pelvic drop, knee frontal-plane projection angle,
lateral trunk lean and step width.

The camera's roll is taken as the pelvis's median tilt over the clip (it assumes the pelvis is
level on average over a stride) and the pose is turned back by it before anything is measured.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from glutecoach.domain.gait.events import Contact
from glutecoach.domain.gait.geometry import (
    angle_from_up,
    frame_centre,
    joint_angle,
    point,
    pose_at,
)
from glutecoach.domain.gait.per_step import Metric, in_cm, per_contact
from glutecoach.domain.gait.pose import PoseSequence

_OTHER_SIDE = {"left": "right", "right": "left"}
_STEP_WIDTH_LABEL = "Foot landing from the midline (− = crossover)"


def rear_view(
    pose: PoseSequence, contacts: Sequence[Contact], cm_per_px: float | None = None
) -> list[Metric]:
    """The rear-view metrics; with the picture's scale (cm per pixel), step width in cm too."""
    # Everything is measured on the levelled pose: a rolled camera tilts the pelvis and the trunk
    # and, over a leg's length, shifts the feet sideways against the hips.
    pose = level(pose, camera_roll(pose))
    found = [
        Metric(
            "pelvic_drop",
            "Contralateral pelvic drop in stance (peak)",
            "°",
            per_contact(contacts, lambda c: _pelvic_drop(pose, c)),
        ),
        Metric(
            "knee_fppa",
            "Knee frontal-plane projection angle at midstance",
            "°",
            per_contact(contacts, lambda c: _knee_fppa(pose, c)),
        ),
        Metric(
            "lateral_trunk_lean",
            "Lateral trunk lean towards the stance side",
            "°",
            per_contact(contacts, lambda c: _lateral_lean(pose, c)),
        ),
        Metric(
            "step_width",
            _STEP_WIDTH_LABEL,
            "% pelvis",
            per_contact(contacts, lambda c: _step_width(pose, c)),
        ),
    ]
    if cm_per_px is not None:
        found.append(
            in_cm(
                "step_width_cm",
                _STEP_WIDTH_LABEL,
                contacts,
                lambda c: _step_width_px(pose, c)[0],
                cm_per_px,
            )
        )
    return found


def camera_roll(pose: PoseSequence) -> float:
    """The pelvis's median tilt over the clip (degrees, + = image-right hip lower)."""
    left, right = pose.joint("left_hip"), pose.joint("right_hip")
    ordered = np.where((right[:, 0] >= left[:, 0])[:, None], right - left, left - right)
    tilt = np.degrees(np.arctan2(ordered[:, 1], ordered[:, 0]))
    median = np.nanmedian(tilt)
    return float(median) if np.isfinite(median) else 0.0


def level(pose: PoseSequence, roll_deg: float) -> PoseSequence:
    """The pose turned back by the camera's roll (about the image centre)."""
    angle = math.radians(-roll_deg)
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    centre = np.array([pose.width / 2, pose.height / 2])
    return replace(pose, xy=(pose.xy - centre) @ rotation.T + centre)


def _pelvic_drop(pose: PoseSequence, c: Contact) -> float:
    """Peak drop of the swing-side hip below the stance-side hip during the stance."""
    drops = []
    for f in range(c.strike_frame, c.toe_off_frame + 1):
        stance, swing = pose.joint(f"{c.side}_hip")[f], pose.joint(f"{_OTHER_SIDE[c.side]}_hip")[f]
        across = swing - stance
        drops.append(math.degrees(math.atan2(across[1], abs(across[0]))))
    finite = [d for d in drops if math.isfinite(d)]
    return max(finite) if finite else float("nan")


def _knee_fppa(pose: PoseSequence, c: Contact) -> float:
    """Knee frontal-plane projection angle at midstance, + = knee inside the hip–ankle line."""
    f = c.mid_frame
    hip, knee, ankle = (pose.joint(f"{c.side}_{j}")[f] for j in ("hip", "knee", "ankle"))
    bend = 180 - joint_angle(hip, knee, ankle)
    midline = frame_centre(pose, "hip", f)[0]
    line_x = hip[0] + (ankle[0] - hip[0]) * (knee[1] - hip[1]) / max(ankle[1] - hip[1], 1e-9)
    inward = (knee[0] - line_x) * (1 if midline > hip[0] else -1)
    return bend if inward >= 0 else -bend


def _lateral_lean(pose: PoseSequence, c: Contact) -> float:
    f = c.mid_frame
    trunk = frame_centre(pose, "shoulder", f) - frame_centre(pose, "hip", f)
    towards = 1 if pose.joint(f"{c.side}_hip")[f][0] > frame_centre(pose, "hip", f)[0] else -1
    return angle_from_up(trunk, towards)


def _step_width(pose: PoseSequence, c: Contact) -> float:
    out, pelvis = _step_width_px(pose, c)
    return out / pelvis * 100 if pelvis else float("nan")


def _step_width_px(pose: PoseSequence, c: Contact) -> tuple[float, float]:
    """The ankle's distance out from the midline and the pelvis's width, pixels."""
    now = pose_at(pose, c.strike_s)
    left, right = point(now, "left_hip")[0], point(now, "right_hip")[0]
    midline = (left + right) / 2
    outward = 1 if point(now, f"{c.side}_hip")[0] > midline else -1
    ankle = point(now, f"{c.side}_ankle")[0]
    return float((ankle - midline) * outward), float(abs(left - right))
