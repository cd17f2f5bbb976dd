"""scripts/ensure-system-packages.sh: installs Debian's postgresql only when pg_ctl is missing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "ensure-system-packages.sh"


def stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path: Path) -> Path:
    """A PATH of stubs: apt-get records its calls and 'installs' pg_ctl; no real pg_ctl anywhere."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    calls = tmp_path / "calls"
    pg_bin = tmp_path / "postgresql" / "15" / "bin"
    stub(
        bin_,
        "apt-get",
        f'echo "apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND" >> {calls}\n'
        f'if [ "$1" = install ]; then mkdir -p {pg_bin} && touch {pg_bin}/pg_ctl '
        f"&& chmod +x {pg_bin}/pg_ctl; fi",
    )
    stub(bin_, "pg_config", "exit 1")  # libpq-dev's pg_config without a server
    stub(bin_, "sudo", f'echo sudo >> {calls}\nexec "$@"')
    return tmp_path


def run(machine: Path, uid: int = 0) -> subprocess.CompletedProcess[str]:
    stub(machine / "bin", "id", f"echo {uid}")
    # The same script also installs Chromium: a stand-in keeps these tests about PostgreSQL.
    stub(machine / "bin", "chromium", "exit 0")
    env = {
        "PATH": f"{machine / 'bin'}:/usr/bin:/bin",
        "POSTGRESQL_ROOT": str(machine / "postgresql"),
        "CHROMIUM": str(machine / "bin" / "chromium"),
        "HOME": str(machine),
    }
    return subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60
    )


def calls(machine: Path) -> list[str]:
    path = machine / "calls"
    return path.read_text().splitlines() if path.exists() else []


def test_it_does_nothing_when_postgresql_is_installed(machine: Path) -> None:
    pg_bin = machine / "postgresql" / "13" / "bin"
    pg_bin.mkdir(parents=True)
    stub(pg_bin, "pg_ctl", "exit 0")
    done = run(machine)
    assert done.returncode == 0, done.stderr
    assert f"PostgreSQL is installed ({pg_bin / 'pg_ctl'}); nothing to do." in done.stdout
    assert calls(machine) == []


def test_as_root_it_updates_then_installs_postgresql(machine: Path) -> None:
    done = run(machine, uid=0)
    assert done.returncode == 0, done.stderr
    assert calls(machine) == [
        "apt-get update DEBIAN_FRONTEND=noninteractive",
        "apt-get install -y postgresql DEBIAN_FRONTEND=noninteractive",
    ]
    assert "+ apt-get update" in done.stdout and "+ apt-get install -y postgresql" in done.stdout
    assert "PostgreSQL installed" in done.stdout


def test_as_another_user_it_installs_through_sudo(machine: Path) -> None:
    done = run(machine, uid=1000)
    assert done.returncode == 0, done.stderr
    assert calls(machine) == [
        "sudo",
        "apt-get update DEBIAN_FRONTEND=noninteractive",
        "sudo",
        "apt-get install -y postgresql DEBIAN_FRONTEND=noninteractive",
    ]
    assert "+ sudo apt-get install -y postgresql" in done.stdout


def test_it_fails_with_a_message_when_apt_get_cannot_make_pg_ctl_appear(machine: Path) -> None:
    stub(machine / "bin", "apt-get", "exit 0")
    done = run(machine)
    assert done.returncode == 1
    assert "pg_ctl is still not found" in done.stderr
