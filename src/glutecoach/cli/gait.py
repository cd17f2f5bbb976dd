"""`glutecoach gait`: a running video (or a pose file) in, metrics, findings and a report out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from glutecoach.cli.clock import command_clock
from glutecoach.cli.output import console, print_json, progress_bar
from glutecoach.cli.training import JsonFlag, Runner
from glutecoach.domain.errors import NotFound
from glutecoach.domain.gait.pose import View
from glutecoach.reports.gait import comparison_json, render, render_comparison
from glutecoach.services import gait as gait_service
from glutecoach.services.store import open_store

FILMING = (
    "Film from the side and from behind, camera still at hip height, the whole body in frame, "
    "60 fps or more (120 is better), 10-20 s of steady treadmill running after a warm-up."
)


def _person(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        x, y = (float(v) for v in value.split(","))
    except ValueError:
        raise typer.BadParameter("give X,Y as shares of the frame, e.g. 0.3,0.6") from None
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise typer.BadParameter("X and Y are shares of the frame: 0 to 1 each")
    return x, y


def gait(
    path: Annotated[
        Path,
        typer.Argument(
            help="A running video (MP4, MOV, WebM…), or a pose file: glutecoach's JSON or CSV, "
            "or a TRC from Sports2D/Pose2Sim.",
            show_default=False,
        ),
    ],
    *,
    view: Annotated[
        str, typer.Option(help="side, rear, or auto (read from the hips' spacing).")
    ] = "auto",
    person: Annotated[
        str | None,
        typer.Option(
            help="Whom to follow when several people are in view: X,Y where the runner is when "
            "they first appear, as shares of the frame's width and height, e.g. 0.8,0.7 "
            "(default: the most prominent person). The clip is then read in one process, "
            "from the start."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Folder for report.html, analysis.json, steps.csv and pose.json "
            "(default: gait-<name> beside the video)."
        ),
    ] = None,
    height_cm: Annotated[
        float | None,
        typer.Option(
            "--height-cm",
            help="The runner's height in cm (100-230): overstride, bounce and step width are "
            "then also given in centimetres (estimates; without it, as shares of the leg or "
            "pelvis only).",
            show_default=False,
        ),
    ] = None,
    runner: Runner = None,
    save: Annotated[
        bool,
        typer.Option(
            help="Store it for the runner (when there is one) and rebuild the plan "
            "around its findings."
        ),
    ] = True,
    workers: Annotated[
        int,
        typer.Option(min=1, max=16, help="Processes for the pose model (segments of the clip)."),
    ] = 2,
    as_json: JsonFlag = False,
) -> None:
    """Analyse running form: cadence, contact and flight time; from the side, overstride, knee and
    hip angles, trunk lean, bounce; from behind, pelvic drop, knee angle, trunk lean, step width.
    """
    if view not in ("side", "rear", "auto"):
        raise typer.BadParameter("use side, rear or auto", param_hint="--view")
    chosen = None if view == "auto" else View(view)
    folder = out or path.with_name(f"gait-{path.stem}")
    if not as_json:
        console().print(f"[dim]{FILMING}[/]")
    with progress_bar("finding the runner", hidden=as_json) as progress:
        analysed = gait_service.analyse_file(
            path,
            on=command_clock().today("UTC"),
            view=chosen,
            person=_person(person),
            workers=workers,
            height_cm=height_cm,
            progress=progress,
        )
    summary = analysed.summary
    recorded = None
    if save:
        with open_store() as db:
            try:
                recorded = gait_service.record(db, runner, summary)
            except NotFound:
                if runner is not None:
                    raise  # a runner named and not found: say so
    reported = gait_service.report(analysed, path, recorded, saved=save)
    previous = recorded.previous if recorded is not None else None
    comparison, plan_note = reported.comparison, reported.plan_note
    written = gait_service.write_report(folder, analysed, reported)
    if as_json:
        data = json.loads(summary.model_dump_json())
        data["plan"] = plan_note
        if comparison is not None:
            data["comparison"] = comparison_json(comparison)
        data["files"] = [str(p) for p in written]
        print_json(json.dumps(data, indent=2))
        return
    shown = console()
    render(summary, shown)
    if previous is not None and comparison is not None:
        render_comparison(previous, comparison, shown)
    shown.print(f"The plan: {plan_note}.")
    for p in written:
        shown.print(f"Wrote {p}")
