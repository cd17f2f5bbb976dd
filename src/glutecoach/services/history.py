"""What changed in the plan, the progress report, and the runner's data in and out."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glutecoach.adapters.db.backup import backup_sqlite
from glutecoach.adapters.db.export import dump_runner, load_runner
from glutecoach.adapters.db.repositories import Database, PlanRecord, Repository, RunnerRecord
from glutecoach.domain.clock import Clock
from glutecoach.domain.progress import Progress, progress
from glutecoach.domain.progression import Change
from glutecoach.domain.screening import Screening
from glutecoach.services.files import read_document, write_atomically
from glutecoach.services.runners import choose, planned_runner
from glutecoach.services.training import decode_changes


@dataclass(frozen=True)
class PlanVersion:
    version: int
    created_at: dt.datetime
    reason: str
    changes: tuple[Change, ...]


def plan_changes(db: Database, slug: str | None) -> tuple[str, list[PlanVersion]]:
    """Every version of the runner's plan, oldest first, with what changed and why."""
    with db.unit() as repo:
        runner = choose(repo, slug)
        versions = repo.plan_summaries(runner.id)
    return runner.slug, [
        PlanVersion(v.version, v.created_at, v.reason, tuple(decode_changes(v.changes)))
        for v in versions
    ]


@dataclass(frozen=True)
class ProgressRead:
    """A runner's progress with what it was made from that a page also shows."""

    runner: RunnerRecord
    plan: PlanRecord
    screenings: list[Screening]  # oldest first
    on: dt.date  # the day it is as of (the runner's today unless asked)
    progress: Progress


def read_progress(repo: Repository, slug: str | None, on: dt.date | None = None) -> ProgressRead:
    """Progress over every log (the runner's and a clinician's view of them), in `repo`'s unit."""
    runner, current, profile = planned_runner(repo, slug)
    logs = repo.progress_logs(runner.id)
    soreness = repo.soreness(runner.id)
    screenings = [s.screening for s in repo.screenings(runner.id)]
    day = on or repo.clock.today(profile.timezone)
    made = progress(current.plan, logs, soreness, screenings, day)
    return ProgressRead(runner, current, screenings, day, made)


def progress_report(db: Database, slug: str | None, on: dt.date | None = None) -> Progress:
    with db.unit() as repo:
        return read_progress(repo, slug, on).progress


def export_runner(db: Database, slug: str | None, destination: Path) -> Path:
    with db.unit() as repo:
        runner = choose(repo, slug)
        document = dump_runner(repo, runner.id)
    return write_atomically(destination, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def import_runner(db: Database, source: Path) -> str:
    document: Any = read_document(source)
    with db.unit() as repo:
        runner_id = load_runner(repo, document)
        return repo.runner_by_id(runner_id).slug


def backup(url: str, destination: Path, clock: Clock) -> Path:
    return backup_sqlite(url, destination, clock.now())
