"""Requests per second and p50/p95/p99 latency of the Today page and the plan JSON under load.

A runner with a year of daily logs (bench/year.py) is built once on SQLite and once on a
throw-away PostgreSQL server. For each, the real server starts as it would in production
(`python -m glutecoach serve --workers 2`, access log on) and a load generator in a separate
process (httpx, one asyncio task per client, each issuing requests back to back) runs a closed
loop against each target at 1, 10 and 50 concurrent clients over loopback. The framework's bare
`GET /api/v1/hello`, measured in the same run at the same concurrency, is the baseline.

    .venv/bin/python bench/web.py [--seconds 8] [--warmup 1] [--workers 2] [--seed 3] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import json
import os
import platform
import re
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

import httpx
from rich.console import Console
from rich.progress import Progress

from year import Built, build, databases, runner_slug

TARGETS = {
    "hello": "/api/v1/hello",
    "today": "/today?date={date}",
    "plan": "/api/v1/runners/{slug}/plan",
}
MEASURED = ("today", "plan")  # the figure; "hello" is the baseline
CLIENTS = (1, 10, 50)
TARGET_CLIENTS = 10
TARGET_P95_MS = 50.0
READY_SECONDS = 60.0  # the server must answer /api/v1/hello within this
REQUEST_TIMEOUT = 10.0  # seconds; a slower answer counts as an error
ERROR_LINE = re.compile(r"^[a-zA-Z_][\w.]*(Error|Exception|Exit)\b.*")  # a traceback's last line


# The load generator: `web.py --generate URL --clients N`, in a process of its own.


def percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def _client(url: str, measure_from: float, end: float, tally: dict[str, Any]) -> None:
    """One client on one kept-alive connection: a request, its answer read in full, the next
    request; until `end`. (A client each, rather than one pool of N connections: httpx's pool
    costs time per request that grows with its size, which would load the client, not the app.)
    """
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(limits=limits, timeout=REQUEST_TIMEOUT) as http:
        await _requests(http, url, measure_from, end, tally)


async def _requests(
    http: httpx.AsyncClient, url: str, measure_from: float, end: float, tally: dict[str, Any]
) -> None:
    """Counted: the answers that arrive in the measured window, except the client's first
    (it opens the connection, which a kept-alive client does once)."""
    first = True
    while time.perf_counter() < end:
        started = time.perf_counter()
        try:
            response = await http.get(url)
            failure = None if 200 <= response.status_code < 300 else str(response.status_code)
        except Exception as error:  # any failure to get an answer is an error, never a crash
            failure = type(error).__name__
        done = time.perf_counter()
        if first or not measure_from <= done < end:  # connecting, warm-up, or past the window
            first = False
            continue
        if failure is None:
            tally["latencies"].append((done - started) * 1000)
        else:
            tally["errors"][failure] += 1


async def _client_cpu(measure_from: float, end: float, tally: dict[str, Any]) -> None:
    """The load generator's own CPU time over the measured window (it shares the machine)."""
    await asyncio.sleep(measure_from - time.perf_counter())
    started = time.process_time()
    await asyncio.sleep(end - time.perf_counter())
    tally["cpu_s"] = time.process_time() - started


async def _load(url: str, clients: int, warmup: float, seconds: float) -> dict[str, Any]:
    tally: dict[str, Any] = {"latencies": [], "errors": collections.Counter(), "cpu_s": None}
    measure_from = time.perf_counter() + warmup
    end = measure_from + seconds
    tasks = [asyncio.create_task(_client(url, measure_from, end, tally)) for _ in range(clients)]
    tasks.append(asyncio.create_task(_client_cpu(measure_from, end, tally)))
    _done, late = await asyncio.wait(tasks, timeout=warmup + seconds + REQUEST_TIMEOUT + 5)
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    return tally


T = TypeVar("T")


def on_uvloop(main: Coroutine[Any, Any, T]) -> T:
    """`main` run to its end on uvloop (the load generators' loop: less of the client's CPU)."""
    loop_factory: Callable[[], asyncio.AbstractEventLoop]
    try:
        import uvloop

        loop_factory = uvloop.new_event_loop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings uvloop
        loop_factory = asyncio.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(main)


def generate(url: str, clients: int, warmup: float, seconds: float) -> dict[str, Any]:
    """Closed-loop load on `url`: answers per second, latency percentiles, errors by kind."""
    tally = on_uvloop(_load(url, clients, warmup, seconds))
    ordered = sorted(tally["latencies"])
    quantiles = {
        f"p{q}_ms": round(percentile(ordered, q), 2) if ordered else None for q in (50, 95, 99)
    }
    return {
        "clients": clients,
        "requests_per_s": round(len(ordered) / seconds, 1),
        "answered": len(ordered),
        **quantiles,
        "max_ms": round(ordered[-1], 2) if ordered else None,
        "errors": sum(tally["errors"].values()),
        "errors_by_kind": dict(tally["errors"]),
        "client_cpu_share": None if tally["cpu_s"] is None else round(tally["cpu_s"] / seconds, 2),
    }


# The server: `python -m glutecoach serve`, started and always stopped by the benchmark.


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else ""


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited ({process.returncode}):\n{_tail(log)}")
        try:
            if httpx.get(f"{base}/api/v1/hello", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the server did not answer within {READY_SECONDS:g} s:\n{_tail(log)}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server (uvicorn stops its workers), then SIGKILL to whatever is left of its
    process group (the server and its workers only: it was started in a session of its own)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@dataclass(frozen=True)
class Served:
    port: int
    group: int  # the process group of the server and its workers

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def server(url: str, workers: int, log: Path) -> Iterator[Served]:
    """The web app on a free loopback port, serving the database at `url`."""
    port = free_port()
    argv = [sys.executable, "-m", "glutecoach", "serve", "--host", "127.0.0.1"]
    argv += ["--port", str(port), "--workers", str(workers)]
    env = {**os.environ, "GLUTECOACH_DATABASE_URL": url}
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_ready(f"http://127.0.0.1:{port}", process, log)
            yield Served(port, process.pid)
        finally:
            _stop(process)


# The run: build, serve, load each target at each concurrency, report.


def probe(url: str) -> dict[str, Any]:
    """One request before the load, so the report says what the target answers."""
    try:
        response = httpx.get(url, timeout=REQUEST_TIMEOUT)
    except httpx.HTTPError as error:
        return {"status": type(error).__name__}
    answer: dict[str, Any] = {
        "status": response.status_code,
        "content_type": response.headers.get("content-type", ""),
        "bytes": len(response.content),
    }
    if "location" in response.headers:
        answer["location"] = response.headers["location"]
    return answer


def _busy_seconds() -> float:
    """CPU time the whole machine has spent busy since boot, all cores (Linux /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _group_seconds(group: int) -> float:
    """CPU time of the live processes in a process group (the server and its workers)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError):
            after_name = stat.read_text().rsplit(")", 1)[1].split()
            if int(after_name[2]) == group:  # pgrp; utime and stime follow at 11 and 12
                total += int(after_name[11]) + int(after_name[12])
    return total / os.sysconf("SC_CLK_TCK")


def _children_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def connections_per_process(group: int, port: int) -> list[int]:
    """How many established client connections each server process holds, most first (uvicorn's
    workers share one listening socket, and the kernel does not spread the accepts evenly)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()  # sl local remote state ... inode (the tenth)
        if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
            inodes.add(f"socket:[{fields[9]}]")
    held = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) == group:
                fds = (stat.parent / "fd").iterdir()
                held.append(sum(1 for fd in fds if os.readlink(fd) in inodes))
    return sorted((n for n in held if n), reverse=True)


def _generator(argv: list[str], served: Served, args: argparse.Namespace) -> tuple[str, list[int]]:
    """The load generator's output, and how its connections were spread over the server's
    processes halfway through the measured window."""
    limit = args.warmup + args.seconds + REQUEST_TIMEOUT + 60
    with subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            time.sleep(args.warmup + args.seconds / 2)
            spread = connections_per_process(served.group, served.port)
            output, errors = process.communicate(timeout=limit)
        except BaseException:
            process.kill()
            raise
    if process.returncode != 0:
        raise SystemExit(f"the load generator failed ({process.returncode}):\n{errors}")
    return output, spread


def load(served: Served, path: str, clients: int, args: argparse.Namespace) -> dict[str, Any]:
    """`generate` in a separate process, so the client does not share the server's interpreter;
    with the CPU the server, the client and every other process on the machine used meanwhile."""
    argv = [sys.executable, __file__, "--generate", served.base + path, "--clients", str(clients)]
    argv += ["--warmup", str(args.warmup), "--seconds", str(args.seconds)]
    before = (time.perf_counter(), _busy_seconds(), _group_seconds(served.group))
    client_before = _children_seconds()
    output, spread = _generator(argv, served, args)
    wall = time.perf_counter() - before[0]
    server = _group_seconds(served.group) - before[2]
    client = _children_seconds() - client_before
    measured: dict[str, Any] = json.loads(output)
    measured["connections_per_server_process"] = spread
    measured["cores_used"] = {
        "server": round(server / wall, 2),
        "client": round(client / wall, 2),
        "other_processes": round(max(0.0, _busy_seconds() - before[1] - server - client) / wall, 2),
    }
    return measured


def measure(
    served: Served, paths: dict[str, str], args: argparse.Namespace, progress: Progress, label: str
) -> dict[str, Any]:
    """Each concurrency in turn, the three targets one after another at each."""
    task = progress.add_task(f"loading {label}", total=len(CLIENTS) * len(paths))
    by_target: dict[str, Any] = {
        name: {"path": path, "probe": probe(served.base + path), "runs": {}}
        for name, path in paths.items()
    }
    for clients in CLIENTS:
        for name, path in paths.items():
            run = load(served, path, clients, args)
            by_target[name]["runs"][str(clients)] = run
            progress.advance(task)
    for name in MEASURED:
        for clients, run in by_target[name]["runs"].items():
            hello = by_target["hello"]["runs"][clients]
            run["p95_to_hello"] = _ratio(run["p95_ms"], hello["p95_ms"])
            run["hello_rps_to_this"] = _ratio(hello["requests_per_s"], run["requests_per_s"])
    return by_target


def logged_errors(log: Path) -> dict[str, int]:
    """The exceptions the server logged (their last line, shortened), most frequent first."""
    found = collections.Counter(
        re.sub(r"\b\d{5,}\b", "…", line)[:160]  # thread ids and the like differ line to line
        for line in log.read_text(errors="replace").splitlines()
        if ERROR_LINE.match(line)
    )
    return dict(found.most_common(5))


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 1) if a and b else None


def verdict(by_target: dict[str, Any]) -> dict[str, Any]:
    """p95 under the target at 10 clients, and not one error at any concurrency."""
    each = {}
    for name in MEASURED:
        runs = by_target[name]["runs"]
        p95 = runs[str(TARGET_CLIENTS)]["p95_ms"]
        errors = sum(run["errors"] for run in runs.values())
        each[name] = {
            "p95_ms_at_10": p95,
            "errors": errors,
            "met": p95 is not None and p95 < TARGET_P95_MS and errors == 0,
        }
    return each


def machine(args: argparse.Namespace) -> dict[str, str]:
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cpus, "
        f"{platform.python_implementation()} {platform.python_version()}",
        "server": f"glutecoach serve --workers {args.workers} (uvicorn {version('uvicorn')}, "
        f"FastAPI {version('fastapi')}, SQLAlchemy {version('sqlalchemy')}, "
        f"SQLite {sqlite3.sqlite_version}, psycopg {version('psycopg')})",
        "client": f"httpx {version('httpx')} on uvloop, one process, one task per client",
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    last = dt.datetime.now(dt.UTC).date()
    paths = {name: path.format(date=last, slug=runner_slug()) for name, path in TARGETS.items()}
    result: dict[str, Any] = {
        **machine(args),
        "seconds": args.seconds,
        "warmup_seconds": args.warmup,
        "target": f"p95 < {TARGET_P95_MS:g} ms at {TARGET_CLIENTS} clients, no errors",
        "databases": {},
    }
    with (
        tempfile.TemporaryDirectory() as folder,
        databases(Path(folder)) as urls,
        Progress(console=Console(stderr=True), transient=True) as progress,
    ):
        built: dict[str, Built] = {
            db: build(url, last, args.seed, progress, db) for db, url in urls.items()
        }
        for db, url in urls.items():
            log = Path(folder) / f"server-{db}.log"
            with server(url, args.workers, log) as served:
                by_target = measure(served, paths, args, progress, db)
            result["databases"][db] = {
                "built": vars(built[db]) | {"seconds": round(built[db].seconds, 1)},
                "targets": by_target,
                "verdict": verdict(by_target),
                "server_log_errors": logged_errors(log),
            }
    return result


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _cores(used: dict[str, float]) -> str:
    return f"{used['server']:.1f}/{used['client']:.1f}/{used['other_processes']:.1f}"


def report(result: dict[str, Any]) -> None:
    print(f"{result['machine']}; {result['server']}; {result['client']}")
    print(
        f"each run: {result['warmup_seconds']:g} s warm-up, {result['seconds']:g} s measured; "
        "cores s/c/o: CPU cores the server, the load generator and all other processes used; "
        "conns: the clients' connections held by each server process"
    )
    for db, measured in result["databases"].items():
        b = measured["built"]
        print(
            f"\n{db}: built in {b['seconds']} s: {b['session_logs']} session logs "
            f"({b['skipped']} skipped), {b['soreness_logs']} soreness logs, "
            f"{b['plan_versions']} plan versions"
        )
        print(
            f"{'target':<7}{'clients':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
            f"{'errors':>8}{'p95 ×hello':>12}{'cores s/c/o':>14}{'conns':>8}   answer"
        )
        for name, target in measured["targets"].items():
            answer = target["probe"]
            shown = f"{answer['status']} {answer.get('location', '')}".strip()
            for clients, r in target["runs"].items():
                ratio = r.get("p95_to_hello")
                print(
                    f"{name:<7}{clients:>8}{r['requests_per_s']:>9.1f}{_ms(r['p50_ms']):>9}"
                    f"{_ms(r['p95_ms']):>9}{_ms(r['p99_ms']):>9}{r['errors']:>8}"
                    f"{'' if ratio is None else f'{ratio:g}×':>12}"
                    f"{_cores(r['cores_used']):>14}"
                    f"{'+'.join(map(str, r['connections_per_server_process'])):>8}   {shown}"
                )
        for line, count in measured["server_log_errors"].items():
            print(f"server log, {count} lines: {line}")
        for name, v in measured["verdict"].items():
            print(
                f"verdict {name} ({db}): p95 at {TARGET_CLIENTS} clients {_ms(v['p95_ms_at_10'])} "
                f"ms, {v['errors']} errors; {result['target']}: "
                f"{'meets' if v['met'] else 'MISSES'}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds first")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--generate", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        print(json.dumps(generate(args.generate, args.clients, args.warmup, args.seconds)))
        return
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        report(result)


if __name__ == "__main__":
    main()
