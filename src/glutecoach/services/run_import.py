"""Importing run files: list them, parse them in parallel, keep each run once, store in batches.

A bad file never stops the import: it is reported with its reason and the rest goes on. Runs
are written in batches, each one transaction, so a crash part-way leaves whole runs or none.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from glutecoach.adapters.db.recorded_runs import NewRecordedRun
from glutecoach.adapters.db.repositories import Database, Repository, RunnerRecord
from glutecoach.adapters.runfiles.reader import FileResult, read_source
from glutecoach.adapters.runfiles.sources import Source, list_sources
from glutecoach.domain.errors import InvalidInput, NotFound
from glutecoach.domain.run_reports import ImportSummary
from glutecoach.domain.runs import Run, Sport, same_run
from glutecoach.services import running
from glutecoach.services.runners import choose, slug_of

BATCH = 250  # runs per transaction
INLINE_BELOW = 4  # fewer files than this are parsed in this process: no pool to start
CHUNK = 4  # files handed to a worker at a time

Progress = Callable[[int, int], None]  # (files done, files in all)


def _runner(repo: Repository, slug: str | None, name: str | None) -> tuple[RunnerRecord, bool]:
    """The runner named (created when `name` is given and unknown), or the only one."""
    if name is not None:
        found = repo.runner(slug_of(name))
        if found is not None:
            return found, False
        runner_id = repo.add_runner(slug_of(name), name)
        return repo.runner_by_id(runner_id), True
    try:
        return choose(repo, slug), False
    except NotFound:
        if slug is not None:
            raise
        raise NotFound(
            "no runner yet: name the runner these runs belong to with --runner-name 'Your Name'"
        ) from None


def _parse(sources: list[Source], workers: int) -> Iterator[FileResult]:
    if workers <= 1 or len(sources) < INLINE_BELOW:
        yield from map(read_source, sources)
        return
    # forkserver: never fork a process that has threads (a progress bar has one), and the
    # workers get the parsers imported once, in the server, instead of once each.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["glutecoach.adapters.runfiles.reader"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(read_source, sources, chunksize=CHUNK)


class _Known:
    """The runs already stored or accepted in this import, bucketed by start minute."""

    def __init__(self, runs: Iterable[tuple[Run, str]]) -> None:
        self.buckets: dict[int, list[tuple[Run, str]]] = {}
        for run, source in runs:
            self.add(run, source)

    def add(self, run: Run, source: str) -> None:
        self.buckets.setdefault(int(run.started_at.timestamp()) // 60, []).append((run, source))

    def twin(self, run: Run) -> str | None:
        minute = int(run.started_at.timestamp()) // 60
        for bucket in range(minute - 3, minute + 4):
            for other, source in self.buckets.get(bucket, ()):
                comparable = other.sport == run.sport or Sport.unknown in (other.sport, run.sport)
                if comparable and same_run(run, other):
                    return source
        return None


def import_runs(
    db: Database,
    paths: list[Path],
    *,
    slug: str | None = None,
    runner_name: str | None = None,
    assume_sport: Sport | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    started = time.perf_counter()
    listing = list_sources(paths)
    if not listing.sources and not listing.refused:
        raise InvalidInput("no run files found (.fit, .gpx, .tcx, also .gz, or .zip archives)")
    with db.unit() as repo:
        runner, created = _runner(repo, slug, runner_name)
        digests = repo.recorded_runs.digests(runner.id)
        known = _Known((s.run, s.source) for s in repo.recorded_runs.list(runner.id))
    summary = ImportSummary(runner, files=len(listing.sources), new_runner=created)
    summary.rejected += listing.refused
    summary.ignored = listing.ignored
    pending: list[NewRecordedRun] = []
    for done, result in enumerate(_parse(list(listing.sources), workers or os.cpu_count() or 1), 1):
        _take(result, summary, digests, known, pending, assume_sport)
        if len(pending) >= BATCH:
            _store(db, runner.id, pending, db.clock.now())
        if progress is not None:
            progress(done, len(listing.sources))
    _store(db, runner.id, pending, db.clock.now())
    if summary.imported_runs:
        follow = running.follow_running(db, runner.slug)
        summary.spike_warning, summary.plan_version = follow.warning, follow.plan_version
    summary.seconds = time.perf_counter() - started
    return summary


def _take(
    result: FileResult,
    summary: ImportSummary,
    digests: set[str],
    known: _Known,
    pending: list[NewRecordedRun],
    assume_sport: Sport | None,
) -> None:
    label = result.source.label
    if result.reason is not None or result.digest is None:
        summary.rejected.append((label, result.reason or "unreadable"))
        return
    if result.digest in digests:
        summary.duplicates.append((label, "this file was imported before"))
        return
    digests.add(result.digest)
    fresh = 0
    for index, run in enumerate(result.runs):
        if assume_sport is not None and run.sport == Sport.unknown:
            run = run.model_copy(update={"sport": assume_sport})
        twin = known.twin(run)
        if twin is not None:
            when = run.started_at.strftime("%Y-%m-%d %H:%M UTC")
            summary.duplicates.append((label, f"the {when} activity is already in from {twin}"))
            continue
        known.add(run, label)
        fmt = result.source.format or ""
        pending.append(NewRecordedRun(run, label, fmt.lstrip("."), result.digest, index))
        summary.runs[run.sport.value] = summary.runs.get(run.sport.value, 0) + 1
        summary.records += run.records
        fresh += 1
    if fresh:
        summary.imported_files += 1


def _store(db: Database, runner_id: int, pending: list[NewRecordedRun], at: dt.datetime) -> None:
    if not pending:
        return
    with db.unit() as repo:
        repo.recorded_runs.add(runner_id, pending, at)
    pending.clear()
