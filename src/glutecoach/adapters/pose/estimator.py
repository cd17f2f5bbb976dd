"""The pose estimator behind one small interface, so another model can be added without
touching the metrics: an RGB frame in, the `JOINTS` in pixels with a visibility each out.

MediaPipe 0.10.21's legacy `solutions.pose`, with one of its three models (`models.py`): the
wheel ships the full one, the project's setup installs the lite and heavy ones beside it, and
nothing is downloaded at run time.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from glutecoach.adapters.pose.models import DEFAULT_MODEL, PoseModel, verify
from glutecoach.domain.gait.pose import JOINTS

# MediaPipe's landmark index for each of our joints
MEDIAPIPE_INDEX = {
    "nose": 0,
    "left_shoulder": 11,
    "right_shoulder": 12,
    "left_hip": 23,
    "right_hip": 24,
    "left_knee": 25,
    "right_knee": 26,
    "left_ankle": 27,
    "right_ankle": 28,
    "left_heel": 29,
    "right_heel": 30,
    "left_foot_index": 31,
    "right_foot_index": 32,
}
ORDER = [MEDIAPIPE_INDEX[name] for name in JOINTS]


@contextmanager
def native_stderr_quiet() -> Iterator[None]:
    """The model's C++ layers (TensorFlow Lite, glog, absl) log to file descriptor 2 whatever
    Python asks; while they run, that goes to a scratch file, shown only if something fails."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as scratch:
        os.dup2(scratch.fileno(), 2)
        try:
            yield
        except BaseException:
            os.dup2(saved, 2)
            scratch.seek(0)
            sys.stderr.write(scratch.read()[-2000:].decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


class PoseEstimator(Protocol):
    name: str

    def estimate(self, rgb: NDArray[np.uint8]) -> NDArray[np.float64] | None:
        """(J, 3): x and y in the frame's pixels and a visibility 0-1; None: nobody found."""

    def close(self) -> None: ...


class MediaPipePose:
    def __init__(self, model: PoseModel = DEFAULT_MODEL) -> None:
        # before MediaPipe starts: a missing model would be a download attempt and a C++ error
        verify(model)
        import mediapipe as mp  # type: ignore[import-untyped]  # slow to import: only when used

        self.name = model.label
        # video mode: each frame starts from the last pose, so the same person is followed
        self._pose: Any = mp.solutions.pose.Pose(
            static_image_mode=False,
            model_complexity=model.complexity,
            smooth_landmarks=False,  # the domain filters with a documented zero-lag filter
            min_detection_confidence=0.5,
            min_tracking_confidence=0.5,
        )

    def estimate(self, rgb: NDArray[np.uint8]) -> NDArray[np.float64] | None:
        result = self._pose.process(rgb)
        if result.pose_landmarks is None:
            return None
        height, width = rgb.shape[:2]
        marks = result.pose_landmarks.landmark
        return np.array(
            [[marks[i].x * width, marks[i].y * height, marks[i].visibility] for i in ORDER],
            dtype=np.float64,
        )

    def close(self) -> None:
        self._pose.close()
