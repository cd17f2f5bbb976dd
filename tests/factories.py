"""Small typed factories with sensible defaults: each test states only what it is about."""

from __future__ import annotations

import datetime as dt
from typing import Any

from glutecoach.domain.library import Library, load_library
from glutecoach.domain.planning import Plan, RunnerProfile, SessionKind, build_plan
from glutecoach.domain.planning.changes import Change
from glutecoach.domain.progression.logs import ExerciseLog, RunLog, SessionLog, SorenessLog
from glutecoach.domain.screening import Screening, ScreeningInput, screen

MONDAY = dt.date(2026, 11, 23)


def profile_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Test Runner",
        "timezone": "Europe/London",
        "start_date": MONDAY.isoformat(),
        "run_days": ["tue", "thu", "sat", "sun"],
        "long_run_day": "sun",
        "hard_days": ["thu"],
        "weekly_km": 30,
        "equipment": ["mini_band", "box", "foam_roller"],
    }
    data.update(overrides)
    return data


def make_profile(**overrides: Any) -> RunnerProfile:
    return RunnerProfile.model_validate(profile_data(**overrides))


def screening_input(**sections: Any) -> ScreeningInput:
    return ScreeningInput.model_validate(sections)


def make_screening(library: Library, **sections: Any) -> Screening:
    return screen(screening_input(**sections), library, MONDAY)


def make_plan(weeks: int = 2, **profile_overrides: Any) -> Plan:
    """A real plan from the planner (no screening) for the default profile."""
    return build_plan(make_profile(**profile_overrides), None, load_library(), weeks=weeks)


def make_exercise_log(**overrides: Any) -> ExerciseLog:
    data: dict[str, Any] = {
        "exercise_id": "clamshell",
        "unit": "reps",
        "prescribed_sets": 2,
        "prescribed": {"low": 15, "high": 20},
        "sets": [20, 18],
        "load": None,
        "effort": 6,
        "felt": "glutes",
        "pain": 0,
    }
    data.update(overrides)
    return ExerciseLog.model_validate(data)


def make_session_log(*exercises: ExerciseLog, **overrides: Any) -> SessionLog:
    """A strength session done the day after MONDAY; with no exercises given, one clamshell."""
    data: dict[str, Any] = {
        "date": MONDAY + dt.timedelta(days=1),
        "session": "strength",
        "status": "done",
        "exercises": exercises or (make_exercise_log(),),
        "plan_version": 1,
    }
    data.update(overrides)
    return SessionLog.model_validate(data)


def make_soreness(**overrides: Any) -> SorenessLog:
    data: dict[str, Any] = {"date": MONDAY + dt.timedelta(days=2), "level": 3, "note": None}
    data.update(overrides)
    return SorenessLog.model_validate(data)


def make_run_log(**overrides: Any) -> RunLog:
    data: dict[str, Any] = {
        "date": MONDAY + dt.timedelta(days=1),
        "kind": "easy",
        "distance_km": 8.5,
        "minutes": 47.25,
    }
    data.update(overrides)
    return RunLog.model_validate(data)


def make_change(effective_from: dt.date, action: str = "regress") -> Change:
    """The engine's change to the clamshell in strength sessions, from `effective_from`."""
    return Change(
        key=f"strength:clamshell:{effective_from}:{action}",
        effective_from=effective_from,
        action=action,
        session=SessionKind.strength,
        exercise_id="clamshell",
        before="Clamshell 2 × 15–20 reps",
        after="Side-lying clamshell",
        reason="Felt in the low back twice.",
    )
