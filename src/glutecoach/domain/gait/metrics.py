"""Gait metrics per step and per side, summarised as median, spread and left/right asymmetry,
each with the number of steps it rests on.

Angles are 2D, in the image plane, in degrees. Side view: the runner's forward direction is read
from the feet (toes ahead of heels). Rear view: the camera's roll is taken as the pelvis's median
tilt over the clip (it assumes the pelvis is level on average over a stride) and the pose is turned
back by it before anything is measured.

Events fall between frames, and at 30 fps a stance foot moves about a tenth of the leg length from
one frame to the next: what is read at foot strike, midstance or toe-off is read at that instant,
the pose interpolated between the two frames around it, not at the nearest frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from glutecoach.domain.gait.events import Contact
from glutecoach.domain.gait.pose import INDEX, PoseSequence, View

Point = NDArray[np.float64]


@dataclass(frozen=True)
class StepValue:
    side: str
    time_s: float
    value: float


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    values: tuple[StepValue, ...]  # per step (or per contact), both sides

    @property
    def steps(self) -> int:
        return len(self.values)

    def _of(self, side: str | None = None) -> NDArray[np.float64]:
        return np.array([v.value for v in self.values if side is None or v.side == side])

    @property
    def median(self) -> float | None:
        found = self._of()
        return float(np.median(found)) if len(found) else None

    @property
    def spread(self) -> float | None:
        """The interquartile range: how much the steps differ from each other."""
        found = self._of()
        if len(found) < 2:
            return None
        q1, q3 = np.percentile(found, [25, 75])
        return float(q3 - q1)

    def side_median(self, side: str) -> float | None:
        found = self._of(side)
        return float(np.median(found)) if len(found) else None

    @property
    def asymmetry(self) -> float | None:
        """Left minus right: in percent of their mean for times, in the metric's own unit for
        angles and distances (a percentage of a small signed angle means nothing)."""
        left, right = self.side_median("left"), self.side_median("right")
        if left is None or right is None:
            return None
        if self.unit != "ms":
            return round(left - right, 2)
        mean = (left + right) / 2
        return round((left - right) / mean * 100, 1) if mean else None

    @property
    def asymmetry_unit(self) -> str:
        return "%" if self.unit == "ms" else self.unit


def _angle(vector: Point, forward: float = 1.0) -> float:
    """The angle of an image vector from straight down, positive towards `forward` (degrees)."""
    return math.degrees(math.atan2(vector[0] * forward, vector[1]))


def _from_up(vector: Point, towards: float = 1.0) -> float:
    """The angle of an image vector from straight up, positive towards `towards` (degrees)."""
    return math.degrees(math.atan2(vector[0] * towards, -vector[1]))


def joint_angle(a: Point, b: Point, c: Point) -> float:
    """The angle at b between b→a and b→c, 0-180 degrees."""
    u, v = a - b, c - b
    cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def _mid(pose: PoseSequence, joint: str, frame: int) -> Point:
    both = pose.joint(f"left_{joint}")[frame] + pose.joint(f"right_{joint}")[frame]
    return np.asarray(both / 2, dtype=np.float64)


def pose_at(pose: PoseSequence, time_s: float) -> NDArray[np.float64]:
    """(J, 2) every joint at any instant of the clip, linearly interpolated between frames."""
    times = pose.times_s
    after = int(np.clip(np.searchsorted(times, time_s), 1, pose.frames - 1))
    share = (time_s - times[after - 1]) / (times[after] - times[after - 1])
    before, later = pose.xy[after - 1], pose.xy[after]
    return np.asarray(before + share * (later - before), dtype=np.float64)


def _joint(snapshot: NDArray[np.float64], name: str) -> Point:
    return np.asarray(snapshot[INDEX[name]], dtype=np.float64)


def _centre(snapshot: NDArray[np.float64], joint: str) -> Point:
    """The midpoint of the left and right joint (hips: the pelvis; shoulders: the trunk's top)."""
    return (_joint(snapshot, f"left_{joint}") + _joint(snapshot, f"right_{joint}")) / 2


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


def _per_contact(
    contacts: Sequence[Contact], measure: Callable[[Contact], float | None]
) -> tuple[StepValue, ...]:
    out = []
    for c in contacts:
        value = measure(c)
        if value is not None and math.isfinite(value):
            out.append(StepValue(c.side, c.strike_s, round(value, 2)))
    return tuple(out)


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
    """Steps per minute from a robust (Theil-Sen) line through strike time against step number.
    Each interval counts as the whole number of usual steps it spans, so a missed step leaves a
    gap instead of a long step; the median of pairwise slopes shrugs off a mistimed strike; and
    frame rounding averages out over the clip."""
    if len(steps) < 2:
        return None
    strikes = sorted({id(c): c for pair in steps for c in pair}.values(), key=lambda c: c.strike_s)
    times = np.array([c.strike_s for c in strikes])
    usual = float(np.median([b.strike_s - a.strike_s for a, b in steps]))
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


def in_cm(
    key: str,
    label: str,
    contacts: Sequence[Contact],
    px: Callable[[Contact], float | None],
    cm_per_px: float,
) -> Metric:
    """A distance per contact in centimetres, an estimate from the runner's height."""

    def measure(c: Contact) -> float | None:
        found = px(c)
        return None if found is None else found * cm_per_px

    return Metric(key, f"{label} (est. from height)", "cm", _per_contact(contacts, measure))


def side_view(
    pose: PoseSequence, contacts: Sequence[Contact], cm_per_px: float | None = None
) -> list[Metric]:
    """The side-view metrics; with the picture's scale (cm per pixel), overstride and vertical
    oscillation in centimetres too."""
    forward = facing(pose)
    leg = leg_length(pose)

    def strike(c: Contact) -> NDArray[np.float64]:
        return pose_at(pose, c.strike_s)

    def midstance(c: Contact) -> NDArray[np.float64]:
        return pose_at(pose, _midstance(pose, c))

    def overstride_px(c: Contact) -> float:
        now = strike(c)
        heel = _joint(now, f"{c.side}_heel")
        return float((heel[0] - _centre(now, "hip")[0]) * forward)

    def overstride(c: Contact) -> float:
        return overstride_px(c) / leg * 100

    def shank(c: Contact) -> float:
        now = strike(c)
        return _angle(_joint(now, f"{c.side}_ankle") - _joint(now, f"{c.side}_knee"), forward)

    def knee_flexion(
        instant: Callable[[Contact], NDArray[np.float64]],
    ) -> Callable[[Contact], float]:
        def measure(c: Contact) -> float:
            now = instant(c)
            hip, knee, ankle = (_joint(now, f"{c.side}_{j}") for j in ("hip", "knee", "ankle"))
            return 180 - joint_angle(hip, knee, ankle)

        return measure

    def hip_extension(c: Contact) -> float:
        now = pose_at(pose, c.toe_off_s)
        return _angle(_joint(now, f"{c.side}_knee") - _joint(now, f"{c.side}_hip"), -forward)

    def trunk(c: Contact) -> float:
        now = midstance(c)
        return _from_up(_centre(now, "shoulder") - _centre(now, "hip"), forward)

    def bounce_px(c: Contact) -> float | None:
        later = [d for d in contacts if d.strike_s > c.strike_s]
        if not later:
            return None
        stop = later[0].strike_frame
        ys = [(_mid(pose, "hip", f))[1] for f in range(c.strike_frame, stop + 1)]
        return float(np.nanmax(ys) - np.nanmin(ys))

    def bounce(c: Contact) -> float | None:
        px = bounce_px(c)
        return None if px is None else px / leg * 100

    in_cm_too = []
    if cm_per_px is not None:
        in_cm_too = [
            in_cm(
                "overstride_cm",
                "Heel ahead of the hip at foot strike",
                contacts,
                overstride_px,
                cm_per_px,
            ),
            in_cm(
                "vertical_oscillation_cm",
                "Vertical oscillation of the hips",
                contacts,
                bounce_px,
                cm_per_px,
            ),
        ]
    return [
        Metric(
            "overstride",
            "Heel ahead of the hip at foot strike",
            "% leg",
            _per_contact(contacts, overstride),
        ),
        Metric(
            "shank_angle",
            "Shank angle at foot strike (+ = foot ahead of knee)",
            "°",
            _per_contact(contacts, shank),
        ),
        Metric(
            "knee_flexion_strike",
            "Knee flexion at foot strike",
            "°",
            _per_contact(contacts, knee_flexion(strike)),
        ),
        Metric(
            "knee_flexion_midstance",
            "Knee flexion at midstance",
            "°",
            _per_contact(contacts, knee_flexion(midstance)),
        ),
        Metric(
            "hip_extension_toe_off",
            "Hip extension at toe-off",
            "°",
            _per_contact(contacts, hip_extension),
        ),
        Metric("trunk_lean", "Forward trunk lean at midstance", "°", _per_contact(contacts, trunk)),
        Metric(
            "vertical_oscillation",
            "Vertical oscillation of the hips",
            "% leg",
            _per_contact(contacts, bounce),
        ),
        *in_cm_too,
    ]


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


def rear_view(
    pose: PoseSequence, contacts: Sequence[Contact], cm_per_px: float | None = None
) -> list[Metric]:
    """The rear-view metrics; with the picture's scale (cm per pixel), step width in cm too."""
    # Everything is measured on the levelled pose: a rolled camera tilts the pelvis and the trunk
    # and, over a leg's length, shifts the feet sideways against the hips.
    pose = level(pose, camera_roll(pose))
    other = {"left": "right", "right": "left"}

    def frames(c: Contact) -> range:
        return range(c.strike_frame, c.toe_off_frame + 1)

    def pelvic_drop(c: Contact) -> float:
        """Peak drop of the swing-side hip below the stance-side hip during the stance."""
        drops = []
        for f in frames(c):
            stance, swing = pose.joint(f"{c.side}_hip")[f], pose.joint(f"{other[c.side]}_hip")[f]
            across = swing - stance
            drops.append(math.degrees(math.atan2(across[1], abs(across[0]))))
        finite = [d for d in drops if math.isfinite(d)]
        return max(finite) if finite else float("nan")

    def knee_fppa(c: Contact) -> float:
        """Knee frontal-plane projection angle at midstance, + = knee inside the hip–ankle line."""
        f = c.mid_frame
        hip, knee, ankle = (pose.joint(f"{c.side}_{j}")[f] for j in ("hip", "knee", "ankle"))
        bend = 180 - joint_angle(hip, knee, ankle)
        midline = _mid(pose, "hip", f)[0]
        line_x = hip[0] + (ankle[0] - hip[0]) * (knee[1] - hip[1]) / max(ankle[1] - hip[1], 1e-9)
        inward = (knee[0] - line_x) * (1 if midline > hip[0] else -1)
        return bend if inward >= 0 else -bend

    def lateral_lean(c: Contact) -> float:
        f = c.mid_frame
        trunk = _mid(pose, "shoulder", f) - _mid(pose, "hip", f)
        towards = 1 if pose.joint(f"{c.side}_hip")[f][0] > _mid(pose, "hip", f)[0] else -1
        return _from_up(trunk, towards)

    def step_width_px(c: Contact) -> tuple[float, float]:
        """The ankle's distance out from the midline and the pelvis's width, pixels."""
        now = pose_at(pose, c.strike_s)
        left, right = _joint(now, "left_hip")[0], _joint(now, "right_hip")[0]
        midline = (left + right) / 2
        outward = 1 if _joint(now, f"{c.side}_hip")[0] > midline else -1
        ankle = _joint(now, f"{c.side}_ankle")[0]
        return float((ankle - midline) * outward), float(abs(left - right))

    def step_width(c: Contact) -> float:
        out, pelvis = step_width_px(c)
        return out / pelvis * 100 if pelvis else float("nan")

    in_cm_too = []
    if cm_per_px is not None:
        label = "Foot landing from the midline (− = crossover)"
        in_cm_too = [
            in_cm("step_width_cm", label, contacts, lambda c: step_width_px(c)[0], cm_per_px)
        ]

    return [
        Metric(
            "pelvic_drop",
            "Contralateral pelvic drop in stance (peak)",
            "°",
            _per_contact(contacts, pelvic_drop),
        ),
        Metric(
            "knee_fppa",
            "Knee frontal-plane projection angle at midstance",
            "°",
            _per_contact(contacts, knee_fppa),
        ),
        Metric(
            "lateral_trunk_lean",
            "Lateral trunk lean towards the stance side",
            "°",
            _per_contact(contacts, lateral_lean),
        ),
        Metric(
            "step_width",
            "Foot landing from the midline (− = crossover)",
            "% pelvis",
            _per_contact(contacts, step_width),
        ),
        *in_cm_too,
    ]
