"""A run (or any activity) as read from a watch's or an app's file: the summary the load, the
trends and the planner work from.

Every quantity is in SI-like units named in the field (metres, seconds, milliseconds); cadence is
always steps per minute, whatever the file said (FIT counts strides: the readers double it).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class Sport(StrEnum):
    running = "running"  # road, trail, track, treadmill: the only sport counted as running load
    walking = "walking"
    hiking = "hiking"
    cycling = "cycling"
    swimming = "swimming"
    other = "other"  # a sport the file names that glutecoach does not count
    unknown = "unknown"  # the file does not say (most GPX tracks)


# Pace bands group the gait trends so a faster run is compared with faster runs: cadence, contact
# time and vertical ratio all change with speed. Grouping only, not a norm.
PACE_BANDS: tuple[tuple[str, float], ...] = (  # (name, upper bound in seconds per km)
    ("faster than 4:30/km", 270.0),
    ("4:30–5:15/km", 315.0),
    ("5:15–6:00/km", 360.0),
    ("6:00–7:00/km", 420.0),
    ("slower than 7:00/km", float("inf")),
)


def pace_band(seconds_per_km: float) -> str:
    return next(name for name, upper in PACE_BANDS if seconds_per_km < upper)


Percent = Annotated[float, Field(ge=0, le=100)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BandMetrics(_Frozen):
    """The gait figures of the seconds a run spent in one pace band (records that carry them)."""

    band: str
    seconds: float = Field(ge=0)
    cadence_spm: float | None = None
    gct_balance_left_pct: Percent | None = None
    vertical_ratio_pct: Percent | None = None


class Run(_Frozen):
    started_at: AwareDatetime  # UTC
    utc_offset_s: int | None = None  # the local time the device kept, when the file says
    sport: Sport
    sport_detail: str | None = None  # the file's own words, e.g. "running/trail"
    distance_m: float | None = Field(default=None, ge=0)
    elapsed_s: float = Field(ge=0)
    moving_s: float | None = Field(default=None, ge=0)
    elevation_gain_m: float | None = Field(default=None, ge=0)
    avg_hr: int | None = Field(default=None, ge=20, le=260)
    max_hr: int | None = Field(default=None, ge=20, le=260)
    cadence_spm: float | None = Field(default=None, ge=0)  # steps per minute
    gct_ms: float | None = Field(default=None, ge=0)  # ground contact (stance) time
    gct_balance_left_pct: Percent | None = None  # the left foot's share of contact time
    vertical_oscillation_mm: float | None = Field(default=None, ge=0)
    vertical_ratio_pct: Percent | None = None  # oscillation / step length
    step_length_m: float | None = Field(default=None, ge=0)  # one step (Garmin: "stride length")
    records: int = Field(ge=0)  # samples (FIT records, GPX/TCX track points)
    device: str | None = None
    bands: tuple[BandMetrics, ...] = ()

    @property
    def is_running(self) -> bool:
        return self.sport == Sport.running

    @property
    def distance_km(self) -> float:
        return (self.distance_m or 0.0) / 1000

    @property
    def duration_s(self) -> float:
        """Moving time when known, elapsed otherwise: what load and pace are measured over."""
        return self.moving_s if self.moving_s else self.elapsed_s

    @property
    def pace_s_per_km(self) -> float | None:
        if not self.distance_m or self.distance_m < 100 or not self.duration_s:
            return None
        return self.duration_s / (self.distance_m / 1000)

    def local_start(self, zone: dt.tzinfo | None = None) -> dt.datetime:
        """The start in `zone`; without one, in the offset the device kept (or UTC)."""
        if zone is not None:
            return self.started_at.astimezone(zone)
        offset = dt.timezone(dt.timedelta(seconds=self.utc_offset_s or 0))
        return self.started_at.astimezone(offset)


def same_run(a: Run, b: Run) -> bool:
    """The same run from two sources (a watch's FIT and an app's GPX export): starts within two
    minutes, and durations and distances (when both have one) within 5 %."""
    if abs((a.started_at - b.started_at).total_seconds()) > 120:
        return False
    if not _close(a.elapsed_s, b.elapsed_s, 0.05) and not _close(a.duration_s, b.duration_s, 0.05):
        return False
    if a.distance_m and b.distance_m:
        return _close(a.distance_m, b.distance_m, 0.05)
    return True


def _close(x: float, y: float, share: float) -> bool:
    return abs(x - y) <= share * max(x, y, 1.0)
