from __future__ import annotations

import re

from glutecoach.domain.library import Library
from glutecoach.domain.planning.plan import Plan
from glutecoach.reports import plan_markdown
from tests.reports.factories import prescribe


def _sections(text: str, level: str) -> list[str]:
    return re.findall(rf"^{level} (.+)$", text, flags=re.MULTILINE)


def test_the_handout_opens_with_the_summary_and_the_referral(
    plan: Plan, small_library: Library
) -> None:
    text = plan_markdown(plan, small_library)
    assert text.startswith("# Glute plan for Ana\n")
    assert "- **Race:** Spring 10K, 10 km on 15 Mar 2025" in text
    assert "> - See a clinician about the sharp pain at the front of your right knee." in text
    assert "- **Weak hip abductors / poor pelvic control** (moderate, left)" in text
    assert text.index("See a clinician") < text.index("## Summary") < text.index("## Week 1")


def test_the_handout_has_a_section_per_week_then_one_exercise_guide(
    plan: Plan, small_library: Library
) -> None:
    headings = _sections(plan_markdown(plan, small_library), "##")
    assert headings == [
        "Summary",
        "Week 1: foundation phase, build week",
        "Week 2: foundation phase, deload week",
        "Exercise guide",
    ]


def test_each_week_lists_its_days_sessions_prescriptions_and_reasons(
    plan: Plan, small_library: Library
) -> None:
    text = plan_markdown(plan, small_library)
    week_one = text[text.index("## Week 1") : text.index("## Week 2")]
    assert len(_sections(week_one, "###")) == 7
    assert "### Tuesday 4 Mar: easy run" in week_one
    assert "**Glute activation before your run (6 min)**" in week_one
    assert "- **Clamshell**: 2 × 15–20 reps per side, tempo 1-1-2, rest 30 s" in week_one
    assert "*Why:* Glute med, the top pick for a dropping hip." in week_one
    assert "> **Cue:** Take quicker, lighter steps" in week_one
    assert "### Wednesday 5 Mar: no run\n\nNothing extra today." in week_one


def test_the_guide_covers_every_exercise_used_once(plan: Plan, small_library: Library) -> None:
    text = plan_markdown(plan, small_library)
    guide = text[text.index("## Exercise guide") :]
    used = {p.name for d in plan.days for s in d.sessions for p in s.prescriptions}
    assert set(_sections(guide, "###")) == used
    assert len(_sections(guide, "###")) == len(used)
    clamshell = small_library.exercise("clamshell")
    for line in (*clamshell.setup, *clamshell.cues, clamshell.feel_it, clamshell.faults[0].fault):
        assert line in guide


def test_markdown_characters_in_the_data_are_escaped(odd_plan: Plan, odd_library: Library) -> None:
    text = plan_markdown(odd_plan, odd_library)
    assert r"Clamshell \<b\>banded\</b\> & \*fast\*" in text
    assert "<b>" not in text
    assert "<script>" not in text


def test_an_exercise_missing_from_the_library_is_named_in_the_guide(
    plan: Plan, small_library: Library
) -> None:
    stray = prescribe(small_library, "clamshell", "A stray.").model_copy(
        update={"exercise_id": "retired_exercise", "name": "Retired exercise"}
    )
    first = plan.weeks[0].days[1]
    session = first.sessions[0].model_copy(update={"prescriptions": (stray,)})
    day = first.model_copy(update={"sessions": (session,)})
    week = plan.weeks[0].model_copy(update={"days": (day,)})
    text = plan_markdown(plan.model_copy(update={"weeks": (week,)}), small_library)
    guide = text[text.index("## Exercise guide") :]
    assert "### Retired exercise\n\nNo guide for this exercise in the library." in guide
