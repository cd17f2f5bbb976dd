"""The running week read from history: which days are run days, which holds the long run, which
are hard, and the usual weekly distance — for a profile that leaves them out."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from glutecoach.domain.load.weekly import monday
from glutecoach.domain.planning.profile import Weekday
from glutecoach.domain.runs import Run

MIN_WEEKS = 4
MAX_WEEKS = 8


@dataclass(frozen=True)
class Habits:
    weeks: int  # how many weeks of history were read
    first: dt.date  # the Monday they start on
    run_days: tuple[Weekday, ...]
    long_run_day: Weekday | None
    hard_days: tuple[Weekday, ...]
    weekly_km: float

    def describe(self) -> str:
        days = ", ".join(d.value for d in self.run_days)
        long = f"; long run on {self.long_run_day.value}" if self.long_run_day else ""
        hard = f"; hard days {', '.join(d.value for d in self.hard_days)}" if self.hard_days else ""
        return (
            f"from your last {self.weeks} weeks of runs: run days {days}{long}{hard}; "
            f"about {self.weekly_km:.0f} km a week"
        )


def read_habits(
    runs: Sequence[Run], zone: dt.tzinfo | None, today: dt.date, hard_pace_share: float
) -> Habits | None:
    """The last 4-8 whole weeks before `today`'s week; None when fewer than 4 hold a run."""
    end = monday(today)  # this week is not whole yet
    start = end - dt.timedelta(weeks=MAX_WEEKS)
    mine = [
        (r, r.local_start(zone).date())
        for r in runs
        if r.is_running and start <= r.local_start(zone).date() < end
    ]
    weeks_with_runs = {monday(day) for _, day in mine}
    if len(weeks_with_runs) < MIN_WEEKS:
        return None
    first = min(weeks_with_runs)
    weeks = (end - first).days // 7
    days_run: Counter[Weekday] = Counter()
    for week in weeks_with_runs:
        days_run.update({Weekday.of(day) for _, day in mine if monday(day) == week})
    run_days = tuple(d for d in Weekday if days_run[d] * 2 >= weeks)
    if not run_days:  # runs on varying days: the most frequent ones, as many as a usual week
        per_week = round(len(mine) / weeks) or 1
        run_days = tuple(
            sorted((d for d, _ in days_run.most_common(per_week)), key=lambda d: d.position)
        )
    longest: Counter[Weekday] = Counter()
    for week in weeks_with_runs:
        _, day = max(((r, d) for r, d in mine if monday(d) == week), key=lambda p: p[0].distance_km)
        longest[Weekday.of(day)] += 1
    long_day = next((d for d, _ in longest.most_common() if d in run_days), None)
    paces = [p for r, _ in mine if (p := r.pace_s_per_km) is not None]
    hard: Counter[Weekday] = Counter()
    if paces:
        limit = statistics.median(paces) * hard_pace_share
        for r, day in mine:
            pace = r.pace_s_per_km
            if pace is not None and pace <= limit and r.distance_km > 0:
                hard[Weekday.of(day)] += 1
    hard_days = tuple(d for d in run_days if d != long_day and hard[d] * 2 >= days_run[d] > 0)
    km = sum(r.distance_km for r, _ in mine) / weeks
    return Habits(weeks, first, run_days, long_day, hard_days, round(km, 1))
