"""The run history and its load: what `glutecoach runs` and `glutecoach load` (and the web's runs
page) show. Runs logged by hand count too, except on a day a run file already covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from glutecoach.adapters.db.recorded_runs import StoredRun
from glutecoach.adapters.db.repositories import Database, Repository, RunnerRecord
from glutecoach.domain import load
from glutecoach.domain.library import load_library
from glutecoach.domain.load import BandTrend, Habits, Imbalance, Ratio, Week
from glutecoach.domain.progression.logs import RunLog
from glutecoach.domain.runs import Run, Sport
from glutecoach.services.clock import today as clock_today
from glutecoach.services.runners import choose

LOAD_WEEKS = 12  # weeks the load report shows by default


@dataclass(frozen=True)
class RunHistory:
    runner: RunnerRecord
    timezone: str
    runs: tuple[StoredRun, ...]  # recorded runs, oldest first
    by_hand: tuple[RunLog, ...]  # runs logged by hand on days no file covers


def _zone(repo: Repository, runner_id: int) -> str:
    latest = repo.latest_profile(runner_id)
    return latest[1].timezone if latest is not None else "UTC"


def history(db: Database, slug: str | None) -> RunHistory:
    with db.unit() as repo:
        runner = choose(repo, slug)
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


@dataclass(frozen=True)
class LoadReport:
    runner: RunnerRecord
    timezone: str
    on: dt.date
    weeks: tuple[Week, ...]
    ratios: tuple[Ratio, ...]  # one per day over the weeks shown
    latest: Ratio | None
    latest_zone: load.Zone | None  # of the rolling ratio
    trends: tuple[BandTrend, ...]
    imbalance: Imbalance | None
    habits: Habits | None
    spike_pct: float
    spike_source: str
    acwr_limits: tuple[float, float, float]  # sweet spot low, high; danger
    acwr_source: str
    runs_counted: int
    other_activities: int


def load_report(
    db: Database, slug: str | None, on: dt.date | None = None, weeks: int = LOAD_WEEKS
) -> LoadReport:
    found = history(db, slug)
    zone = ZoneInfo(found.timezone)
    today = on or clock_today(found.timezone)
    runs = [r for r in all_runs(found) if r.local_start(zone).date() <= today]
    library = load_library()
    spike = library.threshold("weekly_distance_spike_pct")
    low, high, danger = (
        library.threshold(name).value
        for name in ("acwr_sweet_spot_low", "acwr_sweet_spot_high", "acwr_danger")
    )
    first = load.monday(today) - dt.timedelta(weeks=weeks - 1)
    # a week before the first shown, so the first week's change is known
    shown = [
        w
        for w in load.weeks(runs, zone, spike.value, first - dt.timedelta(weeks=1), today)
        if w.start >= first
    ]
    km_by_day: dict[dt.date, float] = {}
    for run in runs:
        if run.is_running:
            day = load.local_day(run, zone)
            km_by_day[day] = km_by_day.get(day, 0.0) + run.distance_km
    start = min(km_by_day) if km_by_day else first
    ratios = [r for r in load.daily_ratios(km_by_day, start, today) if r.day >= first]
    latest = ratios[-1] if ratios else None
    gct = library.threshold("gct_balance_imbalance_pct").value
    hard = library.threshold("hard_run_pace_share").value
    return LoadReport(
        runner=found.runner,
        timezone=found.timezone,
        on=today,
        weeks=tuple(shown),
        ratios=tuple(ratios),
        latest=latest,
        latest_zone=(
            load.zone(latest.rolling, low, high, danger)
            if latest is not None and latest.rolling is not None
            else None
        ),
        trends=tuple(load.by_band(load.points(runs, zone), today)),
        imbalance=load.growing_imbalance(runs, zone, today, gct),
        habits=load.read_habits(runs, zone, today, hard),
        spike_pct=spike.value,
        spike_source=spike.source or "convention",
        acwr_limits=(low, high, danger),
        acwr_source=library.threshold("acwr_danger").source or "convention",
        runs_counted=sum(1 for r in runs if r.is_running),
        other_activities=sum(1 for r in runs if not r.is_running),
    )
