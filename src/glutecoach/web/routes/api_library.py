"""/api/v1/hello and the exercise library: search, filter, and one exercise in full."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from glutecoach.domain.errors import InvalidInput
from glutecoach.domain.library import Category, Equipment, Exercise, Muscle
from glutecoach.domain.library.library import ExerciseFilter, SortKey
from glutecoach.services import library as library_service
from glutecoach.web.routes.api_common import (
    AT_HAND,
    ERRORS,
)
from glutecoach.web.schemas import (
    ExerciseDetail,
    ExerciseSummary,
)

router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)


@router.get("/hello", summary="The framework's bare endpoint (the benchmarks' baseline)")
def hello() -> dict[str, str]:
    return {"hello": "glutecoach"}


# The exercise library ---------------------------------------------------------------------------


@router.get("/exercises", summary="Search and filter the exercise library")
def list_exercises(
    *,
    muscle: Annotated[Muscle | None, Query(description="Only exercises that work it")] = None,
    category: Annotated[Category | None, Query(description="Only this kind")] = None,
    equipment: Annotated[
        list[str],
        Query(
            default_factory=list,
            description="What is at hand (repeat it; 'none' for nothing): nothing more needed",
            json_schema_extra={"items": {"type": "string", "enum": AT_HAND}},
        ),
    ],
    max_difficulty: Annotated[int | None, Query(ge=1, le=5)] = None,
    min_difficulty: Annotated[int | None, Query(ge=1, le=5)] = None,
    sort: Annotated[
        SortKey, Query(description="activation: highest published glute %MVIC first")
    ] = "activation",
    q: Annotated[
        str | None, Query(max_length=100, description="Text in the name or aliases")
    ] = None,
) -> list[ExerciseSummary]:
    where = ExerciseFilter(muscle, category, _at_hand(equipment), max_difficulty, min_difficulty)
    chosen = library_service.find_exercises(where, sort)
    if q is not None and q.strip():
        chosen = [e for e in chosen if _mentions(e, q.strip().casefold())]
    return [ExerciseSummary.of(e) for e in chosen]


def _at_hand(values: list[str]) -> frozenset[Equipment] | None:
    if not values:
        return None
    unknown = [v for v in values if v not in AT_HAND]
    if unknown:
        raise InvalidInput(f"field 'equipment' '{unknown[0]}' is not one of {', '.join(AT_HAND)}")
    return frozenset(Equipment(v) for v in values if v != "none")


def _mentions(exercise: Exercise, text: str) -> bool:
    names = (exercise.name, *exercise.aliases, exercise.id.replace("_", " "))
    return any(text in name.casefold() for name in names)


@router.get(
    "/exercises/{exercise_id}",
    summary="One exercise: dosage, cues, faults, evidence and its place in the progressions",
)
def show_exercise(
    exercise_id: Annotated[str, Path(description="An exercise id, name or alias")],
) -> ExerciseDetail:
    return ExerciseDetail.of(library_service.exercise(exercise_id), library_service.library())
