"""A runner's pose over time, whatever estimated it: the joints the gait metrics use, in image
pixels (x to the right, y down), with a confidence per joint and per frame and the frame times
the video container gave.

Estimator-independent on purpose: MediaPipe's 33 landmarks, a Sports2D/Pose2Sim TRC file or the
project's own pose file all map onto these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

JOINTS: tuple[str, ...] = (
    "nose",
    "left_shoulder",
    "right_shoulder",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
INDEX = {name: i for i, name in enumerate(JOINTS)}
LOWER_LIMB = ("knee", "ankle", "heel", "foot_index")  # what a side-view swap mixes up
SIDES = ("left", "right")


class View(StrEnum):
    side = "side"  # sagittal: the camera beside the treadmill
    rear = "rear"  # frontal: the camera behind the runner
    combined = "combined"  # several clips of one run, each side from the clip that sees it


@dataclass(frozen=True)
class PoseSequence:
    times_s: NDArray[np.float64]  # (T,), from the container, strictly increasing
    xy: NDArray[np.float64]  # (T, J, 2) pixels; NaN where the joint was not found
    visibility: NDArray[np.float64]  # (T, J) 0-1; 0 where not found
    width: int
    height: int

    def __post_init__(self) -> None:
        frames = len(self.times_s)
        if self.xy.shape != (frames, len(JOINTS), 2) or self.visibility.shape != (
            frames,
            len(JOINTS),
        ):
            raise ValueError("pose arrays do not match the frame times and the joints")

    @property
    def frames(self) -> int:
        return len(self.times_s)

    @property
    def duration_s(self) -> float:
        return float(self.times_s[-1] - self.times_s[0]) if self.frames > 1 else 0.0

    @property
    def fps(self) -> float:
        """The median frame rate: containers can vary it, so never assume one."""
        if self.frames < 2:
            return 0.0
        return float(1.0 / np.median(np.diff(self.times_s)))

    def joint(self, name: str) -> NDArray[np.float64]:
        """(T, 2) positions of one joint."""
        return self.xy[:, INDEX[name], :]

    def found(self) -> NDArray[np.bool_]:
        """Frames where the hips and both ankles were found: the ones a metric can use."""
        needed = [INDEX[n] for n in ("left_hip", "right_hip", "left_ankle", "right_ankle")]
        return np.asarray(np.all(np.isfinite(self.xy[:, needed, 0]), axis=1), dtype=np.bool_)

    def mirrored(self) -> PoseSequence:
        """The same run seen in a mirror: x flipped, left and right swapped."""
        xy = self.xy.copy()
        xy[:, :, 0] = self.width - xy[:, :, 0]
        order = [INDEX[_other(name)] for name in JOINTS]
        return PoseSequence(
            self.times_s, xy[:, order, :], self.visibility[:, order], self.width, self.height
        )


def _other(name: str) -> str:
    if name.startswith("left_"):
        return "right_" + name.removeprefix("left_")
    if name.startswith("right_"):
        return "left_" + name.removeprefix("right_")
    return name
