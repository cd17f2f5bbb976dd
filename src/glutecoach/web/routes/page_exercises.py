"""/exercises: the library, searched as you type and filtered; one exercise with its evidence."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from glutecoach.domain.errors import InvalidInput, NotFound
from glutecoach.domain.library import (
    Category,
    Equipment,
    Exercise,
    ExerciseFilter,
    Muscle,
)
from glutecoach.domain.library.library import SortKey
from glutecoach.services import library
from glutecoach.web.routes.page_common import render, see_other

router = APIRouter(include_in_schema=False)

E = TypeVar("E", bound=StrEnum)
SORTS: dict[str, SortKey] = {"activation": "activation", "name": "name", "difficulty": "difficulty"}
BODYWEIGHT = "bodyweight"  # the equipment box for "nothing": exercises that need no equipment


def _choice(kind: type[E], value: str | None, name: str) -> E | None:
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(k.value for k in kind)
        raise InvalidInput(f"field '{name}' '{value}' is not one of: {known}") from None


def _matches(exercise: Exercise, words: str) -> bool:
    wanted = words.casefold().split()
    haystack = " ".join(
        (exercise.id.replace("_", " "), exercise.name, *exercise.aliases, exercise.feel_it)
    ).casefold()
    return all(w in haystack for w in wanted)


@router.get("/exercises", response_class=HTMLResponse)
def exercises_page(
    request: Request,
    q: str = "",
    muscle: str | None = None,
    category: str | None = None,
    equipment: Annotated[list[str] | None, Query()] = None,
    difficulty: str | None = None,
    sort: str = "activation",
) -> HTMLResponse:
    if difficulty and not (difficulty.isdigit() and 1 <= int(difficulty) <= 5):
        raise InvalidInput(f"field 'difficulty' '{difficulty}' is not a level from 1 to 5")
    if sort not in SORTS:
        raise InvalidInput(f"field 'sort' '{sort}' is not one of: {', '.join(SORTS)}")
    ticked = [v for v in equipment or () if v]
    at_hand = [e for v in ticked if v != BODYWEIGHT and (e := _choice(Equipment, v, "equipment"))]
    where = ExerciseFilter(
        muscle=_choice(Muscle, muscle, "muscle"),
        category=_choice(Category, category, "category"),
        # No box ticked means any equipment; ticked boxes are what the runner has.
        equipment=frozenset(at_hand) if ticked else None,
        max_difficulty=int(difficulty) if difficulty else None,
    )
    found = [e for e in library.find_exercises(where, SORTS[sort]) if _matches(e, q)]
    context = {
        "active": "exercises",
        "found": found,
        "query": {
            "q": q,
            "muscle": muscle or "",
            "category": category or "",
            "equipment": ticked,
            "difficulty": difficulty or "",
            "sort": sort,
        },
        "muscles": list(Muscle),
        "categories": list(Category),
        "equipment": list(Equipment),
        "bodyweight": BODYWEIGHT,
    }
    partial = (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-target") == "results"
    )
    return render(request, "_exercise_list.html" if partial else "exercises.html", context)


@router.get("/exercises/{key}", response_class=HTMLResponse)
def exercise_page(request: Request, key: str) -> Response:
    try:
        exercise = library.exercise(key)
    except NotFound as error:  # the library's message points at the CLI; here the list is a link
        raise NotFound(error.message.replace(" ('glutecoach exercises' lists them)", "")) from None
    if exercise.id != key:
        return see_other(f"/exercises/{exercise.id}")
    lib = library.library()
    family = sorted(
        (e for e in lib.exercises.values() if lib.family[e.id] == lib.family[exercise.id]),
        key=lambda e: (lib.level[e.id], e.difficulty, e.name),
    )
    return render(
        request,
        "exercise.html",
        {
            "active": "exercises",
            "exercise": exercise,
            "easier": lib.easier(exercise.id),
            "harder": lib.harder(exercise.id),
            "family": family if len(family) > 1 else [],
            "level": lib.level,
            "sources": lib.sources,
            "cited": sorted({f.source for f in exercise.emg} | {g.source for g in exercise.gta}),
        },
    )
