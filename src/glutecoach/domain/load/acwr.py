"""Acute:chronic workload ratio of running distance, two ways.

- Rolling: the last 7 days' distance over the weekly average of the last 28 days (the acute week
  inside the chronic four, as in the runners' study EVIDENCE.md cites: acute 1 week, chronic 4).
- Exponentially weighted: each day's distance folds into an acute and a chronic average with
  decay 2/(N+1), N = 7 and 28 days; the ratio is acute over chronic. It reacts to a change the
  day it happens and forgets old weeks gradually instead of all at once.

Both are undefined (None) until 28 days of history exist, and when the chronic load is zero.
The ratio is contested as an injury predictor: it is context, not a forecast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

ACUTE_DAYS = 7
CHRONIC_DAYS = 28


class Zone(StrEnum):
    low = "low"  # below the sweet spot: less than usual
    sweet_spot = "sweet_spot"
    high = "high"  # above the sweet spot, below the danger line
    danger = "danger"


@dataclass(frozen=True)
class Ratio:
    day: dt.date
    acute_km: float  # the last 7 days
    chronic_km: float  # the weekly average of the last 28 days
    rolling: float | None
    ewma: float | None


def zone(ratio: float, low: float, high: float, danger: float) -> Zone:
    if ratio >= danger:
        return Zone.danger
    if ratio > high:
        return Zone.high
    if ratio < low:
        return Zone.low
    return Zone.sweet_spot


def daily_ratios(km_by_day: Mapping[dt.date, float], first: dt.date, last: dt.date) -> list[Ratio]:
    """The ratios for every day from `first` to `last` (days without running count as zero)."""
    if last < first:
        return []
    acute_decay, chronic_decay = 2 / (ACUTE_DAYS + 1), 2 / (CHRONIC_DAYS + 1)
    window: list[float] = []
    acute_avg = chronic_avg = 0.0
    out = []
    day = first
    while day <= last:
        km = km_by_day.get(day, 0.0)
        window.append(km)
        acute_avg = km * acute_decay + acute_avg * (1 - acute_decay)
        chronic_avg = km * chronic_decay + chronic_avg * (1 - chronic_decay)
        full = len(window) >= CHRONIC_DAYS
        acute = sum(window[-ACUTE_DAYS:])
        chronic = sum(window[-CHRONIC_DAYS:]) / (CHRONIC_DAYS / 7)
        out.append(
            Ratio(
                day=day,
                acute_km=round(acute, 3),
                chronic_km=round(chronic, 3),
                rolling=round(acute / chronic, 3) if full and chronic > 0 else None,
                ewma=round(acute_avg / chronic_avg, 3) if full and chronic_avg > 0 else None,
            )
        )
        day += dt.timedelta(days=1)
    return out
