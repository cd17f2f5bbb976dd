"""Opening a database: the engine for each URL, and the first use creating and migrating it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from glutecoach.adapters.db.engine import current_revision, make_engine, open_database
from glutecoach.adapters.db.errors import StorageError
from glutecoach.adapters.db.tables import SCHEMA_HEAD
from glutecoach.settings import Settings
from tests.clock import CLOCK


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://coach@db.example:5433/glutecoach",
        "postgres://coach@db.example:5433/glutecoach",
        "postgresql+psycopg://coach@db.example:5433/glutecoach",
    ],
)
def test_postgresql_urls_use_psycopg_3_and_are_checked_before_use(url: str) -> None:
    engine = make_engine(url)
    assert engine.url.drivername == "postgresql+psycopg"
    assert (engine.url.host, engine.url.port, engine.url.database) == (
        "db.example",
        5433,
        "glutecoach",
    )
    assert engine.pool._pre_ping  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://coach@db/glutecoach", "'mysql://' is not a database glutecoach can use"),
        ("postgresql+asyncpg://db/glutecoach", "'postgresql+asyncpg://' is not a database"),
        ("glutecoach.db", "'glutecoach.db' is not a database URL"),
        ("postgresql://", "names no server or database"),
    ],
)
def test_a_url_that_is_neither_sqlite_nor_postgresql_is_refused(url: str, message: str) -> None:
    with pytest.raises(StorageError, match=re.escape(message)) as refused:
        make_engine(url)
    assert refused.value.permanent


def test_sqlite_connections_have_foreign_keys_wal_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'g.db'}")
    with engine.connect() as connection:
        assert connection.scalar(text("PRAGMA foreign_keys")) == 1
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert connection.scalar(text("PRAGMA busy_timeout")) == 5000
    engine.dispose()


def test_the_first_use_creates_the_default_database_in_the_users_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GLUTECOACH_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("HOME", str(tmp_path))
    url = Settings().resolved_database_url()
    file = tmp_path / "share" / "glutecoach" / "glutecoach.db"
    assert url == f"sqlite:///{file}"
    assert file.parent.is_dir() and not file.exists()

    with open_database(url, clock=CLOCK) as database:
        assert current_revision(database.engine) == SCHEMA_HEAD
    assert file.is_file()


def test_opening_an_up_to_date_database_does_not_load_alembic(database_url: str) -> None:
    open_database(database_url, clock=CLOCK).close()
    script = (
        "import sys; from glutecoach.adapters.db.engine import open_database; "
        "from glutecoach.adapters.clock import SystemClock; "
        f"open_database({database_url!r}, clock=SystemClock()).close(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_an_in_memory_database_lives_as_long_as_the_database_object() -> None:
    with open_database("sqlite://", clock=CLOCK) as database:
        with database.unit() as repo:
            repo.add_runner("ana", "Ana")
        with database.unit() as repo:
            assert [r.slug for r in repo.runners()] == ["ana"]
