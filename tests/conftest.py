from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from glutecoach.adapters.db.errors import StorageError
from glutecoach.adapters.db.throwaway import PostgresServer, throwaway_postgres
from glutecoach.domain.library import Library, load_library
from tests.clock import TODAY

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _shared_data() -> Path:
    """The team's real run files and clips (../shared/data beside the repository); a clone kept
    elsewhere names them with GLUTECOACH_SHARED_DATA."""
    named = os.environ.get("GLUTECOACH_SHARED_DATA")
    for candidate in (Path(named) if named else None, ROOT.parent / "shared" / "data"):
        if candidate is not None and candidate.is_dir():
            return candidate
    for parent in ROOT.parents:  # a clone in a sub-folder of the workspace
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return ROOT.parent / "shared" / "data"  # missing: the tests that read it say which file


SHARED_DATA = _shared_data()


def pytest_configure(config: pytest.Config) -> None:
    """The app's own settings pin today for the whole run: every use case that takes its clock
    from the settings, in this process and in every child process started with its environment."""
    os.environ["GLUTECOACH_TODAY"] = TODAY.isoformat()


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


# PostgreSQL: a real server the harness starts itself ----------------------------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """initdb + pg_ctl on a temporary folder and a free loopback port; stopped at the end."""
    try:
        with throwaway_postgres() as server:
            yield server
    except StorageError as error:  # not installed, or initdb / pg_ctl failed: say so, no traceback
        pytest.fail(error.message, pytrace=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for each test: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'glutecoach.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)
