"""Screening: questionnaire + functional tests → findings; red flags → a referral, no plan there."""

from glutecoach.domain.screening.findings import (
    Asymmetry,
    Finding,
    FindingKind,
    Reason,
    Referral,
    Screening,
)
from glutecoach.domain.screening.history import RunHistorySigns, with_history, with_signs
from glutecoach.domain.screening.inputs import (
    Answers,
    Background,
    FunctionalTests,
    PainArea,
    PainReport,
    PerSide,
    ScreeningInput,
    Side,
    SquatObservation,
)
from glutecoach.domain.screening.rules import screen

__all__ = [
    "Answers",
    "Asymmetry",
    "Background",
    "Finding",
    "FindingKind",
    "FunctionalTests",
    "PainArea",
    "PainReport",
    "PerSide",
    "Reason",
    "Referral",
    "RunHistorySigns",
    "Screening",
    "ScreeningInput",
    "Side",
    "SquatObservation",
    "screen",
    "with_history",
    "with_signs",
]
