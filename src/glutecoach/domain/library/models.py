"""The exercise library's vocabulary and records, validated on load.

Every record is frozen: the library is reference data shared by every plan built in a process.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

SLUG = r"^[a-z][a-z0-9_]*$"


class Muscle(StrEnum):
    glute_med = "glute_med"
    glute_max = "glute_max"
    glute_min = "glute_min"
    tfl = "tfl"
    hamstrings = "hamstrings"
    quadriceps = "quadriceps"
    adductors = "adductors"
    hip_flexors = "hip_flexors"
    calves = "calves"
    core = "core"
    obliques = "obliques"
    erector_spinae = "erector_spinae"
    foot = "foot"


class Category(StrEnum):
    warm_up = "warm_up"
    activation = "activation"
    strength = "strength"
    power = "power"
    drill = "drill"
    mobility = "mobility"
    recovery = "recovery"


class Equipment(StrEnum):
    mini_band = "mini_band"
    long_band = "long_band"
    dumbbell = "dumbbell"
    box = "box"
    foam_roller = "foam_roller"


class Position(StrEnum):
    standing = "standing"
    single_leg_stance = "single_leg_stance"
    supine = "supine"
    side_lying = "side_lying"
    prone = "prone"
    quadruped = "quadruped"
    plank = "plank"
    side_plank = "side_plank"
    kneeling = "kneeling"
    half_kneeling = "half_kneeling"
    seated = "seated"
    moving = "moving"


class Quality(StrEnum):
    """What an exercise trains; screening findings ask for qualities, not for exercise ids."""

    hip_abduction = "hip_abduction"
    hip_extension = "hip_extension"
    hip_external_rotation = "hip_external_rotation"
    pelvic_control = "pelvic_control"
    single_leg_control = "single_leg_control"
    trunk_control = "trunk_control"
    foot_control = "foot_control"
    adductor_strength = "adductor_strength"
    power = "power"
    mobility = "mobility"
    recovery = "recovery"
    warm_up = "warm_up"


class BodyArea(StrEnum):
    """Areas an exercise loads; a red flag in an area removes the exercises that load it."""

    knee = "knee"
    hip = "hip"
    groin = "groin"
    low_back = "low_back"
    hamstring = "hamstring"
    shin = "shin"
    calf_achilles = "calf_achilles"
    foot = "foot"


class FeltArea(StrEnum):
    """Where a runner felt an exercise: the articles' 'where did you feel it' question."""

    glutes = "glutes"
    hamstring = "hamstring"
    low_back = "low_back"
    side_of_thigh = "side_of_thigh"
    front_of_hip = "front_of_hip"
    quads = "quads"
    calf = "calf"
    nothing = "nothing"


class EvidenceStatus(StrEnum):
    """EVIDENCE.md's confidence levels that may be shipped; UNCONFIRMED figures may not."""

    confirmed = "confirmed"
    secondary = "secondary"


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


def _as_range(value: Any) -> Any:
    """Let the YAML say `12`, `[10, 15]` or `{low: 10, high: 15}`, and a person type "12" or
    "10-15" (a form field, a command-line option)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return {"low": value, "high": value}
    if isinstance(value, str):
        low, _, high = value.replace("–", "-").partition("-")
        return {"low": low.strip(), "high": (high or low).strip()}
    if isinstance(value, list | tuple) and len(value) == 2:
        return {"low": value[0], "high": value[1]}
    return value


class IntRange(_Record):
    low: int = Field(ge=1)
    high: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> IntRange:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        return self

    def __str__(self) -> str:
        return range_text(self.low, self.high)


def range_text(low: int, high: int) -> str:
    """A range as a person reads it: "12", "10–15"."""
    return str(low) if low == high else f"{low}–{high}"


Range = Annotated[IntRange, BeforeValidator(_as_range)]

_TEMPO = re.compile(r"^\d+(-\d+){1,3}$")
DosageUnit = Literal["reps", "hold_s", "steps", "minutes"]


class Dosage(_Record):
    """Default dosage. Exactly one of reps, hold_s (seconds), steps, minutes is set."""

    sets: int = Field(ge=1, le=10)
    reps: Range | None = None
    hold_s: Range | None = None  # seconds per hold
    steps: Range | None = None  # steps each way
    minutes: Range | None = None  # per area, or per block
    tempo: str | None = None  # seconds per phase, e.g. "2-1-2" (up-hold-down)
    rest_s: int = Field(default=30, ge=0, le=300)  # seconds between sets
    ceiling: int | None = Field(default=None, ge=1)  # reps/seconds/steps before moving on
    basis: str | None = None  # where the numbers come from (article, convention)

    @model_validator(mode="after")
    def _one_measure(self) -> Dosage:
        given = [name for name in ("reps", "hold_s", "steps", "minutes") if getattr(self, name)]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of reps, hold_s, steps, minutes"
                + (f" (got {', '.join(given)})" if given else "")
            )
        if self.tempo is not None and not _TEMPO.match(self.tempo):
            raise ValueError(f"tempo {self.tempo!r} is not like '2-1-2' (seconds per phase)")
        target = self.amount
        if self.ceiling is not None and self.ceiling < target.high:
            raise ValueError(f"ceiling ({self.ceiling}) is below the range's top ({target.high})")
        return self

    @property
    def unit(self) -> DosageUnit:
        units: tuple[DosageUnit, ...] = ("reps", "hold_s", "steps", "minutes")
        for name in units:
            if getattr(self, name) is not None:
                return name
        raise AssertionError("validated dosage has a measure")

    @property
    def amount(self) -> IntRange:
        value = getattr(self, self.unit)
        assert isinstance(value, IntRange)
        return value


class EmgFigure(_Record):
    """One published EMG figure, as % of maximum voluntary isometric contraction (%MVIC)."""

    muscle: Literal["glute_med", "glute_max", "tfl", "adductor_longus"]
    measure: Literal["mean", "peak", "range"] = "mean"
    value_pct: float | None = Field(default=None, ge=0, le=400)  # mean or peak %MVIC
    sd_pct: float | None = Field(default=None, ge=0, le=200)
    low_pct: float | None = Field(default=None, ge=0, le=400)  # range across studies
    high_pct: float | None = Field(default=None, ge=0, le=400)
    load: Literal["bodyweight", "loaded"] = "bodyweight"  # loaded = e.g. a 10RM external load
    condition: str = Field(min_length=3)
    source: str = Field(pattern=SLUG)
    status: EvidenceStatus

    @model_validator(mode="after")
    def _shape(self) -> EmgFigure:
        if self.measure == "range":
            if self.low_pct is None or self.high_pct is None or self.value_pct is not None:
                raise ValueError("a range gives low_pct and high_pct, not value_pct")
            if self.low_pct > self.high_pct:
                raise ValueError("low_pct is above high_pct")
        elif self.value_pct is None or self.low_pct is not None or self.high_pct is not None:
            raise ValueError(f"a {self.measure} gives value_pct, not low_pct/high_pct")
        return self

    @property
    def representative_pct(self) -> float:
        """One number to rank by: the mean, the peak, or a range's midpoint."""
        if self.value_pct is not None:
            return self.value_pct
        assert self.low_pct is not None and self.high_pct is not None
        return (self.low_pct + self.high_pct) / 2

    def __str__(self) -> str:
        if self.measure == "range":
            return f"{self.low_pct:g}–{self.high_pct:g} %MVIC (range across studies)"
        sd = f" ± {self.sd_pct:g}" if self.sd_pct is not None else ""
        return f"{self.value_pct:g}{sd} %MVIC ({self.measure})"


class GtaFigure(_Record):
    """Gluteal-to-TFL activation index (Selkowitz et al. 2013): higher favours the glutes."""

    index: float = Field(ge=0, le=500)
    condition: str | None = None
    source: str = Field(pattern=SLUG)
    status: EvidenceStatus


class Fault(_Record):
    fault: str = Field(min_length=3)
    fix: str = Field(min_length=3)


class Exercise(_Record):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=2)
    aliases: tuple[str, ...] = ()
    category: Category
    primary_muscles: tuple[Muscle, ...] = Field(min_length=1)
    secondary_muscles: tuple[Muscle, ...] = ()
    trains: tuple[Quality, ...] = Field(min_length=1)
    loads: tuple[BodyArea, ...] = ()
    equipment: tuple[Equipment, ...] = ()  # what is needed; empty means nothing
    position: Position
    per_side: bool
    difficulty: int = Field(ge=1, le=5)
    dosage: Dosage
    setup: tuple[str, ...] = Field(min_length=1)
    cues: tuple[str, ...] = Field(min_length=1)
    feel_it: str = Field(min_length=3)  # where the runner should feel it
    faults: tuple[Fault, ...] = ()
    felt_elsewhere: dict[FeltArea, str] = Field(default_factory=dict)  # what to do if felt there
    progressions: tuple[str, ...] = ()  # harder next steps (exercise ids)
    regressions: tuple[str, ...] = ()  # easier steps (exercise ids)
    avoid_when: tuple[str, ...] = ()
    emg: tuple[EmgFigure, ...] = ()
    gta: tuple[GtaFigure, ...] = ()
    evidence_note: str | None = None  # e.g. "no published EMG figure found"

    @model_validator(mode="after")
    def _consistent(self) -> Exercise:
        if FeltArea.glutes in self.felt_elsewhere:
            raise ValueError("felt_elsewhere is for the wrong places; 'glutes' is the target")
        overlap = set(self.primary_muscles) & set(self.secondary_muscles)
        if overlap:
            raise ValueError(f"{sorted(overlap)} are both primary and secondary muscles")
        if self.id in self.progressions or self.id in self.regressions:
            raise ValueError("an exercise cannot progress or regress to itself")
        if not self.emg and not self.evidence_note:
            raise ValueError("no EMG figure: say why in evidence_note")
        return self

    def best_emg(self, muscle: str) -> EmgFigure | None:
        """The highest figure for a muscle, bodyweight figures first: the library prescribes
        bodyweight or band versions, so a 10RM-loaded figure only ranks when nothing else exists."""
        figures = [f for f in self.emg if f.muscle == muscle]
        return max(
            figures, key=lambda f: (f.load == "bodyweight", f.representative_pct), default=None
        )

    def activation_pct(self, muscle: str) -> float | None:
        best = self.best_emg(muscle)
        return None if best is None else best.representative_pct


class Source(_Record):
    id: str = Field(pattern=SLUG)
    authors: str = Field(min_length=2)
    year: int = Field(ge=1900, le=2100)
    title: str | None = None  # None where the title was not captured
    journal: str = Field(min_length=2)
    url: str | None = None
    label: str | None = None  # a short name where the authors were not captured

    def citation(self) -> str:
        title = f" {self.title}." if self.title else ""
        return f"{self.authors} ({self.year}).{title} {self.journal}."

    def short(self) -> str:
        """'DiStefano 2009': the first author's surname and the year, or the label."""
        if self.label:
            return self.label
        return f"{self.authors.split(',')[0].split()[0]} {self.year}"


class Threshold(_Record):
    """A number a rule compares against, with where it comes from."""

    id: str = Field(pattern=SLUG)
    value: float
    sd: float | None = None  # for a published norm given as mean ± SD
    unit: str
    basis: Literal["published", "convention"]
    source: str | None = Field(default=None, pattern=SLUG)
    note: str = Field(min_length=10)

    @model_validator(mode="after")
    def _sourced(self) -> Threshold:
        if self.basis == "published" and self.source is None:
            raise ValueError("a published threshold names its source")
        return self


class RunCue(_Record):
    """An in-run technique cue, with why it helps and which findings make it a priority."""

    id: str = Field(pattern=SLUG)
    cue: str = Field(min_length=3)
    why: str = Field(min_length=10)
    for_findings: tuple[str, ...] = ()
    source: str | None = Field(default=None, pattern=SLUG)
