"""What pain holds back, on Today and in `glutecoach recheck`; a clinician's `clinic restore`."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from glutecoach.cli.output import console, print_json
from glutecoach.cli.training import DateOption, JsonFlag, Runner, parse_date
from glutecoach.domain.library import BodyArea
from glutecoach.domain.progression.safety import AREA_WORDS, ClearedBy
from glutecoach.services import recheck as recheck_service
from glutecoach.services.recheck import PainStatus
from glutecoach.services.store import open_store
from glutecoach.services.training import Outcome

AreaOption = Annotated[
    list[BodyArea] | None,
    typer.Option("--area", help="An area (repeat for more); default: those the re-check asks."),
]


def pain_json(status: PainStatus) -> dict[str, Any]:
    return {
        "held": [
            {
                "exercise_id": h.exercise_id,
                "name": h.name,
                "pain": h.pain.pain,
                "date": h.pain.date.isoformat(),
                "reason": h.reason,
            }
            for h in status.held
        ],
        "stopped_areas": {a.value: list(names) for a, names in sorted(status.stopped.items())},
        "red_flag_areas": sorted(a.value for a in status.red_flags),
        "see_clinician": status.see_clinician,
        "recheck": sorted(a.value for a in status.due),
        "question": status.question(),
    }


def render_pain(status: PainStatus, out: Console) -> None:
    for area, names in sorted(status.stopped.items()):
        out.print(
            Text.assemble(
                ("Stopped: ", "bold red"),
                f"the {AREA_WORDS[area]}'s programme (pain in {', '.join(names)}). ",
                ("See a physiotherapist or doctor; a clinician restores it.", "bold"),
            )
        )
    for area in sorted(status.red_flags - set(status.stopped)):
        out.print(
            Text.assemble(
                ("Stopped: ", "bold red"),
                f"everything that loads the {AREA_WORDS[area]} (a red-flag answer). ",
                ("See a physiotherapist or doctor.", "bold"),
            )
        )
    if status.held:
        out.print(Text("Held back for pain:", style="bold yellow"))
        closed = set(status.stopped) | status.red_flags
        for h in status.held:
            # the stop above already says why and what brings these back
            why = "" if h.areas & closed else f" {h.reason}"
            out.print(f"  {h.name} ({h.pain.pain}/10 on {h.pain.date}).{why}")
    question = status.question()
    if question:
        out.print(
            Text.assemble(
                ("Re-check: ", "bold cyan"),
                f"{question} Answer with glutecoach recheck --pain-free (or --still-sore).",
            )
        )


def recheck(
    *,
    runner: Runner = None,
    pain_free: Annotated[
        bool | None,
        typer.Option(
            "--pain-free/--still-sore",
            help="Your answer: pain-free brings back what it held back; still sore keeps it out.",
        ),
    ] = None,
    area: AreaOption = None,
    on: DateOption = None,
    as_json: JsonFlag = False,
) -> None:
    """What pain holds back and the re-check Today asks for: is the area pain-free now?"""
    with open_store() as db:
        if not pain_free:
            status = recheck_service.pain_status(db, runner, parse_date(on))
            if as_json:
                print_json(json.dumps(pain_json(status), indent=2))
                return
            out = console()
            if pain_free is False:
                out.print(
                    "Still sore: what hurt stays out of the plan. If the pain is sharp, getting "
                    "worse or still there in a few days, see a physiotherapist or doctor."
                )
            render_pain(status, out)
            if not (status.held or status.stopped or status.red_flags):
                out.print("Nothing is held back for pain.")
            return
        outcome = recheck_service.clear(db, runner, ClearedBy.runner, area or (), on=parse_date(on))
    _report(outcome, as_json)


def restore(
    runner: Annotated[str, typer.Argument(help="The runner (their --runner name).")],
    *,
    area: Annotated[list[BodyArea], typer.Option("--area", help="The area to restore.")],
    note: Annotated[str | None, typer.Option("--note", help="What you found.")] = None,
    on: DateOption = None,
    as_json: JsonFlag = False,
) -> None:
    """A clinician clears an area (a stopped one too): what pain held back there comes back."""
    with open_store() as db:
        outcome = recheck_service.clear(
            db, runner, ClearedBy.clinician, area, note=note, on=parse_date(on)
        )
    _report(outcome, as_json)


def _report(outcome: Outcome, as_json: bool) -> None:
    if as_json:
        print_json(
            json.dumps(
                {
                    "plan_version": outcome.plan_version,
                    "changes": [c.model_dump(mode="json") for c in outcome.changes],
                },
                indent=2,
            )
        )
        return
    out = console()
    back = [c for c in outcome.changes if c.action == "restore"]
    if not back:
        out.print("Cleared. Nothing was waiting to come back.")
    for c in back:
        out.print(f"Back from {c.effective_from}: {c.after}. {c.reason}")
    if outcome.changes:
        out.print(f"Plan version {outcome.plan_version}: see glutecoach plan --changes")
