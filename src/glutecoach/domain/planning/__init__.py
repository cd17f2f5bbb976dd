"""Planning: RunnerProfile + Findings + library → Plan (weeks → days → sessions → prescriptions)."""

from glutecoach.domain.planning.generator import MAX_WEEKS, build_plan
from glutecoach.domain.planning.plan import (
    Day,
    Phase,
    Plan,
    Prescription,
    RunKind,
    Session,
    SessionKind,
    Week,
    WeekKind,
)
from glutecoach.domain.planning.profile import Experience, Race, RunnerProfile, Weekday

__all__ = [
    "MAX_WEEKS",
    "Day",
    "Experience",
    "Phase",
    "Plan",
    "Prescription",
    "Race",
    "RunKind",
    "RunnerProfile",
    "Session",
    "SessionKind",
    "Week",
    "WeekKind",
    "Weekday",
    "build_plan",
]
