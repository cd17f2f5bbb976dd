"""What screening concludes: findings with their reasons, asymmetries, and referrals."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from glutecoach.domain.library.models import BodyArea, Quality
from glutecoach.domain.screening.inputs import PainArea, ScreeningInput, Side


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FindingKind(StrEnum):
    hip_abductor_weakness = "hip_abductor_weakness"
    hip_extensor_underuse = "hip_extensor_underuse"
    quad_dominant_push_off = "quad_dominant_push_off"
    foot_loading = "foot_loading"
    trunk_control = "trunk_control"
    running_load_spike = "running_load_spike"
    contact_time_imbalance = "contact_time_imbalance"  # from run files' running dynamics
    low_cadence = "low_cadence"  # from gait video: a slow step rate or landing far ahead


TITLES: dict[FindingKind, str] = {
    FindingKind.hip_abductor_weakness: "Weak hip abductors / poor pelvic control",
    FindingKind.hip_extensor_underuse: "Under-used hip extensors",
    FindingKind.quad_dominant_push_off: "Quad-dominant push-off",
    FindingKind.foot_loading: "Foot loading",
    FindingKind.trunk_control: "Trunk control",
    FindingKind.running_load_spike: "Running load spike",
    FindingKind.contact_time_imbalance: "Left/right ground contact imbalance",
    FindingKind.low_cadence: "Low cadence / overstriding",
}

QUALITIES: dict[FindingKind, tuple[Quality, ...]] = {
    FindingKind.hip_abductor_weakness: (
        Quality.hip_abduction,
        Quality.pelvic_control,
        Quality.hip_external_rotation,
    ),
    FindingKind.hip_extensor_underuse: (Quality.hip_extension,),
    FindingKind.quad_dominant_push_off: (
        Quality.hip_extension,
        Quality.single_leg_control,
        Quality.power,
    ),
    FindingKind.foot_loading: (Quality.foot_control,),
    FindingKind.trunk_control: (Quality.trunk_control, Quality.pelvic_control),
    FindingKind.running_load_spike: (),
    # Uneven contact time is a sign to screen, not a diagnosis: single-leg strength and pelvic
    # control are what the programme can train on each side.
    FindingKind.contact_time_imbalance: (
        Quality.single_leg_control,
        Quality.hip_abduction,
        Quality.pelvic_control,
    ),
    # answered by a run cue (a quicker step rate), and hip extension for the push-off
    FindingKind.low_cadence: (Quality.hip_extension,),
}

Severity = Literal["mild", "moderate", "marked"]


class Reason(_Result):
    """One answer or test result that led to a finding, with the evidence behind reading it so."""

    text: str
    sources: tuple[str, ...] = ()
    side: Side | None = None
    kind: Literal["asymmetry", "test", "pain", "answer"] = "answer"


class Finding(_Result):
    kind: FindingKind
    title: str
    severity: Severity
    side: Side | None = None  # the weaker side when the signs point to one
    reasons: tuple[Reason, ...] = Field(min_length=1)
    exercises: tuple[str, ...] = ()  # ids that address it, best first

    @property
    def summary(self) -> str:
        """The most telling reason: a left/right gap, a test result, pain, then answers."""
        order = ("asymmetry", "test", "pain", "answer")
        return min(self.reasons, key=lambda r: order.index(r.kind)).text


class Asymmetry(_Result):
    test: str
    left: float
    right: float
    difference_pct: float
    weaker: Side
    threshold_pct: float


class Referral(_Result):
    area: PainArea
    side: Side
    red_flags: tuple[str, ...]
    message: str


class Screening(_Result):
    """A saved screening: what was asked and measured, and what it means. The planner reads this."""

    kind: Literal["glutecoach.screening"] = "glutecoach.screening"
    version: Literal[1] = 1
    screened_on: dt.date
    input: ScreeningInput
    findings: tuple[Finding, ...] = ()
    asymmetries: tuple[Asymmetry, ...] = ()
    referrals: tuple[Referral, ...] = ()
    excluded_areas: tuple[BodyArea, ...] = ()  # no exercise loading these is prescribed

    def finding(self, kind: FindingKind) -> Finding | None:
        return next((f for f in self.findings if f.kind == kind), None)

    @property
    def blocks_programme(self) -> bool:
        """A red flag at the hip stops the whole glute programme: nearly every exercise loads it."""
        return BodyArea.hip in self.excluded_areas or any(
            r.area == PainArea.other for r in self.referrals
        )
