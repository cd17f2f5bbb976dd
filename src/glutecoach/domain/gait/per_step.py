"""A gait metric as one value per step (or per contact), summarised as median, spread and
left/right asymmetry, each with the number of steps it rests on."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from glutecoach.domain.gait.events import Contact


@dataclass(frozen=True)
class StepValue:
    side: str
    time_s: float
    value: float


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    values: tuple[StepValue, ...]  # per step (or per contact), both sides

    @property
    def steps(self) -> int:
        return len(self.values)

    def _of(self, side: str | None = None) -> NDArray[np.float64]:
        return np.array([v.value for v in self.values if side is None or v.side == side])

    @property
    def median(self) -> float | None:
        found = self._of()
        return float(np.median(found)) if len(found) else None

    @property
    def spread(self) -> float | None:
        """The interquartile range: how much the steps differ from each other."""
        found = self._of()
        if len(found) < 2:
            return None
        q1, q3 = np.percentile(found, [25, 75])
        return float(q3 - q1)

    def side_median(self, side: str) -> float | None:
        found = self._of(side)
        return float(np.median(found)) if len(found) else None

    @property
    def asymmetry(self) -> float | None:
        """Left minus right: in percent of their mean for times, in the metric's own unit for
        angles and distances (a percentage of a small signed angle means nothing)."""
        left, right = self.side_median("left"), self.side_median("right")
        if left is None or right is None:
            return None
        if self.unit != "ms":
            return round(left - right, 2)
        mean = (left + right) / 2
        return round((left - right) / mean * 100, 1) if mean else None

    @property
    def asymmetry_unit(self) -> str:
        return "%" if self.unit == "ms" else self.unit


def per_contact(
    contacts: Sequence[Contact], measure: Callable[[Contact], float | None]
) -> tuple[StepValue, ...]:
    """The measure of each contact, rounded; a contact it cannot measure is left out."""
    out = []
    for c in contacts:
        value = measure(c)
        if value is not None and math.isfinite(value):
            out.append(StepValue(c.side, c.strike_s, round(value, 2)))
    return tuple(out)


def in_cm(
    key: str,
    label: str,
    contacts: Sequence[Contact],
    px: Callable[[Contact], float | None],
    cm_per_px: float,
) -> Metric:
    """A distance per contact in centimetres, an estimate from the runner's height."""

    def measure(c: Contact) -> float | None:
        found = px(c)
        return None if found is None else found * cm_per_px

    return Metric(key, f"{label} (est. from height)", "cm", per_contact(contacts, measure))
