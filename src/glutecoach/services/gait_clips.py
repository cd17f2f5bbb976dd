"""Several clips of one run, one analysis: each clip analysed on its own (any that cannot be used
refused with its name, before anything is stored), its view found or taken from the caller,
and each side's figures taken from the clip that sees it (domain/gait/combined.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from glutecoach.domain.errors import InvalidInput
from glutecoach.domain.gait.analysis import GaitAnalysis, GaitError
from glutecoach.domain.gait.combined import Clip, ClipView, clip_view, combine
from glutecoach.domain.gait.pose import View
from glutecoach.domain.gait.summary import ClipSummary, GaitSummary, summarise
from glutecoach.domain.library import load_library
from glutecoach.services.gait import Analysed, Progress, analyse_file, pose_model

# What a caller may say of a clip's view: the analysis's own view, and the clip's if it says more
VIEWS: dict[str, tuple[View | None, ClipView | None]] = {
    "auto": (None, None),
    "side": (View.side, None),
    "left": (View.side, ClipView.left_side),
    "right": (View.side, ClipView.right_side),
    "rear": (View.rear, ClipView.rear),
    "front": (View.rear, ClipView.front),
}


def views_for(paths: Sequence[Path], views: Sequence[str]) -> list[str]:
    """One view a clip: none given is auto for all, one given is for all, else one each."""
    unknown = [v for v in views if v not in VIEWS]
    if unknown:
        raise InvalidInput(f"no view {unknown[0]!r}: use {', '.join(VIEWS)}")
    if not views:
        return ["auto"] * len(paths)
    if len(views) == 1:
        return list(views) * len(paths)
    if len(views) != len(paths):
        raise InvalidInput(
            f"{len(views)} views for {len(paths)} clips: give one --view for all, or one each"
        )
    return list(views)


def analyse_clips(
    paths: Sequence[Path],
    *,
    on: dt.date,
    views: Sequence[str] = (),
    person: tuple[float, float] | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    height_cm: float | None = None,
    model: str | None = None,
) -> Analysed:
    """One clip: its analysis as `analyse_file` gives it. Several: one analysis from them all.
    `person` (whom to follow) is for one clip only. Never stores anything; the views, the
    person and the model are checked before any clip is read."""
    said = views_for(paths, views)
    chosen = pose_model(model)
    if person is not None and len(paths) > 1:
        raise InvalidInput("choose the runner to follow in one clip at a time")
    parts = [
        analyse_file(
            path,
            on=on,
            view=VIEWS[name][0],
            person=person,
            workers=workers,
            progress=progress,
            height_cm=height_cm,
            model=chosen.value,
        )
        for path, name in zip(paths, said, strict=True)
    ]
    if len(parts) == 1:
        return parts[0]
    clips = [
        Clip(path.name, VIEWS[name][1] or clip_view(part.analysis), part.analysis)
        for path, name, part in zip(paths, said, parts, strict=True)
    ]
    try:
        combined = combine(clips)
    except GaitError as error:
        raise GaitError(f"{', '.join(p.name for p in paths)}: {error.message}") from None
    summary = _summary(combined, clips, parts, on, chosen.value, chosen.label)
    return Analysed(combined, summary, None, parts[0].raw, tuple(zip(paths, parts, strict=True)))


def _summary(
    combined: GaitAnalysis,
    clips: Sequence[Clip],
    parts: Sequence[Analysed],
    on: dt.date,
    model: str,
    label: str,
) -> GaitSummary:
    """The combined analysis's summary, with each clip named by its view."""
    used = (model, label) if any(p.video is not None for p in parts) else None
    summary = summarise(combined, " + ".join(c.source for c in clips), on, load_library(), used)
    return summary.model_copy(
        update={
            "clips": tuple(
                ClipSummary(
                    source=c.source,
                    view=c.view.value,
                    cadence_spm=c.analysis.cadence_spm,
                    fps=round(c.analysis.fps, 2),
                    duration_s=round(c.analysis.duration_s, 2),
                )
                for c in clips
            )
        }
    )
