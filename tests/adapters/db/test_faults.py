"""A locked, read-only or newer database gives a clear StorageError and nothing stored changes."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from glutecoach.adapters.db.engine import open_database
from glutecoach.adapters.db.errors import StorageError
from tests.clock import CLOCK
from tests.conftest import PostgresServer
from tests.factories import make_run_log


def add_ana(url: str) -> None:
    with open_database(url, clock=CLOCK) as database, database.unit() as repo:
        repo.add_run(repo.add_runner("ana", "Ana"), make_run_log())


def add_ben(url: str, busy_timeout_s: float = 5.0) -> None:
    with (
        open_database(url, busy_timeout_s=busy_timeout_s, clock=CLOCK) as database,
        database.unit() as repo,
    ):
        assert [r.slug for r in repo.runners()] == ["ana"]  # reading works (WAL: even if locked)
        repo.add_runner("ben", "Ben")


def slugs(url: str) -> list[str]:
    with open_database(url, clock=CLOCK) as database, database.unit() as repo:
        return [r.slug for r in repo.runners()]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "glutecoach.db"
    path.parent.mkdir()
    add_ana(f"sqlite:///{path}")
    return path


@pytest.fixture
def exclusive_lock(sqlite_file: Path) -> Iterator[None]:
    """Another program holding the database with BEGIN EXCLUSIVE."""
    other = sqlite3.connect(sqlite_file, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield
    other.execute("ROLLBACK")
    other.close()


def test_a_locked_database_is_a_temporary_error_naming_the_file(
    sqlite_file: Path, exclusive_lock: None
) -> None:
    url = f"sqlite:///{sqlite_file}"
    started = time.monotonic()  # timing
    with pytest.raises(StorageError) as refused:
        add_ben(url, busy_timeout_s=0.2)
    assert time.monotonic() - started < 3  # timing: the busy timeout, not a hang
    assert not refused.value.permanent
    assert refused.value.message == (
        f"the SQLite database {sqlite_file} is locked by another program (another glutecoach "
        "still writing?); nothing was saved, try again in a moment"
    )
    assert refused.value.status_code == 503


def test_a_locked_database_changes_nothing(sqlite_file: Path, exclusive_lock: None) -> None:
    url = f"sqlite:///{sqlite_file}"
    before = digest(sqlite_file)
    with pytest.raises(StorageError):
        add_ben(url, busy_timeout_s=0.1)
    assert digest(sqlite_file) == before


def test_the_lock_gone_the_same_write_succeeds(sqlite_file: Path) -> None:
    url = f"sqlite:///{sqlite_file}"
    other = sqlite3.connect(sqlite_file, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(StorageError):
        add_ben(url, busy_timeout_s=0.1)
    other.execute("ROLLBACK")
    other.close()
    assert slugs(url) == ["ana"]
    add_ben(url)
    assert slugs(url) == ["ana", "ben"]


def permissions_are_enforced(path: Path) -> bool:
    """False when running as root (or with CAP_DAC_OVERRIDE): chmod does not stop us writing."""
    try:
        with path.open("r+b"):
            return False
    except PermissionError:
        return True


def test_a_read_only_database_refuses_writes_with_a_clear_message_and_keeps_its_rows(
    sqlite_file: Path,
) -> None:
    url = f"sqlite:///{sqlite_file}"
    folder = sqlite_file.parent
    before = digest(sqlite_file)
    sqlite_file.chmod(0o444)
    folder.chmod(0o444)
    try:
        enforced = permissions_are_enforced(sqlite_file)
        if not enforced:
            # Root writes through chmod; SQLite's own read-only mode is what a read-only
            # file looks like to a normal user once it is open.
            url = f"sqlite:///file:{sqlite_file}?mode=ro&uri=true"
        with pytest.raises(StorageError) as refused:
            add_ben(url)
        after = digest(sqlite_file)
    finally:
        folder.chmod(0o755)
        sqlite_file.chmod(0o644)

    assert refused.value.permanent
    assert str(sqlite_file) in refused.value.message
    if enforced:  # a folder without search permission: the file cannot even be opened
        assert "may read and write both the file and the folder" in refused.value.message
    else:
        assert refused.value.message == (
            f"the SQLite database {sqlite_file} is read-only: glutecoach cannot write to it "
            "and nothing was saved; check the permissions of the file and of its folder"
        )
    assert after == before
    assert slugs(f"sqlite:///{sqlite_file}") == ["ana"]


def test_a_read_only_database_can_still_be_read(sqlite_file: Path) -> None:
    url = f"sqlite:///file:{sqlite_file}?mode=ro&uri=true"
    with open_database(url, clock=CLOCK) as database, database.unit() as repo:
        ana = repo.runner("ana")
        assert ana is not None and repo.runs(ana.id) == [make_run_log()]


def test_a_database_from_a_newer_glutecoach_is_refused_and_left_alone(database_url: str) -> None:
    add_ana(database_url)
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0042'"))
    before = sorted(inspect(engine).get_table_names())

    with pytest.raises(StorageError) as refused:
        open_database(database_url, clock=CLOCK)

    assert refused.value.permanent
    assert "was written by a newer glutecoach (schema 0042); upgrade glutecoach" in (
        refused.value.message
    )
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0042"
        assert connection.scalar(text("SELECT slug FROM runners")) == "ana"
    assert sorted(inspect(engine).get_table_names()) == before
    engine.dispose()


def test_a_database_that_is_not_glutecoachs_is_refused_and_left_alone(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    with pytest.raises(StorageError, match=r"has tables \(invoices\) but no glutecoach schema"):
        open_database(database_url, clock=CLOCK)
    assert inspect(engine).get_table_names() == ["invoices"]
    engine.dispose()


def test_a_sqlite_file_in_a_missing_folder_is_refused_with_its_name(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "glutecoach.db"
    with pytest.raises(StorageError, match=f"folder {tmp_path / 'nowhere'} does not exist"):
        open_database(f"sqlite:///{missing}", clock=CLOCK)
    assert not missing.parent.exists()


def test_an_unreachable_postgresql_server_is_a_temporary_error_naming_it(
    unused_port: int,
) -> None:
    with pytest.raises(StorageError) as refused:
        open_database(f"postgresql://coach@127.0.0.1:{unused_port}/glutecoach", clock=CLOCK)
    assert not refused.value.permanent
    assert refused.value.message.startswith(
        f"cannot reach the PostgreSQL database 'glutecoach' on 127.0.0.1:{unused_port}: "
    )
    assert "check that the server is running" in refused.value.message


def test_a_missing_postgresql_database_is_named(postgres_server: PostgresServer) -> None:
    with pytest.raises(
        StorageError, match=r"'no_such_db' on 127\.0\.0\.1:\d+ does not exist"
    ) as refused:
        open_database(postgres_server.url("no_such_db"), clock=CLOCK)
    assert refused.value.permanent


def test_a_login_the_server_refuses_is_named_and_permanent(
    postgres_server: PostgresServer,
) -> None:
    url = postgres_server.url("postgres").replace("postgres@", "nobody@")
    with pytest.raises(StorageError, match='refused the login: role "nobody" does not exist') as e:
        open_database(url, clock=CLOCK)
    assert e.value.permanent


def test_a_password_in_the_url_never_appears_in_a_message(unused_port: int) -> None:
    with pytest.raises(StorageError) as refused:
        open_database(f"postgresql://coach:s3cret@127.0.0.1:{unused_port}/glutecoach", clock=CLOCK)
    assert "s3cret" not in refused.value.message


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
