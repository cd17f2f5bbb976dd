"""A runner with a year of daily logs, built through the real services: the data the `today` and
`web` benchmarks measure against.

The example runner (UTC, no race) is screened and started with a 24-week plan, started again as
each plan runs out; every activation and strength session is logged as the day's current plan
prescribes it or now and then skipped, with soreness now and then the day after a strength
session. Seeded, so the same seed builds the same year.

    with databases(folder) as urls:
        built = build(urls["sqlite"], last_day, seed, progress, "sqlite")
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.progress import Progress

from glutecoach.adapters.db.repositories import Database
from glutecoach.adapters.db.throwaway import throwaway_postgres
from glutecoach.domain.clock import FixedClock
from glutecoach.domain.planning import Day, RunnerProfile, SessionKind
from glutecoach.services import planning, runners, screening, training
from glutecoach.services.files import read_document
from glutecoach.services.store import open_store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DAYS = 365  # a year of days, the last of them today
WEEKS = 24  # each plan's length (the most build_plan makes); the runner starts again after it
LOGGED = (SessionKind.pre_run_activation, SessionKind.strength)
ELSEWHERE = ("hamstring", "low_back", "side_of_thigh", "quads", "nothing")


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
    return planning.parse_profile(
        data,
        "examples/runner.yaml",
        FixedClock(dt.datetime.combine(start, dt.time(12), tzinfo=dt.UTC)),
    )


def runner_slug() -> str:
    """The slug the built runner is stored under (what `--runner` and the API's URLs take)."""
    return runners.slug_of(str(read_document(EXAMPLES / "runner.yaml")["name"]))


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


def build(
    url: str, last: dt.date, seed: int, progress: Progress, label: str, unlogged_days: int = 0
) -> Built:
    """The year ending on `last` into the empty database at `url`, a progress bar task meanwhile;
    the last `unlogged_days` days are planned but left unlogged (for a load to log)."""
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
            if offset < DAYS - unlogged_days:
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


@contextmanager
def databases(folder: Path) -> Iterator[dict[str, str]]:
    """The bench databases: a SQLite file, and a database on a throw-away PostgreSQL server."""
    with throwaway_postgres() as server:
        yield {
            "sqlite": f"sqlite:///{folder / 'glutecoach.db'}",
            "postgresql": server.url(server.create_database()),
        }
