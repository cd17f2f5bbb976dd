"""Files and records per second of the run-file import, against the bare parsing libraries.

A folder of copies of the real run files (bench/runcopies.py: 1,200 by default, each shifted by
a different whole number of days, in a runner's mix of mostly single-run FIT files, some GPX and
TCX, a few triathlons and multisport days) is read three ways in the same run:

  baseline   a single-process loop of the bare libraries with their default options:
             FIT  garmin_fit_sdk Decoder(Stream.from_byte_array(bytearray(data))).read()
                  (CRC check, components and sub-fields expanded, heart rates merged, dates);
                  records = its record messages
             GPX  gpxpy.parse(text); records = the points of every track segment
             TCX  lxml.etree.fromstring(data), then every {*}Trackpoint iterated (and counted)
  reader     glutecoach's own reader (read_source), single process, no database: what the
             choice of library and options is worth, before any parallelism
  import     import_runs into a fresh SQLite database (and, with --postgres, a database on a
             throw-away PostgreSQL server), one worker per core, the database writes included

Each reads the bytes from disk inside its timing. The ratio is the baseline's seconds over the
import's for the same files (so, its files per second over the baseline's); records per second
count each row's own records (glutecoach's readers leave out points with no time). Target: the
import at 1.6× the baseline or more. Every import must store every copy's runs at their shifted
starts, with nothing rejected or taken for a duplicate, or the script stops.

Two more figures say how far to trust the numbers: how much more pure-Python work one process per
core gets done than one process alone (the most the import's workers can add over the reader),
and for each row how many cores the whole machine kept busy meanwhile (1 for the single-process
rows and 2 for the import when nothing else runs; more means other processes shared the cores).

    .venv/bin/python bench/import.py [--files 1200] [--repeat 1] [--postgres] [--json]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import multiprocessing
import os
import platform
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from garmin_fit_sdk import Decoder, Stream
from lxml import etree
from rich.console import Console
from rich.progress import Progress

from glutecoach.adapters.runfiles.reader import read_source
from glutecoach.adapters.runfiles.sources import Source
from runcopies import MIX, Copy, Corpus, make_corpus, verify

if TYPE_CHECKING:
    from glutecoach.services.run_import import ImportSummary

# SQLAlchemy, gpxpy and psycopg are imported where they are used: the import's worker processes
# import this script again (as __mp_main__), and should pay no more for it than the parsers the
# import preloads for them anyway (garmin-fit-sdk, lxml, glutecoach's readers).

TARGET = 1.6  # the import's files per second over the bare single-process loop's
RUNNER = "Bench Runner"
BASELINE = "bare libraries, 1 process (baseline)"
READER = "glutecoach reader, 1 process, no DB"


@dataclass(frozen=True)
class Timing:
    seconds: float
    records: int
    cores_busy: float | None  # the whole machine's CPU use meanwhile, in cores


def busy_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (Linux), any process's."""
    try:
        with open("/proc/stat", encoding="ascii") as file:
            user, nice, system, _idle, _iowait, irq, softirq, steal = map(
                int, file.readline().split()[1:9]
            )
    except (OSError, ValueError):
        return None
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


@dataclass
class Stopwatch:
    seconds: float = 0.0
    cores_busy: float | None = None


@contextmanager
def stopwatch() -> Iterator[Stopwatch]:
    """Wall time, and how many cores the machine kept busy meanwhile: the single-process rows
    should show 1, the import 2; more than that means other processes shared the machine."""
    watch = Stopwatch()
    busy, started = busy_cpu_seconds(), time.perf_counter()
    yield watch
    watch.seconds = time.perf_counter() - started
    after = busy_cpu_seconds()
    if busy is not None and after is not None:
        watch.cores_busy = (after - busy) / watch.seconds


def spin(loops: int) -> float:
    """Pure-Python work, nothing shared: how long `loops` of it take in this process."""
    started, total = time.perf_counter(), 0
    for i in range(loops):
        total += i & 7
    return time.perf_counter() - started


def parallel_capacity(workers: int, loops: int = 20_000_000) -> float:
    """How much more CPU-bound Python `workers` processes get done than one: as many times as
    there are cores when they are free; less when the cores are hyperthreads of fewer physical
    ones, or shared with other processes or virtual machines. It bounds what the import's workers
    can add over the reader alone."""
    # spawn, not forkserver: the import's forkserver must start with the import's own preload
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.map(spin, [1000] * workers, chunksize=1)  # the workers started and warm
        alone = spin(loops)
        started = time.perf_counter()
        pool.map(spin, [loops] * workers, chunksize=1)
        together = time.perf_counter() - started
        alone = min(alone, spin(loops))
    return workers * alone / together


def busy_before(seconds: float = 2.0) -> float | None:
    """Cores in use by other processes before the measuring starts (this one sleeps)."""
    with stopwatch() as watch:
        time.sleep(seconds)
    return watch.cores_busy


# The baseline: the bare libraries, as their documentation shows them, one file after another


def bare_fit(data: bytes) -> int:
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    if errors:
        raise SystemExit(f"garmin-fit-sdk refuses a copy: {errors[0]}")
    return len(messages.get("record_mesgs", []))


def bare_gpx(data: bytes) -> int:
    import gpxpy

    gpx = gpxpy.parse(data.decode("utf-8"))
    return sum(len(segment.points) for track in gpx.tracks for segment in track.segments)


def bare_tcx(data: bytes) -> int:
    root = etree.fromstring(data)
    return sum(1 for _point in root.iter("{*}Trackpoint"))


BARE: dict[str, Callable[[bytes], int]] = {".fit": bare_fit, ".gpx": bare_gpx, ".tcx": bare_tcx}


def baseline(corpus: Corpus, progress: Progress) -> Timing:
    for suffix, parse in BARE.items():  # imports and first-call set-up, outside the timing
        parse(next(c for c in corpus.copies if c.path.suffix == suffix).path.read_bytes())
    task = progress.add_task("baseline: bare libraries", total=len(corpus.copies))
    records = 0
    with stopwatch() as watch:
        for copy in corpus.copies:
            with open(copy.path, "rb") as file:
                records += BARE[copy.path.suffix](file.read())
            progress.advance(task)
    progress.remove_task(task)
    return Timing(watch.seconds, records, watch.cores_busy)


def reader(corpus: Corpus, progress: Progress) -> Timing:
    """glutecoach's reader in this process; every copy's runs checked after the timing."""
    task = progress.add_task("reference: glutecoach reader", total=len(corpus.copies))
    results = []
    with stopwatch() as watch:
        for copy in corpus.copies:
            results.append(read_source(Source(str(copy.path))))
            progress.advance(task)
    progress.remove_task(task)
    for copy, result in zip(corpus.copies, results, strict=True):
        if result.reason is not None or list(result.runs) != copy.expected_runs():
            raise SystemExit(f"{copy.path.name}: read wrongly ({result.reason or 'other runs'})")
    return Timing(watch.seconds, sum(r.records for r in results), watch.cores_busy)


# The figure: import_runs, database writes included


def import_into(url: str, corpus: Corpus, progress: Progress, label: str) -> Timing:
    from glutecoach.services.run_import import import_runs
    from glutecoach.services.store import open_store

    task = progress.add_task(f"import_runs → {label}", total=len(corpus.copies))

    def advance(done: int, _total: int) -> None:
        progress.update(task, completed=done)

    with open_store(url) as db:  # created and migrated before the timing: not part of an import
        with stopwatch() as watch:
            summary = import_runs(db, [corpus.folder], runner_name=RUNNER, progress=advance)
        progress.remove_task(task)
        check_import(summary, corpus, label)
        with db.unit() as repo:
            stored = repo.recorded_runs.list(summary.runner.id)
    starts = collections.Counter(s.run.started_at.astimezone(dt.UTC) for s in stored)
    if starts != corpus.starts():
        missing = sum((corpus.starts() - starts).values())
        raise SystemExit(f"{label}: {missing} runs are not stored at their shifted starts")
    return Timing(watch.seconds, summary.records, watch.cores_busy)


def check_import(summary: ImportSummary, corpus: Corpus, label: str) -> None:
    """Every copy imported whole: a benchmark of an import that skipped files would flatter it."""
    problems = [f"{file}: {why}" for file, why in summary.rejected + summary.duplicates][:5]
    if summary.files != len(corpus.copies):
        problems.append(f"{summary.files} files found, {len(corpus.copies)} written")
    if summary.imported_files != len(corpus.copies) or summary.imported_runs != corpus.runs:
        problems.append(
            f"imported {summary.imported_runs} runs from {summary.imported_files} files, "
            f"expected {corpus.runs} from {len(corpus.copies)}"
        )
    if problems:
        raise SystemExit(f"import into {label} is incomplete:\n  " + "\n  ".join(problems))


@contextmanager
def databases(folder: Path, postgres: bool) -> Iterator[Callable[[str], dict[str, str]]]:
    """Fresh databases for each round: a SQLite file, and one on a throw-away PostgreSQL server."""
    with ExitStack() as stack:
        server = None
        if postgres:
            from glutecoach.adapters.db.throwaway import throwaway_postgres

            server = stack.enter_context(throwaway_postgres())

        def fresh(round_: str) -> dict[str, str]:
            urls = {"SQLite": f"sqlite:///{folder / f'import-{round_}.db'}"}
            if server is not None:
                urls["PostgreSQL"] = server.url(server.create_database())
            return urls

        yield fresh


# The report


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as file:
            for line in file:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(postgres: bool) -> str:
    libraries = ", ".join(
        f"{name} {version(name)}" for name in ("garmin-fit-sdk", "gpxpy", "lxml", "SQLAlchemy")
    )
    stores = f"SQLite {sqlite3.sqlite_version}" + (
        f", psycopg {version('psycopg')}" if postgres else ""
    )
    return (
        f"{cpu_model()}, {os.cpu_count()} cores ({platform.machine()}), "
        f"{platform.python_implementation()} {platform.python_version()}; "
        f"{libraries}; {stores}"
    )


def row(samples: list[Timing], base: float, reference: float, files: int) -> dict[str, Any]:
    seconds = statistics.median(t.seconds for t in samples)
    records = samples[0].records
    busy = [t.cores_busy for t in samples if t.cores_busy is not None]
    return {
        "seconds": round(seconds, 2),
        "all_seconds": [round(t.seconds, 2) for t in samples],
        "files_per_s": round(files / seconds, 1),
        "records": records,
        "records_per_s": round(records / seconds),
        "ratio": round(base / seconds, 2),
        "ratio_to_reader": round(reference / seconds, 2),
        "cores_busy": round(max(busy), 2) if busy else None,
    }


def figures(
    corpus: Corpus,
    shifted: int,
    samples: dict[str, list[Timing]],
    postgres: bool,
    before: float | None,
    capacity: float,
) -> dict[str, Any]:
    files = len(corpus.copies)
    base = statistics.median(t.seconds for t in samples[BASELINE])
    reference = statistics.median(t.seconds for t in samples[READER])
    rows = {name: row(timings, base, reference, files) for name, timings in samples.items()}
    imports = {name: r for name, r in rows.items() if name.startswith("import_runs")}
    return {
        "machine": machine(postgres),
        "files": files,
        "by_format": corpus.by_format(),
        "mix": {Path(name).name: corpus.counts[name] for name, _weight in MIX},
        "megabytes": round(corpus.bytes / 1e6, 1),
        "runs": corpus.runs,
        "days_shifted": [1, files],
        "verified_fit_values_shifted": shifted,
        "workers": os.cpu_count(),
        "cores_busy_before": round(before, 2) if before is not None else None,
        "parallel_capacity": round(capacity, 2),
        "repeat": len(samples[BASELINE]),
        "rows": rows,
        "target_ratio": TARGET,
        "meets_target": {name: r["ratio"] >= TARGET for name, r in imports.items()},
    }


def report(result: dict[str, Any]) -> None:
    formats = ", ".join(f"{n:,} {suffix}" for suffix, n in sorted(result["by_format"].items()))
    print(f"machine  {result['machine']}")
    print(
        f"files    {result['files']:,} copies ({formats}), {result['megabytes']} MB, "
        f"{result['runs']:,} runs; copy k shifted by k days (1–{result['files']:,})"
    )
    print("mix      " + ", ".join(f"{n} × {name}" for name, n in result["mix"].items()))
    print(
        "checked  one copy of each file: glutecoach reads the original's runs, moved; "
        f"garmin-fit-sdk decodes every value equal or moved by the shift "
        f"({result['verified_fit_values_shifted']:,} FIT values moved); "
        "every copy read by the reader and stored by each import at its shifted start"
    )
    print(
        f"cores    {result['workers']} processes of pure-Python work get "
        f"{result['parallel_capacity']:.2f}× as much done as one (the most the workers can add)"
    )
    repeat = result["repeat"]
    before = result["cores_busy_before"]
    print(
        f"timing   {'median of ' + str(repeat) if repeat > 1 else 'one run'} each; "
        f"cores busy = the whole machine's CPU use meanwhile (other processes: "
        f"{'?' if before is None else f'{before:.2f}'} cores just before)\n"
    )
    print(
        f"{'':<40} {'seconds':>8} {'files/s':>8} {'records':>10} {'records/s':>10} "
        f"{'× base':>7} {'× reader':>8} {'cores busy':>10}"
    )
    for name, r in result["rows"].items():
        busy = "?" if r["cores_busy"] is None else f"{r['cores_busy']:.2f}"
        print(
            f"{name:<40} {r['seconds']:>8.2f} {r['files_per_s']:>8.1f} {r['records']:>10,} "
            f"{r['records_per_s']:>10,} {r['ratio']:>7.2f} {r['ratio_to_reader']:>8.2f} "
            f"{busy:>10}"
        )
    print()
    for name, meets in result["meets_target"].items():
        ratio = result["rows"][name]["ratio"]
        print(
            f"{name}: {ratio:.2f}× the bare single-process loop, target ≥ {TARGET:g}×: "
            f"{'meets' if meets else 'MISSES'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1200, help="copies to import (≥ 1,000)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the median is reported")
    parser.add_argument("--postgres", action="store_true", help="import into PostgreSQL too")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.files < 1000:
        parser.error("--files: the issue asks for at least 1,000 files")
    samples: dict[str, list[Timing]] = collections.defaultdict(list)
    with (
        tempfile.TemporaryDirectory(prefix="glutecoach-runs-") as copies,
        tempfile.TemporaryDirectory(prefix="glutecoach-bench-") as work,
        databases(Path(work), args.postgres) as fresh,
        Progress(console=Console(stderr=True), transient=True) as progress,
    ):
        task = progress.add_task("making copies", total=args.files)
        corpus, _templates = make_corpus(Path(copies), args.files, lambda: progress.advance(task))
        progress.remove_task(task)
        firsts: dict[str, Copy] = {}
        for copy in corpus.copies:
            firsts.setdefault(copy.template.name, copy)
        shifted = sum(verify(copy) for copy in firsts.values())
        capacity = parallel_capacity(os.cpu_count() or 1)
        before = busy_before()
        if before is not None and before > 0.2:
            progress.console.print(f"[yellow]other processes are using {before:.1f} cores")
        for round_ in range(args.repeat):
            samples[BASELINE].append(baseline(corpus, progress))
            samples[READER].append(reader(corpus, progress))
            for label, url in fresh(str(round_)).items():
                name = f"import_runs → {label}, {os.cpu_count()} workers"
                samples[name].append(import_into(url, corpus, progress, label))
        result = figures(corpus, shifted, dict(samples), args.postgres, before, capacity)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        report(result)


if __name__ == "__main__":
    main()
