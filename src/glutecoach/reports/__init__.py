"""Renderers: the terminal, JSON, Markdown and HTML handouts, and iCalendar."""

from glutecoach.reports.html import plan_html
from glutecoach.reports.ics import plan_ics
from glutecoach.reports.json import to_json
from glutecoach.reports.markdown import plan_markdown
from glutecoach.reports.plots import write_progress_plots
from glutecoach.reports.progress import render_progress
from glutecoach.reports.terminal import (
    render_exercise,
    render_exercise_table,
    render_plan,
    render_screening,
)

__all__ = [
    "plan_html",
    "plan_ics",
    "plan_markdown",
    "render_exercise",
    "render_exercise_table",
    "render_plan",
    "render_progress",
    "render_screening",
    "to_json",
    "write_progress_plots",
]
