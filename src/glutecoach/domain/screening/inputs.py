"""What a runner tells us and what the functional tests measured: one strict model per boundary."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from glutecoach.domain.library.models import BodyArea, FeltArea


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Side(StrEnum):
    left = "left"
    right = "right"
    both = "both"


class PainArea(StrEnum):
    knee_front = "knee_front"
    knee_outside = "knee_outside"
    hip = "hip"
    groin = "groin"
    low_back = "low_back"
    hamstring = "hamstring"
    shin = "shin"
    calf_achilles = "calf_achilles"
    heel_foot = "heel_foot"
    other = "other"


PAIN_AREA_LOADS: dict[PainArea, BodyArea | None] = {
    PainArea.knee_front: BodyArea.knee,
    PainArea.knee_outside: BodyArea.knee,
    PainArea.hip: BodyArea.hip,
    PainArea.groin: BodyArea.groin,
    PainArea.low_back: BodyArea.low_back,
    PainArea.hamstring: BodyArea.hamstring,
    PainArea.shin: BodyArea.shin,
    PainArea.calf_achilles: BodyArea.calf_achilles,
    PainArea.heel_foot: BodyArea.foot,
    PainArea.other: None,
}


class PainReport(_Input):
    area: PainArea
    side: Side = Side.both
    level: int = Field(ge=0, le=10)  # 0-10 numeric rating, at its worst in the last week
    sharp: bool = False
    worsening: bool = False
    at_night_or_rest: bool = False
    swelling: bool = False
    numbness_or_tingling: bool = False
    limp: bool = False


class Background(_Input):
    years_running: float = Field(default=0, ge=0, le=80)
    weekly_km: float = Field(default=0, ge=0, le=400)
    recent_increase_pct: float | None = Field(default=None, ge=-100, le=1000)  # last 2 weeks


class Answers(_Input):
    """The questionnaire: the signs of gluteal under-use the source articles name."""

    pain: tuple[PainReport, ...] = ()
    low_back_tightness: bool = False
    hamstring_tightness: bool = False
    hamstring_strain_history: bool = False
    hip_drop_seen: bool = False
    quads_sorer_than_glutes: bool = False
    sitting_in_stride: bool = False
    low_push_off: bool = False
    current_injury: bool = False
    background: Background = Background()


class SquatObservation(_Input):
    """Five slow single-leg squats, watched from the front (Crossley et al. 2011)."""

    knee_caves_in: bool = False
    pelvis_drops: bool = False
    trunk_leans: bool = False


T = TypeVar("T")
Seconds = Annotated[float, Field(ge=0, le=900)]
Reps = Annotated[int, Field(ge=0, le=200)]


class PerSide(BaseModel, Generic[T]):
    model_config = ConfigDict(frozen=True, extra="forbid")
    left: T
    right: T


class FunctionalTests(_Input):
    side_plank_s: PerSide[Seconds] | None = None  # seconds held, per side (side lying on)
    single_leg_bridge_reps: PerSide[Reps] | None = None  # reps to failure, per side
    single_leg_squat: PerSide[SquatObservation] | None = None
    clamshell_felt: PerSide[FeltArea] | None = None  # where the clamshell was felt


class ScreeningInput(_Input):
    answers: Answers = Answers()
    tests: FunctionalTests = FunctionalTests()
