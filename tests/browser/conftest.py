"""The real app in a subprocess (`python -m glutecoach serve`) and Debian's Chromium driven by
Playwright. No browser is ever downloaded: without /usr/bin/chromium the tests fail and say how to
install it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    sync_playwright,
)

from tests.conftest import ROOT
from tests.faults.server import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SIZES = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}
STARTUP_S = 30.0


def launch_chromium(playwright: Playwright, executable: Path = CHROMIUM) -> Browser:
    if not executable.exists():
        pytest.fail(
            f"{executable} is missing: the browser tests drive Debian's Chromium and never "
            "download a browser. Install it with: bash scripts/ensure-system-packages.sh",
            pytrace=False,
        )
    return playwright.chromium.launch(
        executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
    )


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """One Playwright per test process (each xdist worker has its own): a second one started in
    the same process while the first runs is refused ("Sync API inside the asyncio loop")."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One Chromium per test process, started by the first browser test that needs it."""
    chromium = launch_chromium(playwright)
    try:
        yield chromium
    finally:
        chromium.close()


@contextmanager
def running_app(
    database_url: str,
    log: Path,
    *,
    port: int | None = None,
    settings: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """`python -m glutecoach serve` on a free port (or `port`), with more GLUTECOACH_* settings
    if given; the base URL once it answers."""
    port = port or free_port()
    env = {**os.environ, **(settings or {}), "GLUTECOACH_DATABASE_URL": database_url}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "glutecoach", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_it_answers(process, base, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # pytest shows this only for a failed test: what the server said, errors included
        print(f"--- {log} (last lines) ---\n{log.read_text()[-6000:]}")


def _wait_until_it_answers(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S  # timing
    while time.monotonic() < deadline:  # timing
        if process.poll() is not None:
            pytest.fail(f"the web app stopped on start-up:\n{log.read_text()}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{base}/static/app.css", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"the web app did not answer within {STARTUP_S:g} s:\n{log.read_text()}")


@pytest.fixture
def database_file(tmp_path: Path) -> Path:
    return tmp_path / "glutecoach.db"


@pytest.fixture
def app_url(database_file: Path, tmp_path: Path) -> Iterator[str]:
    with running_app(f"sqlite:///{database_file}", tmp_path / "server.log") as base:
        yield base


@dataclass
class Console:
    """Every console error and uncaught exception a page produced."""

    errors: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.errors.append(f"{page.url}: {message.text}")

        def on_response(response: Response) -> None:
            if response.status >= 500:
                self.errors.append(f"{response.url}: the server answered {response.status}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        page.on("response", on_response)


def screenshot(page: Page, size: str, name: str) -> Path:
    """A full-page screenshot under test-artifacts/screenshots/ (git-ignored), to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{size}-{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def page_width(page: Page) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


@dataclass(frozen=True)
class Person:
    """Someone who signs in: the name they go by, their email and password."""

    name: str
    email: str
    password: str


CLINICIAN = Person("Dr Cleo Clinician", "cleo@clinic.example", "hip drop and clamshells")


@dataclass(frozen=True)
class ClinicApp:
    """The app with one clinician account, so everyone signs in; `log` is the server's log, where
    the development mailer writes its emails."""

    url: str
    clinician: Person
    log: Path


def add_clinician(database_url: str, clinician: Person) -> None:
    """`glutecoach accounts add-clinician`, as an administrator would run it."""
    command = ["accounts", "add-clinician", "--email", clinician.email, "--name", clinician.name]
    done = subprocess.run(
        [sys.executable, "-m", "glutecoach", *command, "--password-stdin"],
        input=f"{clinician.password}\n",
        env={**os.environ, "GLUTECOACH_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, f"add-clinician failed:\n{done.stdout}\n{done.stderr}"


@pytest.fixture
def clinic_app(database_file: Path, tmp_path: Path) -> Iterator[ClinicApp]:
    """A fresh SQLite database, a clinician added from the CLI, then the server; its public URL
    is its own address, so the links it makes (invitations) open in the test's browser."""
    url = f"sqlite:///{database_file}"
    add_clinician(url, CLINICIAN)
    port = free_port()
    log = tmp_path / "server.log"
    public = {"GLUTECOACH_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    with running_app(url, log, port=port, settings=public) as base:
        yield ClinicApp(base, CLINICIAN, log)
