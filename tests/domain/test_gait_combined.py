"""One analysis from several clips of the same run (domain/gait/combined.py), from synthetic
runners with known left/right differences: each clip's view found, each side from the clip that
sees it, and the true differences claimed where one side clip alone could claim none."""

from __future__ import annotations

from dataclasses import replace

import pytest

from glutecoach.domain.gait.analysis import GaitAnalysis, GaitError, analyse
from glutecoach.domain.gait.combined import Clip, ClipView, clip_view, combine
from glutecoach.domain.gait.pose import View
from tests.gaitsynth import synthetic_run

MIN_FPS = 60.0
KNEE_MID = (46.0, 38.0)  # left, right: an 8° difference, beyond twice the 2.5° error
DROP = (9.0, 3.0)


def _side(facing: int, seed: int) -> GaitAnalysis:
    run = synthetic_run(view=View.side, facing=facing, knee_flexion_mid_deg=KNEE_MID, seed=seed)
    return analyse(run.pose, None, MIN_FPS)


def _rear(seed: int = 3) -> GaitAnalysis:
    return analyse(
        synthetic_run(view=View.rear, pelvic_drop_deg=DROP, seed=seed).pose, None, MIN_FPS
    )


def _clips(*analyses: GaitAnalysis) -> list[Clip]:
    return [Clip(f"clip{i}", clip_view(a), a) for i, a in enumerate(analyses)]


def test_each_clips_view_is_found() -> None:
    # the synthetic camera sees the right side of a runner facing image-right, and the left of
    # one facing image-left; from behind the runner's left hip is on the picture's left
    assert clip_view(_side(-1, 1)) is ClipView.left_side
    assert clip_view(_side(1, 2)) is ClipView.right_side
    assert clip_view(_rear()) is ClipView.rear
    behind = synthetic_run(view=View.rear, seed=4).pose
    xy = behind.xy.copy()
    xy[:, :, 0] = behind.width - xy[:, :, 0]  # turned round: the left hip on the picture's right
    front = replace(behind, xy=xy)
    assert clip_view(analyse(front, View.rear, MIN_FPS)) is ClipView.front


def test_left_right_and_rear_give_both_sides_and_the_true_differences() -> None:
    one_side = _side(-1, 1)
    knee_alone = one_side.metric("knee_flexion_midstance")
    assert knee_alone is not None and knee_alone.side_median("right") is None  # hidden there
    combined = combine(_clips(one_side, _side(1, 2), _rear()))
    assert combined.view is View.combined
    knee = combined.metric("knee_flexion_midstance")
    assert knee is not None
    left, right = knee.side_median("left"), knee.side_median("right")
    assert left is not None and abs(left - KNEE_MID[0]) <= 2.5
    assert right is not None and abs(right - KNEE_MID[1]) <= 2.5
    assert knee.asymmetry is not None and abs(knee.asymmetry - 8.0) <= 3.0
    drop = combined.metric("pelvic_drop")
    assert drop is not None and drop.asymmetry is not None and abs(drop.asymmetry - 6.0) <= 2.0
    contact = combined.metric("contact_time")
    assert contact is not None and contact.unpaired is None  # timed from behind: both feet seen
    assert not any("film from" in w for w in combined.warnings)
    assert abs(combined.cadence_spm - 170.0) <= 1.0


def test_without_a_rear_clip_the_steps_claim_no_difference_and_it_says_what_is_missing() -> None:
    combined = combine(_clips(_side(-1, 1), _side(1, 2)))
    for key in ("step_time", "flight_time"):
        metric = combined.metric(key)
        assert metric is not None and metric.unpaired is not None and metric.asymmetry is None
    assert combined.metric("pelvic_drop") is None
    assert any("no clip from behind" in w for w in combined.warnings)


def test_a_side_no_clip_sees_is_not_measured_and_said() -> None:
    combined = combine(_clips(_side(-1, 1), _rear()))
    knee = combined.metric("knee_flexion_midstance")
    assert knee is not None and knee.side_median("right") is None
    right = knee.quality["right"]
    assert not right.measured and right.reason is not None and "right side" in right.reason
    assert any("no clip from the runner's right side" in w for w in combined.warnings)


def test_the_same_view_twice_or_a_single_clip_is_refused() -> None:
    with pytest.raises(GaitError, match="two clips show the left side view"):
        combine(_clips(_side(-1, 1), _side(-1, 5)))
    with pytest.raises(GaitError, match="at least two clips"):
        combine(_clips(_rear()))
