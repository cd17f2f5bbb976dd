"""Exercise look-ups for both interfaces."""

from __future__ import annotations

from glutecoach.domain.library import Exercise, ExerciseFilter, Library, load_library
from glutecoach.domain.library.library import SortKey


def library() -> Library:
    return load_library()


def find_exercises(where: ExerciseFilter, sort: SortKey = "activation") -> list[Exercise]:
    return load_library().select(where, sort)


def exercise(key: str) -> Exercise:
    return load_library().exercise(key)
