"""Weekly load, spikes, acute:chronic ratios, gait trends and the running week read from runs;
every expected figure is worked out by hand in the test."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from glutecoach.domain import load
from glutecoach.domain.planning.profile import Weekday
from glutecoach.domain.runs import BandMetrics, Run, Sport, same_run

UTC = dt.UTC
MONDAY = dt.date(2026, 9, 7)


def run(day: dt.date, km: float, minutes: float = 0, **extra: Any) -> Run:
    return Run(
        started_at=dt.datetime.combine(day, dt.time(7), UTC),
        sport=extra.pop("sport", Sport.running),
        distance_m=km * 1000,
        elapsed_s=(minutes or km * 6) * 60,
        records=10,
        **extra,
    )


def test_weeks_total_running_only_and_flag_a_spike_over_the_threshold() -> None:
    runs = [
        run(MONDAY, 10),
        run(MONDAY + dt.timedelta(days=2), 10),
        run(MONDAY + dt.timedelta(days=6), 20),  # week 1: 40 km, long run 20
        run(MONDAY + dt.timedelta(days=8), 30, sport=Sport.cycling),
        run(MONDAY + dt.timedelta(days=9), 52),  # week 2: 52 km: +30 %, not above 30
        run(MONDAY + dt.timedelta(days=15), 70),  # week 3: 70 km: +34.6 %
    ]
    weeks = load.weeks(runs, UTC, spike_pct=30)
    assert [w.start for w in weeks] == [MONDAY + dt.timedelta(weeks=i) for i in range(3)]
    assert [w.running_km for w in weeks] == [40, 52, 70]
    assert [w.runs for w in weeks] == [3, 1, 1]
    assert weeks[0].long_run_km == 20 and weeks[0].long_run_share == 0.5
    assert weeks[1].other_activities == 1
    assert [w.change_pct for w in weeks] == [None, 30.0, 34.6]
    assert [w.spike for w in weeks] == [False, False, True]


def test_an_empty_week_stays_in_and_the_week_after_has_no_change() -> None:
    weeks = load.weeks([run(MONDAY, 10), run(MONDAY + dt.timedelta(weeks=2), 10)], UTC, 30)
    assert [w.running_km for w in weeks] == [10, 0, 10]
    assert weeks[2].change_pct is None and not weeks[2].spike


def test_weeks_follow_the_runners_time_zone() -> None:
    # Sunday 23:30 in New York is Monday 04:30 UTC: it belongs to the earlier week there
    late = Run(
        started_at=dt.datetime(2026, 9, 14, 3, 30, tzinfo=UTC),
        sport=Sport.running,
        distance_m=5000,
        elapsed_s=1800,
        records=1,
    )
    from zoneinfo import ZoneInfo

    assert load.weeks([late], UTC, 30)[0].start == dt.date(2026, 9, 14)
    assert load.weeks([late], ZoneInfo("America/New_York"), 30)[0].start == dt.date(2026, 9, 7)


def test_rolling_and_weighted_ratios_by_hand() -> None:
    # 4 weeks of 4 km a day, then a week of 8 km a day
    km = {MONDAY + dt.timedelta(days=i): 4.0 for i in range(28)}
    km |= {MONDAY + dt.timedelta(days=28 + i): 8.0 for i in range(7)}
    ratios = load.daily_ratios(km, MONDAY, MONDAY + dt.timedelta(days=34))
    assert all(r.rolling is None for r in ratios[:27])
    assert ratios[27].rolling == 1.0  # 28 km / (112 km / 4)
    last = ratios[-1]
    assert last.acute_km == 56.0
    assert last.chronic_km == pytest.approx((21 * 4 + 7 * 8) / 4)  # 35 km a week
    assert last.rolling == pytest.approx(56 / 35, abs=1e-3)
    # EWMA: fold the same series by hand
    acute = chronic = 0.0
    for day in range(35):
        value = km[MONDAY + dt.timedelta(days=day)]
        acute = value * 0.25 + acute * 0.75
        chronic = value * (2 / 29) + chronic * (1 - 2 / 29)
    assert last.ewma == pytest.approx(acute / chronic, abs=1e-3)


@pytest.mark.parametrize(
    ("ratio", "zone"),
    [(0.5, "low"), (0.8, "sweet_spot"), (1.3, "sweet_spot"), (1.4, "high"), (1.5, "danger")],
)
def test_ratio_zones_at_their_edges(ratio: float, zone: str) -> None:
    assert load.zone(ratio, 0.8, 1.3, 1.5).value == zone


def test_the_running_week_is_read_from_six_weeks_of_history() -> None:
    runs = []
    for week in range(6):
        start = MONDAY + dt.timedelta(weeks=week)
        runs += [
            run(start + dt.timedelta(days=1), 8, 48),  # tue easy, 6:00/km
            run(start + dt.timedelta(days=3), 10, 48),  # thu hard, 4:48/km
            run(start + dt.timedelta(days=6), 18, 110),  # sun long
        ]
        if week % 3 == 0:
            runs.append(run(start + dt.timedelta(days=4), 5, 30))  # fri now and then
    today = MONDAY + dt.timedelta(weeks=6, days=2)
    habits = load.read_habits(runs, UTC, today, hard_pace_share=0.92)
    assert habits is not None
    assert habits.weeks == 6
    assert habits.run_days == (Weekday.tue, Weekday.thu, Weekday.sun)
    assert habits.long_run_day == Weekday.sun
    assert habits.hard_days == (Weekday.thu,)
    assert habits.weekly_km == pytest.approx((6 * 36 + 2 * 5) / 6, abs=0.05)


def test_fewer_than_four_weeks_of_runs_tell_nothing() -> None:
    runs = [run(MONDAY + dt.timedelta(weeks=w, days=1), 8) for w in range(3)]
    assert load.read_habits(runs, UTC, MONDAY + dt.timedelta(weeks=5), 0.92) is None


def balanced(day: dt.date, left: float) -> Run:
    return run(day, 10, 50, gct_balance_left_pct=left)


def test_a_growing_contact_time_imbalance_is_found_and_a_steady_one_is_not() -> None:
    today = MONDAY + dt.timedelta(days=60)
    before = [balanced(today - dt.timedelta(days=d), 50.8) for d in (35, 42, 49)]
    recent = [balanced(today - dt.timedelta(days=d), 52.6) for d in (3, 10, 17)]
    found = load.growing_imbalance(before + recent, UTC, today, threshold_points=2)
    assert found is not None
    assert found.side == "left" and found.recent_left_pct == 52.6
    assert "52.6 %" in found.describe() and "up from 50.8 %" in found.describe()
    steady = [balanced(today - dt.timedelta(days=d), 52.6) for d in (3, 10, 35, 42)]
    assert load.growing_imbalance(steady, UTC, today, 2) is None
    small = [balanced(today - dt.timedelta(days=d), 51.5) for d in (3, 10)]
    assert load.growing_imbalance(small, UTC, today, 2) is None


def test_trends_compare_the_last_four_weeks_with_the_four_before_per_band() -> None:
    today = MONDAY + dt.timedelta(days=60)

    def banded(days_ago: int, cadence: float) -> Run:
        band = BandMetrics(band="5:15–6:00/km", seconds=600, cadence_spm=cadence)
        return run(today - dt.timedelta(days=days_ago), 10, 55, bands=(band,))

    runs = [banded(40, 160), banded(33, 162), banded(5, 170), banded(12, 168)]
    (trend,) = load.by_band(load.points(runs, UTC), today)
    assert trend.band == "5:15–6:00/km"
    assert trend.cadence_before == 161.0 and trend.cadence_recent == 169.0
    assert len(trend.points) == 4


def test_the_same_run_from_two_sources_is_recognised() -> None:
    watch = run(MONDAY, 10, 50)
    app = watch.model_copy(
        update={
            "started_at": watch.started_at + dt.timedelta(seconds=40),
            "distance_m": 10_150.0,
        }
    )
    assert same_run(watch, app)
    assert not same_run(watch, app.model_copy(update={"distance_m": 12_000.0}))
    later = watch.started_at + dt.timedelta(minutes=10)
    assert not same_run(watch, watch.model_copy(update={"started_at": later}))
