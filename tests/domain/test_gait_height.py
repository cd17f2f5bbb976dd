"""The runner's height turns the gait's distances into centimetres: checked on a synthetic runner
whose body, in pixels, is known exactly. Its height in cm is a free choice; what must hold is
that the analysis measures the body's pixel height (sole to nose, plus the head-top convention)
and scales every distance by it."""

from __future__ import annotations

import math

import pytest

from glutecoach.domain.errors import InvalidInput
from glutecoach.domain.gait.analysis import analyse
from glutecoach.domain.gait.pose import View
from glutecoach.domain.gait.stature import HEAD_TOP_ALLOWANCE_CM, check_height
from tests.gaitsynth import ANKLE_HEIGHT, HEAD, PELVIS_WIDTH, SHANK, THIGH, TRUNK, synthetic_run

MIN_FPS = 30.0
HEIGHT_CM = 176.0
# The nose above the sole of a synthetic runner standing upright, in leg lengths.
NOSE = ANKLE_HEIGHT + SHANK + THIGH + TRUNK + HEAD
BODY_TOLERANCE = 0.01  # the body's pixel height, relative (side and rear, 1 px noise)
CM_TOLERANCE = 0.3  # a distance in cm against the truth (step width; the others: their own % leg)


def true_cm_per_px(leg_px: float) -> float:
    return (HEIGHT_CM - HEAD_TOP_ALLOWANCE_CM) / (NOSE * leg_px)


@pytest.mark.parametrize("view", [View.side, View.rear])
def test_the_bodys_height_in_the_picture_is_measured_within_one_percent(view: View) -> None:
    run = synthetic_run(view=view, noise_px=1.0, seed=5, trunk_lean_deg=8.0)
    analysis = analyse(run.pose, view, MIN_FPS, HEIGHT_CM)
    assert analysis.scale is not None
    true_body = NOSE * run.leg_px * HEIGHT_CM / (HEIGHT_CM - HEAD_TOP_ALLOWANCE_CM)
    assert analysis.scale.body_px == pytest.approx(true_body, rel=BODY_TOLERANCE)


def test_side_view_distances_are_given_in_cm_from_the_height() -> None:
    run = synthetic_run(view=View.side, noise_px=1.0, seed=2, overstride_pct=14.0)
    analysis = analyse(run.pose, View.side, MIN_FPS, HEIGHT_CM)
    leg_cm = run.leg_px * true_cm_per_px(run.leg_px)
    for key in ("overstride", "vertical_oscillation"):
        share, cm = analysis.metric(key), analysis.metric(f"{key}_cm")
        assert share is not None and cm is not None and share.median is not None
        assert cm.unit == "cm" and "est. from height" in cm.label
        assert cm.steps == share.steps
        assert cm.median == pytest.approx(share.median / 100 * leg_cm, rel=0.02)
    # a 176 cm runner's leg (hip joint to ankle) comes out at a plausible length
    assert 75 < leg_cm < 95


def test_rear_view_step_width_is_given_in_cm_close_to_the_truth() -> None:
    run = synthetic_run(view=View.rear, noise_px=1.0, seed=4, camera_roll_deg=4.0)
    analysis = analyse(run.pose, View.rear, MIN_FPS, HEIGHT_CM)
    width = analysis.metric("step_width_cm")
    assert width is not None and width.median is not None
    # the default gait puts the ankle under the hip joint: half the pelvis width out
    truth = 0.5 * PELVIS_WIDTH * run.leg_px * true_cm_per_px(run.leg_px)
    assert abs(width.median - truth) <= CM_TOLERANCE


def test_without_a_height_nothing_changes() -> None:
    run = synthetic_run(view=View.side, noise_px=1.0, seed=7)
    plain = analyse(run.pose, View.side, MIN_FPS)
    scaled = analyse(run.pose, View.side, MIN_FPS, HEIGHT_CM)
    assert plain.scale is None
    assert not any(m.unit == "cm" for m in plain.metrics)
    assert [m for m in scaled.metrics if m.unit != "cm"] == list(plain.metrics)


@pytest.mark.parametrize("height", [99.9, 230.5, 0.0, -170.0, 1.76, 1760.0, math.nan, math.inf])
def test_an_implausible_height_is_refused_with_its_range(height: float) -> None:
    with pytest.raises(InvalidInput, match="between 100 and 230 cm"):
        check_height(height)
    run = synthetic_run(view=View.side, duration_s=2.0)
    with pytest.raises(InvalidInput, match="between 100 and 230 cm"):
        analyse(run.pose, View.side, MIN_FPS, height)


@pytest.mark.parametrize("height", [100.0, 230.0, 172.5])
def test_a_plausible_height_is_taken(height: float) -> None:
    assert check_height(height) == height
