"""A small hand-made library and plan, so the renderers are tested on known content.

`small_library` is built with `parse_library` from documents written here rather than loaded from
the package, so these tests pin what the reports say whatever the packaged data grows into; the
packaged library (`library`, from tests/conftest.py) is only used to check everything renders.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from glutecoach.domain.library import Library
from glutecoach.domain.planning.plan import (
    Day,
    FindingNote,
    Phase,
    Plan,
    Prescription,
    RunCueNote,
    RunKind,
    Session,
    SessionKind,
    Week,
    WeekKind,
)
from glutecoach.domain.planning.profile import Race, Weekday
from glutecoach.domain.screening.inputs import Side

START = dt.date(2025, 3, 3)  # a Monday
RACE_DAY = dt.date(2025, 3, 15)

SOURCES: list[dict[str, Any]] = [
    {
        "id": "distefano_2009",
        "authors": "DiStefano LJ, Blackburn JT, Marshall SW, Padua DA",
        "year": 2009,
        "title": "Gluteal muscle activation during common therapeutic exercises",
        "journal": "J Orthop Sports Phys Ther 39(7):532-540",
    },
    {
        "id": "selkowitz_2013",
        "authors": "Selkowitz DM, Beneck GJ, Powers CM",
        "year": 2013,
        "title": None,
        "journal": "J Orthop Sports Phys Ther 43(2):54-64",
    },
    {
        "id": "heiderscheit_2011",
        "authors": "Heiderscheit BC, Chumanov ES, Michalski MP, Wille CM, Ryan MB",
        "year": 2011,
        "title": "Effects of step rate manipulation on joint mechanics during running",
        "journal": "Med Sci Sports Exerc 43(2):296-302",
    },
]


def _exercise(id_: str, name: str, **overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": id_,
        "name": name,
        "category": "activation",
        "primary_muscles": ["glute_med"],
        "trains": ["hip_abduction"],
        "loads": ["hip"],
        "position": "side_lying",
        "per_side": True,
        "difficulty": 1,
        "dosage": {"sets": 2, "reps": [15, 20], "rest_s": 30},
        "setup": [f"Set up for the {name.lower()}."],
        "cues": [f"{name}: cue one.", f"{name}: cue two."],
        "feel_it": f"{name}: in the side of the hip.",
        "faults": [{"fault": f"{name}: a fault.", "fix": f"{name}: the fix."}],
        "evidence_note": "No published figure in this test library.",
    }
    record.update(overrides)
    return record


CLAMSHELL = _exercise(
    "clamshell",
    "Clamshell",
    secondary_muscles=["glute_max"],
    trains=["hip_abduction", "hip_external_rotation"],
    dosage={"sets": 2, "reps": [15, 20], "tempo": "1-1-2", "rest_s": 30, "ceiling": 25},
    cues=[
        "Keep the heels touching and open the top knee like a book.",
        "Lift only as far as you can without the pelvis rolling back.",
    ],
    feel_it="In the side and back of the top hip, not the front of the thigh.",
    faults=[
        {
            "fault": "The pelvis rolls backwards as the knee opens.",
            "fix": "Put your back against a wall.",
        }
    ],
    felt_elsewhere={"side_of_thigh": "That is the TFL taking over; make the lift smaller."},
    progressions=["banded_clamshell"],
    avoid_when=["Pain on the outside of the hip when lying on it."],
    emg=[
        {
            "muscle": "glute_med",
            "value_pct": 40,
            "condition": "clam, hip flexed ~30°",
            "source": "distefano_2009",
            "status": "confirmed",
        },
        {
            "muscle": "glute_max",
            "value_pct": 34,
            "sd_pct": 27,
            "condition": "clam, bodyweight",
            "source": "distefano_2009",
            "status": "confirmed",
        },
    ],
    gta=[{"index": 115, "condition": "clam", "source": "selkowitz_2013", "status": "confirmed"}],
    evidence_note=None,
)

EXERCISES: list[dict[str, Any]] = [
    CLAMSHELL,
    _exercise("banded_clamshell", "Banded clamshell", equipment=["mini_band"], difficulty=2),
    _exercise(
        "glute_bridge",
        "Glute bridge",
        primary_muscles=["glute_max"],
        trains=["hip_extension"],
        position="supine",
        per_side=False,
        progressions=["single_leg_bridge"],
    ),
    _exercise(
        "single_leg_bridge",
        "Single-leg bridge",
        category="strength",
        primary_muscles=["glute_max"],
        trains=["hip_extension", "single_leg_control"],
        position="supine",
        difficulty=3,
        dosage={"sets": 3, "reps": [8, 12], "rest_s": 60},
    ),
    _exercise(
        "side_plank",
        "Side plank",
        category="strength",
        primary_muscles=["glute_med", "obliques"],
        trains=["pelvic_control", "trunk_control"],
        position="side_plank",
        difficulty=2,
        dosage={"sets": 3, "hold_s": [20, 30], "rest_s": 45},
    ),
    _exercise(
        "figure_four_glute_stretch",
        "Figure-four glute stretch",
        category="recovery",
        primary_muscles=["glute_max"],
        trains=["mobility", "recovery"],
        position="supine",
        dosage={"sets": 1, "hold_s": 30, "rest_s": 0},
    ),
]

RUN_CUES: list[dict[str, Any]] = [
    {
        "id": "quicker_cadence",
        "cue": "Take quicker, lighter steps, about 5-10 % more steps per minute.",
        "why": "A higher step rate lowers the load the hip and knee absorb each step.",
        "for_findings": ["hip_abductor_weakness"],
        "source": "heiderscheit_2011",
    }
]

THRESHOLDS: list[dict[str, Any]] = [
    {
        "id": "asymmetry_pct",
        "value": 10,
        "unit": "percent",
        "basis": "convention",
        "note": "Left/right difference treated as an asymmetry.",
    }
]


def library_documents() -> dict[str, Any]:
    return copy.deepcopy(
        {
            "sources.yaml": SOURCES,
            "thresholds.yaml": THRESHOLDS,
            "run_cues.yaml": RUN_CUES,
            "exercises/test.yaml": EXERCISES,
        }
    )


def prescribe(library: Library, exercise_id: str, reason: str, **overrides: Any) -> Prescription:
    exercise = library.exercise(exercise_id)
    dosage = exercise.dosage
    fields: dict[str, Any] = {
        "exercise_id": exercise.id,
        "name": exercise.name,
        "sets": dosage.sets,
        "unit": dosage.unit,
        "amount": dosage.amount,
        "per_side": exercise.per_side,
        "tempo": dosage.tempo,
        "rest_s": dosage.rest_s,
        "reason": reason,
    }
    fields.update(overrides)
    return Prescription(**fields)


def _run_day_sessions(library: Library) -> tuple[Session, ...]:
    cue = library.run_cues[0]
    return (
        Session(
            kind=SessionKind.pre_run_activation,
            title="Glute activation before your run",
            minutes=6,
            reason="Wakes up the glutes so they share the work from the first step.",
            prescriptions=(
                prescribe(library, "clamshell", "Glute med, the top pick for a dropping hip."),
                prescribe(library, "glute_bridge", "Glute max before the hips extend."),
            ),
        ),
        Session(
            kind=SessionKind.run_cue,
            title="Run cue",
            minutes=0,
            reason="One thing to think about while you run.",
            cue=RunCueNote(id=cue.id, cue=cue.cue, why=cue.why, source=cue.source),
        ),
        Session(
            kind=SessionKind.post_run_recovery,
            title="Recovery after your run",
            minutes=5,
            reason="Eases the hips after the run.",
            prescriptions=(prescribe(library, "figure_four_glute_stretch", "Eases the glutes."),),
        ),
    )


def _strength_session(library: Library, sets: int) -> Session:
    return Session(
        kind=SessionKind.strength,
        title="Strength",
        minutes=30,
        reason="Builds the strength the run itself cannot.",
        prescriptions=(
            prescribe(
                library,
                "single_leg_bridge",
                "Hip extension on one leg, as in running.",
                sets=sets,
                extra_set_side=Side.left,
            ),
            prescribe(library, "side_plank", "Pelvic control from the side.", sets=sets),
        ),
    )


def _week(library: Library, number: int, kind: WeekKind, factor: float, sets: int) -> Week:
    start = START + dt.timedelta(weeks=number - 1)
    runs = {1: RunKind.easy, 3: RunKind.hard, 5: RunKind.long}
    days = []
    for offset in range(7):
        date = start + dt.timedelta(days=offset)
        sessions: tuple[Session, ...] = ()
        if offset in runs:
            sessions = _run_day_sessions(library)
        elif offset in (0, 4):
            sessions = (_strength_session(library, sets),)
        days.append(
            Day(
                date=date,
                weekday=Weekday.of(date),
                run=RunKind.race if date == RACE_DAY else runs.get(offset, RunKind.rest),
                sessions=sessions,
            )
        )
    notes = ("Volume down to let the body absorb the work.",) if kind == WeekKind.deload else ()
    return Week(
        number=number,
        start=start,
        phase=Phase.foundation,
        kind=kind,
        volume_factor=factor,
        notes=notes,
        days=tuple(days),
    )


def hand_made_plan(library: Library) -> Plan:
    return Plan(
        runner="Ana",
        timezone="Europe/Lisbon",
        start=START,
        end=START + dt.timedelta(days=13),
        race=Race(date=RACE_DAY, distance_km=10, name="Spring 10K"),
        strength_weekdays=(Weekday.mon, Weekday.fri),
        findings=(
            FindingNote(
                kind="hip_abductor_weakness",
                title="Weak hip abductors / poor pelvic control",
                severity="moderate",
                side=Side.left,
                summary="Left side plank held 30 s, well under the norm.",
            ),
        ),
        referrals=("See a clinician about the sharp pain at the front of your right knee.",),
        notes=("Strength days kept two days away from the long run.",),
        weeks=(
            _week(library, 1, WeekKind.build, 1.0, sets=3),
            _week(library, 2, WeekKind.deload, 0.6, sets=2),
        ),
    )
