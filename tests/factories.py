"""Small typed factories with sensible defaults: each test states only what it is about."""

from __future__ import annotations

import datetime as dt
from typing import Any

from glutecoach.domain.library import Library
from glutecoach.domain.planning import RunnerProfile
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
