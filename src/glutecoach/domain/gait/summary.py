"""What is kept of a gait analysis: the figures a report, a re-test and the plan need, as a
serialisable model (the per-frame poses go to their own file)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from glutecoach.domain.gait.analysis import GaitAnalysis, findings
from glutecoach.domain.gait.per_step import Metric, SideQuality
from glutecoach.domain.gait.pose import View
from glutecoach.domain.gait.words import advice
from glutecoach.domain.library.library import Library
from glutecoach.domain.screening.findings import FindingKind, Reason


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StepRow(_Frozen):
    side: str
    time_s: float
    value: float


class SideSummary(_Frozen):
    side: str
    confidence: float  # mean visibility of the joints this side's values use, 0-1
    measured: bool  # False: not measured from this view (no values)
    reason: str | None = None  # why not measured, or why not used

    @property
    def usable(self) -> bool:
        """Measured, and seen well enough to count in findings and asymmetries."""
        return SideQuality(self.confidence, self.measured, self.reason).usable


class MetricSummary(_Frozen):
    key: str
    label: str
    unit: str
    median: float | None
    spread: float | None  # interquartile range over the steps
    left: float | None
    right: float | None
    # left − right, claimed only beyond twice the measured error (in `asymmetry_unit`: the
    # metric's own unit; analyses stored before the sides were checked kept % for times)
    asymmetry: float | None
    asymmetry_unit: str
    steps: int
    values: tuple[StepRow, ...] = ()
    error: float | None = None  # the metric's measured error, in its unit (gait/accuracy.py)
    asymmetry_pct: float | None = None  # a claimed time asymmetry in % (times of 100 ms or more)
    sides: tuple[SideSummary, ...] = ()  # what was seen of each side
    unpaired: str | None = None  # why no left/right difference can be claimed from this clip

    def side(self, side: str) -> SideSummary | None:
        return next((s for s in self.sides if s.side == side), None)


class ExerciseLink(_Frozen):
    id: str
    name: str


class GaitAdvice(_Frozen):
    """A figure in the words a runner acts on (gait/words.py), with its sources and what to
    train for it."""

    key: str
    text: str
    sources: tuple[str, ...] = ()
    exercises: tuple[ExerciseLink, ...] = ()


class ClipSummary(_Frozen):
    """One clip of an analysis made from several (gait/combined.py)."""

    source: str
    view: str  # left side, right side, rear or front
    cadence_spm: float
    fps: float
    duration_s: float


class GaitFinding(_Frozen):
    kind: FindingKind
    reason: Reason


class GaitSummary(_Frozen):
    kind: Literal["glutecoach.gait"] = "glutecoach.gait"
    version: Literal[1] = 1
    source: str  # the file analysed (its name)
    analysed_on: dt.date
    view: View
    fps: float
    duration_s: float
    frames: int
    found_share: float
    swaps_fixed: int
    cadence_spm: float
    steps: int
    strides_left: int
    strides_right: int
    confidence: float
    warnings: tuple[str, ...]
    metrics: tuple[MetricSummary, ...]
    findings: tuple[GaitFinding, ...]
    # With the runner's height: the height given (cm) and the body's height in the picture
    # (pixels) that turned pixels into the "cm" metrics, estimates (domain/gait/stature.py).
    height_cm: float | None = None
    body_height_px: float | None = None
    # The pose model the video went through (lite, full or heavy) and its full name; None for a
    # pose file or an analysis stored before the model could be chosen.
    model: str | None = None
    estimator: str | None = None
    advice: tuple[GaitAdvice, ...] = ()  # the figures in plain words; none in older analyses
    clips: tuple[ClipSummary, ...] = ()  # the clips of a combined analysis, in the order given

    def metric(self, key: str) -> MetricSummary | None:
        return next((m for m in self.metrics if m.key == key), None)


def summarise(
    analysis: GaitAnalysis,
    source: str,
    on: dt.date,
    library: Library,
    model: tuple[str, str] | None = None,
) -> GaitSummary:
    """`model`: the pose model's name and its full label, for a video."""
    return GaitSummary(
        source=source,
        analysed_on=on,
        view=analysis.view,
        fps=round(analysis.fps, 2),
        duration_s=round(analysis.duration_s, 2),
        frames=analysis.frames,
        found_share=round(analysis.found_share, 3),
        swaps_fixed=analysis.swaps_fixed,
        cadence_spm=analysis.cadence_spm,
        steps=analysis.steps,
        strides_left=analysis.strides["left"],
        strides_right=analysis.strides["right"],
        confidence=analysis.confidence,
        warnings=analysis.warnings,
        metrics=tuple(_metric_summary(m) for m in analysis.metrics),
        findings=tuple(
            GaitFinding(kind=k, reason=reason) for k, reason in findings(analysis, library)
        ),
        height_cm=analysis.scale.height_cm if analysis.scale else None,
        body_height_px=_r(analysis.scale.body_px, 1) if analysis.scale else None,
        model=model[0] if model else None,
        estimator=model[1] if model else None,
        advice=tuple(
            GaitAdvice(
                key=a.key,
                text=a.text,
                sources=a.sources,
                exercises=tuple(ExerciseLink(id=i, name=n) for i, n in a.exercises),
            )
            for a in advice(analysis.metrics, analysis.cadence_spm, library)
        ),
    )


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _metric_summary(m: Metric) -> MetricSummary:
    return MetricSummary(
        key=m.key,
        label=m.label,
        unit=m.unit,
        median=_r(m.median),
        spread=_r(m.spread),
        left=_r(m.side_median("left")),
        right=_r(m.side_median("right")),
        asymmetry=_r(m.asymmetry),
        asymmetry_unit=m.asymmetry_unit,
        steps=m.steps,
        values=tuple(
            StepRow(side=v.side, time_s=round(v.time_s, 3), value=v.value) for v in m.values
        ),
        error=m.error,
        asymmetry_pct=m.asymmetry_pct,
        sides=tuple(
            SideSummary(
                side=side,
                confidence=q.confidence,
                measured=q.measured,
                reason=q.reason,
            )
            for side, q in m.quality.items()
        ),
        unpaired=m.unpaired,
    )
