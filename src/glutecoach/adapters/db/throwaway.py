"""A throw-away PostgreSQL server for the tests and the benchmarks: initdb + pg_ctl on a temporary
folder and a free loopback port, stopped and removed at the end.

    with throwaway_postgres() as server:
        url = server.url(server.create_database())
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from glutecoach.adapters.db.errors import StorageError

POSTGRES_MISSING = (
    "PostgreSQL is not installed: no initdb and pg_ctl found (pg_config --bindir, "
    "/usr/lib/postgresql/*/bin, PATH). Run scripts/ensure-system-packages.sh (`make unit` does)."
)


@dataclass(frozen=True)
class PostgresServer:
    """A throw-away PostgreSQL cluster on 127.0.0.1, trust authentication, no durability."""

    host: str
    port: int
    user: str
    bindir: Path | None = None  # None: a server this module did not start (no stop or start)
    base: Path | None = None  # its folder: data/, server.log, the socket

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True
        )

    def create_database(self) -> str:
        name = f"test_{uuid.uuid4().hex[:16]}"
        with self.admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server as an administrator would (fast: open connections are cut); its data
        stays, and `start` brings it back on the same port."""
        bindir, base = self._folders()
        done = _run_server_tool(
            [str(bindir / "pg_ctl"), "-D", str(base / "data"), "-m", "fast", "stop"], base
        )
        if done.returncode != 0:
            raise StorageError(
                _tool_failed("pg_ctl stop", done, base / "server.log"), permanent=False
            )

    def start(self) -> None:
        """Start the stopped server again: same data folder, same port."""
        bindir, base = self._folders()
        done = _start_on(bindir, base, self.port)
        if done.returncode != 0:
            raise StorageError(
                _tool_failed("pg_ctl start", done, base / "server.log"), permanent=False
            )

    def restart(self) -> None:
        self.stop()
        self.start()

    def _folders(self) -> tuple[Path, Path]:
        if self.bindir is None or self.base is None:
            raise StorageError(
                "this PostgreSQL server was not started by throwaway_postgres", permanent=True
            )
        return self.bindir, self.base


@contextmanager
def throwaway_postgres() -> Iterator[PostgresServer]:
    """A new, empty cluster for the block; StorageError (permanent) when it cannot be started."""
    bindir = postgres_bindir()
    if bindir is None:
        raise StorageError(POSTGRES_MISSING, permanent=True)
    base = Path(tempfile.mkdtemp(prefix="glutecoach-pg-", dir=_fast_temporary_folder()))
    data = base / "data"
    try:
        _hand_to_postgres_user(base)
        done = _run_server_tool(_initdb(bindir, data), cwd=base)
        if done.returncode != 0:
            raise StorageError(_tool_failed("initdb", done), permanent=True)
        port = _start_server(bindir, base)
        yield PostgresServer(host="127.0.0.1", port=port, user="postgres", bindir=bindir, base=base)
    finally:
        if (data / "postmaster.pid").exists():
            _run_server_tool([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], base)
        shutil.rmtree(base, ignore_errors=True)


def postgres_bindir() -> Path | None:
    """The folder with initdb and pg_ctl: pg_config's, Debian's newest, or the one on PATH."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip():
            candidates.append(Path(found.stdout.strip()))
    debian = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(debian, key=lambda p: _version(p.parent.name), reverse=True)
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        candidates.append(Path(pg_ctl).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fast_temporary_folder() -> str | None:
    """/dev/shm when it has room: CREATE DATABASE there takes ~15 ms instead of ~300 ms on disk."""
    try:
        shm = os.statvfs("/dev/shm")
    except OSError:
        return None
    roomy = shm.f_bavail * shm.f_frsize >= 512 * 2**20
    return "/dev/shm" if roomy and os.access("/dev/shm", os.W_OK) else None


def _hand_to_postgres_user(base: Path) -> None:
    """As root, the server runs as `postgres` (see `_server_command`), so it must own `base`."""
    if os.geteuid() != 0:
        return
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        raise StorageError(
            "running as root, so PostgreSQL must run as the `postgres` user, which "
            "does not exist. " + POSTGRES_MISSING,
            permanent=True,
        ) from None
    os.chown(base, account.pw_uid, account.pw_gid)


def _initdb(bindir: Path, data: Path) -> list[str]:
    return [
        str(bindir / "initdb"),
        f"--pgdata={data}",
        "--username=postgres",
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
    ]


def _server_command(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: as root, run them as the `postgres` user."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _run_server_tool(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _server_command(command),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=real_clock_env(),
    )


def real_clock_env() -> dict[str, str]:
    """This process's environment without libfaketime. A test run shifted in time (`faketime DATE
    pytest`) failed its lock-timeout test with the server under faketime and passed with it on the
    real clock; glutecoach's own dates come from its pinned clock, not the server's. The harness
    starts its queue workers with it too: they must agree with the server's clock."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("FAKETIME")}
    preload = [p for p in kept.pop("LD_PRELOAD", "").split(":") if p and "faketime" not in p]
    return {**kept, "LD_PRELOAD": ":".join(preload)} if preload else kept


def _tool_failed(what: str, done: subprocess.CompletedProcess[str], log: Path | None = None) -> str:
    server_log = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    return f"{what} failed ({done.returncode}):\n{done.stdout}{done.stderr}{server_log}"


def _start_server(bindir: Path, base: Path) -> int:
    """Start the cluster in base/data on a free port (another one if it was taken meanwhile)."""
    log = base / "server.log"
    for _attempt in range(3):
        port = _free_port()
        done = _start_on(bindir, base, port)
        if done.returncode == 0:
            return port
        if "could not bind" not in log.read_text(errors="replace"):
            break
    raise StorageError(_tool_failed("pg_ctl start", done, log), permanent=False)


def _start_on(bindir: Path, base: Path, port: int) -> subprocess.CompletedProcess[str]:
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={base} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    data, log = base / "data", base / "server.log"
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options]
    return _run_server_tool([*pg_ctl, "-w", "-t", "60", "start"], cwd=base)
