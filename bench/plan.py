"""Time to build a 16-week plan over 1,000 random profiles: median and 99th percentile.

The baseline, measured in the same run, is validating the same profiles alone (the cheapest
step every plan needs), so the ratio says how much the planning itself costs on this machine.

    .venv/bin/python bench/plan.py [--profiles 1000] [--weeks 16] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import statistics
import time
from typing import Any

from glutecoach.domain.errors import RuleViolation
from glutecoach.domain.library import load_library
from glutecoach.domain.planning import RunnerProfile, Weekday, build_plan

DAYS = list(Weekday)
EQUIPMENT = ["mini_band", "long_band", "dumbbell", "box", "foam_roller"]


def random_profile(rng: random.Random) -> dict[str, Any]:
    runs = sorted(rng.sample(DAYS, rng.randint(2, 6)), key=lambda d: d.position)
    long_run = rng.choice(runs)
    others = [d for d in runs if d != long_run]
    hard = rng.sample(others, min(len(others), rng.randint(0, 2)))
    start = dt.date(2026, 11, 23) + dt.timedelta(days=rng.randint(0, 300))
    data: dict[str, Any] = {
        "name": "Bench",
        "start_date": start,
        "run_days": runs,
        "long_run_day": long_run,
        "hard_days": hard,
        "weekly_km": rng.uniform(10, 100),
        "experience": rng.choice(["beginner", "intermediate", "advanced"]),
        "equipment": rng.sample(EQUIPMENT, rng.randint(0, len(EQUIPMENT))),
        "strength_minutes": rng.randint(15, 60),
        "strength_sessions_per_week": rng.choice([2, 3]),
    }
    if rng.random() < 0.5:
        data["race"] = {
            "date": start + dt.timedelta(days=rng.randint(30, 140)),
            "distance_km": 21.1,
        }
    return data


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=16)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    library = load_library()
    rng = random.Random(args.seed)
    plan_ms: list[float] = []
    validate_ms: list[float] = []
    refused = 0
    while len(plan_ms) < args.profiles:
        data = random_profile(rng)
        started = time.perf_counter()
        profile = RunnerProfile.model_validate(data)
        validated = time.perf_counter()
        try:
            build_plan(profile, None, library, args.weeks)
        except RuleViolation:
            refused += 1
            continue
        done = time.perf_counter()
        validate_ms.append((validated - started) * 1000)
        plan_ms.append((done - validated) * 1000)
    figures = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}",
        "profiles": len(plan_ms),
        "refused_as_infeasible": refused,
        "weeks": args.weeks,
        "plan_median_ms": round(statistics.median(plan_ms), 3),
        "plan_p99_ms": round(percentile(plan_ms, 99), 3),
        "baseline_validate_median_ms": round(statistics.median(validate_ms), 4),
        "ratio_plan_to_validate": round(
            statistics.median(plan_ms) / statistics.median(validate_ms), 1
        ),
        "target_median_ms": 20,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"{figures['profiles']} profiles, {args.weeks}-week plans ({refused} refused as infeasible)"
    )
    print(f"build_plan  median {figures['plan_median_ms']} ms   p99 {figures['plan_p99_ms']} ms")
    print(f"baseline    profile validation median {figures['baseline_validate_median_ms']} ms")
    print(f"ratio       plan / validation = {figures['ratio_plan_to_validate']}×")
    verdict = "meets" if figures["plan_median_ms"] < 20 else "MISSES"
    print(f"target      median under 20 ms: {verdict}")


if __name__ == "__main__":
    main()
