"""Progress as image files: adherence, each exercise's best set, soreness and pain, the tests.

Built with matplotlib's object-oriented `Figure` on the Agg canvas, never pyplot: nothing global is
touched, so a web worker or a test can draw while anything else runs. matplotlib is imported inside
the functions because it is slow to import and most commands never draw.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray

from glutecoach.domain.library.library import Library
from glutecoach.domain.progress import ExerciseHistory, Progress, TestComparison
from glutecoach.reports.progress import measure, screening_test_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH_IN = 6.0  # reads on a phone without zooming at DPI
HEIGHT_IN = 4.0
DPI = 150
MAX_PANELS = 12
PANEL_COLUMNS = 2
PANEL_ROW_IN = 2.0
SET_UNITS = {"reps": "reps", "hold_s": "seconds held", "steps": "steps", "minutes": "minutes"}
TEST_UNITS = {"s": "seconds", "reps": "reps", "faults": "faults (fewer is better)"}


def write_progress_plots(
    progress: Progress,
    library: Library,
    folder: Path,
    fmt: Literal["png", "svg"] = "png",
) -> list[Path]:
    """Write the plots that have data into `folder` (created if needed); return their paths."""
    drawers: list[tuple[str, Callable[[], Figure | None]]] = [
        ("adherence", lambda: _adherence(progress)),
        ("exercises", lambda: _exercises(progress.exercises, library)),
        ("trends", lambda: _trends(progress)),
        ("tests", lambda: _tests(progress.tests)),
    ]
    written = []
    for name, draw in drawers:
        figure = draw()
        if figure is not None:
            written.append(_save(figure, folder / f"{name}.{fmt}", fmt))
    return written


def _days(dates: Sequence[dt.date]) -> NDArray[np.datetime64]:
    return np.array(dates, dtype="datetime64[D]")


def _figure(width: float = WIDTH_IN, height: float = HEIGHT_IN) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _save(figure: Figure, path: Path, fmt: str) -> Path:
    # A temporary name in the same folder, then a rename: a reader never sees half an image.
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=f".{fmt}", dir=path.parent)
    os.close(handle)
    try:
        figure.savefig(temporary, format=fmt, dpi=DPI)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return path


def _date_axis(axes: Axes, max_ticks: int = 6) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    # matplotlib.dates ships without annotations.
    locator = AutoDateLocator(minticks=2, maxticks=max_ticks)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _adherence(progress: Progress) -> Figure | None:
    from matplotlib.ticker import MaxNLocator

    weeks = progress.weeks
    if not any(w.planned or w.done for w in weeks):
        return None
    figure = _figure()
    axes = figure.add_subplot()
    x = list(range(len(weeks)))
    axes.bar([i - 0.2 for i in x], [w.planned for w in weeks], 0.4, label="planned", color="0.75")
    done = axes.bar([i + 0.2 for i in x], [w.done for w in weeks], 0.4, label="done")
    labels = [f"{w.percent:.0f} %" if w.percent is not None else "" for w in weeks]
    axes.bar_label(done, labels=labels, fontsize=7, padding=2)
    axes.set_xticks(x, [f"W{w.number}\n{w.start.day} {w.start:%b}" for w in weeks], fontsize=8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("week (starting)")
    axes.set_ylabel("sessions")
    axes.set_ylim(0, max(max(w.planned, w.done) for w in weeks) * 1.15 + 0.5)
    axes.set_title(_adherence_title(progress))
    axes.legend(loc="upper right", fontsize=8)
    return figure


def _adherence_title(progress: Progress) -> str:
    overall = progress.adherence_percent
    return "Sessions planned and done" + (
        f" ({overall:.0f} % overall)" if overall is not None else ""
    )


def _exercises(histories: Sequence[ExerciseHistory], library: Library) -> Figure | None:
    logged = [h for h in histories if h.points]
    if not logged:
        return None
    # The most-logged exercises when there are too many to show; they keep the model's order.
    most = {id(h) for h in sorted(logged, key=lambda h: len(h.points), reverse=True)[:MAX_PANELS]}
    shown = [h for h in logged if id(h) in most]
    columns = 1 if len(shown) == 1 else PANEL_COLUMNS
    rows = -(-len(shown) // columns)
    height = HEIGHT_IN if rows <= 2 else PANEL_ROW_IN * rows + 0.6
    figure = _figure(height=height)
    grid = figure.subplots(rows, columns, sharex=True, squeeze=False)
    panels = [axes for row in grid for axes in row]
    for axes, history in zip(panels, shown, strict=False):
        _exercise_panel(axes, history, library)
    for index, axes in enumerate(panels[len(shown) :], start=len(shown)):
        axes.remove()
        # The panel above now ends its column, so it shows the dates a shared x-axis hid.
        panels[index - columns].xaxis.set_tick_params(labelbottom=True)
    title = "Best set per session"
    if len(logged) > len(shown):
        title += f" ({len(shown)} of {len(logged)} exercises, the most logged)"
    figure.suptitle(title)
    figure.supxlabel("date", fontsize=9)
    return figure


def _exercise_panel(axes: Axes, history: ExerciseHistory, library: Library) -> None:
    from matplotlib.ticker import MaxNLocator

    exercise = library.exercises.get(history.exercise_id)
    name = exercise.name if exercise is not None else history.exercise_id
    dates = _days([p.date for p in history.points])
    axes.plot(dates, [p.best for p in history.points], marker="o", markersize=3, linewidth=1.2)
    unit = history.points[-1].unit
    axes.set_title(name if len(name) <= 32 else name[:31] + "…", fontsize=9)
    axes.set_ylabel(SET_UNITS.get(unit, unit), fontsize=8)
    axes.set_ylim(0, max(p.best for p in history.points) * 1.15 + 1)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    axes.tick_params(labelsize=7)
    _date_axis(axes, max_ticks=4)


def _trends(progress: Progress) -> Figure | None:
    if not progress.soreness and not progress.pain:
        return None
    figure = _figure()
    axes = figure.add_subplot()
    for label, values, colour in (
        ("soreness", progress.soreness, "tab:purple"),
        ("pain (worst in a session)", progress.pain, "tab:red"),
    ):
        if values:
            dates = _days([v.date for v in values])
            axes.plot(
                dates,
                [v.value for v in values],
                marker="o",
                markersize=3,
                label=label,
                color=colour,
            )
    axes.axhline(4, color="0.6", linestyle=":", linewidth=1)
    axes.annotate(
        "pain 4/10 or more: see a clinician",
        (0.01, 4.15),
        xycoords=("axes fraction", "data"),
        fontsize=7,
        color="0.4",
    )
    axes.set_ylim(-0.3, 10.3)
    axes.set_yticks(range(0, 11, 2))
    axes.set_ylabel("level (0–10)")
    axes.set_xlabel("date")
    axes.set_title("Soreness and pain")
    axes.legend(loc="upper right", fontsize=8)
    _date_axis(axes)
    return figure


class _Result(NamedTuple):
    side: str
    first: float
    latest: float
    unit: str


def _numeric_tests(rows: Sequence[TestComparison]) -> dict[str, list[_Result]]:
    # The model carries each result as text ("18 s", "2 faults"); only numbers can be drawn.
    tests: dict[str, list[_Result]] = {}
    for row in rows:
        first, latest = measure(row.first), measure(row.latest)
        if first is not None and latest is not None:
            tests.setdefault(row.test, []).append(_Result(row.side, first[0], latest[0], latest[1]))
    return tests


def _tests(rows: Sequence[TestComparison]) -> Figure | None:
    tests = _numeric_tests(rows)
    if not tests:
        return None
    first_on, latest_on = rows[0].first_on, rows[0].latest_on
    once = all(r.first_on == r.latest_on for r in rows)
    figure = _figure()
    panels = figure.subplots(1, len(tests), squeeze=False)[0]
    for axes, (test, results) in zip(panels, tests.items(), strict=True):
        _test_panel(axes, test, results, once)
    if once:
        figure.suptitle(f"Screening tests ({_day_text(latest_on)})")
    else:
        figure.suptitle("Screening tests: first vs latest")
        handles, _ = panels[0].get_legend_handles_labels()
        labels = [f"first, {_day_text(first_on)}", f"latest, {_day_text(latest_on)}"]
        figure.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=8)
    return figure


def _day_text(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _test_panel(axes: Axes, test: str, results: Sequence[_Result], once: bool) -> None:
    from matplotlib.ticker import MaxNLocator

    x = [float(i) for i in range(len(results))]
    if once:
        bars = [(x, [r.latest for r in results], "result", "tab:blue")]
    else:
        bars = [
            ([i - 0.2 for i in x], [r.first for r in results], "first", "0.7"),
            ([i + 0.2 for i in x], [r.latest for r in results], "latest", "tab:blue"),
        ]
    for where, heights, label, colour in bars:
        drawn = axes.bar(where, heights, 0.4, label=label, color=colour)
        axes.bar_label(drawn, labels=[f"{h:g}" for h in heights], fontsize=7, padding=1)
    axes.set_xticks(x, [r.side for r in results], fontsize=8)
    axes.set_xlim(-0.7, len(results) - 0.3)  # one side alone keeps bars of the same width
    top = max(max(r.first, r.latest) for r in results)
    axes.set_ylim(0, top * 1.15 + 0.5)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    unit = results[0].unit
    axes.set_ylabel(TEST_UNITS.get(unit, unit), fontsize=8)
    axes.set_title(screening_test_label(test), fontsize=9)
    axes.tick_params(labelsize=7)


# For the other charts (the load report): the same figure size, saving and date axis.
new_figure = _figure
save_figure = _save
date_axis = _date_axis
as_days = _days
