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
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress

from glutecoach.adapters.db.repositories import Database
from glutecoach.adapters.db.throwaway import throwaway_postgres
from glutecoach.domain.planning import Day, RunnerProfile, SessionKind
from glutecoach.services import planning, runners, screening, training
from glutecoach.services.files import read_document
from glutecoach.services.store import open_store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DAYS = 365  # a year of days, the last of them today
WEEKS = 24  # each plan's length (the most build_plan makes); the runner starts again after it
LOGGED = (SessionKind.pre_run_activation, SessionKind.strength)
ELSEWHERE = ("hamstring", "low_back", "side_of_thigh", "quads", "nothing")
COMMANDS = ("--version", "today", "progress")
TARGET = 2.0  # each command under 2× the bare start-up


@dataclass(frozen=True)
class Built:
    seconds: float
    session_logs: int
    skipped: int
    soreness_logs: int
    plan_versions: int


def profile_on(start: dt.date) -> RunnerProfile:
    """The example runner, starting on `start`, in UTC, with no race."""
    data = read_document(EXAMPLES / "runner.yaml")
    data.pop("race", None)
    data.update(start_date=start.isoformat(), timezone="UTC")
    return planning.parse_profile(data, "examples/runner.yaml", on=start)


def start_plan(db: Database, start: dt.date) -> dt.date:
    """A new plan version from `start` (as a runner continues): the day it ends."""
    answers = screening.run(screening.read_input(EXAMPLES / "answers.yaml"), start)
    return runners.start(db, profile_on(start), answers, weeks=WEEKS).plan.end


def entry(day: Day, kind: SessionKind, rng: random.Random) -> training.SessionEntry:
    """The session as prescribed, at effort 5-8, now and then felt somewhere else."""
    session = day.session(kind)
    assert session is not None
    exercises = [
        {
            "exercise_id": p.exercise_id,
            "sets": [p.amount.high] * p.sets,
            "effort": rng.randint(5, 8),
            "felt": rng.choice(ELSEWHERE) if rng.random() < 0.08 else "glutes",
            "pain": 0,
        }
        for p in session.prescriptions
    ]
    return training.parse_entry(
        {"date": day.date.isoformat(), "session": kind.value, "exercises": exercises}, "bench"
    )


def log_day(db: Database, date: dt.date, rng: random.Random, sore_after: bool) -> bool:
    """Log one day as the runner would; True when a strength session was done."""
    if sore_after and rng.random() < 0.3:
        training.log_soreness(db, None, rng.randint(2, 7), date, on=date)
    day = training.today(db, None, date).day  # the current version: it adapts as logs come in
    if day is None:
        return False
    strength = False
    for kind in LOGGED:
        session = day.session(kind)
        if session is None or not session.prescriptions:
            continue
        if rng.random() < 0.07:
            training.skip_session(db, None, kind, "no time", date, on=date)
            continue
        training.log_session(db, None, entry(day, kind, rng), on=date)
        strength = strength or kind == SessionKind.strength
    return strength


def build(url: str, last: dt.date, seed: int, progress: Progress, label: str) -> Built:
    rng = random.Random(seed)
    task = progress.add_task(f"building a year on {label}", total=DAYS)
    started = time.perf_counter()
    with open_store(url) as db:
        plan_end = None
        strength_yesterday = False
        for offset in range(DAYS):
            date = last - dt.timedelta(days=DAYS - 1 - offset)
            if plan_end is None or date > plan_end:
                plan_end = start_plan(db, date)
            strength_yesterday = log_day(db, date, rng, strength_yesterday)
            progress.advance(task)
        seconds = time.perf_counter() - started
        with db.unit() as repo:
            runner = runners.choose(repo, None)
            logs = repo.session_logs(runner.id)
            soreness = repo.soreness(runner.id)
            versions = repo.plan_summaries(runner.id)
    skipped = sum(1 for log in logs if log.status == "skipped")
    return Built(seconds, len(logs), skipped, len(soreness), len(versions))


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


@contextmanager
def databases(folder: Path) -> Iterator[dict[str, str]]:
    """The bench databases: a SQLite file, and a database on a throw-away PostgreSQL server."""
    with throwaway_postgres() as server:
        yield {
            "sqlite": f"sqlite:///{folder / 'glutecoach.db'}",
            "postgresql": server.url(server.create_database()),
        }


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
