"""A gait metric as one value per step (or per contact), summarised as median, spread and
left/right asymmetry, each with the number of steps it rests on; and, per side, how well it was
seen (`SideQuality`): a side not measured from this view has no values at all, a side seen
poorly keeps its values, to be shown greyed, but never counts in the median, a finding or an
asymmetry. An asymmetry is claimed only where both sides were measured well and they differ by
more than twice the metric's measured error (accuracy.py: each side can be off by that much,
in either direction), in the metric's own unit."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from glutecoach.domain.gait.events import Contact


@dataclass(frozen=True)
class StepValue:
    side: str
    time_s: float
    value: float


MIN_SIDE_CONFIDENCE = 0.5  # a side's joints seen less than this on average: greyed, not used
MIN_SHARE_MS = 100.0  # a time shorter than this: no asymmetry as a percentage of it


@dataclass(frozen=True)
class SideQuality:
    confidence: float  # mean visibility of the joints this side's values use, 0-1
    measured: bool = True  # False: not measured from this view (the leg is hidden)
    reason: str | None = None  # why it is not measured or not to be trusted

    @property
    def usable(self) -> bool:
        return self.measured and self.reason is None and self.confidence >= MIN_SIDE_CONFIDENCE


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    values: tuple[StepValue, ...]  # per step (or per contact), both sides
    error: float | None = None  # the metric's measured error, in its unit (accuracy.py)
    quality: dict[str, SideQuality] = field(default_factory=dict)  # by side; none: both fine
    unpaired: str | None = None  # why no left/right difference can be claimed from this clip

    @property
    def steps(self) -> int:
        return len(self.values)

    def usable(self, side: str) -> bool:
        found = self.quality.get(side)
        return found is None or found.usable

    def _of(self, side: str | None = None) -> NDArray[np.float64]:
        return np.array(
            [
                v.value
                for v in self.values
                if (side is None and self.usable(v.side)) or v.side == side
            ]
        )

    @property
    def median(self) -> float | None:
        """Over the steps of the sides measured well."""
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
        """Left minus right in the metric's own unit, only where both sides were measured well
        and differ by more than twice the metric's measured error; None otherwise (a metric
        with no measured error claims none)."""
        left, right = self.side_median("left"), self.side_median("right")
        if left is None or right is None or self.error is None or self.unpaired:
            return None
        if not (self.usable("left") and self.usable("right")):
            return None
        gap = left - right
        return round(gap, 2) if abs(gap) > 2 * self.error else None

    @property
    def asymmetry_unit(self) -> str:
        return self.unit

    @property
    def asymmetry_pct(self) -> float | None:
        """A claimed asymmetry as a percentage of the two sides' mean, for times of 100 ms or
        more only: 15 ms is 50 % of a 30 ms flight, which says nothing a runner can use."""
        gap = self.asymmetry
        left, right = self.side_median("left"), self.side_median("right")
        if gap is None or left is None or right is None or self.unit != "ms":
            return None
        mean = (left + right) / 2
        return round(gap / mean * 100, 1) if mean >= MIN_SHARE_MS else None


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
