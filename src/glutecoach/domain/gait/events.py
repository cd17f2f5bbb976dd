"""Foot strike and toe-off for running, from the foot's vertical position in the image.

Walking methods (the foot's position relative to the pelvis, Zeni) assume a double-support phase
that running does not have. Here a foot is on the ground while its lowest point (heel or toes)
stays within `LIFT_FRACTION` of its swing height above the ground line; the ground line is a
rolling high percentile of that point, so a slowly tilting or drifting camera is followed. Strike
and toe-off are the threshold crossings, interpolated between frames.

A known limit: a foot enters that band before it lands and leaves it after toe-off. On an ideal
signal (the tests' synthetic runner, whose foot lies flat on the ground line through the stance)
the strike is read ~60 ms early and toe-off ~30 ms late: contacts ~95 ms long, flights as much
short, and what is read "at foot strike" is read in late swing. On the real MediaPipe side clip
the stance is a rounded valley rather than a plateau, the same band gives plausible contact
times (~215 ms at 169 steps/min), and a tighter band (5 %, timed from the contact's own ground
level) broke the cadence (175.6 against 168.9). Calibrating it needs a clip filmed at 120 fps or
more with known contact times.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from glutecoach.domain.gait.pose import PoseSequence

LIFT_FRACTION = 0.2  # of the foot's swing height: what still counts as on the ground
WINDOW_S = 2.0  # the rolling window the ground line and the swing height are read over
MIN_CONTACT_S = 0.06  # shorter: a jitter of the signal, not a step
MAX_CONTACT_S = 1.2  # longer: standing still, not a step
MAX_RUNNING_CONTACT_S = 0.6  # longer: not a running stance (walking's last 0.6-0.8 s)


@dataclass(frozen=True)
class Contact:
    side: str  # left or right
    strike_s: float
    toe_off_s: float
    strike_frame: int  # the first frame on the ground
    toe_off_frame: int  # the last frame on the ground
    confidence: float  # mean joint visibility over the contact

    @property
    def duration_s(self) -> float:
        return self.toe_off_s - self.strike_s

    @property
    def mid_frame(self) -> int:
        return (self.strike_frame + self.toe_off_frame) // 2


def foot_low_point(pose: PoseSequence, side: str) -> NDArray[np.float64]:
    """Per frame, the lowest image point of the foot (largest y): heel or toes, else ankle."""
    parts = np.stack(
        [pose.joint(f"{side}_{p}")[:, 1] for p in ("heel", "foot_index", "ankle")], axis=1
    )
    lowest = np.nanmax(np.where(np.isfinite(parts[:, :2]), parts[:, :2], -np.inf), axis=1)
    return np.where(np.isfinite(lowest), lowest, parts[:, 2])


def _rolling(values: NDArray[np.float64], frames: int, q: float) -> NDArray[np.float64]:
    half = max(1, frames // 2)
    out = np.full(len(values), np.nan)
    for i in range(len(values)):
        window = values[max(0, i - half) : i + half + 1]
        window = window[np.isfinite(window)]
        if len(window) >= 3:
            out[i] = np.percentile(window, q)
    return out


def contacts(pose: PoseSequence, side: str, visibility: NDArray[np.float64]) -> list[Contact]:
    times = pose.times_s
    y = foot_low_point(pose, side)
    frames = max(5, round(WINDOW_S * pose.fps))
    ground = _rolling(y, frames, 95)
    top = _rolling(y, frames, 5)
    threshold = ground - LIFT_FRACTION * (ground - top)
    down = np.isfinite(y) & np.isfinite(threshold) & (y >= threshold)
    found: list[Contact] = []
    i = 0
    while i < len(y):
        if not down[i]:
            i += 1
            continue
        start = i
        while i < len(y) and down[i]:
            i += 1
        stop = i - 1
        if start == 0 or i >= len(y):  # cut by the clip's edge: its timing is unknown
            continue
        strike = _crossing(times, y, threshold, start - 1, start)
        off = _crossing(times, y, threshold, stop, stop + 1)
        if MIN_CONTACT_S <= off - strike <= MAX_CONTACT_S:
            conf = float(np.mean(visibility[start : stop + 1]))
            found.append(Contact(side, strike, off, start, stop, conf))
    return found


def _crossing(
    times: NDArray[np.float64], y: NDArray[np.float64], line: NDArray[np.float64], a: int, b: int
) -> float:
    """The time between frames a and b where the foot crosses its threshold line."""
    da, db = y[a] - line[a], y[b] - line[b]
    if not (np.isfinite(da) and np.isfinite(db)) or da == db:
        return float(times[b] if da < 0 else times[a])
    share = float(np.clip(-da / (db - da), 0.0, 1.0))
    return float(times[a] + share * (times[b] - times[a]))


SHORT_SHARE = 0.5  # a contact this much shorter than the foot's median is a blip, not a step


def plausible(found: list[Contact]) -> list[Contact]:
    """Blips dropped: contacts far shorter than the foot's usual one (a half-hidden far foot
    dipping under its threshold for a frame or two)."""
    if len(found) < 3:
        return found
    usual = float(np.median([c.duration_s for c in found]))
    return [c for c in found if c.duration_s >= SHORT_SHARE * usual]


def all_contacts(pose: PoseSequence, visibility: NDArray[np.float64]) -> list[Contact]:
    """Both feet's contacts, in time order."""
    both = plausible(contacts(pose, "left", visibility)) + plausible(
        contacts(pose, "right", visibility)
    )
    return sorted(both, key=lambda c: c.strike_s)


def running(found: list[Contact]) -> list[Contact]:
    """The contacts short enough for a running stance. Walking's are kept until then, so that a
    walk is told apart by its double support rather than by finding no contacts at all."""
    return [c for c in found if c.duration_s <= MAX_RUNNING_CONTACT_S]


def strides(found: list[Contact], side: str) -> list[tuple[Contact, Contact]]:
    """Consecutive contacts of one foot that are one stride apart (none missed between them)."""
    mine = [c for c in found if c.side == side]
    pairs = list(itertools.pairwise(mine))
    if not pairs:
        return []
    usual = float(np.median([b.strike_s - a.strike_s for a, b in pairs]))
    return [(a, b) for a, b in pairs if 0.6 * usual <= b.strike_s - a.strike_s <= 1.4 * usual]


def steps(found: list[Contact]) -> list[tuple[Contact, Contact]]:
    """A contact and the next one, when it is the other foot's: the steps of the run."""
    pairs = [(a, b) for a, b in itertools.pairwise(found) if a.side != b.side]
    if not pairs:
        return []
    usual = float(np.median([b.strike_s - a.strike_s for a, b in pairs]))
    return [(a, b) for a, b in pairs if 0.6 * usual <= b.strike_s - a.strike_s <= 1.4 * usual]


def double_support_share(found: list[Contact]) -> float:
    """The share of contact time when the other foot is down too: ~0 running, large walking."""
    total = sum(c.duration_s for c in found)
    if not total:
        return 0.0
    overlap = 0.0
    for a in found:
        for b in found:
            if a.side != b.side:
                overlap += max(0.0, min(a.toe_off_s, b.toe_off_s) - max(a.strike_s, b.strike_s))
    return overlap / 2 / total
