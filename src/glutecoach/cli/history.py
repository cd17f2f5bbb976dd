"""`glutecoach progress`, `export`, `import-data` and `backup`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from glutecoach.cli.output import console, print_json
from glutecoach.cli.training import DateOption, JsonFlag, Runner, parse_date
from glutecoach.domain.library import load_library
from glutecoach.reports import render_progress, to_json, write_progress_plots
from glutecoach.reports.today import render_changes
from glutecoach.services import history
from glutecoach.services.store import open_store
from glutecoach.settings import load_settings


def progress(
    *,
    runner: Runner = None,
    on: DateOption = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Also write the charts into this folder.")
    ] = None,
    plot_format: Annotated[str, typer.Option("--plot-format", help="png or svg.")] = "png",
    as_json: JsonFlag = False,
) -> None:
    """Adherence by week, each exercise's progression, tests against the first time, trends."""
    if plot_format not in ("png", "svg"):
        raise typer.BadParameter("use png or svg", param_hint="--plot-format")
    with open_store() as db:
        report = history.progress_report(db, runner, parse_date(on))
    library = load_library()
    written = (
        write_progress_plots(report, library, plot, "svg" if plot_format == "svg" else "png")
        if plot is not None
        else []
    )
    if as_json:
        print_json(to_json(report))
        return
    out = console()
    render_progress(report, library, out)
    for path in written:
        out.print(f"Chart: {path}")


def changes(runner: str | None, as_json: bool) -> None:
    """What changed in the plan, version by version, and why (`glutecoach plan --changes`)."""
    with open_store() as db:
        slug, versions = history.plan_changes(db, runner)
    if as_json:
        print_json(
            json.dumps(
                [
                    {
                        "version": v.version,
                        "created_at": v.created_at.isoformat(),
                        "reason": v.reason,
                        "changes": [c.model_dump(mode="json") for c in v.changes],
                    }
                    for v in versions
                ],
                indent=2,
            )
        )
        return
    out = console()
    for v in versions:
        out.print(f"[bold]Version {v.version}[/] ({v.created_at:%d %b %Y %H:%M}): {v.reason}")
        render_changes(v.changes, out)
    if len(versions) == 1:
        out.print(f"No changes yet for {slug}: the plan adapts as you log sessions.")


def export(
    *,
    runner: Runner = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The JSON file to write.")],
) -> None:
    """Write everything of a runner as one JSON document (docs/export-format.md)."""
    with open_store() as db:
        written = history.export_runner(db, runner, output)
    console().print(f"Wrote {written}")


def import_data(
    source: Annotated[Path, typer.Argument(help="A document written by 'glutecoach export'.")],
) -> None:
    """Restore a runner from an export into this database."""
    with open_store() as db:
        slug = history.import_runner(db, source)
    console().print(f"Imported runner {slug}.")


def backup(
    destination: Annotated[Path, typer.Argument(help="Where to write the copy.")],
) -> None:
    """Copy the SQLite database safely, even while glutecoach is using it."""
    settings = load_settings()
    written = history.backup(settings.resolved_database_url(), destination, settings.clock())
    console().print(f"Backed up to {written}")
