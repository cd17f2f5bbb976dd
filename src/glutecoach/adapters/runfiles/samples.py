"""A run's samples (FIT records, GPX/TCX track points) and the summary every format shares:
distance, moving time, elevation gain, heart rate, cadence and the gait figures per pace band.

The samples arrive as parallel lists, one entry per sample, `None` where a sample lacks a value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from glutecoach.domain.runs import PACE_BANDS, BandMetrics

# A stretch between two samples counts as moving when it covers at least this speed (1.8 km/h,
# slower than any walk): a convention that keeps pauses and auto-pause gaps out of moving time.
MOVING_SPEED_M_S = 0.5
# Elevation gain counts a climb once the altitude has risen this far past the last low point:
# GPS altitude jitters by metres, and adding every jitter inflates the gain. A convention.
ELEVATION_HYSTERESIS_M = 2.0
EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


@dataclass
class Samples:
    time_s: list[float] = field(default_factory=list)  # Unix seconds
    distance_m: list[float | None] = field(default_factory=list)  # cumulative, as the file says
    lat: list[float | None] = field(default_factory=list)  # degrees
    lon: list[float | None] = field(default_factory=list)
    altitude_m: list[float | None] = field(default_factory=list)
    heart_rate: list[float | None] = field(default_factory=list)
    cadence_spm: list[float | None] = field(default_factory=list)  # steps/min
    gct_balance: list[float | None] = field(default_factory=list)  # % left
    vertical_ratio: list[float | None] = field(default_factory=list)  # %

    def __len__(self) -> int:
        return len(self.time_s)

    def add(self, time_s: float, **values: float | None) -> None:
        self.time_s.append(time_s)
        for name in _COLUMNS:
            getattr(self, name).append(values.get(name))


_COLUMNS = (
    "distance_m",
    "lat",
    "lon",
    "altitude_m",
    "heart_rate",
    "cadence_spm",
    "gct_balance",
    "vertical_ratio",
)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def cumulative_distance(samples: Samples) -> list[float]:
    """The file's own distances when every sample has one; else summed from the positions."""
    given = samples.distance_m
    if given and all(d is not None for d in given):
        return [float(d) for d in given if d is not None]
    total, out = 0.0, []
    last: tuple[float, float] | None = None
    for lat, lon in zip(samples.lat, samples.lon, strict=True):
        if lat is not None and lon is not None:
            if last is not None:
                total += haversine_m(last[0], last[1], lat, lon)
            last = (lat, lon)
        out.append(total)
    return out


def elevation_gain(altitudes: Sequence[float | None]) -> float | None:
    known = [a for a in altitudes if a is not None]
    if len(known) < 2:
        return None
    gain, low = 0.0, known[0]
    for altitude in known[1:]:
        if altitude < low:
            low = altitude
        elif altitude - low >= ELEVATION_HYSTERESIS_M:
            gain += altitude - low
            low = altitude
    return gain


def _mean(values: Sequence[float | None], positive: bool = False) -> float | None:
    kept = [v for v in values if v is not None and (v > 0 or not positive)]
    return sum(kept) / len(kept) if kept else None


def summarise(samples: Samples) -> dict[str, Any]:
    """The summary fields of a `Run` that the samples can give (the caller may know better)."""
    if not samples.time_s:
        return {"records": 0}
    distance = cumulative_distance(samples)
    moving = 0.0
    bands: dict[str, list[float]] = {}  # band -> [seconds, cad*s, cad s, bal*s, bal s, vr*s, vr s]
    for i in range(1, len(samples.time_s)):
        seconds = samples.time_s[i] - samples.time_s[i - 1]
        metres = distance[i] - distance[i - 1]
        if seconds <= 0 or metres / seconds < MOVING_SPEED_M_S:
            continue
        moving += seconds
        pace = seconds / metres * 1000
        band = next(name for name, upper in PACE_BANDS if pace < upper)
        sums = bands.setdefault(band, [0.0] * 7)
        sums[0] += seconds
        for k, column in (
            (1, samples.cadence_spm),
            (3, samples.gct_balance),
            (5, samples.vertical_ratio),
        ):
            value = column[i]
            if value is not None and value > 0:
                sums[k] += value * seconds
                sums[k + 1] += seconds
    hr = [h for h in samples.heart_rate if h is not None and h > 0]
    return {
        "distance_m": distance[-1] if distance[-1] > 0 else None,
        "elapsed_s": samples.time_s[-1] - samples.time_s[0],
        "moving_s": moving,
        "elevation_gain_m": elevation_gain(samples.altitude_m),
        "avg_hr": round(sum(hr) / len(hr)) if hr else None,
        "max_hr": round(max(hr)) if hr else None,
        "cadence_spm": _mean(samples.cadence_spm, positive=True),
        "gct_balance_left_pct": _mean(samples.gct_balance, positive=True),
        "vertical_ratio_pct": _mean(samples.vertical_ratio, positive=True),
        "records": len(samples.time_s),
        "bands": tuple(_band(name, bands[name]) for name, _ in PACE_BANDS if name in bands),
    }


def _band(name: str, sums: list[float]) -> BandMetrics:
    def avg(k: int) -> float | None:
        return round(sums[k] / sums[k + 1], 2) if sums[k + 1] else None

    return BandMetrics(
        band=name,
        seconds=round(sums[0], 1),
        cadence_spm=avg(1),
        gct_balance_left_pct=avg(3),
        vertical_ratio_pct=avg(5),
    )
