"""The analysis as a whole on synthetic runners: mirror symmetry, the clips it refuses and why,
leg-swap repair, and the findings it hands the screening."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from glutecoach.domain.gait.analysis import GaitAnalysis, GaitError, analyse, findings
from glutecoach.domain.gait.pose import INDEX, PoseSequence, View
from glutecoach.domain.library import Library
from glutecoach.domain.screening.findings import FindingKind
from tests.gaitsynth import swap_legs, synthetic_run, synthetic_walk

MIN_FPS = 60.0
SIDE_ASYMMETRIC: dict[str, Any] = {
    "view": View.side,
    "knee_flexion_strike_deg": (16.0, 24.0),
    "knee_flexion_mid_deg": (44.0, 38.0),
    "overstride_pct": (8.0, 16.0),
    "noise_px": 0.5,
}
REAR_ASYMMETRIC: dict[str, Any] = {
    "view": View.rear,
    "pelvic_drop_deg": (9.0, 3.0),
    "lateral_lean_deg": (4.0, 1.0),
    "camera_roll_deg": 3.0,
    "noise_px": 0.5,
}


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


@pytest.mark.parametrize("options", [SIDE_ASYMMETRIC, REAR_ASYMMETRIC], ids=["side", "rear"])
def test_a_mirrored_clip_gives_the_same_metrics_with_the_sides_swapped(
    options: dict[str, Any],
) -> None:
    run = synthetic_run(**options)
    seen = analyse(run.pose, None, MIN_FPS)
    mirrored = analyse(run.pose.mirrored(), None, MIN_FPS)
    assert mirrored.view == seen.view
    assert mirrored.cadence_spm == seen.cadence_spm
    assert mirrored.strides == {"left": seen.strides["right"], "right": seen.strides["left"]}
    assert [m.key for m in mirrored.metrics] == [m.key for m in seen.metrics]
    for theirs, ours in zip(mirrored.metrics, seen.metrics, strict=True):
        assert theirs.median == pytest.approx(ours.median, abs=0.01), ours.key
        for side in ("left", "right"):
            assert theirs.side_median(side) == pytest.approx(
                ours.side_median(_other(side)), abs=0.01
            ), (ours.key, side)
    drop = seen.metric("pelvic_drop")
    if drop is not None:  # from behind both legs are seen: the lopsided drop is claimed
        assert drop.asymmetry is not None and drop.asymmetry > 4
    else:  # from the side the far leg is hidden: its overstride is not measured, none claimed
        overstride = seen.metric("overstride")
        assert overstride is not None and overstride.asymmetry is None
        hidden = [side for side, q in overstride.quality.items() if not q.measured]
        assert len(hidden) == 1 and overstride.side_median(hidden[0]) is None


# Refused clips -------------------------------------------------------------------------------


def test_walking_is_refused_as_walking() -> None:
    for cadence in (100.0, 130.0):  # an ordinary walk (contacts of 0.7 s) and a brisk one
        walk = synthetic_walk(cadence_spm=cadence)
        with pytest.raises(GaitError, match=r"^this looks like walking \(both feet on the ground"):
            analyse(walk.pose, None, MIN_FPS)


def test_too_short_a_clip_is_refused() -> None:
    run = synthetic_run(duration_s=0.1, fps=60)  # 6 frames
    with pytest.raises(GaitError, match=r"^the clip is too short to analyse"):
        analyse(run.pose, None, MIN_FPS)


def test_a_clip_with_nobody_in_it_is_refused() -> None:
    pose = synthetic_run().pose
    empty = PoseSequence(
        pose.times_s,
        np.full_like(pose.xy, np.nan),
        np.zeros_like(pose.visibility),
        pose.width,
        pose.height,
    )
    with pytest.raises(GaitError, match=r"^no person was found in the clip"):
        analyse(empty, None, MIN_FPS)


def test_a_runner_mostly_out_of_sight_is_refused() -> None:
    run = synthetic_run(dropout_share=0.7)
    with pytest.raises(GaitError, match=r"^a person was found in only \d+% of the frames"):
        analyse(run.pose, None, MIN_FPS)


def test_too_few_strides_are_refused() -> None:
    run = synthetic_run(duration_s=3.0)  # ~4 strides per foot
    with pytest.raises(GaitError, match=r"^only \d clear strides of one foot were found"):
        analyse(run.pose, None, MIN_FPS)


# Leg swaps -----------------------------------------------------------------------------------


def _legs_apart(pose: PoseSequence, leg_px: float) -> list[int]:
    """Every 25th frame or so where the ankles are far apart (a swap there is unmistakable)."""
    left, right = pose.xy[:, INDEX["left_ankle"]], pose.xy[:, INDEX["right_ankle"]]
    apart = np.flatnonzero(np.linalg.norm(left - right, axis=1) > 0.3 * leg_px)
    chosen: list[int] = []
    for frame in apart:
        if frame > 0 and (not chosen or frame - chosen[-1] >= 25):
            chosen.append(int(frame))
    return chosen


@pytest.mark.parametrize("view", [View.side, View.rear])
def test_swapped_legs_are_put_back(view: View) -> None:
    run = synthetic_run(view=view, pelvic_drop_deg=6.0, noise_px=0.5, fps=60)
    frames = _legs_apart(run.pose, run.leg_px)
    assert len(frames) >= 10
    clean = analyse(run.pose, view, MIN_FPS)
    repaired = analyse(swap_legs(run.pose, frames), view, MIN_FPS)
    assert clean.swaps_fixed == 0
    assert repaired.swaps_fixed == len(frames)
    assert repaired.cadence_spm == clean.cadence_spm
    _same_metrics(repaired, clean)


def _same_metrics(a: GaitAnalysis, b: GaitAnalysis) -> None:
    for ours, theirs in zip(a.metrics, b.metrics, strict=True):
        assert ours.median == pytest.approx(theirs.median, abs=0.01), ours.key


# Findings ------------------------------------------------------------------------------------


def test_a_marked_pelvic_drop_is_a_hip_abductor_finding(library: Library) -> None:
    run = synthetic_run(view=View.rear, pelvic_drop_deg=(10.0, 10.0), noise_px=0.5)
    found = findings(analyse(run.pose, None, MIN_FPS), library)
    hips = [reason for kind, reason in found if kind == FindingKind.hip_abductor_weakness]
    assert len(hips) == 1
    assert hips[0].sources == ("bramah_2018",)
    assert "pelvis drops 10°" in hips[0].text


def test_a_low_cadence_is_a_finding(library: Library) -> None:
    run = synthetic_run(cadence_spm=155, noise_px=0.5)
    found = findings(analyse(run.pose, None, MIN_FPS), library)
    low = [reason for kind, reason in found if kind == FindingKind.low_cadence]
    assert len(low) == 1
    assert "cadence 155 steps/min" in low[0].text
    assert "pmc6044588_cadence" in low[0].sources


def test_an_unremarkable_runner_has_no_findings(library: Library) -> None:
    side = synthetic_run(cadence_spm=175, overstride_pct=10, noise_px=0.5)
    rear = synthetic_run(view=View.rear, cadence_spm=175, pelvic_drop_deg=4, noise_px=0.5)
    for run in (side, rear):
        assert findings(analyse(run.pose, None, MIN_FPS), library) == []


def test_the_clip_is_checked_for_framing_and_the_missing_view() -> None:
    from dataclasses import replace

    from glutecoach.domain.gait.analysis import analyse
    from glutecoach.domain.gait.pose import View
    from tests.gaitsynth import synthetic_run

    run = synthetic_run(view=View.side, fps=60)
    said = analyse(run.pose, None, 60).warnings
    assert any("film from behind" in w for w in said)
    assert not any("edge of the picture" in w for w in said)
    high = run.pose.xy.copy()
    top = np.nanmin(high[:, :, 1])
    high[:, :, 1] -= top - 0.005 * run.pose.height  # the head at the top edge
    cut = analyse(replace(run.pose, xy=high), View.side, 60).warnings
    assert any("edge of the picture" in w for w in cut)
    low = run.pose.xy.copy()
    low[:, :, 1] += run.pose.height * 0.14  # the feet at the bottom edge whenever they land
    with pytest.raises(GaitError, match=r"^the feet are out of the picture in \d+% of the frames"):
        analyse(replace(run.pose, xy=low), View.side, 60)
    rear = synthetic_run(view=View.rear, fps=60)
    assert any("film from the side" in w for w in analyse(rear.pose, None, 60).warnings)
