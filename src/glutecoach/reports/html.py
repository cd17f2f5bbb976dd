"""The plan as a printable, self-contained HTML handout (one page per week on paper)."""

from __future__ import annotations

from glutecoach.domain.library.library import Library
from glutecoach.domain.planning.plan import Plan
from glutecoach.reports._templates import environment
from glutecoach.reports._text import (
    RUN_LABELS,
    SAFETY_NOTE,
    date_span,
    day_label,
    dosage_text,
    exercises_used,
    full_dose,
    long_date,
    race_text,
    says_the_cue,
    session_heading,
    side_text,
    weekdays_text,
)


def plan_html(plan: Plan, library: Library) -> str:
    used, unknown = exercises_used(plan, library)
    template = environment().get_template("handout.html.j2")
    return template.render(
        plan=plan,
        guide=used,
        unknown=unknown,
        date_span=date_span,
        day_label=day_label,
        dosage_text=dosage_text,
        full_dose=full_dose,
        long_date=long_date,
        race_text=race_text,
        run_labels=RUN_LABELS,
        safety_note=SAFETY_NOTE,
        says_the_cue=says_the_cue,
        session_heading=session_heading,
        side_text=side_text,
        weekdays=weekdays_text(plan),
    )
