"""The shape of the block: phases, deload weeks, a taper before the race, lighter spike weeks."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from glutecoach.domain.library import Library
from glutecoach.domain.planning.plan import Phase, WeekKind
from glutecoach.domain.planning.profile import RunnerProfile


@dataclass(frozen=True)
class WeekShape:
    number: int
    start: dt.date
    days: int  # 7, or fewer for a week cut short by the race
    phase: Phase
    kind: WeekKind
    volume_factor: float
    notes: tuple[str, ...]


def phases(weeks: int) -> list[Phase]:
    """Foundation for about a quarter, integration for the last third, strength between."""
    foundation = max(1, math.ceil(weeks / 4))
    integration = weeks // 3 if weeks >= 3 else 0
    strength = weeks - foundation - integration
    return (
        [Phase.foundation] * foundation
        + [Phase.strength] * strength
        + [Phase.integration] * integration
    )


def plan_days(profile: RunnerProfile, weeks: int) -> int:
    """How many days the plan covers: `weeks` of them, or up to and including race day."""
    days = weeks * 7
    if profile.race is not None:
        days = min(days, (profile.race.date - profile.start_date).days + 1)
    return days


def _spikes(profile: RunnerProfile, weeks: int, limit_pct: float) -> dict[int, str]:
    spikes: dict[int, str] = {}
    previous = profile.weekly_km
    for number, km in enumerate(profile.planned_weekly_km[:weeks], start=1):
        if previous > 0 and (km - previous) / previous * 100 > limit_pct:
            rise = (km - previous) / previous * 100
            spikes[number] = (
                f"Running rises {rise:.0f} % this week ({previous:g} → {km:g} km), above "
                f"{limit_pct:g} %: strength is lighter so the legs can absorb it."
            )
        previous = km
    return spikes


def shape_weeks(
    profile: RunnerProfile, weeks: int, library: Library, spike_now: bool
) -> list[WeekShape]:
    total_days = plan_days(profile, weeks)
    count = math.ceil(total_days / 7)
    phase_of = phases(count)
    deload_every = int(library.threshold("deload_every_weeks").value)
    deload = library.threshold("deload_volume_factor").value
    taper = library.threshold("taper_volume_factor").value
    spike = library.threshold("spike_week_strength_factor").value
    taper_start = None
    if profile.race is not None:
        taper_start = profile.race.date - dt.timedelta(
            days=int(library.threshold("taper_days").value)
        )
    spikes = _spikes(profile, count, library.threshold("weekly_distance_spike_pct").value)
    if spike_now:
        spikes.setdefault(1, "Your running rose sharply recently: strength is lighter this week.")
    shapes: list[WeekShape] = []
    for number in range(1, count + 1):
        start = profile.start_date + dt.timedelta(days=7 * (number - 1))
        days = min(7, total_days - 7 * (number - 1))
        end = start + dt.timedelta(days=days - 1)
        kind, factor, phase, notes = WeekKind.build, 1.0, phase_of[number - 1], []
        if taper_start is not None and end >= taper_start:
            kind, factor = WeekKind.taper, taper
            notes.append(
                "Taper: about half the volume, same exercises, so you reach the race fresh "
                "(2-week taper, 41-60 % less volume: Bosquet 2007)."
            )
        elif number % deload_every == 0 and number < count:
            kind, factor = WeekKind.deload, deload
            notes.append("Deload week: the same exercises at about half the volume.")
        if kind == WeekKind.deload and shapes:
            phase = shapes[-1].phase  # a deload repeats the last week's exercises, lighter
        if number in spikes:
            factor = min(factor, spike)
            notes.append(spikes[number])
        shapes.append(WeekShape(number, start, days, phase, kind, factor, tuple(notes)))
    return shapes
