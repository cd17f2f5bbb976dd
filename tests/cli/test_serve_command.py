"""`glutecoach serve`: a taken port is a clear error; several workers start, serve and all stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.cli.conftest import Run
from tests.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _group(pgid: int) -> list[int]:
    """The live processes of a process group."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_a_port_in_use_is_one_clear_error(cli: Run) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port), "--workers", "2")
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "already running" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_two_workers_serve_and_all_stop_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "GLUTECOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'glutecoach.db'}",
    }
    argv = [sys.executable, "-m", "glutecoach", "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60  # timing
        answers: list[int] = []
        while time.monotonic() < deadline and len(answers) < 20:  # timing
            try:
                # a new connection each time, so the kernel may hand it to either worker
                answers.append(httpx.get(f"http://127.0.0.1:{port}/api/v1/hello").status_code)
            except httpx.TransportError:
                time.sleep(0.2)
        assert answers == [200] * 20
        spawned = [pid for pid in _group(server.pid) if b"spawn_main" in _cmdline(pid)]
        assert len(spawned) == 2  # the workers (multiprocessing's resource tracker is not one)

        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert server.returncode == 0, output
    deadline = time.monotonic() + 10  # timing: multiprocessing's resource tracker leaves just after
    while _group(server.pid) and time.monotonic() < deadline:  # timing
        time.sleep(0.1)
    assert _group(server.pid) == []
    assert output.count("Application startup complete") == 2
    assert "Traceback" not in output


def test_single_user_mode_serves_this_computer_only(tmp_path: Path) -> None:
    """No accounts: no log-in, so serving beyond 127.0.0.1 is refused before anything listens.
    With a clinician account the same command serves, and asks everyone to sign in."""
    port = _free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "GLUTECOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'glutecoach.db'}",
    }
    glutecoach = [sys.executable, "-m", "glutecoach"]
    argv = [*glutecoach, "serve", "--host", "0.0.0.0", "--port", str(port)]
    refused = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2
    assert "single-user mode" in refused.stderr and "127.0.0.1 only" in refused.stderr
    assert "glutecoach on" not in refused.stdout and "Traceback" not in refused.stderr

    add = ["accounts", "add-clinician", "--email", "ada@clinic.test", "--name", "Dr Ada"]
    added = subprocess.run(
        [*glutecoach, *add, "--password-stdin"],
        input="a long enough password\n",
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    server = subprocess.Popen(
        argv, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60  # timing
        while time.monotonic() < deadline:  # timing
            try:
                today = httpx.get(f"http://127.0.0.1:{port}/today")
                break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not answer within 60 s")
        assert today.status_code == 303
        assert today.headers["location"] == "/login?next=%2Ftoday"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
