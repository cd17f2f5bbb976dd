"""Key frames a clinician would print: the frame where each metric is read, at least 480 px wide,
with the skeleton and the measured angle drawn on it (lines along the segments, an arc between
them and the value), as the clinic's video apps do.

Side view: the knee at foot strike and at midstance, the trunk at midstance, the hip at toe-off,
for each leg the clip measured (not the hidden one). Rear view: the pelvis and the knee at
midstance, for each stance leg. The value drawn is the one at that frame; the table's figure is
the median over the steps, read at the interpolated instant.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from glutecoach.domain.gait.analysis import GaitAnalysis
from glutecoach.domain.gait.geometry import joint_angle
from glutecoach.domain.gait.metrics import midstance_frame
from glutecoach.domain.gait.pose import INDEX, View
from glutecoach.domain.gait.rear_metrics import camera_roll
from glutecoach.domain.gait.sides import hidden_leg

MIN_WIDTH = 480  # what prints legibly on half a page
WIDTH = 640  # frames wider than this are scaled down to it
SIDE_COLOURS = {"left": (60, 76, 231), "right": (219, 152, 52)}  # BGR: red, blue
ANGLE_COLOUR = (0, 215, 255)  # BGR amber: stands out from both sides' bones
BONES = (
    ("left_shoulder", "right_shoulder"),
    ("left_hip", "right_hip"),
    ("left_shoulder", "left_hip"),
    ("right_shoulder", "right_hip"),
    *((f"{s}_hip", f"{s}_knee") for s in ("left", "right")),
    *((f"{s}_knee", f"{s}_ankle") for s in ("left", "right")),
    *((f"{s}_ankle", f"{s}_heel") for s in ("left", "right")),
    *((f"{s}_heel", f"{s}_foot_index") for s in ("left", "right")),
)
Point = NDArray[np.float64]


@dataclass(frozen=True)
class KeyMoment:
    side: str
    moment: str  # foot strike, midstance, toe-off
    frame: int
    time_s: float  # where in the clip: the service decodes the frame there
    angles: tuple[str, ...] = ()  # what is drawn: knee, hip, trunk, pelvis, knee_frontal


@dataclass(frozen=True)
class KeyFrame:
    title: str
    image: str  # data: URL of a JPEG
    width: int  # pixels


def key_moments(analysis: GaitAnalysis) -> list[KeyMoment]:
    """For each leg the clip measured, its most typical contact's moments where the metrics are
    read, with the angles each shows."""
    pose = analysis.pose
    hidden = hidden_leg(pose, analysis.view)
    wanted: list[KeyMoment] = []
    for side in ("left", "right"):
        mine = [c for c in analysis.contacts if c.side == side]
        if not mine or side == hidden:
            continue
        usual = float(np.median([c.duration_s for c in mine]))
        contact = min(mine, key=lambda c: (abs(c.duration_s - usual), -c.confidence))
        middle = midstance_frame(pose, contact, analysis.view)
        if analysis.view is View.side:
            frames = [
                ("foot strike", contact.strike_frame, ("knee",)),
                ("midstance", middle, ("knee", "trunk")),
                ("toe-off", contact.toe_off_frame, ("hip",)),
            ]
        else:
            frames = [("midstance", middle, ("pelvis", "knee_frontal"))]
        wanted += [KeyMoment(side, m, f, float(pose.times_s[f]), a) for m, f, a in frames]
    return wanted


def key_frames(
    analysis: GaitAnalysis, images: Sequence[tuple[KeyMoment, NDArray[np.uint8] | None]]
) -> list[KeyFrame]:
    """Each decoded moment (BGR; None where the clip had no frame) with the skeleton and its
    angles drawn."""
    out = []
    for key, bgr in images:
        if bgr is None:
            continue
        image, labels = _drawn(bgr, analysis, key)
        title = f"{key.side.capitalize()} {key.moment}" + (
            f": {', '.join(labels)}" if labels else ""
        )
        jpeg, width = _jpeg(image, title)
        out.append(KeyFrame(title, jpeg, width))
    return out


def _drawn(bgr: NDArray[np.uint8], analysis: GaitAnalysis, key: KeyMoment) -> tuple[Any, list[str]]:
    import cv2

    pose = analysis.pose
    x0, y0, x1, y1 = _around_the_runner(pose.xy[key.frame], bgr.shape[1], bgr.shape[0])
    crop = bgr[y0:y1, x0:x1]
    scale = _scale(crop.shape[1])
    image = cv2.resize(crop, (round(crop.shape[1] * scale), round(crop.shape[0] * scale)))
    origin = np.array([x0, y0], dtype=np.float64)
    now = {name: (pose.xy[key.frame, i] - origin) * scale for name, i in INDEX.items()}
    thick = max(2, round(image.shape[1] / 200))
    for a, b in BONES:
        if np.isfinite(now[a]).all() and np.isfinite(now[b]).all():
            side = a.split("_")[0]
            cv2.line(image, _px(now[a]), _px(now[b]), SIDE_COLOURS.get(side, (80, 200, 80)), thick)
    labels = []
    for angle in key.angles:
        drawn = DRAWERS[angle](image, now, key.side, analysis, thick)
        if drawn is not None:
            labels.append(drawn)
    return image, labels


def _around_the_runner(
    joints: NDArray[np.float64], width: int, height: int
) -> tuple[int, int, int, int]:
    """The runner with a margin (a third of their height in the picture each way), inside the
    frame: a runner filmed small in a wide room still prints large. The whole frame when no
    joint was found."""
    found = joints[np.isfinite(joints).all(axis=1)]
    if not len(found):
        return 0, 0, width, height
    (left, top), (right, bottom) = found.min(axis=0), found.max(axis=0)
    margin = max(right - left, bottom - top) / 3
    return (
        max(0, int(left - margin)),
        max(0, int(top - margin)),
        min(width, int(right + margin) + 1),
        min(height, int(bottom + margin) + 1),
    )


def _scale(width: int) -> float:
    if width > WIDTH:
        return WIDTH / width
    return max(1.0, MIN_WIDTH / width)


def _jpeg(image: Any, title: str) -> tuple[str, int]:
    import cv2

    size = image.shape[1] / 640
    for colour, weight in (((0, 0, 0), 4), ((255, 255, 255), 1)):
        cv2.putText(
            image,
            title,
            (10, 30),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.7 * size + 0.2,
            colour,
            weight,
            cv2.LINE_AA,
        )
    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    data = "data:image/jpeg;base64," + base64.b64encode(jpeg.tobytes()).decode() if ok else ""
    return data, int(image.shape[1])


def _px(p: Point) -> tuple[int, int]:
    return round(float(p[0])), round(float(p[1]))


def _direction(v: Point) -> float:
    return math.degrees(math.atan2(v[1], v[0]))


def _arc(image: Any, vertex: Point, a: Point, b: Point, label: str, thick: int) -> str:
    """Lines from the vertex along a and b, the arc between them and the label beside it."""
    import cv2

    if not all(np.isfinite(p).all() for p in (vertex, a, b)):
        return ""
    for end in (a, b):
        cv2.line(image, _px(vertex), _px(end), ANGLE_COLOUR, thick)
    start, stop = _direction(a - vertex), _direction(b - vertex)
    if (stop - start) % 360 > 180:
        start, stop = stop, start
    stop = start + (stop - start) % 360
    radius = max(18, int(0.35 * min(np.linalg.norm(a - vertex), np.linalg.norm(b - vertex))))
    cv2.ellipse(image, _px(vertex), (radius, radius), 0, start, stop, ANGLE_COLOUR, thick)
    middle = math.radians((start + stop) / 2)
    at = vertex + (radius + 12) * np.array([math.cos(middle), math.sin(middle)])
    for colour, weight in (((0, 0, 0), 4), (ANGLE_COLOUR, 2)):
        cv2.putText(
            image, label, _px(at), cv2.FONT_HERSHEY_SIMPLEX, 0.6, colour, weight, cv2.LINE_AA
        )
    return label


def _knee(image: Any, now: dict[str, Point], side: str, _: GaitAnalysis, thick: int) -> str | None:
    hip, knee, ankle = (now[f"{side}_{j}"] for j in ("hip", "knee", "ankle"))
    if not all(np.isfinite(p).all() for p in (hip, knee, ankle)):
        return None
    flexion = 180 - joint_angle(hip, knee, ankle)
    return _arc(image, knee, hip, ankle, f"knee {flexion:.0f} deg", thick)


def _hip(image: Any, now: dict[str, Point], side: str, _: GaitAnalysis, thick: int) -> str | None:
    hip, knee = now[f"{side}_hip"], now[f"{side}_knee"]
    if not (np.isfinite(hip).all() and np.isfinite(knee).all()):
        return None
    down = hip + np.array([0.0, np.linalg.norm(knee - hip)])
    return _arc(image, hip, down, knee, f"hip {joint_angle(down, hip, knee):.0f} deg", thick)


def _trunk(image: Any, now: dict[str, Point], _s: str, _a: GaitAnalysis, thick: int) -> str | None:
    hips = (now["left_hip"] + now["right_hip"]) / 2
    shoulders = (now["left_shoulder"] + now["right_shoulder"]) / 2
    if not (np.isfinite(hips).all() and np.isfinite(shoulders).all()):
        return None
    up = hips - np.array([0.0, np.linalg.norm(shoulders - hips)])
    lean = joint_angle(up, hips, shoulders)
    return _arc(image, hips, up, shoulders, f"trunk {lean:.0f} deg", thick)


def _pelvis(
    image: Any, now: dict[str, Point], side: str, analysis: GaitAnalysis, thick: int
) -> str | None:
    """The line across the hips against the camera's level (its roll, which the metric
    removes), from the stance hip."""
    stance, swing = now[f"{side}_hip"], now[f"{'right' if side == 'left' else 'left'}_hip"]
    if not (np.isfinite(stance).all() and np.isfinite(swing).all()):
        return None
    roll = math.radians(camera_roll(analysis.pose))
    length = float(np.linalg.norm(swing - stance))
    sign = 1.0 if swing[0] >= stance[0] else -1.0
    level = stance + sign * length * np.array([math.cos(roll), math.sin(roll)])
    drop = joint_angle(level, stance, swing) * (1 if swing[1] >= level[1] else -1)
    return _arc(image, stance, level, swing, f"pelvis {drop:.0f} deg", thick)


DRAWERS: dict[str, Callable[[Any, dict[str, Point], str, GaitAnalysis, int], str | None]] = {
    "knee": _knee,
    "hip": _hip,
    "trunk": _trunk,
    "pelvis": _pelvis,
    "knee_frontal": _knee,  # the same three joints, seen from behind: the frontal-plane angle
}
