"""`glutecoach import-runs`, `runs` and `load`: run files in, the history and its load out."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated

import typer

from glutecoach.cli.output import console, print_json, progress_bar
from glutecoach.cli.training import DateOption, JsonFlag, Runner, parse_date
from glutecoach.domain.runs import Sport
from glutecoach.reports.load_plot import write_load_plot
from glutecoach.reports.running import (
    history_data,
    import_data,
    load_data,
    render_history,
    render_import,
    render_load,
)
from glutecoach.services import run_import, running
from glutecoach.services.store import open_store


def import_runs(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Run files (.fit .gpx .tcx, also .gz), folders (searched recursively) and zip "
            "archives such as a platform's bulk export.",
            show_default=False,
        ),
    ],
    *,
    runner: Runner = None,
    runner_name: Annotated[
        str | None,
        typer.Option(
            "--runner-name",
            help="Whose runs these are, by name; a new runner is made when there is none by it "
            "(import before 'start', and the plan can take the running week from the history).",
        ),
    ] = None,
    assume_sport: Annotated[
        Sport | None,
        typer.Option(
            "--assume-sport",
            help="The sport of files that do not say (most GPX tracks), e.g. running.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="Parsing processes (default: one per core)."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Import runs: each run once (the same run from two sources too); bad files are listed with
    the reason and skipped while the rest goes in. Exit 2 when any file was rejected."""
    with open_store() as db, progress_bar("importing", hidden=as_json) as progress:
        summary = run_import.import_runs(
            db,
            paths,
            slug=runner,
            runner_name=runner_name,
            assume_sport=assume_sport,
            workers=workers,
            progress=progress,
        )
    if as_json:
        print_json(json.dumps(import_data(summary), indent=2))
    else:
        render_import(summary, console())
    if summary.rejected:
        raise typer.Exit(2)


def runs(
    *,
    runner: Runner = None,
    show_all: Annotated[bool, typer.Option("--all", help="Every run, not the last 30.")] = False,
    weekly: Annotated[bool, typer.Option("--weekly", help="Weekly totals instead.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """The run history: date, sport, distance, time, pace, heart rate, cadence, contact balance."""
    with open_store() as db:
        found = running.history(db, runner)
        report = running.load_report(db, runner, weeks=running.MAX_LOAD_WEEKS) if weekly else None
    if as_json:
        data = history_data(found)
        if report is not None:
            data["weeks"] = load_data(report)["weeks"]
        print_json(json.dumps(data, indent=2))
        return
    out = console()
    if report is not None:
        weeks = [w for w in report.weeks if w.runs or w.other_activities]
        render_load(dataclasses.replace(report, weeks=tuple(weeks), trends=()), out)
        return
    if not found.runs and not found.by_hand:
        out.print("No runs yet: bring them in with 'glutecoach import-runs FILES…'.")
        return
    render_history(found, out, None if show_all else 30)


def load(
    *,
    runner: Runner = None,
    on: DateOption = None,
    weeks: Annotated[
        int, typer.Option(min=2, max=running.MAX_LOAD_WEEKS, help="Weeks to show.")
    ] = running.LOAD_WEEKS,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Also draw the chart into this file (.png/.svg).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The load report: weekly distance and time, the long run's share, spikes, the acute:chronic
    ratio (rolling and exponentially weighted), and gait trends by pace band."""
    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        raise typer.BadParameter("name a .png or .svg file", param_hint="--plot")
    with open_store() as db:
        report = running.load_report(db, runner, parse_date(on), weeks)
    drawn = None
    if plot is not None:
        drawn = write_load_plot(report, plot, "svg" if plot.suffix.lower() == ".svg" else "png")
    if as_json:
        data = load_data(report)
        data["plot"] = str(drawn) if drawn else None
        print_json(json.dumps(data, indent=2))
        return
    out = console()
    render_load(report, out)
    if drawn is not None:
        out.print(f"Chart: {drawn}")
