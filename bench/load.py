"""The mixed load of bench/clinic.py: runners logging and clinicians opening their dashboards, as
many clients as asked for, for a bounded time, in a process of its own (`clinic.py --generate
SPEC.json`).

Each client keeps one connection (as bench/web.py's), signs in with the `gc_session` cookie of
one account after another, and issues its requests back to back, or with the spec's `think`
(low, high) seconds: then after each answer it pauses for a random time between them, as a
person reads a page before the next tap (Locust's users wait so, `between(1, 5)` in its
documentation). A runner client opens the
Today page, then posts a session log (the next unlogged session of the spec's `slots`) or,
`SORENESS_SHARE` of the time or once nothing is left to log, soreness; a clinician client opens
/clinic, then one of their runners. Latencies count for the answers that end inside the measured
window; every write is tallied by runner whenever it ends (the row check needs them all).
"""

from __future__ import annotations

import asyncio
import collections
import math
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from web import REQUEST_TIMEOUT, on_uvloop, percentile

CLINICIAN_SHARE = 0.2  # of the clients
SORENESS_SHARE = 0.25  # of the runners' writes (all of them once nothing is left to log)


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    written: dict[str, collections.Counter[str]] = field(
        default_factory=lambda: collections.defaultdict(collections.Counter)
    )
    unsure: collections.Counter[str] = field(default_factory=collections.Counter)
    slots_used: collections.Counter[str] = field(default_factory=collections.Counter)
    ended: list[tuple[float, float]] = field(default_factory=list)  # (s into the window, ms)
    cpu_s: float | None = None


@dataclass(frozen=True)
class Window:
    measure_from: float
    end: float


async def _request(
    http: httpx.AsyncClient,
    kind: str,
    method: str,
    path: str,
    token: str,
    window: Window,
    tally: Tally,
    body: dict[str, Any] | None = None,
) -> bool | None:
    """One request, its answer read in full: True for a 2xx/3xx, False for any other answer,
    None when no answer came (a write may then have happened or not). Timed when it ends in the
    measured window."""
    started = time.perf_counter()
    try:
        response = await http.request(
            method, path, json=body, headers={"cookie": f"gc_session={token}"}
        )
        failure = None if 200 <= response.status_code < 400 else str(response.status_code)
    except Exception as error:  # any failure to get an answer is an error, never a crash
        failure = type(error).__name__
        response = None
    done = time.perf_counter()
    if window.measure_from <= done < window.end:
        if failure is None:
            tally.latencies[kind].append((done - started) * 1000)
            tally.ended.append((done - window.measure_from, (done - started) * 1000))
        else:
            tally.errors[f"{kind} {failure}"] += 1
    if response is None:
        return None
    return failure is None


def _client(base: str) -> httpx.AsyncClient:
    """One kept-alive connection per client (as bench/web.py), following no redirects."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    return httpx.AsyncClient(base_url=base, limits=limits, timeout=REQUEST_TIMEOUT)


async def _pause(spec: dict[str, Any], rng: random.Random) -> None:
    think = spec.get("think")
    if think:
        await asyncio.sleep(rng.uniform(*think))


async def _runner_client(
    spec: dict[str, Any], mine: list[int], window: Window, tally: Tally, rng: random.Random
) -> None:
    """Runner after runner of `mine`: the Today page, then a session log or soreness."""
    used = spec.get("slots_used", {})  # by an earlier pass
    left = {r: collections.deque(spec["slots"][used.get(spec["runners"][r], 0) :]) for r in mine}
    turn = 0
    async with _client(spec["base"]) as http:
        while time.perf_counter() < window.end:
            runner = mine[turn % len(mine)]
            turn += 1
            slug, token = spec["runners"][runner], spec["runner_tokens"][runner]
            await _request(http, "today", "GET", "/today", token, window, tally)
            await _pause(spec, rng)
            if left[runner] and rng.random() >= SORENESS_SHARE:
                body = left[runner].popleft()
                tally.slots_used[slug] += 1
                path = f"/api/v1/runners/{slug}/logs"
                ok = await _request(http, "log", "POST", path, token, window, tally, body)
                rows = {"session_logs": 1, "exercise_logs": len(body["exercises"])}
            else:
                body = {"level": rng.randint(0, 4)}
                path = f"/api/v1/runners/{slug}/soreness"
                ok = await _request(http, "soreness", "POST", path, token, window, tally, body)
                rows = {"soreness_logs": 1}
            if ok:
                tally.written[slug].update(rows)
            elif ok is None:
                tally.unsure[slug] += 1
            await _pause(spec, rng)


async def _clinician_client(
    spec: dict[str, Any], mine: list[int], window: Window, tally: Tally, rng: random.Random
) -> None:
    """Clinician after clinician of `mine`: their dashboard, then one of their runners."""
    theirs: dict[int, list[str]] = collections.defaultdict(list)
    for runner, clinician in enumerate(spec["clinician_of"]):
        theirs[clinician].append(spec["runners"][runner])
    turn = 0
    async with _client(spec["base"]) as http:
        while time.perf_counter() < window.end:
            clinician = mine[turn % len(mine)]
            turn += 1
            token = spec["clinician_tokens"][clinician]
            await _request(http, "clinic", "GET", "/clinic", token, window, tally)
            await _pause(spec, rng)
            path = f"/clinic/runners/{rng.choice(theirs[clinician])}"
            await _request(http, "clinic_runner", "GET", path, token, window, tally)
            await _pause(spec, rng)


async def _cpu(window: Window, tally: Tally) -> None:
    await asyncio.sleep(window.measure_from - time.perf_counter())
    started = time.process_time()
    await asyncio.sleep(window.end - time.perf_counter())
    tally.cpu_s = time.process_time() - started


def split(count: int, clients: int) -> list[list[int]]:
    """0…count-1 dealt out to `clients` clients (each gets at least one, shared if need be)."""
    return [list(range(i % count, count, clients)) or [i % count] for i in range(clients)]


async def _mixed(spec: dict[str, Any]) -> Tally:
    tally = Tally()
    window = Window(time.perf_counter() + spec["warmup"], 0.0)
    window = Window(window.measure_from, window.measure_from + spec["seconds"])
    clinician_clients = max(1, round(spec["clients"] * CLINICIAN_SHARE))
    runner_clients = spec["clients"] - clinician_clients
    rng = random.Random(spec["seed"])
    tasks = [
        asyncio.create_task(_runner_client(spec, mine, window, tally, random.Random(rng.random())))
        for mine in split(len(spec["runners"]), runner_clients)
    ]
    tasks += [
        asyncio.create_task(
            _clinician_client(spec, mine, window, tally, random.Random(rng.random()))
        )
        for mine in split(len(spec["clinician_tokens"]), clinician_clients)
    ]
    tasks.append(asyncio.create_task(_cpu(window, tally)))
    limit = spec["warmup"] + spec["seconds"] + 2 * REQUEST_TIMEOUT + 5
    _done, late = await asyncio.wait(tasks, timeout=limit)
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    return tally


def _quantiles(latencies: list[float], seconds: float) -> dict[str, Any]:
    ordered = sorted(latencies)
    return {
        "requests_per_s": round(len(ordered) / seconds, 1),
        "answered": len(ordered),
        **{f"p{q}_ms": round(percentile(ordered, q), 2) if ordered else None for q in (50, 95, 99)},
        "max_ms": round(ordered[-1], 2) if ordered else None,
    }


def _over_by_10s(ended: list[tuple[float, float]], over_ms: float, seconds: float) -> list[int]:
    """How many answers took longer than `over_ms`, in each 10 s of the measured window: a tail
    spread over the pass is the work, one bunched at its start is something warming up."""
    counts = [0] * max(1, math.ceil(seconds / 10))
    for at, ms in ended:
        if ms > over_ms:
            counts[min(int(at // 10), len(counts) - 1)] += 1
    return counts


def generate(spec: dict[str, Any]) -> dict[str, Any]:
    tally = on_uvloop(_mixed(spec))
    seconds = spec["seconds"]
    kinds = {kind: _quantiles(values, seconds) for kind, values in sorted(tally.latencies.items())}
    every = [v for values in tally.latencies.values() for v in values]
    return {
        "clients": spec["clients"],
        "kinds": kinds,
        "overall": _quantiles(every, seconds),
        "errors": sum(tally.errors.values()),
        "errors_by_kind": dict(tally.errors),
        "written": {slug: dict(rows) for slug, rows in tally.written.items()},
        "unsure": dict(tally.unsure),
        "slots_used": dict(tally.slots_used),
        "over_by_10s": _over_by_10s(tally.ended, spec.get("over_ms", 100.0), seconds),
        "client_cpu_share": None if tally.cpu_s is None else round(tally.cpu_s / seconds, 2),
    }
