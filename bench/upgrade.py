"""What upgrading a database to the shared-session plan layout costs (migrations 0007 and 0008):
plan versions a second, against rewriting the same documents unchanged, measured in one run.

One runner's year (bench/clinic.py's template: built through the real services, every plan
version whole) is taken down to schema 0006, where each version stores its whole plan, and
copied twice. On one copy the baseline reads every plan version's document and writes it back
unchanged, a batch of 200 a statement as the migration does: the least any rewrite of the
documents costs. On the other, the upgrade to the current schema runs as `open_database` runs
it. Printed: both times, their ratio, versions a second, the documents' bytes and the file's
size (after VACUUM) before and after, and what a clinic of `--runners` such years would take at
that rate. SQLite only: the rate on PostgreSQL is not measured here.

    .venv/bin/python bench/upgrade.py [--runners 2000] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import create_engine, text

from clinic import template
from glutecoach.adapters.clock import SystemClock
from glutecoach.adapters.db import schema
from glutecoach.adapters.db.engine import current_revision, open_database

BEFORE = "0006"  # the last schema that stored each plan version whole
BATCH = 200


def _documents(path: Path) -> tuple[int, int]:
    """(plan versions, bytes of their documents)."""
    with sqlite3.connect(path) as db:
        count, size = db.execute(
            "SELECT count(*), coalesce(sum(length(data)), 0) FROM plans"
        ).fetchone()
    return int(count), int(size)


def _file_size(path: Path) -> int:
    with sqlite3.connect(path) as db:
        db.execute("VACUUM")
    return path.stat().st_size


def rewrite_unchanged(path: Path) -> float:
    """Seconds to read every document and write it back as it is, a batch a statement."""
    engine = create_engine(f"sqlite:///{path}")
    update = text("UPDATE plans SET data = :data WHERE id = :id")
    started = time.perf_counter()
    with engine.begin() as connection:
        last = 0
        while rows := connection.execute(
            text("SELECT id, data FROM plans WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": BATCH},
        ).all():
            batch = [{"id": i, "data": json.dumps(json.loads(data))} for i, data in rows]
            connection.execute(update, batch)
            last = rows[-1][0]
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


def run(args: argparse.Namespace) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory() as name,
        Progress(console=Console(stderr=True), transient=True) as progress,
    ):
        folder = Path(name)
        source = template(dt.datetime.now(dt.UTC).date(), 3, progress)
        old = folder / "whole.db"
        shutil.copy(source, old)
        progress.add_task("down to schema 0006, then the baseline and the upgrade", total=None)
        engine = create_engine(f"sqlite:///{old}")
        schema.downgrade(engine, BEFORE)
        assert current_revision(engine) == BEFORE
        engine.dispose()
        versions, whole_bytes = _documents(old)
        baseline_copy, upgraded = folder / "baseline.db", folder / "upgraded.db"
        shutil.copy(old, baseline_copy)
        shutil.copy(old, upgraded)
        baseline = rewrite_unchanged(baseline_copy)
        started = time.perf_counter()
        open_database(f"sqlite:///{upgraded}", clock=SystemClock()).close()
        upgrade = time.perf_counter() - started
        _, shared_bytes = _documents(upgraded)
        result = {
            "machine": f"{platform.machine()}, CPython {platform.python_version()}, SQLite "
            f"{sqlite3.sqlite_version}",
            "plan_versions": versions,
            "baseline_seconds": round(baseline, 2),
            "upgrade_seconds": round(upgrade, 2),
            "upgrade_to_baseline": round(upgrade / baseline, 2),
            "versions_per_second": round(versions / upgrade, 1),
            "document_bytes": {"whole": whole_bytes, "shared": shared_bytes},
            "file_bytes": {"whole": _file_size(old), "shared": _file_size(upgraded)},
            "runners": args.runners,
            "clinic_minutes": round(args.runners * upgrade / 60, 1),
        }
    return result


def report(r: dict[str, Any]) -> None:
    mb = 1_000_000
    print(r["machine"])
    print(
        f"one runner's year: {r['plan_versions']} plan versions; documents "
        f"{r['document_bytes']['whole'] / mb:.1f} MB whole, "
        f"{r['document_bytes']['shared'] / mb:.1f} MB shared; the file "
        f"{r['file_bytes']['whole'] / mb:.1f} MB, {r['file_bytes']['shared'] / mb:.1f} MB"
    )
    print(f"baseline (rewrite unchanged)  {r['baseline_seconds']:6.2f} s")
    print(
        f"upgrade 0006 -> head          {r['upgrade_seconds']:6.2f} s  "
        f"({r['upgrade_to_baseline']}x the baseline, {r['versions_per_second']} versions/s)"
    )
    print(
        f"a clinic of {r['runners']:,} such years at that rate: ~{r['clinic_minutes']:g} min "
        "(SQLite; PostgreSQL not measured)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runners", type=int, default=2000, help="runners for the estimate")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        report(result)


if __name__ == "__main__":
    main()
