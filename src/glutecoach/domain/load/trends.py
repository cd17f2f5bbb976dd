"""Gait trends from run files, per pace band: cadence, ground-contact-time balance and vertical
ratio change with speed, so each band is followed on its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from glutecoach.domain.runs import PACE_BANDS, Run

RECENT_DAYS = 28  # "recent" and "the weeks before": four weeks each


@dataclass(frozen=True)
class TrendPoint:
    day: dt.date
    band: str
    seconds: float
    cadence_spm: float | None
    gct_balance_left_pct: float | None
    vertical_ratio_pct: float | None


@dataclass(frozen=True)
class BandTrend:
    band: str
    points: tuple[TrendPoint, ...]  # by day
    cadence_recent: float | None  # time-weighted mean of the last four weeks
    cadence_before: float | None  # ... and of the four weeks before them
    balance_recent: float | None
    balance_before: float | None
    vertical_ratio_recent: float | None
    vertical_ratio_before: float | None


def points(runs: Sequence[Run], zone: dt.tzinfo | None) -> list[TrendPoint]:
    out = []
    for run in runs:
        if not run.is_running:
            continue
        day = run.local_start(zone).date()
        for b in run.bands:
            if b.cadence_spm or b.gct_balance_left_pct or b.vertical_ratio_pct:
                out.append(
                    TrendPoint(
                        day,
                        b.band,
                        b.seconds,
                        b.cadence_spm,
                        b.gct_balance_left_pct,
                        b.vertical_ratio_pct,
                    )
                )
    return sorted(out, key=lambda p: (p.day, p.band))


def _weighted(points: Sequence[TrendPoint], field: str) -> float | None:
    pairs = [(getattr(p, field), p.seconds) for p in points if getattr(p, field) is not None]
    total = sum(s for _, s in pairs)
    return round(sum(v * s for v, s in pairs) / total, 2) if total else None


def by_band(found: Sequence[TrendPoint], today: dt.date) -> list[BandTrend]:
    recent_from = today - dt.timedelta(days=RECENT_DAYS)
    before_from = recent_from - dt.timedelta(days=RECENT_DAYS)
    out = []
    for band, _ in PACE_BANDS:
        mine = [p for p in found if p.band == band]
        if not mine:
            continue
        recent = [p for p in mine if recent_from < p.day <= today]
        before = [p for p in mine if before_from < p.day <= recent_from]
        out.append(
            BandTrend(
                band=band,
                points=tuple(mine),
                cadence_recent=_weighted(recent, "cadence_spm"),
                cadence_before=_weighted(before, "cadence_spm"),
                balance_recent=_weighted(recent, "gct_balance_left_pct"),
                balance_before=_weighted(before, "gct_balance_left_pct"),
                vertical_ratio_recent=_weighted(recent, "vertical_ratio_pct"),
                vertical_ratio_before=_weighted(before, "vertical_ratio_pct"),
            )
        )
    return out


@dataclass(frozen=True)
class Imbalance:
    recent_left_pct: float  # the last four weeks' ground-contact-time balance, % left
    before_left_pct: float | None  # the four weeks before
    threshold_points: float

    @property
    def side(self) -> str:
        return "left" if self.recent_left_pct > 50 else "right"

    def describe(self) -> str:
        share = self.recent_left_pct if self.side == "left" else 100 - self.recent_left_pct
        was = ""
        if self.before_left_pct is not None:
            before = self.before_left_pct if self.side == "left" else 100 - self.before_left_pct
            was = f", up from {before:.1f} %"
        return (
            f"your {self.side} foot spends {share:.1f} % of ground contact time{was} "
            f"(more than {self.threshold_points:g} points from an even 50 %)"
        )


def growing_imbalance(
    runs: Sequence[Run], zone: dt.tzinfo | None, today: dt.date, threshold_points: float
) -> Imbalance | None:
    """A ground-contact-time balance further from 50/50 than `threshold_points` over the last
    four weeks, and further than in the four weeks before (or with nothing to compare)."""
    recent_from = today - dt.timedelta(days=RECENT_DAYS)
    before_from = recent_from - dt.timedelta(days=RECENT_DAYS)

    def mean(first: dt.date, last: dt.date) -> float | None:
        pairs = [
            (r.gct_balance_left_pct, r.duration_s)
            for r in runs
            if r.is_running
            and r.gct_balance_left_pct is not None
            and first < r.local_start(zone).date() <= last
        ]
        total = sum(s for _, s in pairs)
        return sum(v * s for v, s in pairs) / total if total else None

    recent, before = mean(recent_from, today), mean(before_from, recent_from)
    if recent is None or abs(recent - 50) <= threshold_points:
        return None
    if before is not None and abs(before - 50) >= abs(recent - 50):
        return None
    return Imbalance(
        round(recent, 2), round(before, 2) if before is not None else None, threshold_points
    )
