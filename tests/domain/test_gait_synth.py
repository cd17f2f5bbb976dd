"""The synthetic runner itself: what it is told to do is exactly true of its noise-free pose, so
the metric tests compare against a known truth and not against the generator's own bugs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.typing import NDArray

from glutecoach.domain.gait.pose import INDEX, View
from tests.gaitsynth import GROUND, SyntheticRun, swap_legs, synthetic_run, synthetic_walk

Snapshot = NDArray[np.float64]  # (J, 2) one instant's joints


def _at(run: SyntheticRun, times: NDArray[np.float64]) -> NDArray[np.float64]:
    return run.clean_xy(times)


def _p(snapshot: Snapshot, name: str) -> NDArray[np.float64]:
    return np.asarray(snapshot[INDEX[name]], dtype=np.float64)


def _knee_flexion(snapshot: Snapshot, side: str) -> float:
    hip, knee, ankle = (_p(snapshot, f"{side}_{j}") for j in ("hip", "knee", "ankle"))
    u, v = hip - knee, ankle - knee
    cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))
    return 180 - math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def _hips(snapshot: Snapshot) -> NDArray[np.float64]:
    return (_p(snapshot, "left_hip") + _p(snapshot, "right_hip")) / 2


def _lowest(run: SyntheticRun, xy: NDArray[np.float64], side: str) -> NDArray[np.float64]:
    """The foot's lowest image point per frame (largest y)."""
    feet = xy[:, [INDEX[f"{side}_heel"], INDEX[f"{side}_foot_index"]], 1]
    return np.asarray(feet.max(axis=1), dtype=np.float64)


def _in_contact(run: SyntheticRun, side: str, times: NDArray[np.float64]) -> NDArray[np.bool_]:
    since = np.mod(times - run.runner.strike0(side), run.runner.stride_s)
    return np.asarray(since < run.contact_s, dtype=np.bool_)


@pytest.mark.parametrize("facing", [1, -1])
def test_side_view_truth_holds_at_the_true_events(facing: int) -> None:
    run = synthetic_run(
        view=View.side,
        facing=facing,
        knee_flexion_strike_deg=(18, 24),
        knee_flexion_mid_deg=(42, 38),
        overstride_pct=(8, 14),
        trunk_lean_deg=7,
    )
    for side, strike_knee, mid_knee, overstride in (
        ("left", 18, 42, 8),
        ("right", 24, 38, 14),
    ):
        strikes = run.strikes[side]
        for snapshot in _at(run, strikes):
            assert _knee_flexion(snapshot, side) == pytest.approx(strike_knee, abs=1e-6)
            ahead = (_p(snapshot, f"{side}_heel")[0] - _hips(snapshot)[0]) * facing
            assert ahead / run.leg_px * 100 == pytest.approx(overstride, abs=1e-6)
        mids = _at(run, strikes + run.runner.midstance(side))
        for snapshot in mids:
            assert _p(snapshot, f"{side}_ankle")[0] == pytest.approx(_hips(snapshot)[0], abs=1e-6)
            assert _knee_flexion(snapshot, side) == pytest.approx(mid_knee, abs=1e-6)
            trunk = (_p(snapshot, "left_shoulder") + _p(snapshot, "right_shoulder")) / 2
            lean = trunk - _hips(snapshot)
            assert math.degrees(math.atan2(lean[0] * facing, -lean[1])) == pytest.approx(7)


def test_the_stance_foot_is_on_the_ground_and_the_swing_foot_off_it() -> None:
    run = synthetic_run(view=View.side, fps=240)
    ground = GROUND * run.pose.height
    for side in ("left", "right"):
        lowest = _lowest(run, run.pose.xy, side)
        down = _in_contact(run, side, run.pose.times_s)
        assert np.allclose(lowest[down], ground)
        assert np.all(lowest[~down] < ground)  # image y grows downwards
        # no double support: never both feet in contact
    both = _in_contact(run, "left", run.pose.times_s) & _in_contact(run, "right", run.pose.times_s)
    assert not both.any()


def test_the_stance_foot_moves_back_at_belt_speed() -> None:
    run = synthetic_run(view=View.side, fps=240, facing=1)
    times = run.pose.times_s
    for side in ("left", "right"):
        since = np.mod(times - run.runner.strike0(side), run.runner.stride_s)
        flat = (since > 0.2 * run.contact_s) & (since < 0.45 * run.contact_s)  # heel down, flat
        heel = run.pose.xy[:, INDEX[f"{side}_heel"], 0]
        speed = np.diff(heel)[flat[1:] & flat[:-1]] * 240 / run.leg_px
        assert np.allclose(speed, -run.runner.speed)


def test_the_hips_bounce_twice_per_stride() -> None:
    run = synthetic_run(view=View.side, fps=240, duration_s=run_seconds(4))
    hip_y = run.pose.xy[:, INDEX["left_hip"], 1]
    lowest = [
        i for i in range(1, len(hip_y) - 1) if hip_y[i] >= hip_y[i - 1] and hip_y[i] > hip_y[i + 1]
    ]
    assert len(lowest) == pytest.approx(run.pose.duration_s / run.step_s, abs=1)


def run_seconds(strides: int, cadence_spm: float = 170) -> float:
    return strides * 120 / cadence_spm


@pytest.mark.parametrize(("facing", "roll"), [(1, 0.0), (-1, 0.0), (1, 6.0), (-1, -4.0)])
def test_rear_view_pelvic_drop_peaks_at_mid_contact(facing: int, roll: float) -> None:
    run = synthetic_run(
        view=View.rear, pelvic_drop_deg=(10, 4), facing=facing, camera_roll_deg=roll
    )
    for side, other, drop in (("left", "right", 10), ("right", "left", 4)):
        times = run.strikes[side] + run.contact_s / 2
        for snapshot in _at(run, times):
            across = _p(snapshot, f"{other}_hip") - _p(snapshot, f"{side}_hip")
            tilt = math.degrees(math.atan2(across[1], abs(across[0])))
            # the roll lowers image-right: the swing hip's reading moves by it with that sign
            sign = 1 if across[0] > 0 else -1
            assert tilt - sign * roll == pytest.approx(drop)


def test_camera_roll_turns_the_whole_image_about_its_centre() -> None:
    level = synthetic_run(view=View.rear).pose
    rolled = synthetic_run(view=View.rear, camera_roll_deg=30).pose
    centre = np.array([level.width / 2, level.height / 2])
    angle = math.radians(30)
    turn = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    assert np.allclose((level.xy - centre) @ turn.T + centre, rolled.xy)


def test_noise_dropouts_and_swaps_are_what_was_asked() -> None:
    clean = synthetic_run(view=View.side)
    noisy = synthetic_run(view=View.side, noise_px=2.0, dropout_share=0.1, seed=3)
    lost = ~np.isfinite(noisy.pose.xy[:, 0, 0])
    assert 0.05 < lost.mean() < 0.15
    assert np.all(noisy.pose.visibility[lost] == 0) and np.all(np.isnan(noisy.pose.xy[lost]))
    # same seed → same phase: the residual is the noise
    phased = synthetic_run(view=View.side, first_strike_s=noisy.runner.first_strike_s)
    residual = (noisy.pose.xy - phased.pose.xy)[~lost]
    assert np.std(residual) == pytest.approx(2.0, rel=0.05)
    swapped = swap_legs(clean.pose, [5, 9])
    assert np.array_equal(swapped.joint("left_ankle")[5], clean.pose.joint("right_ankle")[5])
    assert np.array_equal(swapped.joint("left_hip")[5], clean.pose.joint("left_hip")[5])
    assert np.array_equal(swapped.xy[6], clean.pose.xy[6])


def test_the_walker_has_double_support() -> None:
    walk = synthetic_walk(fps=240)
    times = walk.pose.times_s
    both = _in_contact(walk, "left", times) & _in_contact(walk, "right", times)
    assert 0.15 < both.mean() < 0.35


def test_an_impossible_gait_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot reach"):
        synthetic_run(overstride_pct=120)
