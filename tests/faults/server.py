"""The real web app in a subprocess (`python -m glutecoach serve`, single-user mode on
127.0.0.1), to kill, restart or starve; and reading back what the database holds."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text

from glutecoach.adapters.db.plan_documents import plan_from_document
from glutecoach.adapters.db.urls import normalise_url
from tests.conftest import ROOT

STARTUP_S = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def stop(process: subprocess.Popen[bytes], timeout_s: float = 20) -> None:
    """SIGTERM, then SIGKILL if it has not stopped within `timeout_s`."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def kill(self) -> None:
        """SIGKILL: no clean-up, no finishing the requests in flight."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        stop(self.process, timeout_s=10)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_server(
    database_url: str,
    log: Path,
    *,
    env: dict[str, str] | None = None,
    preexec_fn: Callable[[], Any] | None = None,
) -> Server:
    port = free_port()
    environment = {
        **os.environ,
        "GLUTECOACH_DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT / "src"),
        **(env or {}),
    }
    with log.open("a") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "glutecoach", "serve", "--port", str(port)],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=log.parent,
            preexec_fn=preexec_fn,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + STARTUP_S  # timing
    while time.monotonic() < deadline:  # timing
        if process.poll() is not None:
            pytest.fail(f"the web app stopped on start-up:\n{server.output()}", pytrace=False)
        try:
            if httpx.get(f"{server.base}/api/v1/hello", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.stop()
    pytest.fail(f"the web app did not answer within {STARTUP_S:g} s:\n{server.output()}")


@contextmanager
def running_server(database_url: str, log: Path, **how: Any) -> Iterator[Server]:
    server = start_server(database_url, log, **how)
    try:
        yield server
    finally:
        server.stop()
        print(f"--- {log} (last lines) ---\n{server.output()[-4000:]}")


def engine_for(database_url: str) -> Engine:
    _backend, url = normalise_url(database_url)
    return create_engine(url)


def rows(engine: Engine, query: str, **params: Any) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(text(query), params))


def assert_plans_whole(engine: Engine) -> None:
    """Every stored plan version is a whole plan: its document parses, with every day from its
    start to its end."""
    for version, data in rows(engine, "SELECT version, data FROM plans"):
        plan = plan_from_document(data)
        days = [d.date for d in plan.days]
        span = (plan.end - plan.start).days + 1
        whole = [plan.start + dt.timedelta(days=n) for n in range(span)]
        assert days == whole, f"plan version {version}: {len(days)} of {span} days"
