"""What the runner logged: sessions done or skipped, each exercise's sets, soreness, runs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from glutecoach.domain.library.models import DosageUnit, FeltArea, IntRange
from glutecoach.domain.planning.plan import RunKind, SessionKind

Amount = Annotated[int, Field(ge=0, le=3600)]  # reps, seconds, steps or minutes in one set


class _Log(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExerciseLog(_Log):
    """One exercise as done, beside what was prescribed for it that day."""

    exercise_id: str
    unit: DosageUnit
    prescribed_sets: int = Field(ge=1, le=20)
    prescribed: IntRange  # the prescribed range, e.g. 10-15 reps
    sets: tuple[Amount, ...] = Field(max_length=20)  # achieved per set; empty = none done
    load: str | None = Field(default=None, max_length=40)  # band colour or weight, as said
    effort: int = Field(ge=1, le=10)  # RPE 1-10
    felt: FeltArea
    pain: int = Field(ge=0, le=10)

    @property
    def completed(self) -> bool:
        """Every prescribed set done, each at least at the bottom of the range."""
        return len(self.sets) >= self.prescribed_sets and all(
            a >= self.prescribed.low for a in self.sets[: self.prescribed_sets]
        )

    @property
    def at_top(self) -> bool:
        return len(self.sets) >= self.prescribed_sets and all(
            a >= self.prescribed.high for a in self.sets[: self.prescribed_sets]
        )


class SessionLog(_Log):
    date: dt.date
    session: SessionKind
    status: Literal["done", "skipped"]
    skip_reason: str | None = Field(default=None, max_length=200)
    exercises: tuple[ExerciseLog, ...] = ()
    plan_version: int = Field(ge=1)

    @model_validator(mode="after")
    def _consistent(self) -> SessionLog:
        if self.status == "skipped" and self.exercises:
            raise ValueError("a skipped session has no exercises")
        if self.status == "skipped" and not self.skip_reason:
            raise ValueError("say why the session was skipped (skip_reason)")
        ids = [e.exercise_id for e in self.exercises]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"{', '.join(repeated)} logged twice in one session")
        return self


class SorenessLog(_Log):
    """Next-day muscle soreness (DOMS), 0 = none, 10 = worst imaginable."""

    date: dt.date
    level: int = Field(ge=0, le=10)
    note: str | None = Field(default=None, max_length=200)


class RunLog(_Log):
    """A run done, when no run file is imported."""

    date: dt.date
    kind: RunKind = RunKind.easy
    distance_km: float = Field(ge=0, le=400)
    minutes: float = Field(ge=0, le=48 * 60)
