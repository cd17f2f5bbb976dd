"""The plan as a Markdown handout: summary, one section per week, then the exercise guide."""

from __future__ import annotations

import re

from glutecoach.domain.library.library import Library
from glutecoach.domain.library.models import Exercise
from glutecoach.domain.planning.plan import Day, Plan, Prescription, Session, Week
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

# Characters that would turn data into emphasis, links, code or raw HTML in a Markdown viewer.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _summary(plan: Plan) -> list[str]:
    lines = [
        f"# Glute plan for {md(plan.runner)}",
        "",
        f"- **Dates:** {md(date_span(plan))}",
        f"- **Race:** {md(race_text(plan.race))}",
        f"- **Strength days:** {weekdays_text(plan)}",
        "",
    ]
    if plan.referrals:
        # A blockquote at the top: it is the first thing read, before any exercise.
        lines += ["> **See a clinician before you train these areas**", ">"]
        lines += [f"> - {md(message)}" for message in plan.referrals]
        lines.append("")
    lines += ["## Summary", ""]
    if plan.findings:
        lines += ["What the screening found:", ""]
        for f in plan.findings:
            side = f", {side_text(f.side)}" if f.side else ""
            lines.append(f"- **{md(f.title)}** ({f.severity}{side}): {md(f.summary)}")
        lines.append("")
    else:
        lines += ["The screening found no signs of gluteal under-use.", ""]
    if plan.notes:
        lines += ["How the plan was put together:", ""]
        lines += [f"- {md(note)}" for note in plan.notes]
        lines.append("")
    return lines


def _prescription(p: Prescription) -> list[str]:
    return [f"- **{md(p.name)}**: {md(full_dose(p))}  ", f"  *Why:* {md(p.reason)}"]


def _session(session: Session) -> list[str]:
    heading = f"**{md(session_heading(session))}**"
    lines = [heading if says_the_cue(session) else f"{heading}: {md(session.reason)}", ""]
    for p in session.prescriptions:
        lines += _prescription(p)
    if session.prescriptions:
        lines.append("")
    if session.cue is not None:
        lines += [f"> **Cue:** {md(session.cue.cue)}  ", f"> *Why:* {md(session.cue.why)}", ""]
    return lines


def _day(day: Day) -> list[str]:
    lines = [f"### {day_label(day.date)}: {RUN_LABELS[day.run]}", ""]
    if not day.sessions:
        return [*lines, "Nothing extra today.", ""]
    for session in day.sessions:
        lines += _session(session)
    return lines


def _week(week: Week) -> list[str]:
    lines = [
        f"## Week {week.number}: {week.phase.value} phase, {week.kind.value} week",
        "",
        f"From {long_date(week.start)}, at {week.volume_factor:.0%} of the usual volume.",
        "",
    ]
    if week.notes:
        lines += [f"- {md(note)}" for note in week.notes]
        lines.append("")
    for day in week.days:
        lines += _day(day)
    return lines


def _guide_entry(exercise: Exercise) -> list[str]:
    lines = [
        f"### {md(exercise.name)}",
        "",
        f"*Usual dose:* {md(dosage_text(exercise.dosage, exercise.per_side))}",
        "",
        "**Setup**",
        "",
    ]
    lines += [f"{n}. {md(step)}" for n, step in enumerate(exercise.setup, start=1)]
    lines += ["", "**Cues**", ""]
    lines += [f"- {md(cue)}" for cue in exercise.cues]
    lines += ["", f"**Where to feel it:** {md(exercise.feel_it)}", ""]
    if exercise.faults:
        lines += ["**Common faults**", ""]
        lines += [f"- {md(f.fault)} *Fix:* {md(f.fix)}" for f in exercise.faults]
        lines.append("")
    if exercise.avoid_when:
        lines += ["**Leave it out when**", ""]
        lines += [f"- {md(reason)}" for reason in exercise.avoid_when]
        lines.append("")
    return lines


def plan_markdown(plan: Plan, library: Library) -> str:
    lines = _summary(plan)
    for week in plan.weeks:
        lines += _week(week)
    used, unknown = exercises_used(plan, library)
    if used or unknown:
        lines += ["## Exercise guide", ""]
        for exercise in used:
            lines += _guide_entry(exercise)
        for p in unknown:
            lines += [f"### {md(p.name)}", "", "No guide for this exercise in the library.", ""]
    lines += ["---", "", f"*{md(SAFETY_NOTE)}*"]
    return "\n".join(lines) + "\n"
