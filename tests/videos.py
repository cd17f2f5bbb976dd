"""Variants of a real clip for the tests: mirrored, re-encoded at another size, stored on its
side with rotation metadata (as phones do), filmed at a lower frame rate, or framed so tight the
feet are cut off — made with OpenCV's own encoder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

Frame = NDArray[np.uint8]


def rewrite(source: Path, target: Path, change: Callable[[Frame], Frame], every: int = 1) -> Path:
    """The clip with each frame changed; with `every`, only one frame in that many kept, and
    the frame rate divided by as much (the same run filmed at a lower rate)."""
    capture = cv2.VideoCapture(str(source))
    fps = capture.get(cv2.CAP_PROP_FPS) / every
    writer: cv2.VideoWriter | None = None
    index = -1
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            index += 1
            if index % every:
                continue
            out = change(frame)
            if writer is None:
                size = (out.shape[1], out.shape[0])
                writer = cv2.VideoWriter(str(target), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
            writer.write(out)
    finally:
        capture.release()
        if writer is not None:
            writer.release()
    return target


def mirrored(source: Path, target: Path) -> Path:
    return rewrite(source, target, lambda f: np.ascontiguousarray(f[:, ::-1]))


def resized(source: Path, target: Path, width: int) -> Path:
    def change(frame: Frame) -> Frame:
        height = round(frame.shape[0] * width / frame.shape[1] / 2) * 2
        return np.asarray(cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA))

    return rewrite(source, target, change)


def slower(source: Path, target: Path, every: int) -> Path:
    """As if filmed at 1/`every` of the frame rate."""
    return rewrite(source, target, lambda f: f, every)


def feet_cut_off(source: Path, target: Path, share: float = 0.25) -> Path:
    """The bottom `share` of the picture cut away: a portrait clip framed too tight."""

    def change(frame: Frame) -> Frame:
        keep = round(frame.shape[0] * (1 - share) / 2) * 2
        return np.ascontiguousarray(frame[:keep])

    return rewrite(source, target, change)


# The track header's display matrix for "turn 90° clockwise to show" (ISO 14496-12, 16.16 and
# 2.30 fixed point): the frames are stored turned 90° anticlockwise.
ROTATE_90 = (0, 0x00010000, 0, 0xFFFF0000, 0, 0, 0, 0, 0x40000000)


def on_its_side(source: Path, target: Path) -> Path:
    """Frames stored turned a quarter anticlockwise, with metadata telling players to turn them
    back: what a phone held sideways writes."""
    rewrite(source, target, lambda f: np.ascontiguousarray(np.rot90(f, 1)))
    data = bytearray(target.read_bytes())
    at = data.find(b"tkhd")
    version = data[at + 4]
    matrix = at + (56 if version == 1 else 44)
    for i, value in enumerate(ROTATE_90):
        data[matrix + 4 * i : matrix + 4 * i + 4] = value.to_bytes(4, "big")
    target.write_bytes(bytes(data))
    return target
