"""How much a gait metric moves between two analyses of the same running: its standard error of
measurement (SEM) and minimal detectable change (MDC95 = 1.96 · √2 · SEM), as
bench/gait_repeatability.py measured them and wrote them to repeatability.yaml beside this module.

They are this method's own repeatability on one runner (shifted windows of one real side-view clip
and a mirrored copy), not published figures; the file says how, when and on what. A re-test
change beyond a metric's MDC is a real change; within it, measurement error; a metric the file
does not measure has no repeatability figure. `parse_repeatability` is pure (a parsed document
in), `load_repeatability` reads the packaged file once per process.
"""

from __future__ import annotations

import datetime as dt
import math
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from glutecoach.domain.errors import DataError

FILENAME = "repeatability.yaml"
Z95_SQRT2 = 1.96 * math.sqrt(2)
# What a side clip cannot measure: these keys are listed as not measured.
REAR_VIEW_KEYS = ("pelvic_drop", "knee_fppa", "lateral_trunk_lean", "step_width")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MetricError(_Strict):
    sem: float = Field(gt=0, allow_inf_nan=False)  # in the metric's unit
    mdc95: float = Field(gt=0, allow_inf_nan=False)  # 1.96 · √2 · sem, in the metric's unit
    unit: str = Field(min_length=1)
    n: int = Field(ge=3)  # analyses the SEM rests on
    mean: float | None = None  # the metric over those analyses, for reference
    sd_across_windows: float | None = Field(default=None, ge=0)
    sd_across_copies: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _mdc_follows_sem(self) -> MetricError:
        if not math.isclose(self.mdc95, Z95_SQRT2 * self.sem, rel_tol=0.02, abs_tol=0.01):
            raise ValueError(f"mdc95 {self.mdc95} is not 1.96 × √2 × sem ({self.sem})")
        return self


class Repeatability(_Strict):
    kind: Literal["glutecoach.gait.repeatability"]
    version: Literal[1]
    measured_on: dt.date
    command: str = Field(min_length=1)
    basis: str = Field(min_length=1)  # what the figures are (and are not)
    clips: tuple[str, ...] = Field(min_length=1)
    view: str
    window_s: float = Field(gt=0)
    every_s: float = Field(gt=0)
    windows: int = Field(ge=2)
    metrics: dict[str, MetricError]
    not_measured: dict[str, str] = {}  # metric key → why

    @model_validator(mode="after")
    def _measured_or_not(self) -> Repeatability:
        both = set(self.metrics) & set(self.not_measured)
        if both:
            raise ValueError(f"{sorted(both)[0]} is listed as measured and as not measured")
        return self

    def error(self, key: str, unit: str) -> MetricError | None:
        """The metric's figure when measured in this unit (a changed unit: no figure)."""
        found = self.metrics.get(key)
        return found if found is not None and found.unit == unit else None


class Verdict(StrEnum):
    real = "real change"
    noise = "within measurement error"
    unknown = "no repeatability figure"


def verdict(change: float | None, mdc: float | None) -> Verdict:
    if mdc is None or change is None:
        return Verdict.unknown
    return Verdict.real if abs(change) > mdc else Verdict.noise


def parse_repeatability(document: Any, filename: str = FILENAME) -> Repeatability:
    if not isinstance(document, dict):
        raise DataError(f"gait repeatability data error in {filename}: expected a mapping")
    try:
        return Repeatability.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(the document itself)"
        raise DataError(
            f"gait repeatability data error in {filename}, field '{where}': {first['msg']}"
        ) from None


@cache
def load_repeatability() -> Repeatability:
    text = resources.files("glutecoach.domain.gait").joinpath(FILENAME).read_text("utf-8")
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DataError(f"gait repeatability data error in {FILENAME}: {error}") from None
    return parse_repeatability(document)
