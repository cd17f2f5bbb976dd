"""Cleaning a pose signal: short gaps filled, a zero-lag low-pass filter, left/right swaps of
the legs repaired, and a confidence per frame.

The cut-off: running kinematics are usually filtered at 6-12 Hz; 8 Hz keeps the shape of a
foot strike at 180 steps/min (3 Hz, with harmonics to ~9 Hz) while removing the estimator's
frame-to-frame jitter. At low frame rates the cut-off is capped at 40 % of the Nyquist-limited
rate so the filter stays stable. A processing choice, documented here, not a clinical threshold.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from glutecoach.domain.gait.pose import INDEX, JOINTS, LOWER_LIMB, SIDES, PoseSequence

CUTOFF_HZ = 8.0
MAX_GAP_S = 0.15  # longer dropouts stay gaps: inventing a whole stance would be worse
SWAP_RATIO = 0.6  # a frame is a swap when swapping the legs makes it this much more continuous


def fill_gaps(
    times: NDArray[np.float64], values: NDArray[np.float64], max_gap_s: float
) -> NDArray[np.float64]:
    """Linear interpolation across runs of NaN no longer than `max_gap_s`; longer ones stay NaN."""
    out = values.copy()
    missing = ~np.isfinite(values)
    if missing.all() or not missing.any():
        return out
    start = None
    for i in range(len(values) + 1):
        if i < len(values) and missing[i]:
            start = i if start is None else start
            continue
        if start is not None:
            before, after = start - 1, i
            if before >= 0 and after < len(values) and times[after] - times[before] <= max_gap_s:
                out[start:after] = np.interp(
                    times[start:after], times[[before, after]], values[[before, after]]
                )
            start = None
    return out


def lowpass(
    values: NDArray[np.float64], fps: float, cutoff_hz: float = CUTOFF_HZ
) -> NDArray[np.float64]:
    """Fourth-order Butterworth run forwards and backwards (no lag), over each finite stretch."""
    # imported here: scipy.signal takes ~1 s to import, and every command that reaches the
    # database imports this module through the stored gait summaries
    from scipy.signal import butter, filtfilt  # type: ignore[import-untyped]

    cutoff = min(cutoff_hz, 0.4 * fps)
    b, a = butter(2, cutoff / (fps / 2))  # order 2 each way: 4th order overall, zero phase
    out = values.copy()
    finite = np.isfinite(values)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], finite.astype(int), [0]))))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        if stop - start > 3 * max(len(a), len(b)):
            out[start:stop] = filtfilt(b, a, values[start:stop])
    return out


def repair_swaps(pose: PoseSequence) -> tuple[PoseSequence, int]:
    """Frames where the estimator swapped the legs (the far leg taken for the near one), put
    back: a frame is swapped when exchanging its left and right leg joints brings them much
    closer to the previous frame's. Returns the repaired pose and how many frames were fixed."""
    legs = {side: [INDEX[f"{side}_{part}"] for part in LOWER_LIMB] for side in SIDES}
    xy = pose.xy.copy()
    visibility = pose.visibility.copy()
    fixed = 0
    for t in range(1, pose.frames):
        left, right = xy[t, legs["left"]], xy[t, legs["right"]]
        prev_left, prev_right = xy[t - 1, legs["left"]], xy[t - 1, legs["right"]]
        same = np.nansum(
            np.linalg.norm(left - prev_left, axis=1) + np.linalg.norm(right - prev_right, axis=1)
        )
        swapped = np.nansum(
            np.linalg.norm(left - prev_right, axis=1) + np.linalg.norm(right - prev_left, axis=1)
        )
        if np.isfinite(same) and same > 0 and swapped < SWAP_RATIO * same:
            xy[t, legs["left"]], xy[t, legs["right"]] = right.copy(), left.copy()
            vis_left = visibility[t, legs["left"]].copy()
            visibility[t, legs["left"]] = visibility[t, legs["right"]]
            visibility[t, legs["right"]] = vis_left
            fixed += 1
    return replace(pose, xy=xy, visibility=visibility), fixed


def clean(pose: PoseSequence, cutoff_hz: float = CUTOFF_HZ) -> tuple[PoseSequence, int]:
    """Swaps repaired, gaps filled, every coordinate low-passed; and the swaps fixed."""
    repaired, swaps = repair_swaps(pose)
    fps = repaired.fps
    xy = repaired.xy.copy()
    for j in range(len(JOINTS)):
        for axis in (0, 1):
            series = fill_gaps(repaired.times_s, xy[:, j, axis], MAX_GAP_S)
            xy[:, j, axis] = lowpass(series, fps, cutoff_hz) if fps > 0 else series
    return replace(repaired, xy=xy), swaps


def confidence(pose: PoseSequence, joints: tuple[str, ...]) -> NDArray[np.float64]:
    """Per frame, the mean visibility of the joints a metric uses (0 where one is missing)."""
    idx = [INDEX[j] for j in joints]
    vis = np.where(np.isfinite(pose.xy[:, idx, 0]), pose.visibility[:, idx], 0.0)
    return np.asarray(vis.mean(axis=1), dtype=np.float64)
