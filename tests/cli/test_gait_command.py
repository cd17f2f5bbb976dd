"""`glutecoach gait` as a user runs it: a pose file with a low cadence changes the plan; the
report, data and pose files are written; bad input is one clear error and stores nothing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from glutecoach.adapters.pose.posefile import pose_json
from glutecoach.domain.gait.pose import View
from tests.cli.conftest import Cli, cli_on, errors_of
from tests.conftest import EXAMPLES, SHARED_DATA
from tests.gaitsynth import synthetic_run
from tests.videos import feet_cut_off, mirrored, slower

VIDEO = SHARED_DATA / "video" / "gaitlab_male_side_treadmill.mp4"


@pytest.fixture
def gc(tmp_path: Path) -> Cli:
    return cli_on(tmp_path / "gc.db", timeout=300)


def counts(tmp_path: Path) -> tuple[int, int]:
    with sqlite3.connect(tmp_path / "gc.db") as db:
        gaits = db.execute("SELECT count(*) FROM gait_analyses").fetchone()[0]
        plans = db.execute("SELECT count(*) FROM plans").fetchone()[0]
    return int(gaits), int(plans)


def started(gc: Cli, tmp_path: Path) -> None:
    screening = tmp_path / "screening.json"
    assert (
        gc("screen", "--answers", str(EXAMPLES / "answers.yaml"), "-o", str(screening)).returncode
        == 0
    )
    result = gc("start", "--profile", str(EXAMPLES / "runner.yaml"), "--findings", str(screening))
    assert result.returncode == 0, result.stderr


def test_a_low_cadence_changes_the_plan_and_the_report_says_why(gc: Cli, tmp_path: Path) -> None:
    started(gc, tmp_path)
    slow = synthetic_run(view=View.side, cadence_spm=150, fps=60, noise_px=1.0, seed=3)
    poses = tmp_path / "slow.json"
    poses.write_text(pose_json(slow.pose))
    out = tmp_path / "report"
    result = gc("gait", str(poses), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["cadence_spm"] == pytest.approx(150, abs=1)
    kinds = {f["kind"] for f in data["findings"]}
    assert "low_cadence" in kinds
    assert "rebuilt around these findings" in data["plan"]
    assert counts(tmp_path) == (1, 2)
    report = (out / "report.html").read_text()
    assert "Low cadence" in report and "150" in report
    assert json.loads((out / "analysis.json").read_text())["kind"] == "glutecoach.gait"
    assert (out / "steps.csv").read_text().startswith("metric,unit,side,time_s,value")
    again = gc("gait", str(out / "pose.json"), "--out", str(tmp_path / "second"), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["cadence_spm"] == pytest.approx(data["cadence_spm"], abs=0.5)


def write_video(path: Path, frames: int, size: tuple[int, int] = (640, 480)) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 30, size)
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), (i * 3) % 255, np.uint8))
    writer.release()
    return path


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("text.mp4", lambda p: p.write_text("not a video at all"), "not a video"),
        ("truncated.mp4", lambda p: p.write_bytes(VIDEO.read_bytes()[:200_000]), "not a video"),
        (
            "still.jpg",
            lambda p: cv2.imwrite(str(p), np.zeros((64, 64, 3), np.uint8)),
            "still image",
        ),
        ("nobody.mp4", lambda p: write_video(p, 90), "no person was found"),
        ("missing.mp4", lambda p: None, "no such file"),
        ("ten_fps.mp4", lambda p: slower(VIDEO, p, 3), "filmed at 10 frames per second"),
        ("feet_cut.mp4", lambda p: feet_cut_off(VIDEO, p), "the feet are out of the picture"),
    ],
)
def test_bad_input_is_one_clear_error_and_stores_nothing(
    gc: Cli, tmp_path: Path, name: str, make: Callable[[Path], object], words: str
) -> None:
    started(gc, tmp_path)
    before = counts(tmp_path)
    path = tmp_path / name
    make(path)
    result = gc("gait", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert words in result.stderr and name in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert counts(tmp_path) == before
    assert not (tmp_path / "out").exists()


def test_an_unknown_model_is_one_line_naming_the_choices(gc: Cli, tmp_path: Path) -> None:
    started(gc, tmp_path)
    before = counts(tmp_path)
    result = gc("gait", str(VIDEO), "--model", "enormous", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "--model" in result.stderr and "lite, full or heavy" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert counts(tmp_path) == before and not (tmp_path / "out").exists()
    helped = gc("gait", "--help")
    assert "--model" in helped.stdout and "heavy" in helped.stdout


def test_with_the_runners_height_the_distances_are_also_in_cm(gc: Cli, tmp_path: Path) -> None:
    started(gc, tmp_path)
    run = synthetic_run(view=View.side, fps=60, noise_px=1.0, seed=6)
    poses = tmp_path / "side.json"
    poses.write_text(pose_json(run.pose))
    out = tmp_path / "report"
    result = gc("gait", str(poses), "--height-cm", "176", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["height_cm"] == 176 and data["body_height_px"] > 0
    metrics = {m["key"]: m for m in data["metrics"]}
    for key in ("overstride", "vertical_oscillation"):
        cm = metrics[f"{key}_cm"]
        assert cm["unit"] == "cm"
        # the same steps, scaled: cm / (% leg) is one leg length in cm, the same for both
        leg_cm = cm["median"] / metrics[key]["median"] * 100
        assert 75 < leg_cm < 95
    assert "overstride_cm" in (out / "steps.csv").read_text()
    assert "Centimetres are estimates" in (out / "report.html").read_text()
    with sqlite3.connect(tmp_path / "gc.db") as db:
        stored = json.loads(db.execute("SELECT data FROM gait_analyses").fetchone()[0])
    assert stored["height_cm"] == 176
    assert any(m["key"] == "overstride_cm" for m in stored["metrics"])
    plain = gc("gait", str(poses), "--out", str(tmp_path / "plain"), "--json", "--no-save")
    assert plain.returncode == 0, plain.stderr
    assert not any(m["unit"] == "cm" for m in json.loads(plain.stdout)["metrics"])


@pytest.mark.parametrize("height", ["1.76", "260", "nan"])
def test_an_implausible_height_is_one_line_and_stores_nothing(
    gc: Cli, tmp_path: Path, height: str
) -> None:
    started(gc, tmp_path)
    before = counts(tmp_path)
    poses = tmp_path / "side.json"
    poses.write_text(pose_json(synthetic_run(view=View.side, duration_s=2.0).pose))
    result = gc("gait", str(poses), "--height-cm", height, "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert errors_of(result).count("\n") == 0
    assert "between 100 and 230 cm" in result.stderr
    assert counts(tmp_path) == before
    assert not (tmp_path / "out").exists()


def test_a_re_test_says_which_changes_exceed_the_measurement_error(gc: Cli, tmp_path: Path) -> None:
    started(gc, tmp_path)
    for name, cadence, seed in (("before.json", 150, 3), ("after.json", 170, 4)):
        poses = tmp_path / name
        poses.write_text(
            pose_json(synthetic_run(view=View.side, cadence_spm=cadence, seed=seed).pose)
        )
        result = gc("gait", str(poses), "--out", str(tmp_path / f"out-{name}"), "--json")
        assert result.returncode == 0, result.stderr
    rows = {r["key"]: r for r in json.loads(result.stdout)["comparison"]}
    assert rows["cadence"]["verdict"] == "real change" and rows["cadence"]["change"] > 15
    assert rows["cadence"]["mdc95"] is not None
    assert all(
        r["verdict"] in ("real change", "within measurement error", "no repeatability figure")
        for r in rows.values()
    )
    report = (tmp_path / "out-after.json" / "report.html").read_text()
    assert "real change" in report and "not a published figure" in report


def test_a_left_a_right_and_a_rear_clip_give_one_report_with_both_sides(
    gc: Cli, tmp_path: Path
) -> None:
    """The real side clip (the runner's left side), the same clip mirrored (a right side, as
    the model sees it) and a synthetic runner filmed from behind: one report, each leg's angles
    from the clip that sees it."""
    started(gc, tmp_path)
    right = mirrored(VIDEO, tmp_path / "right.mp4")
    rear = tmp_path / "rear.json"
    rear.write_text(pose_json(synthetic_run(view=View.rear, cadence_spm=169, seed=4).pose))
    out = tmp_path / "combined"
    result = gc("gait", str(VIDEO), str(right), str(rear), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["view"] == "combined"
    assert [c["view"] for c in data["clips"]] == ["left side", "right side", "rear"]
    metrics = {m["key"]: m for m in data["metrics"]}
    for key in ("knee_flexion_midstance", "hip_extension_toe_off"):
        assert metrics[key]["left"] is not None and metrics[key]["right"] is not None, key
    assert metrics["pelvic_drop"]["left"] is not None  # from behind
    assert not any("film from" in w for w in data["warnings"])
    report = (out / "report.html").read_text()
    assert "Left side clip" in report and "Right side clip" in report
    assert counts(tmp_path)[0] == 1  # one analysis stored for the three clips
    same = gc("gait", str(VIDEO), str(VIDEO), "--out", str(tmp_path / "twice"))
    assert same.returncode == 2 and "two clips show the left side view" in same.stderr
    assert "Traceback" not in same.stderr and counts(tmp_path)[0] == 1
