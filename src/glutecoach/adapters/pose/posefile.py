"""Pose files: poses from another tool, or from an earlier look, analysed without the model.

- glutecoach's own JSON (docs/pose-format.md): `{"format": "glutecoach.pose", "version": 1,
  "width": W, "height": H, "joints": [names], "frames": [{"t": seconds, "xy": [[x, y] | null, …],
  "visibility": [0-1, …]}, …]}` — pixels, y down.
- CSV: a header `time_s,<joint>_x,<joint>_y,<joint>_v,…`, one row per frame; empty cells are
  missing joints. Pixels, y down.
- TRC, as Sports2D and Pose2Sim write it (OpenSim's marker format): five header lines, then
  `Frame#, Time, X1, Y1, Z1, …`; in metres with y up (flipped here) or in pixels with y down.
  Marker names are mapped from the HALPE/COCO names those tools use (RHip, LBigToe, …).
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from glutecoach.adapters.pose.errors import VideoError
from glutecoach.domain.gait.pose import JOINTS, PoseSequence

SUFFIXES = (".json", ".csv", ".trc")
TRC_NAMES = {  # Sports2D / Pose2Sim marker → our joint
    "Nose": "nose",
    "Head": "nose",
    "RShoulder": "right_shoulder",
    "LShoulder": "left_shoulder",
    "RHip": "right_hip",
    "LHip": "left_hip",
    "RKnee": "right_knee",
    "LKnee": "left_knee",
    "RAnkle": "right_ankle",
    "LAnkle": "left_ankle",
    "RHeel": "right_heel",
    "LHeel": "left_heel",
    "RBigToe": "right_foot_index",
    "LBigToe": "left_foot_index",
}
METRE_SCALE = 1000.0  # metres → "pixels": the metrics are ratios and angles, any scale works


def is_pose_file(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def read_pose_file(path: Path) -> PoseSequence:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise VideoError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise VideoError(f"{path}: cannot be read as a text pose file ({error})") from None
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            return _from_json(json.loads(text))
        if suffix == ".csv":
            return _from_csv(text)
        return _from_trc(text)
    except VideoError as error:
        raise VideoError(f"{path}: {error.message}") from None
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise VideoError(f"{path}: not a valid {suffix[1:].upper()} pose file ({error})") from None


def _sequence(
    times: list[float], xy: NDArray[np.float64], vis: NDArray[np.float64], width: int, height: int
) -> PoseSequence:
    if len(times) < 2:
        raise VideoError("fewer than two frames")
    order = np.argsort(times, kind="stable")
    stamps = np.array(times, dtype=np.float64)[order]
    if np.any(np.diff(stamps) <= 0):
        raise VideoError("two frames share a time: every frame needs its own time")
    return PoseSequence(stamps, xy[order], vis[order], width, height)


def _from_json(data: Any) -> PoseSequence:
    if not isinstance(data, dict) or data.get("format") != "glutecoach.pose":
        raise VideoError("not a glutecoach pose file (format must be 'glutecoach.pose')")
    if data.get("version") != 1:
        raise VideoError(f"pose file version {data.get('version')!r} is not supported (1 is)")
    names = list(data["joints"])
    frames = data["frames"]
    xy = np.full((len(frames), len(JOINTS), 2), np.nan)
    vis = np.zeros((len(frames), len(JOINTS)))
    times = []
    for f, frame in enumerate(frames):
        times.append(float(frame["t"]))
        for name, point, seen in zip(names, frame["xy"], frame["visibility"], strict=True):
            if name in JOINTS and point is not None:
                j = JOINTS.index(name)
                xy[f, j] = [float(point[0]), float(point[1])]
                vis[f, j] = float(seen)
    return _sequence(times, xy, vis, int(data["width"]), int(data["height"]))


def _from_csv(text: str) -> PoseSequence:
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or "time_s" not in rows[0]:
        raise VideoError("a pose CSV needs a header starting with time_s")
    xy = np.full((len(rows), len(JOINTS), 2), np.nan)
    vis = np.zeros((len(rows), len(JOINTS)))
    for f, row in enumerate(rows):
        for j, name in enumerate(JOINTS):
            x, y = row.get(f"{name}_x") or "", row.get(f"{name}_y") or ""
            if x and y:
                xy[f, j] = [float(x), float(y)]
                vis[f, j] = float(row.get(f"{name}_v") or 1.0)
    found = xy[np.isfinite(xy)]
    if not len(found):
        raise VideoError("no joint positions in the CSV (columns like left_hip_x, left_hip_y)")
    times = [float(r["time_s"]) for r in rows]
    width, height = _extent(xy)
    return _sequence(times, xy, vis, width, height)


EXTENT_MARGIN = 0.1  # of the joints' range, added beyond them when no picture size is known


def _extent(xy: NDArray[np.float64]) -> tuple[int, int]:
    """A picture size for poses that came without one: the joints' extent and a margin, so
    that no joint seems to touch an edge (which would read as a runner cut off)."""
    size = []
    for axis in (0, 1):
        top, low = float(np.nanmax(xy[:, :, axis])), float(np.nanmin(xy[:, :, axis]))
        size.append(math.ceil(top + EXTENT_MARGIN * (top - low)) + 1)
    return size[0], size[1]


def _from_trc(text: str) -> PoseSequence:
    lines = text.splitlines()
    if len(lines) < 6 or not lines[0].startswith("PathFileType"):
        raise VideoError("not a TRC file (it starts with PathFileType)")
    keys, values = lines[1].split("\t"), lines[2].split("\t")
    units = dict(zip(keys, values, strict=False)).get("Units", "m").strip().lower()
    markers = [m for m in lines[3].split("\t")[2:] if m.strip()]
    rows = [line.split("\t") for line in lines[5:] if line.strip()]
    xy = np.full((len(rows), len(JOINTS), 2), np.nan)
    vis = np.zeros((len(rows), len(JOINTS)))
    times = []
    pixels = units in ("px", "pixel", "pixels")
    for f, row in enumerate(rows):
        times.append(float(row[1]))
        for m, marker in enumerate(markers):
            joint = TRC_NAMES.get(marker.strip())
            cells = row[2 + 3 * m : 4 + 3 * m]
            if joint is None or len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
                continue
            x, y = float(cells[0]), float(cells[1])
            if not (math.isfinite(x) and math.isfinite(y)):
                continue
            j = JOINTS.index(joint)
            if np.isfinite(xy[f, j, 0]):
                continue  # "Nose" before "Head": the first that maps wins
            xy[f, j] = [x, y] if pixels else [x * METRE_SCALE, -y * METRE_SCALE]
            vis[f, j] = 1.0
    if not pixels:  # metres, y up: shift into a positive, y-down "image", with a margin
        for axis in (0, 1):
            low, top = np.nanmin(xy[:, :, axis]), np.nanmax(xy[:, :, axis])
            xy[:, :, axis] -= low - EXTENT_MARGIN * (top - low)
    if not np.isfinite(xy).any():
        raise VideoError("no known markers (RHip, LKnee, LAnkle, …) in the TRC file")
    width, height = _extent(xy)
    return _sequence(times, xy, vis, width, height)


def pose_json(pose: PoseSequence) -> str:
    """The poses in glutecoach's own format, for a second look without the model."""
    frames = []
    for f in range(pose.frames):
        frames.append(
            {
                "t": round(float(pose.times_s[f]), 6),
                "xy": [
                    None
                    if not np.isfinite(p[0])
                    else [round(float(p[0]), 2), round(float(p[1]), 2)]
                    for p in pose.xy[f]
                ],
                "visibility": [round(float(v), 3) for v in pose.visibility[f]],
            }
        )
    document = {
        "format": "glutecoach.pose",
        "version": 1,
        "width": pose.width,
        "height": pose.height,
        "joints": list(JOINTS),
        "frames": frames,
    }
    return json.dumps(document, separators=(",", ":"))
