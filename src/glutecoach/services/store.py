"""The database the use cases work on, with the clock they read: from the settings, or the URL
and clock the caller gives. The interfaces hold it as a `Store`, narrow it to what the signed-in
actor may see, and hand it to the use cases; only the services open units of work on it."""

from __future__ import annotations

from typing import TypeAlias

from glutecoach.adapters.db.engine import open_database
from glutecoach.adapters.db.repositories import Database
from glutecoach.adapters.db.urls import normalise_url
from glutecoach.domain.access import Actor
from glutecoach.domain.clock import Clock
from glutecoach.settings import load_settings

Store: TypeAlias = Database


def open_store(url: str | None = None, clock: Clock | None = None) -> Store:
    """`url` and `clock` for tests and tools; otherwise GLUTECOACH_DATABASE_URL or the default
    SQLite file, and the machine's clock or the day GLUTECOACH_TODAY pins."""
    if url is not None and clock is not None:
        return open_database(url, clock=clock)
    settings = load_settings()
    return open_database(url or settings.resolved_database_url(), clock=clock or settings.clock())


def as_seen_by(store: Store, actor: Actor) -> Store:
    """The store as `actor` sees it: only the runners they may see exist in it."""
    return store.for_actor(actor)


def backend_of(url: str) -> str:
    """'sqlite' or 'postgresql' for a database URL; ValueError with a readable message else."""
    return normalise_url(url)[0]
