"""The plan: weeks → days → sessions → prescriptions, each with the reason it is there."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from glutecoach.domain.library.models import DosageUnit, IntRange
from glutecoach.domain.planning.profile import Race, Weekday
from glutecoach.domain.screening.findings import FindingKind, Severity
from glutecoach.domain.screening.inputs import Side


class _Plan(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SessionKind(StrEnum):
    pre_run_activation = "pre_run_activation"
    dynamic_warm_up = "dynamic_warm_up"
    strength = "strength"
    post_run_recovery = "post_run_recovery"
    run_cue = "run_cue"


class RunKind(StrEnum):
    rest = "rest"
    easy = "easy"
    hard = "hard"
    long = "long"
    race = "race"


class Phase(StrEnum):
    foundation = "foundation"
    strength = "strength"
    integration = "integration"


class WeekKind(StrEnum):
    build = "build"
    deload = "deload"
    taper = "taper"


class Prescription(_Plan):
    exercise_id: str
    name: str
    sets: int
    unit: DosageUnit
    amount: IntRange
    per_side: bool
    extra_set_side: Side | None = None  # one more set on the weaker side
    tempo: str | None = None
    rest_s: int
    reason: str

    @property
    def dose(self) -> str:
        unit = {"reps": "reps", "hold_s": "s hold", "steps": "steps", "minutes": "min"}[self.unit]
        side = " per side" if self.per_side else ""
        extra = f" (+1 set {self.extra_set_side.value})" if self.extra_set_side else ""
        return f"{self.sets} × {self.amount} {unit}{side}{extra}"

    @property
    def volume(self) -> int:
        """Sets × the top of the range (× 2 sides): how much work, for comparing weeks."""
        sides = 2 if self.per_side else 1
        extra = self.amount.high if self.extra_set_side else 0
        return self.sets * self.amount.high * sides + extra


class RunCueNote(_Plan):
    id: str
    cue: str
    why: str
    source: str | None = None


class HeldBack(_Plan):
    """A prescription pain keeps out of its session until it is cleared (progression/safety.py),
    kept with the session so it comes back as it was."""

    prescription: Prescription
    reason: str  # why it is out and what brings it back
    replaced_by: str | None = None  # the alternative put in its place, which goes when it returns


class Session(_Plan):
    kind: SessionKind
    title: str
    minutes: int  # estimated, whole minutes
    reason: str
    prescriptions: tuple[Prescription, ...] = ()
    cue: RunCueNote | None = None
    held: tuple[HeldBack, ...] = ()


class Day(_Plan):
    date: dt.date
    weekday: Weekday
    run: RunKind
    sessions: tuple[Session, ...] = ()

    def session(self, kind: SessionKind) -> Session | None:
        return next((s for s in self.sessions if s.kind == kind), None)


class Week(_Plan):
    number: int
    start: dt.date
    phase: Phase
    kind: WeekKind
    volume_factor: float  # of the usual strength/activation volume
    notes: tuple[str, ...] = ()
    days: tuple[Day, ...]

    @property
    def strength_days(self) -> list[Day]:
        return [d for d in self.days if d.session(SessionKind.strength)]

    @property
    def strength_volume(self) -> int:
        return sum(
            p.volume
            for d in self.days
            for s in d.sessions
            if s.kind == SessionKind.strength
            for p in s.prescriptions
        )


class FindingNote(_Plan):
    kind: FindingKind
    title: str
    severity: Severity
    side: Side | None
    summary: str


class Plan(_Plan):
    kind: Literal["glutecoach.plan"] = "glutecoach.plan"
    version: Literal[1] = 1
    runner: str
    timezone: str
    start: dt.date
    end: dt.date
    race: Race | None = None
    strength_weekdays: tuple[Weekday, ...]
    findings: tuple[FindingNote, ...] = ()
    referrals: tuple[str, ...] = ()  # messages: areas left out until a clinician has seen them
    notes: tuple[str, ...] = ()  # plan-wide decisions and why
    weeks: tuple[Week, ...]

    @property
    def days(self) -> list[Day]:
        return [d for w in self.weeks for d in w.days]
