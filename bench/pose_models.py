"""MediaPipe Pose's three models on the shared real clip: time, accuracy and repeatability, so
the default is chosen from measurements (issue #20, docs/pose-models.md).

For each model (lite, full, heavy), the side-view treadmill clip (12 s, 30 fps) goes through the
whole analysis (`services.gait.analyse_file`, one worker, in this process) as it is and as two
variants made here: mirrored, and re-encoded at half the size. Printed per model:

  s/clip        wall seconds of the analysis of the original clip (pose model, events, metrics)
  × full        that over the full model's, measured in the same run (target: heavy ≤ 3×)
  rt            real-time factor: the clip's seconds ÷ the wall seconds
  cadence       on the original clip, and its error against the clip's ground truth, 168.9
                steps/min measured from the pixels without any pose model
  contact       median ground contact time (ms); the clip's provenance gives 180-320 ms as the
                range of recreational runners at this cadence (no force plate for this clip)
  knee mid      near-leg knee flexion at midstance (°); the far leg is not measured
  far vis       the far leg's mean knee visibility (how sure the model is of the hidden leg)
  spread        the largest difference between the three variants, per figure: how much the
                figure moves when only the encoding changes (the model is deterministic on the
                same frames, so repeating one clip would show 0)
  2 workers     the original clip again in two processes: its cadence, contact time and near
                knee against the one-process run's, within the tolerances bench/gait.py uses
                (cadence 2 %, times one frame, angles 4°)

The synthetic runners' accuracy (cadence, pelvic drop, knee angles against known truth) is the
analysis's, not a model's: they are poses already, with no picture for a model to read
(tests/domain/test_gait_metrics.py, BENCHMARKS.md "Gait metrics' measurement error").

    .venv/bin/python bench/pose_models.py [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.videos: the same variants the real-clip tests make

from tests.clock import TODAY  # noqa: E402
from tests.videos import mirrored, resized  # noqa: E402

from glutecoach.domain.gait.pose import INDEX  # noqa: E402
from glutecoach.services import gait  # noqa: E402

VIDEO = Path(os.environ.get("GLUTECOACH_SHARED_DATA") or ROOT.parent / "shared" / "data") / "video"
SIDE = VIDEO / "gaitlab_male_side_treadmill.mp4"
CADENCE = 168.9
HEAVY_LIMIT = 3.0


@dataclass
class Row:
    model: str
    seconds: float
    vs_full: float
    realtime: float
    cadence: float
    cadence_error_pct: float
    contact_ms: float | None
    knee_mid: float | None
    far_knee_visibility: float
    spread_cadence: float
    spread_contact_ms: float | None
    spread_knee_mid: float | None
    two_workers_same: bool
    two_workers: tuple[float, float | None, float | None]


def _figures(analysed: gait.Analysed) -> tuple[float, float | None, float | None]:
    summary = analysed.summary
    contact = summary.metric("contact_time")
    knee = summary.metric("knee_flexion_midstance")
    return (
        summary.cadence_spm,
        contact.median if contact else None,
        knee.median if knee else None,
    )


def _spread(values: list[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return round(max(found) - min(found), 1) if len(found) == len(values) else None


def measure(model: str, clips: list[Path]) -> tuple[float, list[gait.Analysed]]:
    start = time.perf_counter()
    first = gait.analyse_file(clips[0], on=TODAY, workers=1, model=model)
    seconds = time.perf_counter() - start
    others = [gait.analyse_file(c, on=TODAY, workers=1, model=model) for c in clips[1:]]
    return seconds, [first, *others]


def same_within(
    a: tuple[float, float | None, float | None], b: tuple[float, float | None, float | None]
) -> bool:
    """Cadence within 2 %, contact time within one frame at 30 fps, the knee within 4°."""
    cadence_ok = abs(a[0] - b[0]) <= 0.02 * b[0]
    limits = (1000 / 30, 4.0)
    rest = [
        x is not None and y is not None and abs(x - y) <= limit
        for x, y, limit in zip(a[1:], b[1:], limits, strict=True)
    ]
    return cadence_ok and all(rest)


def far_visibility(analysed: gait.Analysed) -> float:
    """The mean knee visibility of the leg seen less well (the far one)."""
    raw = analysed.raw
    return round(
        min(float(raw.visibility[:, INDEX[f"{side}_knee"]].mean()) for side in ("left", "right")),
        2,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        clips = [
            SIDE,
            mirrored(SIDE, Path(folder) / "mirrored.mp4"),
            resized(SIDE, Path(folder) / "smaller.mp4", 360),
        ]
        gait.analyse_file(SIDE, on=TODAY, workers=1, model="lite")  # imports and caches warm
        measured = {m: measure(m, clips) for m, _ in gait.MODELS}
        two = {
            m: _figures(gait.analyse_file(SIDE, on=TODAY, workers=2, model=m))
            for m, _ in gait.MODELS
        }
    full_s = measured["full"][0]
    rows = []
    for model, (seconds, analysed) in measured.items():
        figures = [_figures(a) for a in analysed]
        cadence, contact, knee = figures[0]
        rows.append(
            Row(
                model=model,
                seconds=round(seconds, 2),
                vs_full=round(seconds / full_s, 2),
                realtime=round(analysed[0].summary.duration_s / seconds, 2),
                cadence=cadence,
                cadence_error_pct=round((cadence - CADENCE) / CADENCE * 100, 2),
                contact_ms=contact,
                knee_mid=knee,
                far_knee_visibility=far_visibility(analysed[0]),
                spread_cadence=round(max(f[0] for f in figures) - min(f[0] for f in figures), 1),
                spread_contact_ms=_spread([f[1] for f in figures]),
                spread_knee_mid=_spread([f[2] for f in figures]),
                two_workers_same=same_within(two[model], figures[0]),
                two_workers=two[model],
            )
        )
    if args.json:
        print(json.dumps([asdict(r) for r in rows], indent=2))
    else:
        _print(rows)
    for r in rows:
        print(
            f"{r.model}: 2 workers cadence {r.two_workers[0]:.1f}, contact "
            f"{r.two_workers[1] or 0:.1f} ms, knee {r.two_workers[2] or 0:.1f}: "
            f"{'the same within tolerance' if r.two_workers_same else 'DIFFERENT'}"
        )
    heavy = next(r for r in rows if r.model == "heavy")
    print(f"heavy at {heavy.vs_full:.2f}x full (target <= {HEAVY_LIMIT:g}x)", file=sys.stderr)
    same = all(r.two_workers_same for r in rows)
    return 0 if heavy.vs_full <= HEAVY_LIMIT and same else 1


def _print(rows: list[Row]) -> None:
    print(f"{platform.node()} {os.cpu_count()} cores, {SIDE.name}, one worker")
    print(
        "model  s/clip  x full  rt    cadence (err %)   contact ms  knee mid  far vis  "
        "spread: cadence contact knee"
    )
    for r in rows:
        print(
            f"{r.model:6} {r.seconds:6.2f}  {r.vs_full:5.2f}  {r.realtime:4.2f}  "
            f"{r.cadence:6.1f} ({r.cadence_error_pct:+5.2f})  {r.contact_ms or 0:9.1f}  "
            f"{r.knee_mid or 0:8.1f}  {r.far_knee_visibility:7.2f}  "
            f"{r.spread_cadence:14.1f} {r.spread_contact_ms or 0:7.1f} "
            f"{r.spread_knee_mid or 0:5.1f}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
