"""How repeatable the gait metrics are: the measurement error a re-test comparison needs.

On the real side-view treadmill clip and a mirrored copy of it (every frame flipped left-right
with OpenCV and re-encoded, so the pose model sees new pictures of the same running), the poses
are estimated once per clip (kept as pose files in the cache folder, so a re-run only analyses)
and the gait analysis is run on many shifted windows of each (by default 8 s windows starting
every 0.5 s). Each analysis is one "measurement" of the same runner; per metric:

  within-subject SD  the standard deviation of the metric's median over all the analyses
                     (both copies, every window): one runner, so this is also
  SEM                the standard error of measurement, and
  MDC95              the minimal detectable change, 1.96 · √2 · SEM: a re-test change smaller
                     than this is within measurement error.

These are this method's own repeatability, on one runner, one clip and one filming set-up, NOT a
published figure. They understate a real re-test's error: the windows overlap (8 s windows of a
12 s clip share at least 4 s of steps), the camera, the light, the shoes and the day do not
change, and the mirrored copy differs from the original only in the pose model's view of it.
They are a floor: a change below the MDC is certainly not a measured change.

Rear-view metrics (pelvic drop, knee FPPA, lateral trunk lean, step width) cannot be measured on
a side clip; no real rear clip is in the shared data, so the file marks them as not measured
(a synthetic sequence would only measure the algorithm, not the pose model's errors).

    .venv/bin/python bench/gait_repeatability.py [--window 8] [--every 0.5] [--write] [--json]

--write replaces src/glutecoach/domain/gait/repeatability.yaml (what `glutecoach gait`'s re-test
comparison reads). The pose model runs in one process, one clip at a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import statistics
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from glutecoach.adapters.pose import pipeline, posefile
from glutecoach.domain.errors import GlutecoachError
from glutecoach.domain.gait.analysis import analyse
from glutecoach.domain.gait.pose import PoseSequence, View
from glutecoach.domain.gait.repeatability import REAR_VIEW_KEYS, parse_repeatability
from glutecoach.domain.library import load_library

ROOT = Path(__file__).resolve().parents[1]
VIDEO = Path(os.environ.get("GLUTECOACH_SHARED_DATA") or ROOT.parent / "shared" / "data") / "video"
SIDE = VIDEO / "gaitlab_male_side_treadmill.mp4"
CACHE = ROOT / "out" / "gait-repeatability"
TARGET = ROOT / "src" / "glutecoach" / "domain" / "gait" / "repeatability.yaml"
Z95 = 1.96


def mirror(source: Path, target: Path) -> Path:
    """Every frame flipped left-right, re-encoded (OpenCV's mp4v, as tests/videos.py does)."""
    import cv2

    capture = cv2.VideoCapture(str(source))
    fps = capture.get(cv2.CAP_PROP_FPS)
    writer = None
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            if writer is None:
                size = (frame.shape[1], frame.shape[0])
                writer = cv2.VideoWriter(str(target), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
            writer.write(np.ascontiguousarray(frame[:, ::-1]))
    finally:
        capture.release()
        if writer is not None:
            writer.release()
    return target


def poses(clip: Path, cache: Path) -> PoseSequence:
    """The clip's poses, from the cache when it holds them (estimated once, one process)."""
    saved = cache / f"{clip.stem}.pose.json"
    if saved.is_file() and saved.stat().st_mtime >= clip.stat().st_mtime:
        return posefile.read_pose_file(saved)
    print(f"estimating the poses of {clip.name} (once; kept in {saved})", file=sys.stderr)
    pose, _ = pipeline.estimate(clip, workers=1)
    cache.mkdir(parents=True, exist_ok=True)
    saved.write_text(posefile.pose_json(pose), encoding="utf-8")
    return pose


def window(pose: PoseSequence, start_s: float, length_s: float) -> PoseSequence:
    keep = (pose.times_s >= start_s) & (pose.times_s < start_s + length_s)
    return replace(
        pose, times_s=pose.times_s[keep], xy=pose.xy[keep], visibility=pose.visibility[keep]
    )


def measure(
    pose: PoseSequence, length_s: float, every_s: float, unit: dict[str, str]
) -> list[dict[str, float]]:
    """Per window: cadence and every metric's median (windows the analysis refuses are left
    out, and said); `unit` gets each metric's unit."""
    min_fps = load_library().threshold("gait_min_fps").value
    first = float(pose.times_s[0])
    starts = np.arange(first, float(pose.times_s[-1]) - length_s + 1e-6 + 1 / pose.fps, every_s)
    found = []
    for start in starts:
        try:
            analysis = analyse(window(pose, float(start), length_s), View.side, min_fps)
        except GlutecoachError as error:
            print(f"  window at {start - first:.1f} s refused: {error.message}", file=sys.stderr)
            continue
        row = {"cadence": analysis.cadence_spm}
        unit.update({"cadence": "steps/min"} | {m.key: m.unit for m in analysis.metrics})
        row.update({m.key: m.median for m in analysis.metrics if m.median is not None})
        found.append(row)
    return found


def figures(rows: list[list[dict[str, float]]], unit: dict[str, str]) -> dict[str, Any]:
    """Per metric: SEM (the within-subject SD over every analysis), MDC95, unit, n, and the
    two parts of the spread: across windows (mean of each copy's SD) and across copies."""
    out: dict[str, Any] = {}
    for key in unit:
        per_copy = [[r[key] for r in copy if key in r] for copy in rows]
        values = [v for copy in per_copy for v in copy]
        if len(values) < 3:
            continue
        sem = statistics.stdev(values)
        windows_sd = statistics.fmean(statistics.stdev(c) for c in per_copy if len(c) > 1)
        copies_sd = statistics.stdev([statistics.fmean(c) for c in per_copy if c])
        out[key] = {
            "sem": round(sem, 3),
            "mdc95": round(Z95 * math.sqrt(2) * sem, 2),
            "unit": unit[key],
            "n": len(values),
            "mean": round(statistics.fmean(values), 2),
            "sd_across_windows": round(windows_sd, 3),
            "sd_across_copies": round(copies_sd, 3),
        }
    return out


def document(
    args: argparse.Namespace, rows: list[list[dict[str, float]]], unit: dict[str, str]
) -> dict[str, Any]:
    command = "python bench/gait_repeatability.py " + " ".join(sys.argv[1:])
    return {
        "kind": "glutecoach.gait.repeatability",
        "version": 1,
        "measured_on": dt.date.today().isoformat(),
        "command": command.strip(),
        "basis": "this method's own repeatability on one runner (one clip and its mirrored "
        "copy, shifted overlapping windows), not a published figure; within one clip only: "
        "between sessions the error is larger (2D angles 9-14° between days, Damsted 2015)",
        "clips": [args.clip.name, f"{args.clip.name}, mirrored and re-encoded"],
        "view": "side",
        "window_s": args.window,
        "every_s": args.every,
        "windows": sum(len(copy) for copy in rows),
        "metrics": figures(rows, unit),
        "not_measured": dict.fromkeys(
            REAR_VIEW_KEYS, "rear-view metric: no real rear-view clip to measure it on"
        ),
    }


HEADER = (
    "# The gait metrics' measurement error, written by bench/gait_repeatability.py --write:\n"
    "# do not edit by hand. sem and mdc95 are in the metric's unit; mdc95 = 1.96 * sqrt(2) * sem.\n"
    "# This method's own repeatability on one runner, NOT a published figure (see the script).\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", type=Path, default=SIDE)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--window", type=float, default=8.0, help="seconds per window")
    parser.add_argument("--every", type=float, default=0.5, help="seconds between window starts")
    parser.add_argument("--write", action="store_true", help=f"replace {TARGET.name}")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    copy = args.cache / f"{args.clip.stem}.mirrored.mp4"
    if not copy.is_file() or copy.stat().st_mtime < args.clip.stat().st_mtime:
        mirror(args.clip, copy)
    unit: dict[str, str] = {}
    rows = [
        measure(poses(clip, args.cache), args.window, args.every, unit)
        for clip in (args.clip, copy)
    ]
    data = document(args, rows, unit)
    parse_repeatability(data)  # what the app will read: refuse to write what it would refuse
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print_table(data)
    if args.write:
        TARGET.write_text(HEADER + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        print(f"wrote {TARGET}", file=sys.stderr)


def print_table(data: dict[str, Any]) -> None:
    print(
        f"{data['windows']} analyses of {data['window_s']:g} s windows every {data['every_s']:g} s"
    )
    head = ("metric", "unit", "n", "mean", "SD windows", "SD copies", "SEM", "MDC95")
    print("{:<24}{:>10}{:>5}{:>9}{:>12}{:>11}{:>8}{:>8}".format(*head))
    for key, m in data["metrics"].items():
        print(
            f"{key:<24}{m['unit']:>10}{m['n']:>5}{m['mean']:>9.2f}{m['sd_across_windows']:>12.3f}"
            f"{m['sd_across_copies']:>11.3f}{m['sem']:>8.3f}{m['mdc95']:>8.2f}"
        )


if __name__ == "__main__":
    main()
