"""Progress in the terminal: adherence by week, each exercise over time, the tests against the first
time, and soreness and pain as sparklines.

As in terminal.py, every piece of data goes in as `Text`, never as markup.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from glutecoach.domain.library.library import Library
from glutecoach.domain.progress import (
    DatedValue,
    ExerciseHistory,
    ExercisePoint,
    Progress,
    TestComparison,
    WeekAdherence,
)
from glutecoach.reports._text import CEILING_WORDS, UNIT_WORDS, long_date

BLOCKS = "▁▂▃▄▅▆▇█"
NONE = "—"
TABLE_SPARK = 16  # points in a table cell's sparkline; older points are left out
TREND_SPARK = 40  # points in a soreness or pain line

TEST_LABELS = {
    "side_plank_s": "side plank",
    "single_leg_bridge_reps": "single-leg bridge",
    "single_leg_squat_faults": "single-leg squat",
    "clamshell_felt": "clamshell (where felt)",
}
_MEASURE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(.*?)\s*$")


def sparkline(
    values: Sequence[float], *, low: float | None = None, high: float | None = None
) -> str:
    """One block character per value, ▁ (lowest) to █ (highest).

    The scale is the series' own minimum and maximum unless `low`/`high` fix it (0–10 for pain, so
    a 1/10 does not look like a 10/10); values outside a fixed scale are clamped. A flat series
    with no fixed scale is a flat line at mid height; a missing value (NaN) is a space.
    """
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return " " * len(values)
    bottom = min(finite) if low is None else low
    top = max(finite) if high is None else high
    chars = []
    for v in values:
        if not math.isfinite(v):
            chars.append(" ")
        elif top <= bottom:
            chars.append(BLOCKS[len(BLOCKS) // 2 - 1])
        else:
            share = (min(max(v, bottom), top) - bottom) / (top - bottom)
            chars.append(BLOCKS[round(share * (len(BLOCKS) - 1))])
    return "".join(chars)


def _spark(values: Sequence[float], limit: int, **scale: float) -> str:
    if len(values) <= limit:
        return sparkline(values, **scale)
    return "…" + sparkline(values[-limit:], **scale)


def _number(value: float) -> str:
    return f"{value:g}"


def _field(label: str, value: str | Text) -> Text:
    return Text.assemble((f"{label}: ", "bold"), value)


def _percent_text(percent: float | None) -> Text:
    if percent is None:
        return Text(NONE, style="dim")
    style = "green" if percent >= 80 else "yellow" if percent >= 50 else "red"
    return Text(f"{percent:g} %", style=style)


# --- header and adherence --------------------------------------------------------------------


def _header(progress: Progress) -> Panel:
    planned = sum(w.planned for w in progress.weeks)
    done = sum(w.done for w in progress.weeks)
    adherence = Text()
    if progress.adherence_percent is None:
        adherence.append("no sessions planned yet", style="dim")
    else:
        adherence.append_text(_percent_text(progress.adherence_percent))
        adherence.append(f" ({done} of {planned} sessions done)")
    lines = [_field("As of", long_date(progress.as_of)), _field("Adherence", adherence)]
    return Panel(Group(*lines), title=Text(f"Progress for {progress.runner}"), box=box.ROUNDED)


def _week_row(week: WeekAdherence) -> tuple[str, str, str, str, str, str, Text]:
    not_logged = max(week.planned - week.done - week.skipped, 0)
    return (
        str(week.number),
        f"{week.start.day} {week.start:%b}",
        str(week.planned),
        str(week.done),
        str(week.skipped),
        str(not_logged),
        _percent_text(week.percent),
    )


def _adherence_table(weeks: Sequence[WeekAdherence]) -> Table:
    table = Table(title=Text("Adherence by week", style="bold"), box=box.SIMPLE_HEAVY)
    table.add_column("week", justify="right")
    table.add_column("starts")
    for column in ("planned", "done", "skipped", "not logged", "%"):
        table.add_column(column, justify="right")
    for week in weeks:
        table.add_row(*_week_row(week))
    return table


# --- exercises -------------------------------------------------------------------------------


def _dose(point: ExercisePoint, per_side: bool) -> str:
    # The model's dose text is "2 × 15–20" with the unit apart; add the unit unless it is there.
    text = point.prescribed
    if text[-1:].isdigit():
        text = f"{text} {UNIT_WORDS.get(point.unit, point.unit)}"
    return f"{text} per side" if per_side else text


def _amount(value: float, unit: str) -> str:
    return f"{value:g} {CEILING_WORDS.get(unit, unit)}"


def _best_text(first: ExercisePoint, latest: ExercisePoint, same: bool) -> str:
    if same:
        return _amount(first.best, first.unit)
    if first.unit == latest.unit:
        return f"{first.best:g} → {_amount(latest.best, latest.unit)}"
    return f"{_amount(first.best, first.unit)} → {_amount(latest.best, latest.unit)}"


def _pair(first: int, latest: int, same: bool) -> str:
    return str(first) if same else f"{first} → {latest}"


def _exercise_row(history: ExerciseHistory, library: Library) -> tuple[Text, ...]:
    exercise = library.exercises.get(history.exercise_id)
    name = exercise.name if exercise is not None else history.exercise_id
    per_side = exercise.per_side if exercise is not None else False
    first, latest = history.points[0], history.points[-1]
    same = len(history.points) == 1
    dose = _dose(first, per_side)
    if _dose(latest, per_side) != dose:
        dose = f"{dose}\n→ {_dose(latest, per_side)}"
    felt = Text(latest.felt.replace("_", " "), style="green" if latest.felt == "glutes" else "")
    return (
        Text(name, style="bold"),
        Text(str(len(history.points))),
        Text(dose),
        Text(_best_text(first, latest, same)),
        Text(_spark([p.best for p in history.points], TABLE_SPARK), style="cyan"),
        Text(_pair(first.effort, latest.effort, same)),
        felt,
    )


def _exercise_table(histories: Sequence[ExerciseHistory], library: Library) -> Table:
    table = Table(title=Text("Exercises, first → latest", style="bold"), box=box.SIMPLE_HEAVY)
    table.add_column("exercise", overflow="fold")
    table.add_column("logged", justify="right")
    table.add_column("dose")
    table.add_column("best set", no_wrap=True)
    table.add_column("trend", no_wrap=True)
    table.add_column("effort (RPE)", justify="right", no_wrap=True)
    table.add_column("felt (latest)")
    for history in histories:
        if history.points:
            table.add_row(*_exercise_row(history, library))
    return table


# --- tests -----------------------------------------------------------------------------------


def screening_test_label(test: str) -> str:
    return TEST_LABELS.get(test, test.removesuffix("_s").removesuffix("_reps").replace("_", " "))


def measure(text: str) -> tuple[float, str] | None:
    """`"18 s"` → `(18.0, "s")`; None for a result that is not a number (the clamshell's area)."""
    found = _MEASURE.match(text)
    return None if found is None else (float(found.group(1)), found.group(2))


def _result(text: str) -> str:
    parsed = measure(text)
    if parsed is None:
        return text.replace("_", " ")
    value, unit = parsed
    if value == 1 and unit.endswith("s") and len(unit) > 1:
        unit = unit[:-1]  # the model says "1 faults"
    return f"{value:g} {unit}".rstrip()


def _change(row: TestComparison) -> Text:
    # The arrow says which way the number went, the word and colour whether that is better: fewer
    # single-leg squat faults is an improvement shown with a down arrow.
    if row.first == row.latest or row.improved is None:
        return Text("same" if row.first == row.latest else "", style="dim")
    before, after = measure(row.first), measure(row.latest)
    arrow = ""
    if before is not None and after is not None and before[0] != after[0]:
        arrow = "↑ " if after[0] > before[0] else "↓ "
    if row.improved:
        return Text(f"{arrow}better", style="green")
    return Text(f"{arrow}worse", style="red")


def _test_line(row: TestComparison, dated: bool) -> Text:
    text = Text.assemble((f"{screening_test_label(row.test)}, {row.side}: ", "bold"))
    if row.first_on == row.latest_on:
        text.append(_result(row.latest))
        text.append(f"  (screened once, {long_date(row.latest_on)})", style="dim")
        return text
    text.append(f"{_result(row.first)} → {_result(row.latest)}")
    change = _change(row)
    if change.plain:
        text.append(" " if change.plain[0] in "↑↓" else ", ")
        text.append_text(change)
    if dated:
        text.append(f"  ({long_date(row.first_on)} → {long_date(row.latest_on)})", style="dim")
    return text


def _tests_section(rows: Sequence[TestComparison]) -> list[RenderableType]:
    spans = {(r.first_on, r.latest_on) for r in rows}
    title = "Tests against the first time"
    if len(spans) == 1:
        first_on, latest_on = next(iter(spans))
        if first_on != latest_on:
            title += f" ({long_date(first_on)} → {long_date(latest_on)})"
    lines: list[RenderableType] = [Text(title, style="bold")]
    lines.extend(_test_line(r, dated=len(spans) > 1) for r in rows)
    return lines


# --- soreness and pain -----------------------------------------------------------------------


def _trend_line(label: str, values: Sequence[DatedValue]) -> Text:
    text = Text(f"{label:<9}", style="bold")
    if not values:
        text.append("nothing logged", style="dim")
        return text
    text.append(_spark([v.value for v in values], TREND_SPARK, low=0, high=10), style="magenta")
    latest = values[-1]
    highest = max(values, key=lambda v: v.value)  # the first day it was that high
    text.append(f"  latest {_number(latest.value)}/10 ({long_date(latest.date)})")
    text.append(f", highest {_number(highest.value)}/10 ({long_date(highest.date)})")
    return text


def _trends(progress: Progress) -> list[RenderableType]:
    return [
        Text("Soreness and pain (0–10)", style="bold"),
        _trend_line("Soreness", progress.soreness),
        _trend_line("Pain", progress.pain),
    ]


def render_progress(progress: Progress, library: Library, console: Console) -> None:
    console.print(_header(progress))
    if progress.weeks:
        console.print(_adherence_table(progress.weeks))
    if any(h.points for h in progress.exercises):
        console.print(_exercise_table(progress.exercises, library))
    else:
        console.print(Text("No exercises logged yet.", style="dim"))
    if progress.tests:
        for line in _tests_section(progress.tests):
            console.print(line)
    else:
        console.print(Text("No screening tests to compare yet.", style="dim"))
    console.print()
    for line in _trends(progress):
        console.print(line)
