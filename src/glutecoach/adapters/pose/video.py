"""Frames from a video file, streamed (never the whole clip in memory), with the times the
container gives (not an assumed frame rate) and its rotation metadata applied."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from glutecoach.adapters.pose.errors import VideoError

# FFmpeg's own complaints ("moov atom not found") would print beside ours: one message is enough.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")

if TYPE_CHECKING:
    import cv2

STILL_SUFFIXES = {".jpg", ".jpeg", ".png", ".heic", ".gif", ".bmp", ".webp", ".tif", ".tiff"}


@dataclass(frozen=True)
class VideoInfo:
    path: Path
    fps: float  # as the container states it; the analysis uses the frame times
    frames: int  # as the container states it (0 when it does not say)
    width: int  # after rotation
    height: int
    rotation: int  # degrees the container asked for (applied to every frame)
    codec: str

    @property
    def duration_s(self) -> float:
        return self.frames / self.fps if self.fps > 0 else 0.0


def _capture(path: Path) -> cv2.VideoCapture:
    import cv2

    if not path.exists():
        raise VideoError(f"{path}: no such file")
    if path.suffix.lower() in STILL_SUFFIXES:
        raise VideoError(f"{path}: a still image, not a video: film 10-20 s of running")
    capture = cv2.VideoCapture(str(path))
    capture.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)  # portrait phone clips come out upright
    if not capture.isOpened():
        raise VideoError(f"{path}: not a video this app can read (MP4, MOV, WebM, AVI, MKV)")
    return capture


def probe(path: Path) -> VideoInfo:
    import cv2

    capture = _capture(path)
    try:
        ok, first = capture.read()
        if not ok or first is None:
            raise VideoError(f"{path}: not a video this app can read, or it holds no frames")
        fps = float(capture.get(cv2.CAP_PROP_FPS))
        frames = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        rotation = int(capture.get(cv2.CAP_PROP_ORIENTATION_META))
        fourcc = int(capture.get(cv2.CAP_PROP_FOURCC))
    finally:
        capture.release()
    codec = "".join(chr((fourcc >> (8 * i)) & 0xFF) for i in range(4)).strip("\x00 ")
    height, width = first.shape[:2]
    return VideoInfo(path, fps, max(frames, 0), width, height, rotation % 360, codec or "?")


def keyframes(path: Path) -> list[float]:
    """The times of the frames a seek can start decoding from, read from the container's
    packets without decoding them (milliseconds for a clip); [] when the reader cannot say."""
    import cv2

    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG, [cv2.CAP_PROP_FORMAT, -1])
    found: list[float] = []
    try:
        while capture.isOpened() and capture.grab():
            if capture.get(cv2.CAP_PROP_LRF_HAS_KEY_FRAME):
                found.append(float(capture.get(cv2.CAP_PROP_POS_MSEC)) / 1000)
    finally:
        capture.release()
    return sorted(found)


@dataclass(frozen=True)
class Frame:
    index: int
    time_s: float
    bgr: NDArray[np.uint8]


def _read_on(capture: cv2.VideoCapture) -> Iterator[Frame]:
    """The capture's frames from where it stands, with their container times."""
    import cv2

    while True:
        ok, image = capture.read()
        if not ok or image is None:
            return
        index = int(capture.get(cv2.CAP_PROP_POS_FRAMES)) - 1
        time_s = float(capture.get(cv2.CAP_PROP_POS_MSEC)) / 1000
        yield Frame(index, time_s, np.asarray(image, dtype=np.uint8))


def frames(path: Path, start_s: float = 0.0, end_s: float | None = None) -> Iterator[Frame]:
    """The frames from `start_s` up to (not including) `end_s`, with their container times."""
    import cv2

    capture = _capture(path)
    try:
        if start_s > 0:
            capture.set(cv2.CAP_PROP_POS_MSEC, start_s * 1000)
        for frame in _read_on(capture):
            if frame.time_s < start_s - 1e-6:
                continue  # seeking lands on the keyframe before
            if end_s is not None and frame.time_s >= end_s:
                return
            yield frame
    finally:
        capture.release()


READ_ON_S = 2.0  # a frame this little after the last one read is read on to, not sought


def frames_at(path: Path, times_s: Sequence[float]) -> list[NDArray[np.uint8] | None]:
    """The first frame at or after each of `times_s` (None past the end), in one pass over the
    clip: a frame shortly after the last one read is read on to, since each seek decodes again
    from the keyframe before it (the report's key frames come in threes close together)."""
    import cv2

    starts = [max(0.0, t - 1e-3) for t in times_s]
    found: dict[float, NDArray[np.uint8] | None] = {}
    capture = _capture(path)
    try:
        last_s = -1.0  # the time of the last frame read
        for start_s in sorted(set(starts)):
            if not 0 < start_s - last_s <= READ_ON_S:
                capture.set(cv2.CAP_PROP_POS_MSEC, start_s * 1000)
            found[start_s] = None
            for frame in _read_on(capture):
                last_s = frame.time_s
                if frame.time_s >= start_s - 1e-6:
                    found[start_s] = frame.bgr
                    break
    finally:
        capture.release()
    return [found[s] for s in starts]


def frame_at(path: Path, time_s: float) -> NDArray[np.uint8] | None:
    """One frame: the first at or after `time_s` (for several, `frames_at` is cheaper)."""
    return frames_at(path, [time_s])[0]
