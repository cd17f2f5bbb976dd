"""Progression: logged sessions → the next prescription (progress / hold / regress / stop)."""

from glutecoach.domain.planning.changes import Change
from glutecoach.domain.progression.adapt import AWAY_DAYS_READ, Adaptation, adapt, logs_needed
from glutecoach.domain.progression.decide import Action, Decision, decide
from glutecoach.domain.progression.logs import ExerciseLog, RunLog, SessionLog, SorenessLog

__all__ = [
    "AWAY_DAYS_READ",
    "Action",
    "Adaptation",
    "Change",
    "Decision",
    "ExerciseLog",
    "RunLog",
    "SessionLog",
    "SorenessLog",
    "adapt",
    "decide",
    "logs_needed",
]
