"""`backup_sqlite`: a consistent copy while the database is in use; clear refusals otherwise."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from glutecoach.adapters.db.backup import backup_sqlite
from glutecoach.adapters.db.engine import open_database
from glutecoach.adapters.db.errors import StorageError
from tests.clock import CLOCK
from tests.factories import make_profile, make_run_log, make_session_log


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'glutecoach.db'}"
    with open_database(url, clock=CLOCK) as database, database.unit() as repo:
        ana = repo.add_runner("ana", "Ana")
        repo.save_profile(ana, make_profile())
        repo.add_session_log(ana, make_session_log())
        repo.add_run(ana, make_run_log())
    return url


@pytest.fixture
def open_writer(tmp_path: Path, sqlite_url: str) -> Iterator[sqlite3.Connection]:
    """Another program in the middle of a write: a transaction begun, a row not yet committed."""
    writer = sqlite3.connect(tmp_path / "glutecoach.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO runners (slug, name, created_at) VALUES ('ben', 'Ben', '2026-01-01 00:00:00')"
    )
    yield writer
    writer.execute("ROLLBACK")
    writer.close()


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as connection:
        tables = [
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {t: connection.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def test_a_backup_taken_while_another_program_writes_has_every_committed_row(
    tmp_path: Path, sqlite_url: str, open_writer: sqlite3.Connection
) -> None:
    copied = backup_sqlite(sqlite_url, tmp_path / "copy.db", CLOCK.now())

    assert copied == tmp_path / "copy.db"
    with sqlite3.connect(copied) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert rows(copied) == rows(tmp_path / "glutecoach.db")
    assert [r[1] for r in rows(copied)["runners"]] == ["ana"]  # not the uncommitted 'ben'
    with open_database(f"sqlite:///{copied}", clock=CLOCK) as restored, restored.unit() as repo:
        ana = repo.runner("ana")
        assert ana is not None and repo.runs(ana.id) == [make_run_log()]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_a_backup_into_a_folder_gets_a_dated_name(tmp_path: Path, sqlite_url: str) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    copied = backup_sqlite(sqlite_url, folder, CLOCK.now())
    assert copied.parent == folder
    assert copied.name == f"glutecoach-{CLOCK.now():%Y%m%d-%H%M%S}.db"  # when the clock says


def test_a_backup_replaces_an_older_one_only_when_complete(tmp_path: Path, sqlite_url: str) -> None:
    target = tmp_path / "copy.db"
    target.write_text("yesterday's backup")
    backup_sqlite(sqlite_url, target, CLOCK.now())
    assert [r[1] for r in rows(target)["runners"]] == ["ana"]


def test_a_postgresql_database_is_refused_with_a_pointer_to_pg_dump(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="use pg_dump") as refused:
        backup_sqlite("postgresql://coach@db.example/glutecoach", tmp_path / "copy.db", CLOCK.now())
    assert refused.value.permanent
    assert not (tmp_path / "copy.db").exists()


def test_a_missing_database_is_refused_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here.db"
    with pytest.raises(StorageError, match=f"there is no SQLite database at {missing}"):
        backup_sqlite(f"sqlite:///{missing}", tmp_path / "copy.db", CLOCK.now())
    assert not missing.exists() and not (tmp_path / "copy.db").exists()


def test_a_backup_into_a_missing_folder_is_refused(tmp_path: Path, sqlite_url: str) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        backup_sqlite(sqlite_url, tmp_path / "no" / "copy.db", CLOCK.now())


def test_a_backup_onto_the_database_itself_is_refused(tmp_path: Path, sqlite_url: str) -> None:
    with pytest.raises(StorageError, match="is the database itself"):
        backup_sqlite(sqlite_url, tmp_path / "glutecoach.db", CLOCK.now())
