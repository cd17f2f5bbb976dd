"""Screening: questionnaire + functional tests → findings; red flags → a referral, no plan there."""

from glutecoach.domain.screening.findings import (
    Asymmetry,
    Finding,
    FindingKind,
    Reason,
    Referral,
    Screening,
)
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
    "Screening",
    "ScreeningInput",
    "Side",
    "SquatObservation",
    "screen",
]
