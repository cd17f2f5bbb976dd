"""Small server-made SVG charts (bars and lines) for the progress and runs pages.

Each chart is an `<svg role="img">` whose `<title>` names it and whose `<desc>` says every value in
words, so a screen reader gets the data, not a picture; the page shows the same numbers in a table.
The SVG scales to its container (viewBox), so it fits a 375 px phone as well as a desktop.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 360, 180
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 10, 30
MAX_X_LABELS = 8
MAX_VALUE_LABELS = 16  # bars with their number written above them; more would crowd
LABEL_EM = 0.6  # a tick label's width per character, in ems (of its 10 px font)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per x label; None where there is no value


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _summary(
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str,
    marks: Sequence[str | None] | None = None,
) -> str:
    notes = marks or [None] * len(labels)
    parts = []
    for s in series:
        said = [
            f"{label} {_number(v)}{unit}" + (f" ({note})" if note else "")
            for label, v, note in zip(labels, s.values, notes, strict=True)
            if v is not None
        ]
        parts.append(f"{s.name}: {', '.join(said) or 'no values'}")
    return ". ".join(parts) + "."


def _top(series: Sequence[Series], top: float | None) -> float:
    """The given top, or a round number (1, 2 or 5 × 10ⁿ) at or above the largest value."""
    if top is not None:
        return top
    largest = max([v for s in series for v in s.values if v is not None] + [1.0])
    magnitude = 10.0 ** math.floor(math.log10(largest))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= largest)


def _frame(chart_id: str, title: str, summary: str, body: list[str]) -> Markup:
    head = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(summary)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _axes(labels: Sequence[str], top: float, x_of: list[float]) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    out = []
    for share in (0, 0.5, 1):
        y = TOP + plot_h * (1 - share)
        out.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_number(top * share))}</text>"
        )
    step = max(1, -(-len(labels) // MAX_X_LABELS))
    for i, (label, x) in enumerate(zip(labels, x_of, strict=True)):
        if i % step == 0:
            # a label that would run off either edge leans inwards; the others stay centred, so
            # the first one does not run into the second
            half = len(label) * LABEL_EM * 10 / 2
            anchor = "start" if x - half < 2 else "end" if x + half > WIDTH - 2 else "middle"
            out.append(
                f'<text class="tick" x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="{anchor}">{escape(label)}</text>'
            )
    return out


def _y(value: float, top: float) -> float:
    plot_h = HEIGHT - TOP - BOTTOM
    return TOP + plot_h * (1 - min(max(value, 0), top) / top)


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    top: float | None = None,
    marks: Sequence[str | None] | None = None,
) -> Markup:
    """Bars per label, one per series side by side (e.g. before and after). `marks` (one per
    label, None for most) sets a bar apart by more than its colour: a ▲ before the number above
    it, and the mark's word in its title and in the chart's description (e.g. a spike week)."""
    scale = _top(series, top)
    notes = marks or [None] * len(labels)
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    width = slot * 0.7 / max(len(series), 1)
    centres = [LEFT + slot * (i + 0.5) for i in range(len(labels))]
    body = _axes(labels, scale, centres)
    for k, s in enumerate(series):
        kind = "solo" if len(series) == 1 else f"s{k}"
        for label, value, centre, note in zip(labels, s.values, centres, notes, strict=True):
            if value is None:
                continue
            x = centre - slot * 0.35 + width * k
            y = min(_y(value, scale), HEIGHT - BOTTOM - 1.5)  # a zero still shows as a sliver
            said = f" ({note})" if note else ""
            body.append(
                f'<rect class="bar {kind}{" marked" if note else ""}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{width:.1f}" height="{HEIGHT - BOTTOM - y:.1f}"><title>{escape(s.name)}, '
                f"{escape(label)}: {escape(_number(value))}{escape(unit)}{escape(said)}</title>"
                "</rect>"
            )
            written = len(labels) * len(series) <= MAX_VALUE_LABELS
            if written or note:
                above = ("▲" if note else "") + (_number(value) if written else "")
                body.append(
                    f'<text class="value{" marked" if note else ""}" x="{x + width / 2:.1f}" '
                    f'y="{y - 3:.1f}" text-anchor="middle" aria-hidden="true">'
                    f"{escape(above)}</text>"
                )
    return _frame(chart_id, title, _summary(labels, series, unit, marks), body)


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    top: float | None = None,
    band: tuple[float, float, str] | None = None,
    dot: float = 3.5,
) -> Markup:
    """Lines over evenly spaced labels (dates), with a dot (of radius `dot`) at every value.
    `band` (low, high, name) shades a range behind the lines, e.g. the usual range of a ratio."""
    scale = _top(series, top)
    span = WIDTH - LEFT - RIGHT - 16
    gaps = max(len(labels) - 1, 1)
    xs = [LEFT + 8 + (span * i / gaps if len(labels) > 1 else span / 2) for i in range(len(labels))]
    body = _axes(labels, scale, xs)
    summary = _summary(labels, series, unit)
    if band is not None:
        low, high, name = band
        y_high, y_low = _y(high, scale), _y(low, scale)
        body.insert(
            0,
            f'<rect class="band" x="{LEFT}" y="{y_high:.1f}" width="{WIDTH - LEFT - RIGHT}" '
            f'height="{y_low - y_high:.1f}"><title>{escape(name)}: {escape(_number(low))}–'
            f"{escape(_number(high))}{escape(unit)}</title></rect>",
        )
        summary += f" Shaded: {name}, {_number(low)} to {_number(high)}{unit}."
    for k, s in enumerate(series):
        points = [
            (x, _y(v, scale), label, v)
            for x, v, label in zip(xs, s.values, labels, strict=True)
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
            body.append(f'<polyline class="line s{k}" points="{path}"/>')
        body += [
            f'<circle class="dot s{k}" cx="{x:.1f}" cy="{y:.1f}" r="{dot:g}"><title>'
            f"{escape(s.name)}, {escape(label)}: {escape(_number(v))}{escape(unit)}</title>"
            "</circle>"
            for x, y, label, v in points
        ]
    return _frame(chart_id, title, summary, body)
