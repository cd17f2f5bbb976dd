"""The exercise knowledge base: exercises, muscles, EMG evidence, dosage, cues, progressions."""

from glutecoach.domain.library.library import ExerciseFilter, Library, activation_score
from glutecoach.domain.library.loader import load_library, parse_library
from glutecoach.domain.library.models import (
    BodyArea,
    Category,
    Dosage,
    EmgFigure,
    Equipment,
    Exercise,
    FeltArea,
    Muscle,
    Position,
    Quality,
    RunCue,
    Source,
    Threshold,
)

__all__ = [
    "BodyArea",
    "Category",
    "Dosage",
    "EmgFigure",
    "Equipment",
    "Exercise",
    "ExerciseFilter",
    "FeltArea",
    "Library",
    "Muscle",
    "Position",
    "Quality",
    "RunCue",
    "Source",
    "Threshold",
    "activation_score",
    "load_library",
    "parse_library",
]
