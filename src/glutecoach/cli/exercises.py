"""`glutecoach exercises` and `glutecoach exercise ID`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from glutecoach.cli.output import console, print_json
from glutecoach.domain.library import Category, Equipment, ExerciseFilter, Muscle
from glutecoach.domain.library.library import SortKey
from glutecoach.reports import render_exercise, render_exercise_table
from glutecoach.services import library as library_service

EQUIPMENT_CHOICES = ["none", *(e.value for e in Equipment)]


def list_exercises(
    *,
    muscle: Annotated[
        Muscle | None, typer.Option(help="Only exercises that work this muscle.")
    ] = None,
    category: Annotated[Category | None, typer.Option(help="Only this kind of exercise.")] = None,
    equipment: Annotated[
        list[str] | None,
        typer.Option(
            help="What you have at hand (repeat it): only exercises needing nothing more. "
            f"One of: {', '.join(EQUIPMENT_CHOICES)}.",
        ),
    ] = None,
    max_difficulty: Annotated[
        int | None, typer.Option(min=1, max=5, help="Hardest level to show (1-5).")
    ] = None,
    min_difficulty: Annotated[
        int | None, typer.Option(min=1, max=5, help="Easiest level to show (1-5).")
    ] = None,
    sort: Annotated[
        str,
        typer.Option(help="activation (highest published glute %MVIC first), name or difficulty."),
    ] = "activation",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """List the exercise library, filtered and sorted; EMG figures name their source."""
    if sort not in ("activation", "name", "difficulty"):
        raise typer.BadParameter("use activation, name or difficulty", param_hint="--sort")
    at_hand = _equipment(equipment)
    where = ExerciseFilter(
        muscle=muscle,
        category=category,
        equipment=at_hand,
        max_difficulty=max_difficulty,
        min_difficulty=min_difficulty,
    )
    chosen = library_service.find_exercises(where, _sort_key(sort))
    if as_json:
        print_json(json.dumps([e.model_dump(mode="json") for e in chosen], indent=2))
        return
    render_exercise_table(chosen, console(), sources=library_service.library().sources)


def _sort_key(sort: str) -> SortKey:
    return "name" if sort == "name" else "difficulty" if sort == "difficulty" else "activation"


def _equipment(values: list[str] | None) -> frozenset[Equipment] | None:
    if not values:
        return None
    unknown = [v for v in values if v not in EQUIPMENT_CHOICES]
    if unknown:
        raise typer.BadParameter(
            f"{', '.join(unknown)} (use {', '.join(EQUIPMENT_CHOICES)})", param_hint="--equipment"
        )
    return frozenset(Equipment(v) for v in values if v != "none")


def show_exercise(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="An exercise id or name.")],
    *,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Everything about one exercise: dosage, cues, faults, progressions and the evidence."""
    lib = library_service.library()
    exercise = lib.exercise(exercise_id)
    if as_json:
        data = exercise.model_dump(mode="json")
        data["easier"] = [e.id for e in lib.easier(exercise.id)]
        data["harder"] = [e.id for e in lib.harder(exercise.id)]
        data["sources"] = [s.model_dump(mode="json") for s in lib.sources_of([exercise])]
        print_json(json.dumps(data, indent=2))
        return
    render_exercise(exercise, lib, console())
