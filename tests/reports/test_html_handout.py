from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from glutecoach.domain.library import Library
from glutecoach.domain.planning.plan import Plan
from glutecoach.reports import plan_html


def test_the_handout_is_a_complete_page_with_a_title_and_viewport(
    plan: Plan, small_library: Library
) -> None:
    page = plan_html(plan, small_library)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<title>Glute plan for Ana, 3 Mar 2025 – 16 Mar 2025</title>" in page


def test_the_handout_needs_nothing_from_outside(plan: Plan, small_library: Library) -> None:
    page = plan_html(plan, small_library)
    assert "<link" not in page
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page
    assert "url(" not in page


def test_each_week_starts_a_new_printed_page(plan: Plan, small_library: Library) -> None:
    page = plan_html(plan, small_library)
    assert "@media print" in page
    assert ".week, .guide { break-before: page; }" in page
    assert page.count('<section class="week"') == len(plan.weeks)


def test_the_handout_has_every_week_heading_and_each_exercise_cue(
    plan: Plan, small_library: Library
) -> None:
    page = html.unescape(plan_html(plan, small_library))
    assert "Week 1: foundation phase, build week" in page
    assert "Week 2: foundation phase, deload week" in page
    for exercise_id in {
        p.exercise_id for d in plan.days for s in d.sessions for p in s.prescriptions
    }:
        exercise = small_library.exercise(exercise_id)
        assert f'id="exercise-{exercise.id}"' in page
        for cue in exercise.cues:
            assert cue in page


def test_the_handout_shows_doses_reasons_cue_and_referral(
    plan: Plan, small_library: Library
) -> None:
    page = html.unescape(plan_html(plan, small_library))
    assert "2 × 15–20 reps per side, tempo 1-1-2, rest 30 s" in page
    assert "Glute med, the top pick for a dropping hip." in page
    assert "<strong>Cue:</strong> Take quicker, lighter steps" in page
    assert "See a clinician about the sharp pain at the front of your right knee." in page


def test_names_and_cues_from_the_data_are_escaped(odd_plan: Plan, odd_library: Library) -> None:
    page = plan_html(odd_plan, odd_library)
    assert "Clamshell &lt;b&gt;banded&lt;/b&gt; &amp; *fast*" in page
    assert "<b>banded</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page


class _TagBalance(HTMLParser):
    VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.mismatches: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.mismatches.append(f"</{tag}> closes {self.open[-1:]}")
        else:
            self.open.pop()


def test_every_element_is_closed_in_order(plan: Plan, small_library: Library) -> None:
    parser = _TagBalance()
    parser.feed(plan_html(plan, small_library))
    assert parser.mismatches == []
    assert parser.open == []
