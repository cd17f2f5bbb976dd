"""The run history and its load: what `glutecoach runs` and `glutecoach load` (and the web's runs
page) show. Runs logged by hand count too, except on a day a run file already covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from glutecoach.adapters.db.repositories import Database
from glutecoach.domain import load
from glutecoach.domain.errors import InvalidInput, NotFound
from glutecoach.domain.library import load_library
from glutecoach.domain.progression import Change
from glutecoach.domain.progression.running_load import lighter_after_spike
from glutecoach.domain.run_reports import LoadReport, RunHistory
from glutecoach.domain.screening import RunHistorySigns
from glutecoach.services import run_history
from glutecoach.services.retry import retry_conflicts
from glutecoach.services.run_history import all_runs, spike_words
from glutecoach.services.runners import choose, slug_of
from glutecoach.services.training import encode_changes, snapshot

LOAD_WEEKS = 12  # weeks the load report shows by default
MAX_LOAD_WEEKS = 520  # ten years: the most a load report is asked for


def load_report(
    db: Database, slug: str | None, on: dt.date | None = None, weeks: int = LOAD_WEEKS
) -> LoadReport:
    found = history(db, slug)
    zone = ZoneInfo(found.timezone)
    today = on or db.clock.today(found.timezone)
    runs = [r for r in all_runs(found) if r.local_start(zone).date() <= today]
    library = load_library()
    spike = library.threshold("weekly_distance_spike_week_pct")
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
    # the exponentially weighted ratio forgets after ~3 × 28 days: no need to start earlier
    start = max(min(km_by_day), first - dt.timedelta(days=120)) if km_by_day else first
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


# What the run history feeds back into screening and planning ------------------------------------


def history(db: Database, slug: str | None) -> RunHistory:
    with db.unit() as repo:
        return run_history.read(repo, choose(repo, slug))


def history_signs(db: Database, slug: str | None, on: dt.date | None = None) -> RunHistorySigns:
    """The spike and the contact-time imbalance the runner's files show, for their screening."""
    found = history(db, slug)
    return run_history.signs(found, on or db.clock.today(found.timezone))


def complete_profile(
    db: Database, data: dict[str, Any], label: str, on: dt.date | None = None
) -> tuple[dict[str, Any], str | None]:
    """A profile document with the running week filled in from the runner's history when it
    leaves out run_days (and with them long_run_day, hard_days) or weekly_km; and what was filled,
    in words. Unchanged when nothing is missing; an error naming the field when history cannot
    tell."""
    missing = [k for k in ("run_days", "weekly_km") if k not in data]
    if not missing:
        return data, None
    name = data.get("name")
    slug = slug_of(str(name)) if isinstance(name, str) and name.strip() else None
    with db.unit() as repo:
        runner = repo.runner(slug) if slug else None
    habits = None
    if runner is not None:
        found = history(db, runner.slug)
        zone = ZoneInfo(found.timezone if "timezone" not in data else _zone_name(data))
        today = on or db.clock.today(str(zone))
        hard = load_library().threshold("hard_run_pace_share").value
        habits = load.read_habits(all_runs(found), zone, today, hard)
    if habits is None:
        raise InvalidInput(
            f"{label}: field '{missing[0]}' is missing, and there are not {load.habits.MIN_WEEKS} "
            "weeks of runs in the last 8 to read it from: add it, or import your runs first "
            "(glutecoach import-runs FILES --runner-name NAME)"
        )
    filled = dict(data)
    if "run_days" in missing:
        filled["run_days"] = [d.value for d in habits.run_days]
        if "long_run_day" not in data and habits.long_run_day is not None:
            filled["long_run_day"] = habits.long_run_day.value
        if "hard_days" not in data:
            filled["hard_days"] = [d.value for d in habits.hard_days]
    if "weekly_km" in missing:
        filled["weekly_km"] = habits.weekly_km
    what = "run days, long run and hard days" if "run_days" in missing else "weekly distance"
    if len(missing) == 2:
        what += " and weekly distance"
    return filled, f"{what.capitalize()} taken {habits.describe()}."


def _zone_name(data: dict[str, Any]) -> str:
    try:
        return str(ZoneInfo(str(data["timezone"])))
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"  # the profile's own check names the bad zone


@dataclass(frozen=True)
class FollowUp:
    warning: str | None  # the spike, in words, when this week spikes
    plan_version: int | None  # the new version when the plan changed
    changes: tuple[Change, ...]


@retry_conflicts
def follow_running(db: Database, slug: str | None, on: dt.date | None = None) -> FollowUp:
    """After runs come in: a week whose running spikes gets lighter strength for its remaining
    days (a new plan version, once per week) and a warning."""
    found = history(db, slug)
    zone = ZoneInfo(found.timezone)
    today = on or db.clock.today(found.timezone)
    library = load_library()
    spike = library.threshold("weekly_distance_spike_week_pct")
    runs = all_runs(found)
    weeks = load.weeks(runs, zone, spike.value, load.monday(today) - dt.timedelta(weeks=1), today)
    this = next((w for w in weeks if w.start == load.monday(today) and w.spike), None)
    if this is None:
        return FollowUp(None, None, ())
    before = weeks[-2].running_km if len(weeks) > 1 else 0.0
    warning = spike_words(this, before, spike.value)
    factor = library.threshold("spike_week_strength_factor").value
    with db.unit() as repo:
        try:
            snap = snapshot(repo, found.runner.slug)
        except NotFound:  # imported before 'start': nothing to lighten yet
            return FollowUp(warning, None, ())
        why = f"{warning}: strength is lighter for the rest of the week (source: {spike.source})."
        plan, changes = lighter_after_spike(
            snap.plan.plan, this.start, today, factor, why, {c.key for c in snap.history}
        )
        if not changes:
            return FollowUp(warning, None, ())
        version = repo.add_plan(
            snap.runner.id,
            plan,
            reason="running load spike this week",
            changes=encode_changes(tuple(changes)),
            profile_version=snap.plan.profile_version,
            screening_id=snap.plan.screening_id,
            based_on=snap.plan,
        )
    return FollowUp(warning, version, tuple(changes))
