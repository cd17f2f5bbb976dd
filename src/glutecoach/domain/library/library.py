"""The checked library: look-ups, filters and the derived progression structure."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from glutecoach.domain.errors import NotFound
from glutecoach.domain.library.graph import depth, edges, families
from glutecoach.domain.library.models import (
    BodyArea,
    Category,
    Equipment,
    Exercise,
    Muscle,
    Quality,
    RunCue,
    Source,
    Threshold,
)

SortKey = Literal["activation", "name", "difficulty"]


@dataclass(frozen=True)
class ExerciseFilter:
    muscle: Muscle | None = None
    category: Category | None = None
    equipment: frozenset[Equipment] | None = None  # what is at hand; None means anything
    max_difficulty: int | None = None
    min_difficulty: int | None = None

    def admits(self, exercise: Exercise) -> bool:
        if self.muscle is not None and self.muscle not in (
            *exercise.primary_muscles,
            *exercise.secondary_muscles,
        ):
            return False
        if self.category is not None and exercise.category != self.category:
            return False
        if self.equipment is not None and not set(exercise.equipment) <= self.equipment:
            return False
        if self.max_difficulty is not None and exercise.difficulty > self.max_difficulty:
            return False
        return self.min_difficulty is None or exercise.difficulty >= self.min_difficulty


def activation_score(exercise: Exercise, muscle: Muscle | None = None) -> float:
    """The best published glute %MVIC for ranking (glute med or max, or the one asked for)."""
    names = [muscle.value] if muscle in (Muscle.glute_med, Muscle.glute_max) else []
    names = names or ["glute_med", "glute_max"]
    values = [v for v in (exercise.activation_pct(n) for n in names) if v is not None]
    return max(values, default=-1.0)


@dataclass(frozen=True)
class Library:
    exercises: Mapping[str, Exercise]
    sources: Mapping[str, Source]
    thresholds: Mapping[str, Threshold]
    run_cues: tuple[RunCue, ...]
    family: Mapping[str, str] = field(init=False)
    level: Mapping[str, int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "family", families(self.exercises))
        object.__setattr__(self, "level", depth(self.exercises))

    def exercise(self, key: str) -> Exercise:
        """An exercise by id, or by a name or alias in any case."""
        if key in self.exercises:
            return self.exercises[key]
        wanted = key.strip().casefold()
        for exercise in self.exercises.values():
            names = (exercise.name, *exercise.aliases)
            if wanted in (n.casefold() for n in names) or wanted == exercise.id.replace("_", " "):
                return exercise
        close = difflib.get_close_matches(key, list(self.exercises), n=3, cutoff=0.5)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise NotFound(f"unknown exercise id '{key}'.{hint} ('glutecoach exercises' lists them)")

    def threshold(self, key: str) -> Threshold:
        return self.thresholds[key]

    def source(self, key: str) -> Source:
        return self.sources[key]

    def select(
        self, where: ExerciseFilter | None = None, sort: SortKey = "activation"
    ) -> list[Exercise]:
        chosen = [e for e in self.exercises.values() if where is None or where.admits(e)]
        muscle = where.muscle if where else None
        if sort == "activation":
            return sorted(chosen, key=lambda e: (-activation_score(e, muscle), e.id))
        if sort == "difficulty":
            return sorted(chosen, key=lambda e: (e.difficulty, e.id))
        return sorted(chosen, key=lambda e: e.name.casefold())

    def harder(self, exercise_id: str) -> list[Exercise]:
        return [self.exercises[b] for a, b in sorted(edges(self.exercises)) if a == exercise_id]

    def easier(self, exercise_id: str) -> list[Exercise]:
        return [self.exercises[a] for a, b in sorted(edges(self.exercises)) if b == exercise_id]

    def addressing(
        self,
        qualities: Iterable[Quality],
        excluded: Iterable[BodyArea] = (),
        limit: int | None = None,
    ) -> list[Exercise]:
        """Exercises that train any of the qualities, most qualities matched first, then by EMG.

        Exercises loading an excluded (red-flag) area are left out.
        """
        wanted, banned = set(qualities), set(excluded)
        scored = [
            (len(wanted & set(e.trains)), activation_score(e), e)
            for e in self.exercises.values()
            if wanted & set(e.trains) and not banned & set(e.loads)
        ]
        scored.sort(key=lambda t: (-t[0], -t[1], t[2].id))
        return [e for _, _, e in scored[:limit]]

    def sources_of(self, exercises: Iterable[Exercise]) -> list[Source]:
        ids = {f.source for e in exercises for f in e.emg} | {
            f.source for e in exercises for f in e.gta
        }
        return [self.sources[i] for i in sorted(ids)]
