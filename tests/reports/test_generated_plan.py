"""The renderers on a plan from the real planner and the packaged library, not a hand-made one."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from icalendar import Calendar
from rich.console import Console

from glutecoach.domain.library import Library
from glutecoach.domain.planning import Plan, build_plan
from glutecoach.reports import plan_html, plan_ics, plan_markdown, render_plan
from tests.factories import make_profile, make_screening


@pytest.fixture
def generated(library: Library) -> Plan:
    screening = make_screening(
        library, answers={"hip_drop_seen": True, "quads_sorer_than_glutes": True}
    )
    return build_plan(make_profile(), screening, library, weeks=4)


def test_a_generated_plan_renders_in_every_format(generated: Plan, library: Library) -> None:
    sessions = sum(len(d.sessions) for d in generated.days)
    stamp = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    events = list(Calendar.from_ical(plan_ics(generated, library, stamp)).walk("VEVENT"))
    assert len(events) == sessions > 0

    page = html.unescape(plan_html(generated, library))
    markdown = plan_markdown(generated, library)
    for week in generated.weeks:
        heading = f"Week {week.number}: {week.phase.value} phase, {week.kind.value} week"
        assert heading in page
        assert f"## {heading}" in markdown

    console = Console(record=True, width=120)
    render_plan(generated, console)
    assert f"Glute plan for {generated.runner}" in console.export_text()
