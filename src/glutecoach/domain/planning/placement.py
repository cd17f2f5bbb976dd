"""Which weekdays carry strength: on easy or rest days, never the day before a long run or a hard
session, never two days running (Sunday and Monday count as consecutive), 2-3 a week."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from glutecoach.domain.errors import RuleViolation
from glutecoach.domain.planning.plan import RunKind
from glutecoach.domain.planning.profile import RunnerProfile, Weekday

DAYS = tuple(Weekday)


@dataclass(frozen=True)
class WeekPattern:
    runs: dict[Weekday, RunKind]
    strength: tuple[Weekday, ...]
    notes: tuple[str, ...]


def run_kinds(profile: RunnerProfile) -> dict[Weekday, RunKind]:
    kinds = {}
    for day in DAYS:
        if day == profile.long_run_day:
            kinds[day] = RunKind.long
        elif day in profile.hard_days:
            kinds[day] = RunKind.hard
        elif day in profile.run_days:
            kinds[day] = RunKind.easy
        else:
            kinds[day] = RunKind.rest
    return kinds


def _next(day: Weekday) -> Weekday:
    return DAYS[(day.position + 1) % 7]


def _why_not(day: Weekday, runs: dict[Weekday, RunKind]) -> str | None:
    if runs[day] in (RunKind.long, RunKind.hard):
        return f"{day.value} is your {runs[day].value} run"
    after = runs[_next(day)]
    if after in (RunKind.long, RunKind.hard):
        return f"{day.value} is the day before your {after.value} run"
    return None


def _spread(days: tuple[Weekday, ...]) -> int:
    """The smallest gap, in days, between consecutive strength days around the week."""
    idx = sorted(d.position for d in days)
    gaps = [(idx[(i + 1) % len(idx)] - idx[i]) % 7 or 7 for i in range(len(idx))]
    return min(gaps)


def _best(
    candidates: list[Weekday], count: int, runs: dict[Weekday, RunKind]
) -> tuple[Weekday, ...]:
    feasible = [c for c in combinations(candidates, count) if _spread(c) >= 2]
    if not feasible:
        return ()
    # Widest spacing first, then the most rest days (easy days keep their run fresh), then earliest.
    return max(
        feasible,
        key=lambda c: (
            _spread(c),
            sum(runs[d] == RunKind.rest for d in c),
            [-d.position for d in c],
        ),
    )


def place_strength(profile: RunnerProfile) -> WeekPattern:
    runs = run_kinds(profile)
    excluded = {d: why for d in DAYS if (why := _why_not(d, runs))}
    candidates = [d for d in DAYS if d not in excluded]
    wanted = profile.strength_sessions_per_week
    for count in range(wanted, 1, -1):
        chosen = _best(candidates, count, runs)
        if chosen:
            notes = [
                "Strength on "
                + ", ".join(d.label for d in chosen)
                + ": easy or rest days, never the day before your long run or a hard session, "
                "never two days running."
            ]
            if count < wanted:
                notes.append(
                    f"You asked for {wanted} strength sessions a week; only {count} fit those "
                    "rules around your running."
                )
            return WeekPattern(runs=runs, strength=chosen, notes=tuple(notes))
    reasons = "; ".join(excluded.values()) or "too few days remain"
    raise RuleViolation(
        "profile: no two non-consecutive easy or rest days are left for strength work "
        f"({reasons}). Free a day: fewer hard_days, or move the long run."
    )
