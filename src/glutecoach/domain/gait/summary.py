"""What is kept of a gait analysis: the figures a report, a re-test and the plan need, as a
serialisable model (the per-frame poses go to their own file)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from glutecoach.domain.gait.analysis import GaitAnalysis, findings
from glutecoach.domain.gait.pose import View
from glutecoach.domain.library.library import Library
from glutecoach.domain.screening.findings import FindingKind, Reason


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StepRow(_Frozen):
    side: str
    time_s: float
    value: float


class MetricSummary(_Frozen):
    key: str
    label: str
    unit: str
    median: float | None
    spread: float | None  # interquartile range over the steps
    left: float | None
    right: float | None
    asymmetry: float | None  # left − right (in % of the mean for times)
    asymmetry_unit: str
    steps: int
    values: tuple[StepRow, ...] = ()


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

    def metric(self, key: str) -> MetricSummary | None:
        return next((m for m in self.metrics if m.key == key), None)


def summarise(analysis: GaitAnalysis, source: str, on: dt.date, library: Library) -> GaitSummary:
    def r(value: float | None, digits: int = 2) -> float | None:
        return None if value is None else round(value, digits)

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
        metrics=tuple(
            MetricSummary(
                key=m.key,
                label=m.label,
                unit=m.unit,
                median=r(m.median),
                spread=r(m.spread),
                left=r(m.side_median("left")),
                right=r(m.side_median("right")),
                asymmetry=r(m.asymmetry),
                asymmetry_unit=m.asymmetry_unit,
                steps=m.steps,
                values=tuple(
                    StepRow(side=v.side, time_s=round(v.time_s, 3), value=v.value) for v in m.values
                ),
            )
            for m in analysis.metrics
        ),
        findings=tuple(
            GaitFinding(kind=k, reason=reason) for k, reason in findings(analysis, library)
        ),
        height_cm=analysis.scale.height_cm if analysis.scale else None,
        body_height_px=r(analysis.scale.body_px, 1) if analysis.scale else None,
    )
