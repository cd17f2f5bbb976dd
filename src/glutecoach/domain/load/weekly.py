"""Weekly running load: distance, time, the long run's share, and week-to-week spikes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from glutecoach.domain.runs import Run


@dataclass(frozen=True)
class Week:
    start: dt.date  # a Monday
    running_km: float
    running_s: float
    runs: int
    long_run_km: float  # the week's longest run
    other_activities: int  # kept and shown, never counted as running load
    other_s: float
    change_pct: float | None  # running distance against the week before; None after a zero week
    spike: bool  # change_pct above the spike threshold

    @property
    def long_run_share(self) -> float | None:
        return self.long_run_km / self.running_km if self.running_km else None


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def local_day(run: Run, zone: dt.tzinfo | None) -> dt.date:
    return run.local_start(zone).date()


def weeks(
    runs: Sequence[Run],
    zone: dt.tzinfo | None,
    spike_pct: float,
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> list[Week]:
    """Every week from the first run's (or `first`'s) to the last run's (or `last`'s), empty
    weeks included, so a gap reads as a gap."""
    days = [local_day(r, zone) for r in runs]
    if not days and (first is None or last is None):
        return []
    start = monday(first if first is not None else min(days))
    end = monday(last if last is not None else max(days))
    totals: dict[dt.date, list[float]] = {}  # week -> [km, s, runs, long km, others, other s]
    for run, day in zip(runs, days, strict=True):
        week = totals.setdefault(monday(day), [0.0] * 6)
        if run.is_running:
            week[0] += run.distance_km
            week[1] += run.duration_s
            week[2] += 1
            week[3] = max(week[3], run.distance_km)
        else:
            week[4] += 1
            week[5] += run.duration_s
    out: list[Week] = []
    day = start
    previous: float | None = None
    while day <= end:
        km, seconds, count, long_km, others, other_s = totals.get(day, [0.0] * 6)
        change = (km - previous) / previous * 100 if previous else None
        out.append(
            Week(
                start=day,
                running_km=round(km, 3),
                running_s=round(seconds, 1),
                runs=int(count),
                long_run_km=round(long_km, 3),
                other_activities=int(others),
                other_s=round(other_s, 1),
                change_pct=round(change, 1) if change is not None else None,
                spike=change is not None and change > spike_pct,
            )
        )
        previous = km
        day += dt.timedelta(days=7)
    return out
