"""MediaPipe Pose's three models: each installed intact in this venv (by the project's setup),
a damaged or missing file refused with a message that says how to fix it, the install script a
no-op once they are there, and the lite and heavy models really used when chosen."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from glutecoach.adapters.pose import models, pipeline
from glutecoach.adapters.pose.errors import ModelError
from glutecoach.adapters.pose.estimator import MediaPipePose, native_stderr_quiet
from glutecoach.adapters.pose.models import PoseModel, verify
from glutecoach.domain.gait.pose import JOINTS
from tests.conftest import ROOT, SHARED_DATA

SIDE = SHARED_DATA / "video" / "gaitlab_male_side_treadmill.mp4"
SCRIPT = ROOT / "scripts" / "install-pose-models.sh"


@pytest.mark.parametrize("model", list(PoseModel))
def test_each_model_is_installed_intact_in_this_venv(model: PoseModel) -> None:
    path = verify(model)
    assert path.name == model.file.file_name
    assert path.parent == models.installed_folder()
    assert model.label == f"MediaPipe Pose {model.value} (complexity {model.complexity})"


def test_a_file_of_the_right_size_with_the_wrong_bytes_fails_its_checksum(tmp_path: Path) -> None:
    wrong = bytes(PoseModel.lite.file.size)  # zeros, as many as the real file's bytes
    (tmp_path / "pose_landmark_lite.tflite").write_bytes(wrong)
    with pytest.raises(ModelError) as raised:
        verify(PoseModel.lite, tmp_path)
    md5 = hashlib.md5(wrong).hexdigest()
    assert raised.value.message == (
        f"{tmp_path / 'pose_landmark_lite.tflite'} fails its checksum"
        f" (md5 {md5}, expected {PoseModel.lite.file.md5}): reinstall it with `make models`"
    )


def test_a_missing_model_says_to_run_make_models(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as raised:
        verify(PoseModel.heavy, tmp_path)
    assert raised.value.message == (
        "the heavy pose model is not installed: run `make models`"
        " (or `bash scripts/install-pose-models.sh`) in the project folder"
    )


def test_a_file_replaced_after_it_was_verified_is_checked_again(tmp_path: Path) -> None:
    """The md5 is remembered per file, size and modification time: a changed file is read anew."""
    copy = Path(shutil.copy(verify(PoseModel.lite), tmp_path))
    assert verify(PoseModel.lite, tmp_path) == copy
    copy.write_bytes(bytes(PoseModel.lite.file.size))
    later = copy.stat().st_mtime_ns + 1_000_000_000
    os.utime(copy, ns=(later, later))  # a coarse clock could otherwise keep the old time
    with pytest.raises(ModelError, match="fails its checksum"):
        verify(PoseModel.lite, tmp_path)


def test_the_estimator_and_the_pipeline_refuse_a_missing_model_before_mediapipe_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "installed_folder", lambda: tmp_path)
    with pytest.raises(ModelError, match="the heavy pose model is not installed"):
        MediaPipePose(PoseModel.heavy)
    # checked before the video is even opened: a missing clip would be a VideoError
    with pytest.raises(ModelError, match="the lite pose model is not installed"):
        pipeline.estimate(tmp_path / "no such clip.mp4", model=PoseModel.lite)


def test_running_the_install_script_again_changes_nothing() -> None:
    """Given this venv's python (whose mediapipe the tests import): the first run installs the
    models if `make` has not, the second finds them and says so."""
    folder = models.installed_folder()
    first = subprocess.run(
        ["bash", str(SCRIPT), sys.executable], capture_output=True, text=True, check=False
    )
    assert first.returncode == 0, first.stderr
    before = {m: (folder / m.file.file_name).stat().st_mtime_ns for m in PoseModel}
    second = subprocess.run(
        ["bash", str(SCRIPT), sys.executable], capture_output=True, text=True, check=False
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout == (
        f"The lite and heavy pose models are already installed in {folder} (checksums match).\n"
    )
    assert second.stderr == ""  # no warning about the wheel's own full model either
    assert {m: (folder / m.file.file_name).stat().st_mtime_ns for m in PoseModel} == before


@pytest.fixture(scope="module")
def frame() -> NDArray[np.uint8]:
    """Frame 100 of the male side-view clip, as RGB (read in order: a seek may land elsewhere)."""
    capture = cv2.VideoCapture(str(SIDE))
    try:
        for _ in range(101):
            ok, bgr = capture.read()
            assert ok, f"{SIDE} has fewer than 101 frames, or cannot be read"
    finally:
        capture.release()
    return np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), dtype=np.uint8)


def _pose(model: PoseModel, rgb: NDArray[np.uint8]) -> NDArray[np.float64]:
    with native_stderr_quiet():
        estimator = MediaPipePose(model)
        try:
            joints = estimator.estimate(rgb)
        finally:
            estimator.close()
    assert estimator.name == model.label
    assert joints is not None, f"{model.label} found nobody in frame 100"
    return joints


@pytest.fixture(scope="module")
def full_pose(frame: NDArray[np.uint8]) -> NDArray[np.float64]:
    return _pose(PoseModel.full, frame)


@pytest.mark.parametrize("model", [PoseModel.lite, PoseModel.heavy])
def test_the_lite_and_heavy_models_each_find_the_runner_their_own_way(
    model: PoseModel, frame: NDArray[np.uint8], full_pose: NDArray[np.float64]
) -> None:
    joints = _pose(model, frame)
    height, width = frame.shape[:2]
    assert joints.shape == (len(JOINTS), 3) == (13, 3)
    assert np.all(np.isfinite(joints[:, :2]))
    assert np.all((joints[:, 0] >= 0) & (joints[:, 0] < width))
    assert np.all((joints[:, 1] >= 0) & (joints[:, 1] < height))
    assert not np.array_equal(joints, full_pose)  # another model ran, not the full one again


def test_the_worker_processes_run_the_model_they_are_given() -> None:
    """The same segment in a worker process and in this one gives the same poses (MediaPipe on
    the CPU is deterministic) only if the worker ran the same model; the full one differs. Two
    one-second segments keep the process pool real and the test short."""
    first = pipeline.Segment(str(SIDE), 0.0, 1.0, None)
    second = pipeline.Segment(str(SIDE), 1.0, 2.0, None)
    [in_worker, _] = pipeline._in_parallel([first, second], PoseModel.lite, None, 60)
    here_lite = pipeline._run_segment(first, partial(MediaPipePose, PoseModel.lite))
    here_full = pipeline._run_segment(first, partial(MediaPipePose, PoseModel.full))
    assert len(in_worker[0]) == 30
    assert np.array_equal(in_worker[1], here_lite[1], equal_nan=True)
    assert not np.array_equal(in_worker[1], here_full[1], equal_nan=True)
