"""The browser tests' Chromium: installed by scripts/ensure-system-packages.sh when missing, and a
clear failure (never a skip, never a download) when it is not there."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Playwright

from tests.browser.conftest import launch_chromium
from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "ensure-system-packages.sh"


def stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path: Path) -> Path:
    """Stubs on PATH: apt-get records its calls and 'installs' what it is asked for; PostgreSQL is
    there, Chromium is not."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    pg_bin = tmp_path / "postgresql" / "15" / "bin"
    pg_bin.mkdir(parents=True)
    stub(pg_bin, "pg_ctl", "exit 0")
    stub(
        bin_,
        "apt-get",
        f'echo "apt-get $*" >> {tmp_path / "calls"}\n'
        'for p in "$@"; do\n'
        f'  if [ "$p" = chromium ]; then touch {tmp_path / "chromium"} && '
        f"chmod +x {tmp_path / 'chromium'}; fi\n"
        f'  if [ "$p" = postgresql ]; then touch {pg_bin}/pg_ctl && chmod +x {pg_bin}/pg_ctl; fi\n'
        "done",
    )
    stub(bin_, "pg_config", "exit 1")
    stub(bin_, "id", "echo 0")
    return tmp_path


def run(machine: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": f"{machine / 'bin'}:/usr/bin:/bin",
        "POSTGRESQL_ROOT": str(machine / "postgresql"),
        "CHROMIUM": str(machine / "chromium"),
        "HOME": str(machine),
    }
    return subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60
    )


def calls(machine: Path) -> list[str]:
    path = machine / "calls"
    return path.read_text().splitlines() if path.exists() else []


def test_the_script_installs_debians_chromium_when_it_is_missing(machine: Path) -> None:
    done = run(machine)
    assert done.returncode == 0, done.stderr
    assert calls(machine) == ["apt-get update", "apt-get install -y chromium"]
    assert "Chromium installed" in done.stdout


def test_the_script_leaves_an_installed_chromium_alone(machine: Path) -> None:
    stub(machine, "chromium", "exit 0")
    done = run(machine)
    assert done.returncode == 0, done.stderr
    assert calls(machine) == []
    assert f"Chromium is installed ({machine / 'chromium'}); nothing to do." in done.stdout


def test_the_script_installs_postgresql_and_chromium_together(machine: Path) -> None:
    for path in (machine / "postgresql").rglob("pg_ctl"):
        path.unlink()
    done = run(machine)
    assert done.returncode == 0, done.stderr
    assert calls(machine) == ["apt-get update", "apt-get install -y postgresql chromium"]


def test_the_script_fails_when_apt_get_cannot_make_chromium_appear(machine: Path) -> None:
    stub(machine / "bin", "apt-get", "exit 0")
    done = run(machine)
    assert done.returncode == 1
    assert f"{machine / 'chromium'} is still not there" in done.stderr


def test_a_missing_chromium_fails_the_browser_tests_naming_the_script(
    playwright: Playwright, tmp_path: Path
) -> None:
    with pytest.raises(pytest.fail.Exception) as failed:
        launch_chromium(playwright, tmp_path / "no-chromium")
    assert "bash scripts/ensure-system-packages.sh" in str(failed.value)
