"""The database the use cases work on, with the clock they read: from the settings, or the URL
and clock the caller gives."""

from __future__ import annotations

from glutecoach.adapters.db.engine import open_database
from glutecoach.adapters.db.repositories import Database
from glutecoach.domain.clock import Clock
from glutecoach.settings import load_settings


def open_store(url: str | None = None, clock: Clock | None = None) -> Database:
    """`url` and `clock` for tests and tools; otherwise GLUTECOACH_DATABASE_URL or the default
    SQLite file, and the machine's clock or the day GLUTECOACH_TODAY pins."""
    if url is not None and clock is not None:
        return open_database(url, clock=clock)
    settings = load_settings()
    return open_database(url or settings.resolved_database_url(), clock=clock or settings.clock())
