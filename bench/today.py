"""Time `glutecoach today` and `glutecoach progress` for a runner with a year of daily logs.

The data is built through the real services (start, screening, 24-week plans started again as
each runs out, every activation and strength session logged or skipped, soreness now and then),
once on SQLite and once on a throw-away PostgreSQL server. Each command then runs end to end as
a new process, against the bare start-up of the CLI (`glutecoach --version`) in the same run.

    .venv/bin/python bench/today.py [--runs 7] [--seed 3] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress

from year import Built, build, databases

COMMANDS = ("--version", "today", "progress")
TARGET = 2.0  # each command under 2× the bare start-up


def command(name: str, last: dt.date) -> list[str]:
    args = [name] if name == "--version" else [name, "--date", last.isoformat()]
    return [sys.executable, "-m", "glutecoach", *args]


def timed(argv: list[str], url: str) -> float:
    env = {**os.environ, "GLUTECOACH_DATABASE_URL": url}
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[2:])} failed ({done.returncode}):\n{done.stderr}")
    return seconds * 1000


def measure(url: str, last: dt.date, runs: int) -> dict[str, list[float]]:
    """Each command once untimed (caches warm), then `runs` rounds, the commands interleaved."""
    for name in COMMANDS:
        timed(command(name, last), url)
    samples: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _round in range(runs):
        for name in COMMANDS:
            samples[name].append(timed(command(name, last), url))
    return samples


def summary(samples: list[float], baseline: float) -> dict[str, Any]:
    median = statistics.median(samples)
    return {
        "median_ms": round(median, 1),
        "min_ms": round(min(samples), 1),
        "ratio_to_version": round(median / baseline, 2),
        "meets_target": median / baseline < TARGET,
    }


def figures(
    built: dict[str, Built], samples: dict[str, dict[str, list[float]]], runs: int
) -> dict[str, Any]:
    versions = [ms for by_command in samples.values() for ms in by_command["--version"]]
    baseline = statistics.median(versions)
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cpus, "
        f"{platform.python_implementation()} {platform.python_version()}",
        "runs": runs,
        "baseline_version_median_ms": round(baseline, 1),
        "baseline_version_min_ms": round(min(versions), 1),
        "target_ratio": TARGET,
        "databases": {
            db: {
                "built": vars(built[db]) | {"seconds": round(built[db].seconds, 1)},
                "today": summary(by_command["today"], baseline),
                "progress": summary(by_command["progress"], baseline),
            }
            for db, by_command in samples.items()
        },
    }


def report(result: dict[str, Any]) -> None:
    for db, measured in result["databases"].items():
        b = measured["built"]
        print(
            f"built {db:<10} in {b['seconds']} s: {b['session_logs']} session logs "
            f"({b['skipped']} skipped), {b['soreness_logs']} soreness logs, "
            f"{b['plan_versions']} plan versions"
        )
    print(
        f"baseline    glutecoach --version  median {result['baseline_version_median_ms']} ms   "
        f"min {result['baseline_version_min_ms']} ms   ({result['runs']} runs per database)"
    )
    for db, measured in result["databases"].items():
        for name in ("today", "progress"):
            row = measured[name]
            verdict = "meets" if row["meets_target"] else "MISSES"
            print(
                f"{name + ' (' + db + ')':<23} median {row['median_ms']:>7} ms   "
                f"min {row['min_ms']:>7} ms   {row['ratio_to_version']:>5}×   "
                f"< {TARGET:g}×: {verdict}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each command")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    last = dt.datetime.now(dt.UTC).date()
    built: dict[str, Built] = {}
    samples: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as folder, databases(Path(folder)) as urls:
        with Progress(console=Console(stderr=True), transient=True) as progress:
            for db, url in urls.items():
                built[db] = build(url, last, args.seed, progress, db)
        for db, url in urls.items():
            samples[db] = measure(url, last, args.runs)
    result = figures(built, samples, args.runs)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        report(result)


if __name__ == "__main__":
    main()
