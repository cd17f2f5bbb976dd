"""Gait metrics per step and per side, summarised as median, spread and left/right asymmetry,
each with the number of steps it rests on. The timing, the cadence and the side-view metrics are
here; the rear-view ones (rear_metrics), the per-step values (per_step) and the image geometry
(geometry) have their own modules, their public names importable from here too.

Angles are 2D, in the image plane, in degrees. Side view: the runner's forward direction is read
from the feet (toes ahead of heels). Rear view: the camera's roll is taken as the pelvis's median
tilt over the clip (it assumes the pelvis is level on average over a stride) and the pose is turned
back by it before anything is measured.

Events fall between frames, and at 30 fps a stance foot moves about a tenth of the leg length from
one frame to the next: what is read at foot strike, midstance or toe-off is read at that instant,
the pose interpolated between the two frames around it, not at the nearest frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from glutecoach.domain.gait.events import Contact
from glutecoach.domain.gait.geometry import Point as Point
from glutecoach.domain.gait.geometry import (
    angle_from_down,
    angle_from_up,
    centre,
    frame_centre,
    point,
)
from glutecoach.domain.gait.geometry import joint_angle as joint_angle
from glutecoach.domain.gait.geometry import pose_at as pose_at
from glutecoach.domain.gait.per_step import Metric as Metric
from glutecoach.domain.gait.per_step import StepValue as StepValue
from glutecoach.domain.gait.per_step import in_cm as in_cm
from glutecoach.domain.gait.per_step import per_contact
from glutecoach.domain.gait.pose import PoseSequence, View
from glutecoach.domain.gait.rear_metrics import camera_roll as camera_roll
from glutecoach.domain.gait.rear_metrics import level as level
from glutecoach.domain.gait.rear_metrics import rear_view as rear_view

_OVERSTRIDE_LABEL = "Heel ahead of the hip at foot strike"
_BOUNCE_LABEL = "Vertical oscillation of the hips"


def leg_length(pose: PoseSequence) -> float:
    """Median hip–knee + knee–ankle length over the clip, of the better-seen leg (pixels)."""
    lengths = []
    for side in ("left", "right"):
        hip, knee, ankle = (pose.joint(f"{side}_{j}") for j in ("hip", "knee", "ankle"))
        total = np.linalg.norm(hip - knee, axis=1) + np.linalg.norm(knee - ankle, axis=1)
        lengths.append(np.nanmedian(total))
    usable = [v for v in lengths if np.isfinite(v)]
    return float(max(usable)) if usable else float("nan")


def facing(pose: PoseSequence) -> float:
    """+1 when the runner faces image-right, −1 when image-left (toes ahead of heels)."""
    d = []
    for side in ("left", "right"):
        d.append(pose.joint(f"{side}_foot_index")[:, 0] - pose.joint(f"{side}_heel")[:, 0])
    median = np.nanmedian(np.concatenate(d))
    return 1.0 if not np.isfinite(median) or median >= 0 else -1.0


def timing(contacts: Sequence[Contact], steps: Sequence[tuple[Contact, Contact]]) -> list[Metric]:
    step_time = tuple(
        StepValue(b.side, b.strike_s, round((b.strike_s - a.strike_s) * 1000, 1)) for a, b in steps
    )
    flight = tuple(
        StepValue(b.side, b.strike_s, round((b.strike_s - a.toe_off_s) * 1000, 1)) for a, b in steps
    )
    contact = tuple(StepValue(c.side, c.strike_s, round(c.duration_s * 1000, 1)) for c in contacts)
    return [
        Metric("step_time", "Step time", "ms", step_time),
        Metric("contact_time", "Ground contact time", "ms", contact),
        Metric("flight_time", "Flight time", "ms", flight),
    ]


def cadence(steps: Sequence[tuple[Contact, Contact]]) -> float | None:
    """Steps per minute from a robust (Theil-Sen) line through strike time against step number
    (each foot's band-entry time, `Contact.timed_s`).
    Each interval counts as the whole number of usual steps it spans, so a missed step leaves a
    gap instead of a long step; the median of pairwise slopes shrugs off a mistimed strike; and
    frame rounding averages out over the clip."""
    if len(steps) < 2:
        return None
    strikes = sorted({id(c): c for pair in steps for c in pair}.values(), key=lambda c: c.timed_s)
    times = np.array([c.timed_s for c in strikes])
    usual = float(np.median([b.timed_s - a.timed_s for a, b in steps]))
    spans = np.maximum(1, np.round(np.diff(times) / usual))
    numbers = np.concatenate(([0.0], np.cumsum(spans)))
    if len(numbers) < 3:
        return None
    from scipy.stats import theilslopes  # type: ignore[import-untyped]  # 0.5 s to import

    slope = float(theilslopes(times, numbers)[0])
    return 60.0 / slope if slope > 0 else None


def _midstance(pose: PoseSequence, c: Contact) -> float:
    """The instant in the contact when the hip passes over the stance ankle, interpolated between
    frames; when they never cross, the frame where they are closest."""
    frames = np.arange(c.strike_frame, c.toe_off_frame + 1)
    hips = (pose.joint("left_hip")[frames, 0] + pose.joint("right_hip")[frames, 0]) / 2
    gap = hips - pose.joint(f"{c.side}_ankle")[frames, 0]
    times = pose.times_s
    crossing = np.flatnonzero(gap[:-1] * gap[1:] < 0)  # False where a side is NaN
    if len(crossing):
        i = int(crossing[0])
        share = gap[i] / (gap[i] - gap[i + 1])
        return float(times[frames[i]] + share * (times[frames[i + 1]] - times[frames[i]]))
    if not np.isfinite(gap).any():
        return float(times[c.mid_frame])
    return float(times[frames[int(np.nanargmin(np.abs(gap)))]])


def midstance_frame(pose: PoseSequence, c: Contact, view: View) -> int:
    """The frame nearest the instant the view's midstance metrics are read: side view, the hip
    over the stance ankle; rear view, the contact's middle frame."""
    if view is View.side:
        return int(np.argmin(np.abs(pose.times_s - _midstance(pose, c))))
    return c.mid_frame


def side_view(
    pose: PoseSequence, contacts: Sequence[Contact], cm_per_px: float | None = None
) -> list[Metric]:
    """The side-view metrics; with the picture's scale (cm per pixel), overstride and vertical
    oscillation in centimetres too."""
    forward = facing(pose)
    leg = leg_length(pose)
    in_cm_too = [] if cm_per_px is None else _side_in_cm(pose, contacts, forward, cm_per_px)
    return [
        _overstride(pose, contacts, forward, leg),
        *_side_angles(pose, contacts, forward),
        _vertical_oscillation(pose, contacts, leg),
        *in_cm_too,
    ]


def _overstride(
    pose: PoseSequence, contacts: Sequence[Contact], forward: float, leg: float
) -> Metric:
    def overstride(c: Contact) -> float:
        return _overstride_px(pose, forward, c) / leg * 100

    return Metric("overstride", _OVERSTRIDE_LABEL, "% leg", per_contact(contacts, overstride))


def _side_angles(pose: PoseSequence, contacts: Sequence[Contact], forward: float) -> list[Metric]:
    return [
        Metric(
            "shank_angle",
            "Shank angle at foot strike (+ = foot ahead of knee)",
            "°",
            per_contact(contacts, lambda c: _shank_angle(pose, forward, c)),
        ),
        Metric(
            "knee_flexion_strike",
            "Knee flexion at foot strike",
            "°",
            per_contact(contacts, lambda c: _knee_flexion(_at_strike(pose, c), c.side)),
        ),
        Metric(
            "knee_flexion_midstance",
            "Knee flexion at midstance",
            "°",
            per_contact(contacts, lambda c: _knee_flexion(_at_midstance(pose, c), c.side)),
        ),
        Metric(
            "hip_extension_toe_off",
            "Hip extension at toe-off",
            "°",
            per_contact(contacts, lambda c: _hip_extension(pose, forward, c)),
        ),
        Metric(
            "trunk_lean",
            "Forward trunk lean at midstance",
            "°",
            per_contact(contacts, lambda c: _trunk_lean(pose, forward, c)),
        ),
    ]


def _vertical_oscillation(pose: PoseSequence, contacts: Sequence[Contact], leg: float) -> Metric:
    def bounce(c: Contact) -> float | None:
        px = _hip_bounce_px(pose, contacts, c)
        return None if px is None else px / leg * 100

    return Metric("vertical_oscillation", _BOUNCE_LABEL, "% leg", per_contact(contacts, bounce))


def _side_in_cm(
    pose: PoseSequence, contacts: Sequence[Contact], forward: float, cm_per_px: float
) -> list[Metric]:
    return [
        in_cm(
            "overstride_cm",
            _OVERSTRIDE_LABEL,
            contacts,
            lambda c: _overstride_px(pose, forward, c),
            cm_per_px,
        ),
        in_cm(
            "vertical_oscillation_cm",
            _BOUNCE_LABEL,
            contacts,
            lambda c: _hip_bounce_px(pose, contacts, c),
            cm_per_px,
        ),
    ]


def _at_strike(pose: PoseSequence, c: Contact) -> NDArray[np.float64]:
    return pose_at(pose, c.strike_s)


def _at_midstance(pose: PoseSequence, c: Contact) -> NDArray[np.float64]:
    return pose_at(pose, _midstance(pose, c))


def _overstride_px(pose: PoseSequence, forward: float, c: Contact) -> float:
    now = _at_strike(pose, c)
    heel = point(now, f"{c.side}_heel")
    return float((heel[0] - centre(now, "hip")[0]) * forward)


def _shank_angle(pose: PoseSequence, forward: float, c: Contact) -> float:
    now = _at_strike(pose, c)
    return angle_from_down(point(now, f"{c.side}_ankle") - point(now, f"{c.side}_knee"), forward)


def _knee_flexion(now: NDArray[np.float64], side: str) -> float:
    hip, knee, ankle = (point(now, f"{side}_{j}") for j in ("hip", "knee", "ankle"))
    return 180 - joint_angle(hip, knee, ankle)


def _hip_extension(pose: PoseSequence, forward: float, c: Contact) -> float:
    now = pose_at(pose, c.toe_off_s)
    return angle_from_down(point(now, f"{c.side}_knee") - point(now, f"{c.side}_hip"), -forward)


def _trunk_lean(pose: PoseSequence, forward: float, c: Contact) -> float:
    now = _at_midstance(pose, c)
    return angle_from_up(centre(now, "shoulder") - centre(now, "hip"), forward)


def _hip_bounce_px(pose: PoseSequence, contacts: Sequence[Contact], c: Contact) -> float | None:
    """The hips' rise and fall from this strike to the next one (pixels)."""
    later = [d for d in contacts if d.strike_s > c.strike_s]
    if not later:
        return None
    stop = later[0].strike_frame
    ys = [(frame_centre(pose, "hip", f))[1] for f in range(c.strike_frame, stop + 1)]
    return float(np.nanmax(ys) - np.nanmin(ys))
