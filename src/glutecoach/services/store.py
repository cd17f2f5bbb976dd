"""The database the use cases work on: from the settings, or a URL the caller gives."""

from __future__ import annotations

from glutecoach.adapters.db.engine import open_database
from glutecoach.adapters.db.repositories import Database
from glutecoach.settings import load_settings


def open_store(url: str | None = None) -> Database:
    """`url` for tests and tools; otherwise GLUTECOACH_DATABASE_URL or the default SQLite file."""
    return open_database(url or load_settings().resolved_database_url())
