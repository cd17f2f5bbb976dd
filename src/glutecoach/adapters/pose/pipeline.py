"""A video in, a `PoseSequence` out: frames streamed through the estimator, the chosen runner
followed, and long clips cut into segments analysed in parallel processes.

Each segment starts `SETTLE_S` early so the estimator's tracker has locked on by the segment's
first frame; those early frames are dropped. One estimator process uses about one core (the
model runs single-threaded), so segments on the machine's cores run side by side. The cuts are
placed so each process has about as much to do: a later segment also pays for its lead-in and
for decoding from the keyframe before it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from glutecoach.adapters.pose.estimator import MediaPipePose, PoseEstimator, native_stderr_quiet
from glutecoach.adapters.pose.models import DEFAULT_MODEL, PoseModel, verify
from glutecoach.adapters.pose.video import VideoInfo, frames, keyframes, probe
from glutecoach.domain.gait.pose import INDEX, JOINTS, PoseSequence

SETTLE_S = 0.5  # a segment's lead-in for the tracker, dropped afterwards
MIN_SEGMENT_S = 4.0  # shorter segments would spend too much on lead-ins
ROI_MARGIN = 0.35  # the followed box grows by this share of its size each side
REPORT_EVERY = 15  # frames between progress reports
DECODE_SHARE = 0.15  # decoding a frame, of decoding it and running the model (2.1 of 14 ms, 720p)

Progress = Callable[[int, int], None]  # (frames done, frames in all)


@dataclass(frozen=True)
class Segment:
    path: str
    start_s: float
    end_s: float | None
    person: tuple[float, float] | None  # (x, y) as shares of the frame: whom to follow


class Follower:
    """Keeps the estimator on one person. Without a choice, the estimator's own pick (the most
    prominent person) is followed on the full frame. With a point the user chose, the frame is
    cropped around that point until a pose is found there — one whose hips are near the point,
    so a more prominent person elsewhere in the crop is not taken instead — and from then on
    around that person's last pose; lost for half a second, the search starts at the point again
    (a runner who enters the picture later is found where they enter)."""

    SEARCH_SHARE = 0.6  # the search crop's side, of the frame's shorter side
    NEAR_SHARE = 0.2  # how near the point the hips must be, of the frame's shorter side
    JUMP_SHARE = 0.5  # the most the hips move between frames, of the body's size in the picture

    def __init__(self, person: tuple[float, float] | None) -> None:
        self.person = person
        self.box: tuple[int, int, int, int] | None = None  # x0, y0, x1, y1
        self.misses = 0
        self.last: tuple[NDArray[np.float64], float] | None = None  # hips and body size

    def crop(self, width: int, height: int) -> tuple[int, int, int, int]:
        if self.box is not None:
            return self.box
        if self.person is None:
            return 0, 0, width, height
        side = int(self.SEARCH_SHARE * min(width, height))
        cx, cy = self.person[0] * width, self.person[1] * height
        x0 = int(min(max(cx - side / 2, 0), width - side))
        y0 = int(min(max(cy - side / 2, 0), height - side))
        return x0, y0, x0 + side, y0 + side

    def accept(
        self, joints: NDArray[np.float64] | None, width: int, height: int
    ) -> NDArray[np.float64] | None:
        """The pose if it is the chosen person's (None otherwise), and the crop for the next
        frame updated from it."""
        if self.person is None:
            return joints
        if joints is not None and not self._same_person(joints, width, height):
            joints = None  # someone else: near the point, or a jump away from the last pose
        if joints is None:
            self.misses += 1
            if self.misses > 15:  # lost for half a second: look where the user pointed again
                self.box, self.misses, self.last = None, 0, None
            return None
        self.misses = 0
        xs, ys = joints[:, 0], joints[:, 1]
        w, h = xs.max() - xs.min(), ys.max() - ys.min()
        self.last = (_hips(joints), float(max(w, h)))
        side = max(w, h) * (1 + 2 * ROI_MARGIN)
        cx, cy = (xs.max() + xs.min()) / 2, (ys.max() + ys.min()) / 2
        self.box = (
            int(max(0, cx - side / 2)),
            int(max(0, cy - side / 2)),
            int(min(width, cx + side / 2)),
            int(min(height, cy + side / 2)),
        )
        return joints

    def _same_person(self, joints: NDArray[np.float64], width: int, height: int) -> bool:
        """While searching: hips near the chosen point. While following: hips that moved less
        than half the body's size since the last frame (the estimator, which sees one person,
        may jump to someone more prominent passing through the crop)."""
        assert self.person is not None
        hips = _hips(joints)
        if self.box is None or self.last is None:
            point = np.array([self.person[0] * width, self.person[1] * height])
            return bool(np.hypot(*(hips - point)) <= self.NEAR_SHARE * min(width, height))
        before, size = self.last
        return bool(np.hypot(*(hips - before)) <= self.JUMP_SHARE * size)


def _hips(joints: NDArray[np.float64]) -> NDArray[np.float64]:
    hips: NDArray[np.float64] = joints[[INDEX["left_hip"], INDEX["right_hip"]], :2].mean(axis=0)
    return hips


def _run_segment(
    segment: Segment,
    make: Callable[[], PoseEstimator],
    report: Callable[[int], None] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """(times, xy, visibility) of the segment's frames, lead-in dropped; `report` is told how
    many of them are done, now and then and at the end."""
    with native_stderr_quiet():
        return _segment_poses(segment, make, report)


def _segment_poses(
    segment: Segment,
    make: Callable[[], PoseEstimator],
    report: Callable[[int], None] | None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    import cv2

    estimator = make()
    follower = Follower(segment.person)
    times: list[float] = []
    xy: list[NDArray[np.float64]] = []
    vis: list[NDArray[np.float64]] = []
    lead = max(0.0, segment.start_s - SETTLE_S) if segment.start_s > 0 else 0.0
    try:
        for frame in frames(Path(segment.path), lead, segment.end_s):
            height, width = frame.bgr.shape[:2]
            x0, y0, x1, y1 = follower.crop(width, height)
            rgb = np.asarray(
                cv2.cvtColor(frame.bgr[y0:y1, x0:x1], cv2.COLOR_BGR2RGB), dtype=np.uint8
            )
            joints = estimator.estimate(rgb)
            if joints is not None:
                joints[:, 0] += x0
                joints[:, 1] += y0
            joints = follower.accept(joints, width, height)
            if frame.time_s < segment.start_s - 1e-6:
                continue
            times.append(frame.time_s)
            if joints is None:
                xy.append(np.full((len(JOINTS), 2), np.nan))
                vis.append(np.zeros(len(JOINTS)))
            else:
                xy.append(joints[:, :2])
                vis.append(joints[:, 2])
            if report is not None and len(times) % REPORT_EVERY == 0:
                report(len(times))
    finally:
        estimator.close()
    if report is not None:
        report(len(times))
    empty = (0, len(JOINTS))
    return (
        np.array(times, dtype=np.float64),
        np.array(xy, dtype=np.float64).reshape(*empty, 2) if not xy else np.array(xy),
        np.array(vis, dtype=np.float64).reshape(empty) if not vis else np.array(vis),
    )


# In a worker process: how many frames each segment has done, in memory the parent reads.
_DONE: Any = None


def _init_worker(done: Any) -> None:
    global _DONE
    _DONE = done


def _worker(
    segment: Segment, slot: int, model: PoseModel
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    def report(done: int) -> None:
        _DONE[slot] = done

    return _run_segment(segment, partial(MediaPipePose, model), report)


def segments(
    info: VideoInfo,
    workers: int,
    person: tuple[float, float] | None,
    keyframes_s: Sequence[float] = (),
) -> list[Segment]:
    """The clip cut for `workers` processes, each with about as much to do: a segment after the
    first also runs its lead-in, and before that decodes (without the model) from the keyframe
    its seek lands on, so it gets that much less of the clip.

    A chosen `person` is read in one piece: the point says where they are when they first
    appear, and a later segment could not know where they had gone by its start."""
    duration = info.duration_s
    if person is not None or duration <= 0:
        count = 1
    else:
        count = max(1, min(workers, int(duration // MIN_SEGMENT_S)))
    extra = [0.0] * count  # each segment's work beyond its own part, in seconds of the clip
    bounds = [0.0]
    for _ in range(3):  # the decoding depends on where the bounds fall: settle them
        work = (duration + sum(extra)) / count
        bounds = [0.0]
        for i in range(count - 1):
            bounds.append(bounds[-1] + work - extra[i])
        extra = [0.0] + [_lead_in_work(b, keyframes_s) for b in bounds[1:]]
    return [
        Segment(str(info.path), bounds[i], bounds[i + 1] if i + 1 < count else None, person)
        for i in range(count)
    ]


def _lead_in_work(start_s: float, keyframes_s: Sequence[float]) -> float:
    """What starting a segment at `start_s` costs, in seconds of the clip through the model."""
    lead = max(0.0, start_s - SETTLE_S)
    before = [k for k in keyframes_s if k <= lead + 1e-6]
    decoded = lead - before[-1] if before else 0.0  # unknown keyframes: counted as none
    return start_s - lead + DECODE_SHARE * decoded


def estimate(
    path: Path,
    *,
    model: PoseModel = DEFAULT_MODEL,
    person: tuple[float, float] | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> tuple[PoseSequence, VideoInfo]:
    """The poses of the whole clip, in time order, and what the container said about it."""
    verify(model)  # a missing model said once, before any process starts or frame is decoded
    info = probe(path)
    parts = segments(info, workers, person, keyframes(path) if workers > 1 else ())
    total = info.frames
    if len(parts) == 1:
        report = None if progress is None else (lambda done: progress(done, total))
        results = [_run_segment(parts[0], partial(MediaPipePose, model), report)]
    else:
        results = _in_parallel(parts, model, progress, total)
    times = np.concatenate([r[0] for r in results])
    xy = np.concatenate([r[1] for r in results])
    vis = np.concatenate([r[2] for r in results])
    order = np.argsort(times, kind="stable")
    keep = np.concatenate(([True], np.diff(times[order]) > 1e-6))  # a frame two segments share
    chosen = order[keep]
    pose = PoseSequence(times[chosen], xy[chosen], vis[chosen], info.width, info.height)
    return pose, info


def _in_parallel(
    parts: list[Segment], model: PoseModel, progress: Progress | None, total: int
) -> list[tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]]:
    """A process per segment. The workers count their frames in shared memory, which the
    parent reads while it waits (no manager process to start). The model's libraries are not
    preloaded in the fork server: on free cores the workers import them side by side in the
    same time, and a server left holding them would keep ~100 MB in a long-running process."""
    context = multiprocessing.get_context("forkserver")
    done = context.RawArray("q", len(parts))
    with ProcessPoolExecutor(
        max_workers=len(parts), mp_context=context, initializer=_init_worker, initargs=(done,)
    ) as pool:
        futures: list[Future[Any]] = [
            pool.submit(_worker, part, slot, model) for slot, part in enumerate(parts)
        ]
        pending = set(futures)
        while pending:
            _, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            if progress is not None:
                progress(sum(done), total)
        return [f.result() for f in futures]
