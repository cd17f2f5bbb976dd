"""The runner's profile: when they run, what they race, what they have at hand."""

from __future__ import annotations

import datetime as dt
import math
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from glutecoach.domain.library.models import Equipment


class Weekday(StrEnum):
    mon = "mon"
    tue = "tue"
    wed = "wed"
    thu = "thu"
    fri = "fri"
    sat = "sat"
    sun = "sun"

    @property
    def position(self) -> int:
        """0 for Monday to 6 for Sunday, as `date.weekday()` counts."""
        return list(Weekday).index(self)

    @classmethod
    def of(cls, day: dt.date) -> Weekday:
        return list(cls)[day.weekday()]

    @property
    def label(self) -> str:
        return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[
            self.position
        ]


class Experience(StrEnum):
    beginner = "beginner"
    intermediate = "intermediate"
    advanced = "advanced"


class Race(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    date: dt.date
    distance_km: float = Field(gt=0, le=400)
    name: str | None = None


class RunnerProfile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    timezone: str = "UTC"  # IANA name, e.g. Europe/London
    start_date: dt.date  # the plan's first day
    run_days: tuple[Weekday, ...] = Field(min_length=1, max_length=7)
    long_run_day: Weekday | None = None
    hard_days: tuple[Weekday, ...] = ()  # quality sessions: intervals, tempo, hills
    weekly_km: float = Field(ge=0, le=400)  # current weekly running distance
    planned_weekly_km: tuple[float, ...] = ()  # optional, one per plan week, for spike warnings
    experience: Experience = Experience.intermediate
    race: Race | None = None
    equipment: tuple[Equipment, ...] = ()
    strength_minutes: int = Field(default=30, ge=10, le=90)  # per strength session
    strength_sessions_per_week: int = Field(default=2, ge=2, le=3)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a time zone name (e.g. Europe/London)") from None
        return value

    @field_validator("run_days", "hard_days")
    @classmethod
    def _no_repeats(cls, value: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        repeated = sorted({d.value for d in value if value.count(d) > 1})
        if repeated:
            raise ValueError(f"lists {', '.join(repeated)} more than once")
        return tuple(sorted(value, key=lambda d: d.position))

    @field_validator("planned_weekly_km")
    @classmethod
    def _distances(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if any(not math.isfinite(km) or km < 0 or km > 400 for km in value):
            raise ValueError("each planned weekly distance is 0-400 km")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RunnerProfile:
        if self.long_run_day is not None and self.long_run_day not in self.run_days:
            raise ValueError(f"long_run_day '{self.long_run_day.value}' is not one of the run_days")
        stray = [d.value for d in self.hard_days if d not in self.run_days]
        if stray:
            raise ValueError(f"hard_days {', '.join(stray)} are not run_days")
        if self.race is not None and self.race.date < self.start_date:
            raise ValueError(
                f"race date {self.race.date} is before the plan's start date {self.start_date}"
            )
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
