"""`glutecoach demo`: the end-to-end loop on the example runner (what `make run` starts)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from glutecoach.cli.clock import command_clock
from glutecoach.cli.output import console
from glutecoach.domain.library import load_library
from glutecoach.reports import render_plan, render_screening
from glutecoach.services import planning as planning_service
from glutecoach.services import screening as screening_service


def demo(
    *,
    examples: Annotated[
        Path, typer.Option(help="Folder with runner.yaml and answers.yaml.")
    ] = Path("examples"),
    out: Annotated[Path, typer.Option(help="Folder for the screening, handout and calendar.")] = (
        Path("out")
    ),
    weeks: Annotated[int, typer.Option(min=1, max=24, help="Plan length in weeks.")] = 8,
) -> None:
    """Screen the example runner, print the plan, write the handout and the .ics."""
    show = console()
    data = screening_service.read_input(examples / "answers.yaml")
    clock = command_clock()
    runner = planning_service.read_profile(examples / "runner.yaml", clock)
    screening = screening_service.run(data, clock.today(runner.timezone))
    show.rule(f"Screening: {runner.name}")
    render_screening(screening, load_library(), show)
    built = planning_service.make(runner, screening, weeks)
    show.rule("Plan")
    render_plan(built, show)
    written = [
        screening_service.save(screening, out / "screening.json"),
        planning_service.write(built, "html", out / "handout.html", clock.now()),
        planning_service.write(built, "markdown", out / "handout.md", clock.now()),
        planning_service.write(built, "ics", out / "plan.ics", clock.now()),
        planning_service.write(built, "json", out / "plan.json", clock.now()),
    ]
    show.rule("Written")
    for path in written:
        show.print(f"  {path.resolve()}")
    show.print(
        "Open handout.html in a browser (it prints one week per page); "
        "import plan.ics into your calendar."
    )
