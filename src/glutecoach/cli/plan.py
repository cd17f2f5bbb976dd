"""`glutecoach plan`: build the plan from a profile and a screening, show it or write it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import typer

from glutecoach.cli.clock import command_clock
from glutecoach.cli.history import changes as show_changes
from glutecoach.cli.output import console, print_json
from glutecoach.domain.clock import Clock
from glutecoach.domain.planning import MAX_WEEKS, Plan
from glutecoach.reports import render_plan
from glutecoach.services import planning as planning_service
from glutecoach.services import screening as screening_service
from glutecoach.services.planning import FileFormat

FORMATS = ("terminal", "json", "markdown", "html", "ics")


def plan(
    *,
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile", "-p", help="The runner profile, YAML (see examples/runner.yaml)."
        ),
    ] = None,
    findings: Annotated[
        Path | None,
        typer.Option(
            "--findings",
            "-f",
            help="The screening saved by 'glutecoach screen'. Without it, a balanced programme.",
        ),
    ] = None,
    weeks: Annotated[
        int, typer.Option(min=1, max=MAX_WEEKS, help=f"Plan length in weeks (1-{MAX_WEEKS}).")
    ] = 8,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="terminal (default), json, markdown, html (a printable handout) or ics "
            "(a calendar file).",
        ),
    ] = "terminal",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of the terminal."),
    ] = None,
    changes: Annotated[
        bool,
        typer.Option(
            "--changes", help="Show what changed in the stored plan, version by version, and why."
        ),
    ] = False,
    runner: Annotated[
        str | None, typer.Option("--runner", "-r", help="With --changes: which runner.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="With --changes: print JSON.")] = False,
) -> None:
    """Build an N-week plan that fits strength, activation and recovery around the running."""
    if changes:
        show_changes(runner, as_json)
        return
    if profile is None:
        raise typer.BadParameter("give the runner profile (or --changes)", param_hint="--profile")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    clock = command_clock()
    built = _build(profile, findings, weeks, clock)
    if fmt == "terminal":
        _show(built, output)
        return
    file_format = cast(FileFormat, fmt)  # checked against FORMATS above
    _print_or_write(built, file_format, output, clock)


def _build(profile: Path, findings: Path | None, weeks: int, clock: Clock) -> Plan:
    runner_profile = planning_service.read_profile(profile, clock)
    screening = screening_service.load(findings) if findings is not None else None
    return planning_service.make(runner_profile, screening, weeks)


def _show(built: Plan, output: Path | None) -> None:
    if output is not None:
        raise typer.BadParameter("choose a file format to write a file", param_hint="--format")
    render_plan(built, console())


def _print_or_write(
    built: Plan, file_format: FileFormat, output: Path | None, clock: Clock
) -> None:
    if output is None:
        if file_format == "ics":
            raise typer.BadParameter("an .ics calendar needs --output FILE", param_hint="--output")
        rendered = planning_service.render(built, file_format, clock.now())
        print_json(rendered if isinstance(rendered, str) else rendered.decode())
        return
    planning_service.write(built, file_format, output, clock.now())
    console().print(f"Wrote {output}")
