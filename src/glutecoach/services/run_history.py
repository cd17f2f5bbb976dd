"""The run history as one runner's runs: the recorded ones and those logged by hand (on days no
file covers), and the signs they give the screening: a recent spike, a growing imbalance.

Works inside a caller's unit of work on a known runner, so the services that start or screen a
runner can read it without going through the runner lookup.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from glutecoach.adapters.db.repositories import Repository, RunnerRecord
from glutecoach.domain import load
from glutecoach.domain.library import load_library
from glutecoach.domain.load import Week
from glutecoach.domain.run_reports import RunHistory
from glutecoach.domain.runs import Run, Sport
from glutecoach.domain.screening import RunHistorySigns


def _zone(repo: Repository, runner_id: int) -> str:
    latest = repo.latest_profile(runner_id)
    return latest[1].timezone if latest is not None else "UTC"


def read(repo: Repository, runner: RunnerRecord) -> RunHistory:
    zone = _zone(repo, runner.id)
    recorded = tuple(repo.recorded_runs.list(runner.id))
    logged = repo.runs(runner.id)
    tz = ZoneInfo(zone)
    covered = {s.run.local_start(tz).date() for s in recorded if s.run.is_running}
    by_hand = tuple(log for log in logged if log.date not in covered)
    return RunHistory(runner, zone, recorded, by_hand)


def all_runs(found: RunHistory) -> list[Run]:
    """Recorded runs and hand-logged ones (as runs starting at noon, local time), oldest first."""
    zone = ZoneInfo(found.timezone)
    runs = [s.run for s in found.runs]
    for log in found.by_hand:
        noon = dt.datetime.combine(log.date, dt.time(12), zone).astimezone(dt.UTC)
        runs.append(
            Run(
                started_at=noon,
                sport=Sport.running,
                sport_detail="logged by hand",
                distance_m=log.distance_km * 1000,
                elapsed_s=log.minutes * 60,
                records=0,
            )
        )
    return sorted(runs, key=lambda r: r.started_at)


def recent_spike(weeks: list[Week], today: dt.date) -> Week | None:
    """This week (so far) or last week, when its running rose past the spike line."""
    this = load.monday(today)
    for week in reversed(weeks):
        if week.start in (this, this - dt.timedelta(weeks=1)) and week.spike:
            return week
    return None


def spike_words(week: Week, before_km: float, spike_pct: float) -> str:
    return (
        f"Weekly running rose {week.change_pct:.0f} % in the week of {week.start:%d %b} "
        f"({before_km:.0f} → {week.running_km:.0f} km), past the {spike_pct:g} % week-to-week "
        "rise most injured runners had made in the month before their injury"
    )


def signs(found: RunHistory, today: dt.date) -> RunHistorySigns:
    """What the runs up to `today` add to a screening."""
    zone = ZoneInfo(found.timezone)
    runs = [r for r in all_runs(found) if r.local_start(zone).date() <= today]
    library = load_library()
    spike = library.threshold("weekly_distance_spike_week_pct")
    first = load.monday(today) - dt.timedelta(weeks=2)
    weeks = load.weeks(runs, zone, spike.value, first, today)
    spiked = recent_spike(weeks, today)
    words = None
    if spiked is not None:
        before = next(w for w in weeks if w.start == spiked.start - dt.timedelta(weeks=1))
        words = spike_words(spiked, before.running_km, spike.value)
    gct = library.threshold("gct_balance_imbalance_pct").value
    imbalance = load.growing_imbalance(runs, zone, today, gct)
    return RunHistorySigns(
        spike=words,
        spike_source=spike.source,
        imbalance=imbalance.describe() if imbalance is not None else None,
    )
