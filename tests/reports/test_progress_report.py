from __future__ import annotations

import datetime as dt
import math
from typing import Any

from rich.console import Console

from glutecoach.domain.library import Library
from glutecoach.domain.planning.plan import SessionKind
from glutecoach.domain.progress import (
    DatedValue,
    ExerciseHistory,
    ExercisePoint,
    Progress,
    WeekAdherence,
)
from glutecoach.domain.progress import TestComparison as Comparison
from glutecoach.reports import render_progress
from glutecoach.reports.progress import sparkline

MONDAY = dt.date(2025, 3, 3)
FIRST_SCREENING = dt.date(2025, 3, 1)
LATEST_SCREENING = dt.date(2025, 3, 29)


def _day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def make_point(offset: int, best: int, **overrides: Any) -> ExercisePoint:
    fields: dict[str, Any] = {
        "date": _day(offset),
        "session": SessionKind.strength,
        "prescribed": "2 × 15–20",
        "best": best,
        "unit": "reps",
        "effort": 6,
        "felt": "glutes",
        "pain": 0,
    }
    fields.update(overrides)
    return ExercisePoint(**fields)


def make_test(test: str, side: str, first: str, latest: str, improved: bool | None) -> Comparison:
    return Comparison(
        test=test,
        side=side,
        first=first,
        latest=latest,
        first_on=FIRST_SCREENING,
        latest_on=LATEST_SCREENING,
        improved=improved,
    )


def _dated(values: list[float]) -> tuple[DatedValue, ...]:
    return tuple(DatedValue(date=_day(3 * i), value=v) for i, v in enumerate(values))


def make_progress(**overrides: Any) -> Progress:
    """Three weeks of Ana's plan: two exercises, two screenings, soreness and pain."""
    fields: dict[str, Any] = {
        "runner": "Ana",
        "as_of": _day(16),
        "weeks": (
            WeekAdherence(number=1, start=_day(0), planned=7, done=6, skipped=1),
            WeekAdherence(number=2, start=_day(7), planned=7, done=4, skipped=1),
            WeekAdherence(number=3, start=_day(14), planned=3, done=3, skipped=0),
        ),
        "exercises": (
            ExerciseHistory(
                exercise_id="clamshell",
                points=(
                    make_point(0, 15, effort=7, felt="side_of_thigh"),
                    make_point(4, 16),
                    make_point(7, 18),
                    make_point(11, 20, prescribed="2 × 20–25"),
                    make_point(14, 22, prescribed="2 × 20–25", effort=4),
                ),
            ),
            ExerciseHistory(
                exercise_id="side_plank",
                points=(
                    make_point(0, 20, prescribed="3 × 20–30", unit="hold_s", effort=8),
                    make_point(7, 25, prescribed="3 × 20–30", unit="hold_s", effort=7),
                    make_point(14, 30, prescribed="3 × 20–30", unit="hold_s", effort=6),
                ),
            ),
        ),
        "tests": (
            make_test("side_plank_s", "left", "18 s", "45 s", True),
            make_test("single_leg_squat_faults", "left", "2 faults", "1 faults", True),
            make_test("clamshell_felt", "left", "side_of_thigh", "glutes", True),
            make_test("side_plank_s", "right", "41 s", "41 s", None),
            make_test("single_leg_bridge_reps", "right", "12 reps", "10 reps", False),
        ),
        "soreness": _dated([2, 5, 3, 1]),
        "pain": _dated([0, 1, 3, 1]),
    }
    fields.update(overrides)
    return Progress(**fields)


def empty_progress() -> Progress:
    return make_progress(weeks=(), exercises=(), tests=(), soreness=(), pain=())


def _rendered(progress: Progress, library: Library) -> str:
    console = Console(record=True, width=120)
    render_progress(progress, library, console)
    return " ".join(console.export_text(clear=False).split())


def test_the_header_shows_the_runner_the_date_and_the_overall_adherence(
    small_library: Library,
) -> None:
    text = _rendered(make_progress(), small_library)
    assert "Progress for Ana" in text
    assert "As of: 19 Mar 2025" in text
    assert "Adherence: 76.5 % (13 of 17 sessions done)" in text


def test_the_adherence_table_has_a_row_per_week_with_counts_and_percent(
    small_library: Library,
) -> None:
    text = _rendered(make_progress(), small_library)
    assert "Adherence by week" in text
    assert "1 3 Mar 7 6 1 0 85.7 %" in text
    assert "2 10 Mar 7 4 1 2 57.1 %" in text
    assert "3 17 Mar 3 3 0 0 100 %" in text


def test_a_week_with_nothing_planned_shows_a_dash_not_a_percent(small_library: Library) -> None:
    quiet = WeekAdherence(number=1, start=MONDAY, planned=0, done=0, skipped=0)
    text = _rendered(make_progress(weeks=(quiet,)), small_library)
    assert "1 3 Mar 0 0 0 0 —" in text
    assert "Adherence: no sessions planned yet" in text


def test_each_exercise_shows_its_doses_best_sets_sparkline_effort_and_latest_feel(
    small_library: Library,
) -> None:
    text = _rendered(make_progress(), small_library)
    clamshell = sparkline([15, 16, 18, 20, 22])
    assert clamshell == "▁▂▄▆█"
    assert f"Clamshell 5 2 × 15–20 reps per side 15 → 22 reps {clamshell} 7 → 4 glutes" in text
    assert "→ 2 × 20–25 reps per side" in text
    assert "Side plank 3 3 × 20–30 s hold per side 20 → 30 s ▁▅█ 8 → 6 glutes" in text


def test_an_exercise_logged_once_and_unknown_to_the_library_is_shown_by_its_id(
    small_library: Library,
) -> None:
    history = ExerciseHistory(exercise_id="moon_walk", points=(make_point(0, 12),))
    text = _rendered(make_progress(exercises=(history,)), small_library)
    assert "moon_walk 1 2 × 15–20 reps 12 reps ▄ 6 glutes" in text


def test_the_tests_are_shown_against_the_first_time_with_which_way_they_went(
    small_library: Library,
) -> None:
    text = _rendered(make_progress(), small_library)
    assert "Tests against the first time (1 Mar 2025 → 29 Mar 2025)" in text
    assert "side plank, left: 18 s → 45 s ↑ better" in text
    assert "side plank, right: 41 s → 41 s, same" in text
    assert "single-leg squat, left: 2 faults → 1 fault ↓ better" in text
    assert "clamshell (where felt), left: side of thigh → glutes, better" in text
    assert "single-leg bridge, right: 12 reps → 10 reps ↓ worse" in text


def test_a_single_screening_shows_its_results_without_a_comparison(
    small_library: Library,
) -> None:
    once = Comparison(
        test="side_plank_s",
        side="left",
        first="18 s",
        latest="18 s",
        first_on=FIRST_SCREENING,
        latest_on=FIRST_SCREENING,
        improved=None,
    )
    text = _rendered(make_progress(tests=(once,)), small_library)
    assert "side plank, left: 18 s (screened once, 1 Mar 2025)" in text
    assert "→ 18 s" not in text


def test_soreness_and_pain_show_a_sparkline_on_a_0_to_10_scale_with_latest_and_highest(
    small_library: Library,
) -> None:
    text = _rendered(make_progress(), small_library)
    soreness = sparkline([2, 5, 3, 1], low=0, high=10)
    pain = sparkline([0, 1, 3, 1], low=0, high=10)
    assert f"Soreness {soreness} latest 1/10 (12 Mar 2025), highest 5/10 (6 Mar 2025)" in text
    assert f"Pain {pain} latest 1/10 (12 Mar 2025), highest 3/10 (9 Mar 2025)" in text


def test_a_progress_with_no_data_renders_and_says_so(small_library: Library) -> None:
    text = _rendered(empty_progress(), small_library)
    assert "Progress for Ana" in text
    assert "Adherence: no sessions planned yet" in text
    assert "Adherence by week" not in text
    assert "No exercises logged yet." in text
    assert "No screening tests to compare yet." in text
    assert "Soreness nothing logged" in text
    assert "Pain nothing logged" in text


def test_a_long_history_keeps_only_the_latest_points_in_the_sparkline(
    small_library: Library,
) -> None:
    points = tuple(make_point(i, 10 + i) for i in range(30))
    text = _rendered(
        make_progress(exercises=(ExerciseHistory(exercise_id="clamshell", points=points),)),
        small_library,
    )
    assert "…" + sparkline([float(10 + i) for i in range(14, 30)]) in text


def test_the_sparkline_of_an_empty_series_is_empty() -> None:
    assert sparkline([]) == ""


def test_the_sparkline_uses_eight_levels_from_lowest_to_highest() -> None:
    assert sparkline(range(8)) == "▁▂▃▄▅▆▇█"
    assert sparkline([3, 1, 2]) == "█▁▅"


def test_the_sparkline_of_a_flat_series_is_a_flat_line() -> None:
    assert sparkline([5, 5, 5]) == "▄▄▄"
    assert sparkline([7]) == "▄"


def test_the_sparkline_on_a_fixed_scale_places_and_clamps_values() -> None:
    assert sparkline([0, 10], low=0, high=10) == "▁█"
    assert sparkline([1, 1, 1], low=0, high=10) == "▂▂▂"
    assert sparkline([-4, 25], low=0, high=10) == "▁█"


def test_the_sparkline_leaves_a_gap_for_a_missing_value() -> None:
    assert sparkline([1, math.nan, 3]) == "▁ █"
    assert sparkline([math.nan, math.nan]) == "  "
