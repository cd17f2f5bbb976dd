from __future__ import annotations

from collections.abc import Iterator

import pytest

from glutecoach.adapters.db.engine import open_database
from glutecoach.adapters.db.repositories import Database
from tests.clock import CLOCK


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """The test's fresh database (SQLite, then PostgreSQL), opened and migrated."""
    with open_database(database_url, clock=CLOCK) as database:
        yield database
