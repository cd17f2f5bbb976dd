"""Checks on how a clip was filmed, made before anything is measured: a clip that cannot give
trustworthy figures is refused with what to change, one that can but less well gets a warning.

The cut-offs are conventions of this project, not published figures (Souza 2016, in EVIDENCE.md,
recommends 120 fps or more and the camera square to the treadmill at hip height, and gives no
minimum). The frame rate that refuses a clip is the library's threshold gait_refuse_fps (with
its reasoning there); below `MIN_SHORT_SIDE_PX` the feet are a handful of pixels.
"""

from __future__ import annotations

import numpy as np

from glutecoach.domain.gait.pose import INDEX, PoseSequence

MIN_SHORT_SIDE_PX = 240
FEET_CUT_SHARE = 0.25  # of the frames with a person: more with the feet out of the picture, refused
EDGE_SHARE = 0.02  # a joint this close to the picture's edge is probably cut off
SMALL_BODY_SHARE = 0.3  # the body under this share of the picture's height: filmed from far off
OVERGROUND_SHARE = 0.5  # the hips crossing this share of the picture's width: not a treadmill
FEET = ("left_ankle", "right_ankle", "left_heel", "right_heel")


def refusal(pose: PoseSequence, refuse_fps: float) -> str | None:
    """Why no analysis can trust this clip (fewer than `refuse_fps` frames a second, too small
    a picture, the feet out of it), with what to change; None when it can be analysed."""
    if pose.frames >= 2 and pose.fps < refuse_fps:
        return (
            f"the clip was filmed at {pose.fps:.0f} frames per second: a ground contact then "
            f"spans only one or two frames. Film at 60 fps or more (120 is better; at least "
            f"{refuse_fps:g})"
        )
    if min(pose.width, pose.height) < MIN_SHORT_SIDE_PX:
        return (
            f"the picture is {pose.width}x{pose.height} pixels: too small to place the feet. "
            f"Film at 720p or more (at least {MIN_SHORT_SIDE_PX} pixels on the short side)"
        )
    cut = feet_cut_share(pose)
    if cut > FEET_CUT_SHARE:
        return (
            f"the feet are out of the picture in {cut:.0%} of the frames: step back or hold the "
            "phone in landscape, with the whole body from head to feet in frame and the camera "
            "at hip height"
        )
    return None


def feet_cut_share(pose: PoseSequence) -> float:
    """The share of the frames with the hips found where a foot was not found, or touches the
    picture's bottom edge."""
    hips = np.isfinite(pose.xy[:, INDEX["left_hip"], 0])
    if not hips.any():
        return 0.0
    feet = pose.xy[:, [INDEX[f] for f in FEET], :]
    missing = ~np.isfinite(feet[:, :, 1]).all(axis=1)
    low = np.nan_to_num(feet[:, :, 1], nan=0.0) >= (1 - EDGE_SHARE) * pose.height
    return float(np.mean((missing | low.any(axis=1))[hips]))


def warnings(pose: PoseSequence) -> list[str]:
    """What the clip shows about the camera that a runner can change next time."""
    said = []
    body = _body_share(pose)
    if body is not None and body < SMALL_BODY_SHARE:
        said.append(
            f"the runner fills only {body:.0%} of the picture's height: film closer (about "
            "3 m away), so the feet and knees are large enough to measure"
        )
    hips = (pose.joint("left_hip")[:, 0] + pose.joint("right_hip")[:, 0]) / 2
    if np.isfinite(hips).sum() >= 2:
        travel = float(np.nanpercentile(hips, 95) - np.nanpercentile(hips, 5)) / pose.width
        if travel > OVERGROUND_SHARE:
            said.append(
                "the runner crosses the picture (overground, not on a treadmill): only the "
                "strides in the middle are square to the camera, so film on a treadmill or "
                "pan with the runner from a fixed point"
            )
    return said


def _body_share(pose: PoseSequence) -> float | None:
    top = pose.joint("nose")[:, 1]
    bottom = np.fmax.reduce(pose.xy[:, [INDEX[f] for f in FEET], 1], axis=1)  # NaN-blind
    height = bottom - top
    found = height[np.isfinite(height)]
    return float(np.median(found)) / pose.height if len(found) else None
