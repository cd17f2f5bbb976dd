"""The services' tests run on each database (`database_url`, from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from glutecoach.adapters.db.repositories import Database
from glutecoach.services.store import open_store


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with open_store(database_url) as database:
        yield database
