"""`glutecoach screen`: the questionnaire and functional tests, from a file or asked in turn."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from glutecoach.cli.ask import Asker
from glutecoach.cli.clock import command_clock
from glutecoach.cli.output import console, print_json
from glutecoach.domain.library import FeltArea, load_library
from glutecoach.domain.screening.questionnaire import (
    PAIN_AREA_PROMPTS,
    RED_FLAG_QUESTIONS,
    SIGNS,
    TESTS,
)
from glutecoach.reports import render_screening, to_json
from glutecoach.services import screening as screening_service

SIDES = ("left", "right")


def screen(
    *,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            "-a",
            help="A YAML or JSON file of answers and test results (see examples/answers.yaml). "
            "Without it, the questions are asked one by one.",
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Where to save the screening for 'glutecoach plan'."),
    ] = Path("screening.json"),
    on: Annotated[
        str | None, typer.Option("--date", help="Screening date, YYYY-MM-DD (default: today).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Screen for signs of gluteal under-use; red-flag pain is referred to a clinician."""
    date = _date(on)
    data = (
        screening_service.read_input(answers)
        if answers is not None
        else screening_service.parse_input(_ask(), "your answers")
    )
    result = screening_service.run(data, date or command_clock().today("UTC"))
    screening_service.save(result, output)
    if as_json:
        print_json(to_json(result))
        return
    out = console()
    render_screening(result, load_library(), out)
    out.print(f"\nSaved to [bold]{output}[/]. Next: glutecoach plan --findings {output} …")


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"'{value}' is not a date (YYYY-MM-DD)", param_hint="--date"
        ) from None


def _ask() -> dict[str, Any]:
    out = console()
    ask = Asker(out)
    out.rule("Questionnaire")
    answers: dict[str, Any] = {"pain": _ask_pain(ask)}
    for question in SIGNS:
        answers[question.field] = ask.yes(question.prompt)
    answers["background"] = {
        "years_running": ask.number("How many years have you been running?", 0, 80),
        "weekly_km": ask.number("How many km a week do you run now?", 0, 400),
        "recent_increase_pct": ask.number(
            "By how many % has that risen over the last two weeks? (0 if not)", -100, 1000
        ),
    }
    return {"answers": answers, "tests": _ask_tests(ask)}


def _ask_pain(ask: Asker) -> list[dict[str, Any]]:
    reports: list[dict[str, Any]] = []
    areas = list(PAIN_AREA_PROMPTS)
    while ask.yes("Any pain when or after you run?" if not reports else "Pain anywhere else?"):
        for number, area in enumerate(areas, start=1):
            ask.console.print(f"  {number}. {PAIN_AREA_PROMPTS[area]}")
        choice = ask.whole("Where (number)", 1, len(areas))
        report: dict[str, Any] = {
            "area": areas[choice - 1],
            "side": ask.choice("Which side", ["left", "right", "both"]),
            "level": ask.whole("How bad at its worst this week", 0, 10),
        }
        for question in RED_FLAG_QUESTIONS:
            report[question.field] = ask.yes(question.prompt)
        reports.append(report)
    return reports


def _ask_tests(ask: Asker) -> dict[str, Any]:
    tests: dict[str, Any] = {}
    for test in TESTS:
        ask.console.rule(test.name)
        ask.console.print(test.how)
        ask.console.print(f"[dim]{test.record}[/]")
        if not ask.yes("Did you do this test?", default=True):
            continue
        if test.id == "side_plank_s":
            tests[test.id] = {s: ask.number(f"Seconds held, {s} side", 0, 900) for s in SIDES}
        elif test.id == "single_leg_bridge_reps":
            tests[test.id] = {s: ask.whole(f"Reps, {s} leg", 0, 200) for s in SIDES}
        elif test.id == "single_leg_squat":
            tests[test.id] = {
                s: {
                    "knee_caves_in": ask.yes(f"{s.capitalize()} leg: did the knee cave in?"),
                    "pelvis_drops": ask.yes(f"{s.capitalize()} leg: did the pelvis drop?"),
                    "trunk_leans": ask.yes(f"{s.capitalize()} leg: did the trunk lean?"),
                }
                for s in SIDES
            }
        else:
            places = [f.value for f in FeltArea]
            tests[test.id] = {
                s: ask.choice(f"Where did you feel it, {s} side", places) for s in SIDES
            }
    return tests
