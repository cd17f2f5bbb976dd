from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.clock import TODAY
from tests.conftest import ROOT

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli() -> Run:
    """The real entry point in a child process: what a user's shell runs."""

    def run(
        *args: str, stdin: str | None = None, cwd: Path = ROOT
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "glutecoach", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd,
            timeout=120,
            env={
                "COLUMNS": "120",
                "PATH": "/usr/bin:/bin",
                "TZ": "UTC",
                "GLUTECOACH_TODAY": TODAY.isoformat(),
            },
        )

    return run


Cli = Callable[..., subprocess.CompletedProcess[str]]


def cli_on(database: Path, timeout: float = 120, **settings: str) -> Cli:
    """The real entry point in a child process, on its own SQLite file; `settings` are further
    GLUTECOACH_* variables by their lower-case names (public_url="https://…")."""
    env = {
        "COLUMNS": "120",
        "PATH": "/usr/bin:/bin",
        "TZ": "UTC",
        "GLUTECOACH_TODAY": TODAY.isoformat(),
        "GLUTECOACH_DATABASE_URL": f"sqlite:///{database}",
        **{f"GLUTECOACH_{name.upper()}": value for name, value in settings.items()},
    }

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "glutecoach", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=timeout,
            env=env,
        )

    return run


PINNED_NOTE = "The date is pinned:"


def errors_of(done: subprocess.CompletedProcess[str]) -> str:
    """What a command said on standard error, less the note that the date is pinned, which every
    command prints while the suite pins its day (tests/clock.py)."""
    kept = [line for line in done.stderr.splitlines() if not line.startswith(PINNED_NOTE)]
    return "\n".join(kept).strip()
