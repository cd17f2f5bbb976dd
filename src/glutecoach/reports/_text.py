"""Wording shared by every renderer, so the terminal, the handouts and the calendar say the same."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from glutecoach.domain.library.library import Library
from glutecoach.domain.library.models import Dosage, EmgFigure, Exercise
from glutecoach.domain.planning.plan import Plan, Prescription, RunKind, Session, SessionKind
from glutecoach.domain.planning.profile import Race
from glutecoach.domain.screening.inputs import Side

UNIT_WORDS = {"reps": "reps", "hold_s": "s hold", "steps": "steps", "minutes": "min"}
CEILING_WORDS = {"reps": "reps", "hold_s": "s", "steps": "steps", "minutes": "min"}

SESSION_LABELS: dict[SessionKind, str] = {
    SessionKind.pre_run_activation: "Before the run",
    SessionKind.dynamic_warm_up: "Dynamic warm-up",
    SessionKind.strength: "Strength",
    SessionKind.post_run_recovery: "After the run",
    SessionKind.run_cue: "Run cue",
}

RUN_LABELS: dict[RunKind, str] = {
    RunKind.rest: "no run",
    RunKind.easy: "easy run",
    RunKind.hard: "hard run",
    RunKind.long: "long run",
    RunKind.race: "race",
}


SAFETY_NOTE = (
    "Screening and training guidance, not a diagnosis. Stop and see a clinician if pain is "
    "sharp, worsening, 4/10 or more, there at night or at rest, or comes with swelling, "
    "numbness or a limp."
)


def long_date(day: dt.date) -> str:
    # Day first and the month as a word: unambiguous for runners on either side of the Atlantic.
    return f"{day.day} {day:%b %Y}"


def day_label(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%b}"


def date_span(plan: Plan) -> str:
    weeks = len(plan.weeks)
    return (
        f"{long_date(plan.start)} – {long_date(plan.end)} ({weeks} week{'s' if weeks != 1 else ''})"
    )


def race_text(race: Race | None) -> str:
    if race is None:
        return "no race"
    name = f"{race.name}, " if race.name else ""
    return f"{name}{race.distance_km:g} km on {long_date(race.date)}"


def weekdays_text(plan: Plan) -> str:
    return ", ".join(d.label for d in plan.strength_weekdays) or "none"


def side_text(side: Side | None) -> str:
    return "" if side is None else side.value


def session_heading(session: Session) -> str:
    minutes = f" ({session.minutes} min)" if session.minutes > 0 else ""
    return f"{session.title}{minutes}"


def says_the_cue(session: Session) -> bool:
    """A run-cue session's reason is often the cue's own why; printing both says it twice."""
    return session.cue is not None and session.reason.strip() == session.cue.why.strip()


def prescription_extras(p: Prescription) -> str:
    """Tempo and rest, which the dose string leaves out but the runner needs to do the sets."""
    parts = []
    if p.tempo:
        parts.append(f"tempo {p.tempo}")
    if p.rest_s and p.sets > 1:
        parts.append(f"rest {p.rest_s} s")
    return ", ".join(parts)


def full_dose(p: Prescription) -> str:
    extras = prescription_extras(p)
    return f"{p.dose}, {extras}" if extras else p.dose


def dosage_text(dosage: Dosage, per_side: bool) -> str:
    side = " per side" if per_side else ""
    parts = [f"{dosage.sets} × {dosage.amount} {UNIT_WORDS[dosage.unit]}{side}"]
    if dosage.tempo:
        parts.append(f"tempo {dosage.tempo}")
    if dosage.rest_s and dosage.sets > 1:
        parts.append(f"rest {dosage.rest_s} s")
    if dosage.ceiling is not None:
        parts.append(f"harder step at {dosage.ceiling} {CEILING_WORDS[dosage.unit]}")
    return ", ".join(parts)


def short(text: str, limit: int = 90) -> str:
    """The first sentence, cut to fit: the full reason is in the handout, a table only hints."""
    first = text.strip().split(". ")[0].rstrip(".")
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0] + "…"


def words(values: Iterable[StrEnum]) -> str:
    """`glute_med, tfl` → `glute med, tfl`: slugs read as words; empty reads as none."""
    return ", ".join(v.value.replace("_", " ") for v in values) or "none"


def emg_text(figure: EmgFigure) -> str:
    # A loaded figure (e.g. at a 10RM) is not what a bodyweight version of the exercise gives.
    load = ", with external load" if figure.load == "loaded" else ""
    return f"{figure.muscle.replace('_', ' ')}: {figure}{load}"


def source_short(library: Library, source_id: str) -> str:
    # An id the library does not know is shown as it is rather than failing the whole report.
    source = library.sources.get(source_id)
    return source.short() if source else source_id


def source_citation(library: Library, source_id: str) -> str:
    source = library.sources.get(source_id)
    return source.citation() if source else source_id


def exercises_used(plan: Plan, library: Library) -> tuple[list[Exercise], list[Prescription]]:
    """The plan's exercises in order of first use, and prescriptions whose exercise is unknown."""
    found: dict[str, Exercise] = {}
    missing: dict[str, Prescription] = {}
    for day in plan.days:
        for session in day.sessions:
            for p in session.prescriptions:
                exercise = library.exercises.get(p.exercise_id)
                if exercise is not None:
                    found.setdefault(p.exercise_id, exercise)
                else:
                    missing.setdefault(p.exercise_id, p)
    return list(found.values()), list(missing.values())


def session_count(plan: Plan) -> int:
    return sum(len(d.sessions) for d in plan.days)
