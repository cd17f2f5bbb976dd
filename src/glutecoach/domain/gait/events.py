"""Foot strike and toe-off for running, from the foot's vertical position in the image.

Walking methods (the foot's position relative to the pelvis, Zeni) assume a double-support phase
that running does not have. Two passes:

1. Where: a foot is near the ground while its lowest point (heel or toes) stays within
   `LIFT_FRACTION` of its swing height above the ground line, a rolling high percentile of that
   point, so a slowly tilting or drifting camera is followed. This finds every contact and its
   neighbourhood robustly, but the band is entered ~75 ms before the force plate sees the foot
   land and left ~20 ms after it leaves (measured on the shared treadmill trial, 150 Hz).
2. When: inside each of those windows, the strike is the moment the heel or the toes (whichever
   is first) reach their own ground level in the contact (`STRIKE_PERCENTILE` of their height
   there: the heel pad settles a few millimetres after the force starts, so not the very
   lowest), and toe-off the moment the toes have risen `TOE_OFF_FRACTION` of the swing height
   above theirs (the heel has left long before). Both levels are moved away from the ground by
   twice the pose's own jitter on a still foot, which a noisy 30 fps pose would otherwise cross
   late by chance. The crossings are interpolated between frames.

The pose these are read from is filtered at 20 Hz (analysis.EVENT_CUTOFF_HZ), not at the metrics'
8 Hz, which spreads a heel's stop over ~60 ms. Measured on the shared force-plate trial (rbds0041,
150 Hz, and the same taken at 30 fps): each side's contact, flight and step time within a few ms
of the force (tests/domain/test_gait_force_plate.py holds them to 30, 30 and 10 ms); on the
synthetic runners the strike and toe-off within 15 ms on the median at 30-240 fps. Cadence is
timed from the band's entries (`Contact.timed_s`): a fixed lead on every strike of a foot, steadier
on a noisy pose than the refined strike.
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
STRIKE_PERCENTILE = 90  # of the lowest point's height in the window: the contact's ground level
TOE_OFF_FRACTION = 0.05  # of the swing height above the toes' lowest point: they have left


@dataclass(frozen=True)
class Contact:
    side: str  # left or right
    strike_s: float
    toe_off_s: float
    strike_frame: int  # the first frame on the ground
    toe_off_frame: int  # the last frame on the ground
    confidence: float  # mean joint visibility over the contact
    # When the foot entered the first pass's band: a fixed lead on the strike for every step of
    # a foot, steadier than the strike itself on a noisy 30 fps pose, so what cadence is timed by
    entered_s: float | None = None
    left_s: float | None = None  # ...and left it

    @property
    def timed_s(self) -> float:
        return self.strike_s if self.entered_s is None else self.entered_s

    @property
    def band_s(self) -> float:
        """How long the foot stayed in the first pass's band: which contacts are steps and
        which are blips is decided on this, the same for every step of a foot."""
        if self.entered_s is None or self.left_s is None:
            return self.duration_s
        return self.left_s - self.entered_s

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
    swing = ground - _rolling(y, frames, 5)
    down = np.isfinite(y) & np.isfinite(swing) & (y >= ground - LIFT_FRACTION * swing)
    windows = [
        (a, b) for a, b in _runs(down) if a > 0 and b < len(y) - 1
    ]  # a contact cut by the clip's edge: its timing is unknown
    parts = [pose.joint(f"{side}_{p}")[:, 1] for p in ("heel", "foot_index")]
    parts = [p for p in parts if np.isfinite(p).mean() > 0.5] or [y]
    jitter = _jitter(parts, windows)
    found: list[Contact] = []
    for start, stop in windows:
        entered = _crossing(times, y, ground - LIFT_FRACTION * swing, start - 1, start)
        left = _crossing(times, y, ground - LIFT_FRACTION * swing, stop, stop + 1)
        if not MIN_CONTACT_S <= left - entered <= MAX_CONTACT_S:
            continue
        strikes = [_strike(times, p, start, stop, jitter) for p in parts]
        strike = min((s for s in strikes if s is not None), default=entered)
        off = _toe_off(times, parts[-1], start, stop, max(jitter, TOE_OFF_FRACTION * swing[start]))
        if off is None or off - strike < MIN_CONTACT_S:
            strike, off = entered, left  # the crossings were lost in the noise: the band's
        first = int(np.searchsorted(times, strike - 1e-9))
        last = max(first, int(np.searchsorted(times, off + 1e-9)) - 1)
        conf = float(np.mean(visibility[first : last + 1]))
        found.append(Contact(side, strike, off, first, last, conf, entered, left))
    return found


def _runs(down: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(first, last) frame of each run of True."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], down.astype(np.int8), [0]))))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _jitter(parts: list[NDArray[np.float64]], windows: list[tuple[int, int]]) -> float:
    """Twice the pose's own frame-to-frame noise on the foot while it is on the ground, from
    the second differences over the middle of each contact, where a foot is still: a level
    closer than this to the ground is reached late by chance."""
    middles = [(a + (b - a) // 4, b - (b - a) // 4) for a, b in windows]
    second = [np.diff(p[a : b + 1], 2) for p in parts for a, b in middles if b - a >= 2]
    values = np.abs(np.concatenate(second)) if second else np.array([])
    values = values[np.isfinite(values)]
    if not len(values):
        return 0.0
    return float(2 * 1.4826 * np.median(values) / np.sqrt(6))


def _strike(
    times: NDArray[np.float64], y: NDArray[np.float64], start: int, stop: int, jitter: float
) -> float | None:
    """When this part of the foot first reaches its ground level in the contact (the
    `STRIKE_PERCENTILE` of its height there, less the jitter), from the frame before the band."""
    inside = y[start : stop + 1]
    if not np.isfinite(inside).any():
        return None
    level = float(np.nanpercentile(inside, STRIKE_PERCENTILE)) - jitter
    i = start - 1
    while i + 1 <= stop and not y[i + 1] >= level:
        i += 1
    if i + 1 > stop:
        return None
    return _crossing(times, y, np.full(len(y), level), i, i + 1)


def _toe_off(
    times: NDArray[np.float64], toes: NDArray[np.float64], start: int, stop: int, rise: float
) -> float | None:
    """When the toes have risen `rise` above their ground level in the contact, searching on
    from their lowest frame (a few frames past the band: at a low frame rate the toes can
    cross it after the band is left)."""
    inside = toes[start : stop + 1]
    if not np.isfinite(inside).any():
        return None
    lowest = start + int(np.nanargmax(inside))
    level = float(np.nanpercentile(inside, STRIKE_PERCENTILE)) - rise
    end = min(len(toes) - 1, stop + 3)
    k = lowest
    while k + 1 <= end and not toes[k + 1] < level:
        k += 1
    if k + 1 > end:
        return None
    return _crossing(times, toes, np.full(len(toes), level), k, k + 1)


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
    usual = float(np.median([c.band_s for c in found]))
    return [c for c in found if c.band_s >= SHORT_SHARE * usual]


def all_contacts(pose: PoseSequence, visibility: NDArray[np.float64]) -> list[Contact]:
    """Both feet's contacts, in time order."""
    both = plausible(contacts(pose, "left", visibility)) + plausible(
        contacts(pose, "right", visibility)
    )
    return sorted(both, key=lambda c: c.strike_s)


def running(found: list[Contact]) -> list[Contact]:
    """The contacts short enough for a running stance. Walking's are kept until then, so that a
    walk is told apart by its double support rather than by finding no contacts at all."""
    return [c for c in found if c.band_s <= MAX_RUNNING_CONTACT_S]


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
