"""Where the joints are and the angles between them, in the image plane (pixels, degrees): the
geometry the side-view and rear-view metrics share.

A snapshot is the (J, 2) pose at one instant, which may fall between frames.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from glutecoach.domain.gait.pose import INDEX, PoseSequence

Point = NDArray[np.float64]


def angle_from_down(vector: Point, forward: float = 1.0) -> float:
    """The angle of an image vector from straight down, positive towards `forward` (degrees)."""
    return math.degrees(math.atan2(vector[0] * forward, vector[1]))


def angle_from_up(vector: Point, towards: float = 1.0) -> float:
    """The angle of an image vector from straight up, positive towards `towards` (degrees)."""
    return math.degrees(math.atan2(vector[0] * towards, -vector[1]))


def joint_angle(a: Point, b: Point, c: Point) -> float:
    """The angle at b between b→a and b→c, 0-180 degrees."""
    u, v = a - b, c - b
    cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def frame_centre(pose: PoseSequence, joint: str, frame: int) -> Point:
    """The midpoint of the left and right joint in one frame."""
    both = pose.joint(f"left_{joint}")[frame] + pose.joint(f"right_{joint}")[frame]
    return np.asarray(both / 2, dtype=np.float64)


def pose_at(pose: PoseSequence, time_s: float) -> NDArray[np.float64]:
    """(J, 2) every joint at any instant of the clip, linearly interpolated between frames."""
    times = pose.times_s
    after = int(np.clip(np.searchsorted(times, time_s), 1, pose.frames - 1))
    share = (time_s - times[after - 1]) / (times[after] - times[after - 1])
    before, later = pose.xy[after - 1], pose.xy[after]
    return np.asarray(before + share * (later - before), dtype=np.float64)


def point(snapshot: NDArray[np.float64], name: str) -> Point:
    """One joint of a snapshot."""
    return np.asarray(snapshot[INDEX[name]], dtype=np.float64)


def centre(snapshot: NDArray[np.float64], joint: str) -> Point:
    """The midpoint of the left and right joint (hips: the pelvis; shoulders: the trunk's top)."""
    return (point(snapshot, f"left_{joint}") + point(snapshot, f"right_{joint}")) / 2
