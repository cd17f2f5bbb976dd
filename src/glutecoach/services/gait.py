"""The gait video use case: poses from a video (or a pose file), the analysis, its summary; for
a runner, the summary stored and its findings turned into a plan built around them."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from glutecoach.adapters.db.gait_analyses import StoredGait
from glutecoach.adapters.db.repositories import Database, RunnerRecord
from glutecoach.adapters.pose import pipeline, posefile
from glutecoach.adapters.pose.models import DEFAULT_MODEL, PoseModel
from glutecoach.adapters.pose.video import VideoInfo
from glutecoach.domain.errors import InvalidInput, NotFound
from glutecoach.domain.gait.analysis import GaitAnalysis, GaitError, analyse
from glutecoach.domain.gait.pose import PoseSequence, View
from glutecoach.domain.gait.stature import check_height
from glutecoach.domain.gait.summary import GaitSummary, summarise
from glutecoach.domain.library import load_library
from glutecoach.domain.planning import build_plan
from glutecoach.services import assessments
from glutecoach.services.files import write_atomically
from glutecoach.services.runners import choose

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from glutecoach.reports.gait import Change
    from glutecoach.reports.key_frames import KeyFrame, KeyMoment

Progress = Callable[[int, int], None]

# The pose models a video can go through, for the pages and the CLI's help: (name, label)
MODELS: tuple[tuple[str, str], ...] = tuple((m.value, m.label) for m in PoseModel)
DEFAULT_MODEL_NAME = DEFAULT_MODEL.value


def pose_model(name: str | None) -> PoseModel:
    """The model by its name (lite, full or heavy); the default for None."""
    if name is None:
        return DEFAULT_MODEL
    try:
        return PoseModel(name)
    except ValueError:
        *most, last = (m.value for m in PoseModel)
        raise InvalidInput(f"no pose model {name!r}: choose {', '.join(most)} or {last}") from None


@dataclass(frozen=True)
class Analysed:
    analysis: GaitAnalysis
    summary: GaitSummary
    video: VideoInfo | None  # None for a pose file
    raw: PoseSequence  # as the estimator (or the file) gave it: what a pose file keeps
    # One analysis from several clips (services/gait_clips.py): each clip's own, with its file
    parts: tuple[tuple[Path, Analysed], ...] = ()


def read_poses(
    path: Path,
    person: tuple[float, float] | None,
    workers: int,
    progress: Progress | None,
    model: PoseModel = DEFAULT_MODEL,
) -> tuple[PoseSequence, VideoInfo | None]:
    if posefile.is_pose_file(path):
        return posefile.read_pose_file(path), None
    return pipeline.estimate(path, model=model, person=person, workers=workers, progress=progress)


def analyse_file(
    path: Path,
    *,
    on: dt.date,
    view: View | None = None,
    person: tuple[float, float] | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    height_cm: float | None = None,
    model: str | None = None,
) -> Analysed:
    """`on`: the day the analysis is dated. Never stores anything: a clip that cannot be used
    raises before any write. With the runner's height (cm, 100-230; checked before the clip is
    read) the distances are given in centimetres too. `model`: the pose model's name (lite,
    full or heavy; the default for None), checked before the clip is read."""
    height_cm = check_height(height_cm)
    chosen = pose_model(model)
    library = load_library()
    if not posefile.is_pose_file(path):
        threading.Thread(target=_warm_up, name="gait-warm-up", daemon=True).start()
    pose, video = read_poses(path, person, workers, progress, chosen)
    try:
        analysis = analyse(
            pose,
            view,
            library.threshold("gait_min_fps").value,
            height_cm,
            library.threshold("gait_refuse_fps").value,
        )
    except GaitError as error:
        raise GaitError(f"{path}: {error.message}") from None
    used = None if video is None else (chosen.value, chosen.label)
    summary = summarise(analysis, path.name, on, library, used)
    return Analysed(analysis, summary, video, pose)


def _warm_up() -> None:
    """Load what the analysis and the report import (scipy's filters, matplotlib and its fonts,
    ~1.3 s) while the pose model works, instead of after it: the process mostly waits for its
    workers then."""
    import io

    import scipy.signal  # type: ignore[import-untyped]  # noqa: F401

    from glutecoach.reports.plots import new_figure

    figure = new_figure(1.0, 1.0)
    figure.subplots().plot([0, 1], [0, 1])
    figure.savefig(io.StringIO(), format="svg")  # the font cache and the SVG writer, once


@dataclass(frozen=True)
class Recorded:
    runner: RunnerRecord
    analysis_id: int
    previous: GaitSummary | None  # the runner's last analysis from the same view
    plan_version: int | None  # the plan rebuilt around the findings
    note: str | None  # why the plan did not change, when it did not


def record(db: Database, slug: str | None, summary: GaitSummary) -> Recorded:
    """Store the analysis for the runner; when it has findings and the runner has a plan and a
    screening, rebuild the plan around them (a new version, same dates)."""
    library = load_library()
    with db.unit() as repo:
        runner = choose(repo, slug)
        before = previous_of(repo.gait_analyses.list(runner.id), summary.view)
        previous = before.summary if before is not None else None
        analysis_id = repo.gait_analyses.add(runner.id, summary, db.clock.now())
        current = repo.current_plan(runner.id)
        latest = repo.latest_profile(runner.id)
        screenings = repo.screenings(runner.id)
        if not summary.findings:
            return Recorded(runner, analysis_id, previous, None, "no findings: the plan stays")
        if current is None or latest is None:
            return Recorded(runner, analysis_id, previous, None, "no plan yet: start one first")
        if not screenings:
            note = "no screening yet: screen the runner and the plan will include these findings"
            return Recorded(runner, analysis_id, previous, None, note)
        screening = assessments.gait_findings(repo, runner.id, screenings[-1].screening)
        plan = build_plan(latest[1], screening, library, len(current.plan.weeks))
        version = repo.add_plan(
            runner.id,
            plan,
            reason=f"plan rebuilt around your gait analysis of {summary.analysed_on}",
            changes=(),
            profile_version=latest[0],
            screening_id=current.screening_id,
        )
    return Recorded(runner, analysis_id, previous, version, None)


def history(db: Database, slug: str | None) -> list[StoredGait]:
    """The runner's stored analyses, oldest first (NotFound while there is no runner)."""
    with db.unit() as repo:
        return repo.gait_analyses.list(choose(repo, slug).id)


def analysis(
    db: Database, slug: str | None, analysis_id: int
) -> tuple[StoredGait, StoredGait | None]:
    """One of the runner's analyses and the one before it from the same view (what a re-test
    is compared with); NotFound for an id that is not theirs."""
    found = history(db, slug)
    for index, stored in enumerate(found):
        if stored.id == analysis_id:
            return stored, previous_of(found[:index], stored.summary.view)
    raise NotFound(f"no gait analysis {analysis_id}")


def previous_of(earlier: Sequence[StoredGait], view: View) -> StoredGait | None:
    """The newest of `earlier` filmed from `view`."""
    return next((s for s in reversed(earlier) if s.summary.view == view), None)


def plan_words(recorded: Recorded | None, saved: bool = True) -> str:
    """What happened to the plan, in the words the CLI and the web app both use."""
    if not saved:
        return "not stored (--no-save)"
    if recorded is None:
        return "not stored: no runner yet (start one, then analyse again)"
    if recorded.plan_version is not None:
        return f"rebuilt around these findings (plan version {recorded.plan_version})"
    return recorded.note or "unchanged"


@dataclass(frozen=True)
class Reported:
    recorded: Recorded | None  # None when not stored
    plan_note: str
    comparison: list[Change] | None  # against the runner's previous analysis of the same view
    html: str  # the self-contained report


def report(
    analysed: Analysed, source: Path, recorded: Recorded | None, saved: bool = True
) -> Reported:
    """The report of an analysis (stored or not): the comparison with the previous one of the
    same view and what the plan did, as `glutecoach gait` and the web app show them."""
    from glutecoach.reports.gait import compare  # matplotlib and cv2: only when reporting
    from glutecoach.reports.gait_html import gait_html

    previous = recorded.previous if recorded is not None else None
    comparison = compare(previous, analysed.summary, load_library()) if previous else None
    note = plan_words(recorded, saved)
    html = gait_html(
        analysed.summary,
        analysed.analysis,
        frames=_key_frames(analysed.analysis, source) if analysed.video is not None else (),
        drawn=_parts_key_frames(analysed),
        comparison=comparison,
        previous=previous,
        plan_note=note,
    )
    return Reported(recorded, note, comparison, html)


def _key_frames(
    analysis: GaitAnalysis, video: Path
) -> list[tuple[KeyMoment, NDArray[np.uint8] | None]]:
    """The report's key moments decoded from the clip, in one pass over it."""
    from glutecoach.adapters.pose.video import frames_at
    from glutecoach.reports.key_frames import key_moments

    moments = key_moments(analysis)
    return list(zip(moments, frames_at(video, [m.time_s for m in moments]), strict=True))


def _parts_key_frames(analysed: Analysed) -> list[KeyFrame]:
    """Each clip's key frames, drawn on its own pose and named by its view."""
    from dataclasses import replace

    from glutecoach.reports.key_frames import key_frames

    drawn: list[KeyFrame] = []
    for (path, part), view in zip(analysed.parts, analysed.summary.clips, strict=True):
        if part.video is None:
            continue
        for frame in key_frames(part.analysis, _key_frames(part.analysis, path)):
            drawn.append(replace(frame, title=f"{view.view.capitalize()} clip: {frame.title}"))
    return drawn


def write_report(folder: Path, analysed: Analysed, reported: Reported) -> list[Path]:
    """The report's files in `folder` — the poses (to analyse again without the model), the
    summary, the per-step values, and report.html, written last so that its presence means the
    set is complete — each replaced whole or not at all."""
    from glutecoach.reports.gait import steps_csv

    summary = analysed.summary
    poses = [(f"pose-{i}.json", part.raw) for i, (_, part) in enumerate(analysed.parts, 1)]
    written = [
        *(write_atomically(folder / name, posefile.pose_json(raw)) for name, raw in poses),
        write_atomically(folder / "pose.json", posefile.pose_json(analysed.raw)),
        write_atomically(folder / "analysis.json", summary.model_dump_json(indent=2)),
        write_atomically(folder / "steps.csv", steps_csv(summary)),
    ]
    return [write_atomically(folder / "report.html", reported.html), *written]
