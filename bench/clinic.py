"""A clinic at full size under a mixed load: requests per second, p50/p95/p99 latency by request
kind and overall, errors, and a row count check that no write was lost (issue #7).

50 clinicians look after 2,000 runners (40 each) on a throw-away PostgreSQL server, every runner
with a year of logs. The real server starts as the README runs a clinic (`python -m glutecoach
serve --workers 4`: two per core) and a load generator in a process of its own (httpx on uvloop,
one task per client) runs 50 clients for a bounded time after a warm-up: 80 % runners (each
signed in as one runner after another: GET /today, then POST a session log or, a quarter of the
time or when nothing is left to log, soreness) and 20 % clinicians (GET /clinic, then GET
/clinic/runners/<one of theirs>). Each client pauses 1-5 s after each answer (`--think`), as a
person reads a page before the next tap; 50 clients that never pause would need ~500 answers a
second for a p95 under 100 ms (Little's law), ~10 times what these two cores answer for this mix,
so that is measured apart: a last pass with the same clients back to back (`--capacity-seconds`)
says how many requests a second the machine answers at most. The measured pass runs `--repeat`
times in a row (3 by default) and the pass with the median p95 is the figure: one pass's p95
moved by half between runs of the same code. Any answer but 2xx/3xx is
an error. The framework's bare `GET /api/v1/hello`, measured first on the same server at the same
client count (bench/web.py's load generator), is the baseline; the same mix with 2 clients (a
runner, a clinician) back to back for 15 s, also first, gives each kind's cost with next to no
queue. After the runs, every runner's session, exercise and soreness rows are counted again and
compared with the generators' tally of the writes they got a 201 for: none may be missing and
none extra (a write that got no answer within 10 s may be either, and is counted apart).

How the data is made fast, and what is not real about it:
- One runner's year is built through the real services (bench/year.py: screened, 24-week plans
  restarted as they run out, each activation and strength session logged as prescribed or now and
  then skipped, soreness now and then), except that the last FREE_DAYS days are left unlogged for
  the load to log. It is kept in a SQLite file under the temporary folder, keyed by the day and
  TEMPLATE_VERSION, so a second run the same day skips the ~50 s it takes.
- That runner's rows are copied into PostgreSQL and then multiplied there, with shifted ids, by
  INSERT … SELECT over generate_series (seconds, not the hours the services would take): every
  runner has the same year. Older plan versions keep their number, reason and change lines (all
  the load reads of them) but an empty document; only the current version is whole (a year of
  full versions is ~110 documents of ~60 kB a runner).
- Accounts are inserted directly, every one with the same argon2 hash of one password hashed once
  (argon2 costs ~50 ms a hash: 2,050 of them would be ~2 minutes of the 2 cores), and each gets a
  sign-in session row whose token the load generator sends as the `gc_session` cookie; signing
  in itself (POST /login, an argon2 verify) is not part of the load.

    .venv/bin/python bench/clinic.py [--clinicians 50] [--runners 2000] [--clients 50]
        [--seconds 60] [--warmup 10] [--think 1-5] [--repeat 3] [--capacity-seconds 20]
        [--workers 4] [--quick] [--json]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import hashlib
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from rich.console import Console
from rich.progress import Progress
from sqlalchemy import Connection, Engine, create_engine, insert, select, text

from glutecoach.adapters.db.plan_documents import plan_from_document
from glutecoach.adapters.db.tables import Base
from glutecoach.adapters.db.throwaway import throwaway_postgres
from glutecoach.domain.planning import Plan
from glutecoach.services.store import open_store
from load import CLINICIAN_SHARE, generate
from web import (
    REQUEST_TIMEOUT,
    _busy_seconds,
    _children_seconds,
    _group_seconds,
    connections_per_process,
    logged_errors,
    server,
)
from web import (
    load as load_path,
)
from year import LOGGED, build

TEMPLATE_VERSION = "5"  # bump when the template runner's year is built (or stored) differently
FREE_DAYS = 7  # the last days of the year left unlogged, for the load to log
PASSWORD = "bench-clinic-password"
SESSION_TTL = dt.timedelta(days=14)
TARGET_P95_MS = 100.0
HELLO_SECONDS = 15.0  # the baseline's measured seconds (at most --seconds)
# First, the same mix with 2 clients (a runner, a clinician): each kind's time with next to no
# queue, which says how much of the figure is the work and how much the wait for a core.
QUIET_SECONDS = 15.0
# The template runner's tables, parents first; `runner_id`, `id` and the foreign keys named here
# are shifted for each copy by the template's largest id in the table they point to.
COPIED: dict[str, dict[str, str]] = {
    "runners": {"id": "runners"},
    "profiles": {"id": "profiles", "runner_id": "runners"},
    "screenings": {"id": "screenings", "runner_id": "runners"},
    "plans": {"id": "plans", "runner_id": "runners", "screening_id": "screenings"},
    "session_logs": {"id": "session_logs", "runner_id": "runners"},
    "exercise_logs": {"id": "exercise_logs", "session_log_id": "session_logs"},
    "set_logs": {"id": "set_logs", "exercise_log_id": "exercise_logs"},
    "soreness_logs": {"id": "soreness_logs", "runner_id": "runners"},
}
COUNTED = ("session_logs", "exercise_logs", "soreness_logs")  # the row check's tables


# The template runner: a year through the real services, on SQLite, kept for the day.


def template(last: dt.date, seed: int, progress: Progress) -> Path:
    """The SQLite file with one runner's year ending on `last` (built unless kept from earlier)."""
    folder = Path(tempfile.gettempdir()) / "glutecoach-bench"
    folder.mkdir(exist_ok=True)
    kept = folder / f"clinic-template-v{TEMPLATE_VERSION}-{last}-seed{seed}.db"
    if kept.exists():
        return kept
    building = kept.with_suffix(f".{os.getpid()}.partial")
    building.unlink(missing_ok=True)
    build(f"sqlite:///{building}", last, seed, progress, "the template runner", FREE_DAYS)
    building.rename(kept)
    return kept


# The clinic on PostgreSQL: the template copied, multiplied, and the accounts.


@dataclass
class Clinic:
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    runners: list[str] = field(default_factory=list)  # slugs, runner id i at index i - 1
    runner_tokens: list[str] = field(default_factory=list)
    clinician_tokens: list[str] = field(default_factory=list)
    clinician_of: list[int] = field(default_factory=list)  # per runner, the clinician's index
    slots: list[dict[str, Any]] = field(default_factory=list)  # log bodies, the same for all


def _copy_template(source: Engine, target: Connection) -> tuple[dict[str, int], Plan]:
    """The template runner's rows into `target` as runner 1 (ids kept); the largest id of each
    table, and the current plan."""
    tables = Base.metadata.tables
    spans: dict[str, int] = {}
    with source.connect() as read:
        current_id, current = read.execute(
            select(tables["plans"].c.id, tables["plans"].c.data)
            .order_by(tables["plans"].c.version.desc())
            .limit(1)
        ).one()
        for name in COPIED:
            table = tables[name]
            rows = [dict(row) for row in read.execute(select(table)).mappings()]
            if name == "runners":
                assert [row["id"] for row in rows] == [1], "the template holds one runner, id 1"
                rows[0].update(slug=_slug(1), name="Runner 0001")
            if name == "plans":
                for row in rows:
                    row["data"] = row["data"] if row["id"] == current_id else {}
            target.execute(insert(table), rows)
            spans[name] = max(row["id"] for row in rows)
    return spans, plan_from_document(current)


def _slug(runner_id: int) -> str:
    return f"runner-{runner_id:04d}"


def _multiply(target: Connection, spans: dict[str, int], runners: int, progress: Progress) -> None:
    """Runners 2…N as copies of runner 1, made by PostgreSQL itself."""
    task = progress.add_task(f"copying the year to {runners:,} runners", total=len(COPIED))
    for name, shifted in COPIED.items():
        columns = [c.name for c in Base.metadata.tables[name].columns]
        values = []
        for column in columns:
            if column == "slug":
                values.append("'runner-' || lpad((t.id + k)::text, 4, '0')")
            elif column == "name" and name == "runners":
                values.append("'Runner ' || lpad((t.id + k)::text, 4, '0')")
            elif column in shifted:
                values.append(f"t.{column} + k * {spans[shifted[column]]}")
            else:
                values.append(f"t.{column}")
        target.execute(
            text(
                f"INSERT INTO {name} ({', '.join(columns)}) SELECT {', '.join(values)} "
                f"FROM {name} t CROSS JOIN generate_series(1, {runners - 1}) k"
            )
        )
        progress.advance(task)


def _add_accounts(target: Connection, clinic: Clinic, clinicians: int, runners: int) -> None:
    """Clinicians 1…C, then one account per runner; runner r is looked after by clinician
    (r - 1) mod C + 1; one sign-in session each. One argon2 hash, hashed once, for all."""
    password_hash = PasswordHasher().hash(PASSWORD)
    target.execute(
        text(
            "INSERT INTO accounts (id, email, name, role, password_hash, runner_id, created_at, "
            "password_changed_at) "
            "SELECT k, 'clinician-' || k || '@bench.example.org', 'Clinician ' || k, 'clinician',"
            " :hash, NULL, now(), now() FROM generate_series(1, :c) k "
            "UNION ALL SELECT :c + r, 'runner-' || r || '@bench.example.org', 'Runner ' || r, "
            "'runner', :hash, r, now(), now() FROM generate_series(1, :n) r"
        ),
        {"hash": password_hash, "c": clinicians, "n": runners},
    )
    target.execute(
        text(
            "INSERT INTO runner_clinicians (runner_id, clinician_id, created_at) "
            "SELECT r, (r - 1) % :c + 1, now() FROM generate_series(1, :n) r"
        ),
        {"c": clinicians, "n": runners},
    )
    tokens = [secrets.token_urlsafe(32) for _ in range(clinicians + runners)]
    now = dt.datetime.now(dt.UTC)
    target.execute(
        insert(Base.metadata.tables["login_sessions"]),
        [
            {
                "token_hash": hashlib.sha256(token.encode()).hexdigest(),
                "account_id": account_id,
                "created_at": now,
                "expires_at": now + SESSION_TTL,
            }
            for account_id, token in enumerate(tokens, start=1)
        ],
    )
    clinic.clinician_tokens = tokens[:clinicians]
    clinic.runner_tokens = tokens[clinicians:]
    clinic.clinician_of = [(r - 1) % clinicians for r in range(1, runners + 1)]


def _log_bodies(plan: Plan, last: dt.date) -> list[dict[str, Any]]:
    """The sessions of the unlogged days, each as the POST …/logs body that logs it as
    prescribed (as tests/web/conftest.py's `Runner.entry`), oldest first."""
    bodies = []
    for day in plan.days:
        if not last - dt.timedelta(days=FREE_DAYS) < day.date <= last:
            continue
        for kind in LOGGED:
            session = day.session(kind)
            if session is None or not session.prescriptions:
                continue
            exercises = [
                {
                    "exercise_id": p.exercise_id,
                    "sets": [p.amount.high] * p.sets,
                    "effort": 6,
                    "felt": "glutes",
                    "pain": 0,
                }
                for p in session.prescriptions
            ]
            bodies.append(
                {"date": day.date.isoformat(), "session": kind.value, "exercises": exercises}
            )
    return bodies


def _finish(target: Connection) -> None:
    """Each id sequence past the ids inserted by hand."""
    for name, table in Base.metadata.tables.items():
        if "id" in table.c and table.c.id.primary_key:
            target.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"
                )
            )


def fill(
    url: str, source: Path, args: argparse.Namespace, last: dt.date, progress: Progress
) -> Clinic:
    started = time.perf_counter()
    clinic = Clinic()
    open_store(url).close()  # the schema, migrated
    engine = create_engine(url)
    sqlite = create_engine(f"sqlite:///{source}")
    try:
        with engine.begin() as target:
            spans, plan = _copy_template(sqlite, target)
            _multiply(target, spans, args.runners, progress)
            _add_accounts(target, clinic, args.clinicians, args.runners)
            _finish(target)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as target:
            target.execute(text("VACUUM ANALYZE"))
            clinic.rows = {
                name: int(target.execute(text(f"SELECT count(*) FROM {name}")).scalar_one())
                for name in [*COPIED, "accounts", "runner_clinicians", "login_sessions"]
            }
    finally:
        sqlite.dispose()
        engine.dispose()
    clinic.runners = [_slug(r) for r in range(1, args.runners + 1)]
    clinic.slots = _log_bodies(plan, last)
    clinic.seconds = time.perf_counter() - started
    return clinic


def counts(url: str) -> dict[str, dict[int, int]]:
    """Rows per runner in each counted table."""
    engine = create_engine(url)
    per_runner = {
        "session_logs": "SELECT runner_id, count(*) FROM session_logs GROUP BY runner_id",
        "exercise_logs": "SELECT s.runner_id, count(*) FROM exercise_logs e "
        "JOIN session_logs s ON s.id = e.session_log_id GROUP BY s.runner_id",
        "soreness_logs": "SELECT runner_id, count(*) FROM soreness_logs GROUP BY runner_id",
        "plans": "SELECT runner_id, count(*) FROM plans GROUP BY runner_id",
    }
    try:
        with engine.connect() as read:
            return {
                name: {int(r): int(n) for r, n in read.execute(text(query))}
                for name, query in per_runner.items()
            }
    finally:
        engine.dispose()


# The run: build, serve, the baseline, the mixed load, the row check, the report.


def mixed(served: Any, spec: dict[str, Any], folder: Path) -> dict[str, Any]:
    """`generate` in a separate process; with the CPU the server, the client and everything else
    used meanwhile, and the connections per server process halfway through."""
    spec_file = folder / "spec.json"
    spec_file.write_text(json.dumps(spec))
    argv = [sys.executable, __file__, "--generate", str(spec_file)]
    before = (time.perf_counter(), _busy_seconds(), _group_seconds(served.group))
    client_before = _children_seconds()
    with subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            time.sleep(spec["warmup"] + spec["seconds"] / 2)
            spread = connections_per_process(served.group, served.port)
            limit = spec["warmup"] + spec["seconds"] + 2 * REQUEST_TIMEOUT + 60
            output, errors = process.communicate(timeout=limit)
        except BaseException:
            process.kill()
            raise
    if process.returncode != 0:
        raise SystemExit(f"the load generator failed ({process.returncode}):\n{errors}")
    wall = time.perf_counter() - before[0]
    server_s = _group_seconds(served.group) - before[2]
    client_s = _children_seconds() - client_before
    measured: dict[str, Any] = json.loads(output)
    measured["connections_per_server_process"] = spread
    other = max(0.0, _busy_seconds() - before[1] - server_s - client_s)
    measured["cores_used"] = {
        "server": round(server_s / wall, 2),
        "client": round(client_s / wall, 2),
        "other_processes": round(other / wall, 2),
    }
    return measured


def row_check(
    before: dict[str, dict[int, int]],
    after: dict[str, dict[int, int]],
    passes: list[dict[str, Any]],
    runners: list[str],
) -> dict[str, Any]:
    """Every write acknowledged in any pass stored, and nothing else (writes with no answer are
    allowed to be either, and said)."""
    written: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    unsure: collections.Counter[str] = collections.Counter()
    for measured in passes:
        for slug, rows in measured.pop("written").items():
            written[slug].update(rows)
        unsure.update(measured.pop("unsure"))
        measured.pop("slots_used")
    check: dict[str, Any] = {"unanswered_writes": sum(unsure.values())}
    for table in COUNTED:
        acknowledged = missing = extra = 0
        for runner_id, slug in enumerate(runners, start=1):
            wrote = written.get(slug, {}).get(table, 0)
            expected = before[table].get(runner_id, 0) + wrote
            found = after[table].get(runner_id, 0)
            acknowledged += wrote
            missing += max(0, expected - found)
            extra += max(0, found - expected) if slug not in unsure else 0
        check[table] = {"acknowledged": acknowledged, "missing": missing, "extra": extra}
    check["plan_versions_added"] = sum(after["plans"].values()) - sum(before["plans"].values())
    check["met"] = all(check[t]["missing"] == 0 and check[t]["extra"] == 0 for t in COUNTED)
    return check


def machine(args: argparse.Namespace) -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cpus ({model}), "
        f"{platform.python_implementation()} {platform.python_version()}",
        "server": f"glutecoach serve --workers {args.workers} (uvicorn {version('uvicorn')}, "
        f"FastAPI {version('fastapi')}, SQLAlchemy {version('sqlalchemy')}, "
        f"psycopg {version('psycopg')})",
        "client": f"httpx {version('httpx')} on uvloop, one process, one task per client",
    }


def _postgres_version(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as read:
            return str(read.execute(text("SHOW server_version")).scalar_one()).split()[0]
    finally:
        engine.dispose()


def run(args: argparse.Namespace) -> dict[str, Any]:
    last = dt.datetime.now(dt.UTC).date()
    result: dict[str, Any] = {
        **machine(args),
        "load_average_before": [round(v, 2) for v in os.getloadavg()],
        "clinicians": args.clinicians,
        "runners": args.runners,
        "clients": args.clients,
        "seconds": args.seconds,
        "warmup_seconds": args.warmup,
        "target": f"p95 < {TARGET_P95_MS:g} ms at {args.clients} clients, no errors, no write lost",
    }
    with (
        tempfile.TemporaryDirectory() as name,
        throwaway_postgres() as postgres,
        Progress(console=Console(stderr=True), transient=True) as progress,
    ):
        folder = Path(name)
        url = postgres.url(postgres.create_database())
        result["postgresql"] = _postgres_version(url)
        source = template(last, args.seed, progress)
        clinic = fill(url, source, args, last, progress)
        result["built"] = {"seconds": round(clinic.seconds, 1), "rows": clinic.rows}
        result["log_slots_per_runner"] = len(clinic.slots)
        before = counts(url)
        log = folder / "server.log"
        with server(url, args.workers, log) as served:
            progress.add_task("loading: the bare /api/v1/hello, then the mixed load", total=None)
            hello_args = argparse.Namespace(
                warmup=min(args.warmup, 2.0), seconds=min(args.seconds, HELLO_SECONDS)
            )
            hello = load_path(served, "/api/v1/hello", args.clients, hello_args)
            spec = {
                "base": served.base,
                "clients": args.clients,
                "warmup": args.warmup,
                "seconds": args.seconds,
                "seed": args.seed,
                "runners": clinic.runners,
                "runner_tokens": clinic.runner_tokens,
                "clinician_tokens": clinic.clinician_tokens,
                "clinician_of": clinic.clinician_of,
                "slots": clinic.slots,
                "over_ms": TARGET_P95_MS,
            }
            quiet = {"clients": 2, "warmup": 2.0, "seconds": min(args.seconds, QUIET_SECONDS)}
            alone = mixed(served, spec | quiet, folder)
            used = collections.Counter(alone["slots_used"])  # the next pass starts after them
            measured_passes = []
            for _ in range(args.repeat):
                spec["slots_used"] = dict(used)
                measured_passes.append(mixed(served, spec | {"think": args.think}, folder))
                used.update(measured_passes[-1]["slots_used"])
            measured = _median_pass(measured_passes)
            passes = [alone, *measured_passes]
            if args.capacity_seconds > 0:
                spec["slots_used"] = dict(used)
                flat_out = {"warmup": 2.0, "seconds": args.capacity_seconds}
                capacity = mixed(served, spec | flat_out, folder)
                passes.append(capacity)
                result["capacity"] = capacity | flat_out
        after = counts(url)
        result["hello"] = hello | {"seconds": hello_args.seconds}
        result["mixed_two_clients"] = alone | {"seconds": quiet["seconds"]}
        result["mixed"] = measured
        result["mixed_passes_p95_ms"] = [m["overall"]["p95_ms"] for m in measured_passes]
        result["mixed_passes_errors"] = sum(m["errors"] for m in measured_passes)
        result["mixed_passes_errors_by_kind"] = [m["errors_by_kind"] for m in measured_passes]
        result["mixed_passes_over_by_10s"] = [m["over_by_10s"] for m in measured_passes]
        result["think_seconds"] = list(args.think) if args.think else None
        result["row_check"] = row_check(before, after, passes, clinic.runners)
        result["server_log_errors"] = logged_errors(log)
    p95 = measured["overall"]["p95_ms"]
    result["p95_to_hello"] = round(p95 / hello["p95_ms"], 1) if p95 and hello["p95_ms"] else None
    result["met"] = (
        p95 is not None
        and p95 < TARGET_P95_MS
        and result["mixed_passes_errors"] == 0
        and result["row_check"]["met"]
    )
    result["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    return result


def _median_pass(passes: list[dict[str, Any]]) -> dict[str, Any]:
    """The pass with the median overall p95 (the higher of the middle two for an even count):
    one pass's p95 moved by half between runs of the same code (BENCHMARKS.md)."""
    ranked = sorted(passes, key=lambda m: m["overall"]["p95_ms"] or float("inf"))
    return ranked[len(ranked) // 2]


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _line(name: str, r: dict[str, Any], errors: int | str = "") -> str:
    return (
        f"{name:<15}{r['requests_per_s']:>9.1f}{r['answered']:>9}{_ms(r['p50_ms']):>9}"
        f"{_ms(r['p95_ms']):>9}{_ms(r['p99_ms']):>9}{_ms(r['max_ms']):>10}{errors!s:>8}"
    )


NAMES = {
    "today": "GET /today",
    "log": "POST logs",
    "soreness": "POST soreness",
    "clinic": "GET /clinic",
    "clinic_runner": "GET runner",
}


def _print_pass(measured: dict[str, Any], total: str) -> None:
    """A pass's line per request kind (its errors beside it), then its total."""
    errors: collections.Counter[str] = collections.Counter()
    for key, count in measured["errors_by_kind"].items():
        errors[key.split()[0]] += count
    for kind, r in measured["kinds"].items():
        print(_line(NAMES.get(kind, kind), r, errors[kind]))
    print(_line(total, measured["overall"], measured["errors"]))


def report(result: dict[str, Any]) -> None:
    print(f"{result['machine']}; {result['server']}; PostgreSQL {result['postgresql']}")
    print(f"{result['client']}; load average before {result['load_average_before']}")
    rows = result["built"]["rows"]
    print(
        f"clinic: {result['clinicians']} clinicians, {result['runners']:,} runners, built in "
        f"{result['built']['seconds']} s: {rows['session_logs']:,} session logs, "
        f"{rows['exercise_logs']:,} exercise logs, {rows['set_logs']:,} sets, "
        f"{rows['soreness_logs']:,} soreness logs, {rows['plans']:,} plan versions; "
        f"{result['log_slots_per_runner']} unlogged sessions per runner"
    )
    m, h = result["mixed"], result["hello"]
    clinicians = max(1, round(m["clients"] * CLINICIAN_SHARE))
    think = result["think_seconds"]
    pace = f"each pausing {think[0]:g}-{think[1]:g} s after an answer" if think else "back to back"
    print(
        f"{result['clients']} clients ({m['clients'] - clinicians} runners, {clinicians} "
        f"clinicians), {pace}, {result['warmup_seconds']:g} s warm-up, {result['seconds']:g} s "
        f"measured; hello {h['seconds']:g} s"
    )
    each = result["mixed_passes_p95_ms"]
    if len(each) > 1:
        print(
            f"{len(each)} measured passes, p95 {', '.join(_ms(v) for v in each)} ms: "
            "the pass with the median p95 is shown"
        )
    print(
        f"{'request':<15}{'req/s':>9}{'answers':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>10}{'errors':>8}"
    )
    _print_pass(m, "all (mixed)")
    print(_line("hello (base)", h, h["errors"]))
    print(
        f"answers over {TARGET_P95_MS:g} ms in each 10 s of each pass: "
        + "; ".join(" ".join(str(n) for n in over) for over in result["mixed_passes_over_by_10s"])
        + " (a tail bunched at the start is warming up)"
    )
    for number, errors in enumerate(result["mixed_passes_errors_by_kind"], start=1):
        for key, count in errors.items():
            print(f"errors in measured pass {number}: {count} × {key}")
    q = result["mixed_two_clients"]
    print(f"the same mix with 2 clients (1 runner, 1 clinician), {q['seconds']:g} s:")
    _print_pass(q, "all (2 clients)")
    if "capacity" in result:
        c = result["capacity"]
        print(
            f"the same {c['clients']} clients back to back (the most it answers), "
            f"{c['seconds']:g} s:"
        )
        _print_pass(c, "all (capacity)")
    cores = m["cores_used"]
    print(
        f"p95 mixed / hello: {result['p95_to_hello']}×; cores server/client/other: "
        f"{cores['server']}/{cores['client']}/{cores['other_processes']}; connections per "
        f"server process: {'+'.join(map(str, m['connections_per_server_process']))}"
    )
    for line, count in result["server_log_errors"].items():
        print(f"server log, {count} lines: {line}")
    check = result["row_check"]
    parts = [
        f"{t}: {check[t]['acknowledged']:,} acknowledged, {check[t]['missing']} missing, "
        f"{check[t]['extra']} extra"
        for t in COUNTED
    ]
    print(
        f"row check: {'; '.join(parts)}; {check['unanswered_writes']} writes unanswered; "
        f"{check['plan_versions_added']:,} plan versions added: "
        f"{'no write lost' if check['met'] else 'MISMATCH'}"
    )
    overall = m["overall"]
    print(
        f"verdict: p95 {_ms(overall['p95_ms'])} ms at {result['clients']} clients, "
        f"{result['mixed_passes_errors']} errors in {len(result['mixed_passes_p95_ms'])} "
        f"measured pass(es), row check {'passed' if check['met'] else 'FAILED'}; "
        f"{result['target']}: {'meets' if result['met'] else 'MISSES'}"
    )
    print(f"load average after: {result['load_average_after']}")


QUICK = {"clinicians": 5, "runners": 200, "seconds": 15.0, "warmup": 3.0, "capacity_seconds": 10.0}


def _think(value: str) -> tuple[float, float] | None:
    """ "1-5" → (1.0, 5.0); "0" → None (back to back)."""
    low, _, high = value.partition("-")
    try:
        pause = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}': expected LOW-HIGH seconds, e.g. 1-5"
        ) from None
    if not 0 <= pause[0] <= pause[1]:
        raise argparse.ArgumentTypeError(f"'{value}': expected 0 <= LOW <= HIGH")
    return None if pause[1] == 0 else pause


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinicians", type=int, default=50)
    parser.add_argument("--runners", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=10.0, help="unmeasured seconds first")
    parser.add_argument(
        "--workers",
        type=int,
        default=4,
        help="server worker processes (default 4: two per core, as the README runs a clinic)",
    )
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument(
        "--think",
        type=_think,
        default=(1.0, 5.0),
        metavar="LOW-HIGH",
        help="seconds each client pauses after an answer, at random between LOW and HIGH "
        "(default 1-5; 0 for back to back)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        help="measured passes in a row, the one with the median p95 reported (default 3; "
        "1 with --quick)",
    )
    parser.add_argument(
        "--capacity-seconds",
        type=float,
        default=20.0,
        help="a last pass with the same clients back to back (the most the machine answers), "
        "for this many seconds; 0 to leave it out",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 5 clinicians, 200 runners, 15 s"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--generate", metavar="SPEC", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        print(json.dumps(generate(json.loads(Path(args.generate).read_text()))))
        return
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    if args.repeat is None:
        args.repeat = 1 if args.quick else 3
    if args.runners < 1 or args.clinicians < 1 or args.clients < 2 or args.repeat < 1:
        parser.error(
            "--runners, --clinicians and --repeat must be at least 1, --clients at least 2"
        )
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        report(result)


if __name__ == "__main__":
    main()
