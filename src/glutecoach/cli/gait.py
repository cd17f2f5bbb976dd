"""`glutecoach gait`: a running video (or a pose file) in, metrics, findings and a report out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from glutecoach.cli.clock import command_clock
from glutecoach.cli.output import console, print_json, progress_bar
from glutecoach.cli.training import JsonFlag, Runner
from glutecoach.domain.errors import InvalidInput, NotFound
from glutecoach.domain.gait.summary import GaitSummary
from glutecoach.reports.gait import comparison_json, render, render_comparison
from glutecoach.services import gait as gait_service
from glutecoach.services import gait_clips
from glutecoach.services.store import open_store

FILMING = (
    "Film from the side and from behind, camera still at hip height, the whole body in frame, "
    "60 fps or more (120 is better), 10-20 s of steady treadmill running after a warm-up."
)

T = TypeVar("T")

Sources = Annotated[
    list[Path],
    typer.Argument(
        help="A running video (MP4, MOV, WebM…), or a pose file: glutecoach's JSON or CSV, "
        "or a TRC from Sports2D/Pose2Sim. Several clips of the same run (a left, a right and "
        "a rear one) give one report, each side measured from the clip that sees it.",
        show_default=False,
    ),
]
ViewOption = Annotated[
    list[str] | None,
    typer.Option(
        help="auto (read from the clip), side, rear, or for a clip of several left, right, "
        "rear or front; once for every clip, or once per clip in their order.",
        show_default="auto",
    ),
]
PersonOption = Annotated[
    str | None,
    typer.Option(
        help="Whom to follow when several people are in view: X,Y where the runner is when "
        "they first appear, as shares of the frame's width and height, e.g. 0.8,0.7 "
        "(default: the most prominent person). The clip is then read in one process, "
        "from the start."
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        help="Folder for report.html, analysis.json, steps.csv and pose.json "
        "(default: gait-<name> beside the video)."
    ),
]
HeightOption = Annotated[
    float | None,
    typer.Option(
        "--height-cm",
        help="The runner's height in cm (100-230): overstride, bounce and step width are "
        "then also given in centimetres (estimates; without it, as shares of the leg or "
        "pelvis only).",
        show_default=False,
    ),
]
SaveFlag = Annotated[
    bool,
    typer.Option(
        help="Store it for the runner (when there is one) and rebuild the plan around its findings."
    ),
]
WorkersOption = Annotated[
    int,
    typer.Option(min=1, max=16, help="Processes for the pose model (segments of the clip)."),
]
ModelOption = Annotated[
    str,
    typer.Option(
        help="The pose model: lite (fastest, least sure of the hidden leg), full, or heavy "
        "(about 3x slower than full, steadiest contact times). docs/pose-models.md has the "
        "measured accuracy and speed of each.",
    ),
]


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
    paths: Sources,
    *,
    view: ViewOption = None,
    person: PersonOption = None,
    out: OutOption = None,
    height_cm: HeightOption = None,
    runner: Runner = None,
    save: SaveFlag = True,
    workers: WorkersOption = 2,
    model: ModelOption = gait_service.DEFAULT_MODEL_NAME,
    as_json: JsonFlag = False,
) -> None:
    """Analyse running form: cadence, contact and flight time; from the side, overstride, knee and
    hip angles, trunk lean, bounce; from behind, pelvic drop, knee angle, trunk lean, step width.
    """
    views = _checked("--view", lambda: gait_clips.views_for(paths, view or []))
    _checked("--model", lambda: gait_service.pose_model(model))
    first = paths[0]
    folder = out or first.with_name(f"gait-{first.stem}" + ("-combined" if len(paths) > 1 else ""))
    if not as_json:
        console().print(f"[dim]{FILMING}[/]")
    analysed = _analyse(paths, views, person, workers, height_cm, model, hidden=as_json)
    recorded = _record(runner, analysed.summary) if save else None
    reported = gait_service.report(analysed, first, recorded, saved=save)
    written = gait_service.write_report(folder, analysed, reported)
    if as_json:
        _print_json(analysed.summary, reported, written)
    else:
        _print_report(analysed.summary, recorded, reported, written)


def _checked(option: str, check: Callable[[], T]) -> T:
    """The service's own check of an option, its refusal said as that option's."""
    try:
        return check()
    except InvalidInput as error:
        raise typer.BadParameter(error.message, param_hint=option) from None


def _analyse(
    paths: list[Path],
    views: list[str],
    person: str | None,
    workers: int,
    height_cm: float | None,
    model: str,
    *,
    hidden: bool,
) -> gait_service.Analysed:
    with progress_bar("finding the runner", hidden=hidden) as progress:
        return gait_clips.analyse_clips(
            paths,
            on=command_clock().today("UTC"),
            views=views,
            person=_person(person),
            workers=workers,
            progress=progress,
            height_cm=height_cm,
            model=model,
        )


def _record(runner: str | None, summary: GaitSummary) -> gait_service.Recorded | None:
    """With no runner named and none yet, nothing is stored: the analysis is still reported."""
    with open_store() as db:
        try:
            return gait_service.record(db, runner, summary)
        except NotFound:
            if runner is not None:
                raise  # a runner named and not found: say so
            return None


def _print_json(summary: GaitSummary, reported: gait_service.Reported, written: list[Path]) -> None:
    data = json.loads(summary.model_dump_json())
    data["plan"] = reported.plan_note
    if reported.comparison is not None:
        data["comparison"] = comparison_json(reported.comparison)
    data["files"] = [str(p) for p in written]
    print_json(json.dumps(data, indent=2))


def _print_report(
    summary: GaitSummary,
    recorded: gait_service.Recorded | None,
    reported: gait_service.Reported,
    written: list[Path],
) -> None:
    shown = console()
    render(summary, shown)
    previous = recorded.previous if recorded is not None else None
    if previous is not None and reported.comparison is not None:
        render_comparison(previous, reported.comparison, shown)
    shown.print(f"The plan: {reported.plan_note}.")
    for p in written:
        shown.print(f"Wrote {p}")
