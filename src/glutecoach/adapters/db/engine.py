"""Engines and opening a database: SQLite tuned for one user and a few processes, or PostgreSQL."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from glutecoach.adapters.db.errors import StorageError, from_driver_error
from glutecoach.adapters.db.json_text import dump_json
from glutecoach.adapters.db.repositories import Database
from glutecoach.adapters.db.tables import SCHEMA_HEAD
from glutecoach.adapters.db.urls import normalise_url
from glutecoach.domain.clock import Clock

BUSY_TIMEOUT_S = 5.0  # how long a SQLite writer waits for another before "database is locked"
CONNECT_TIMEOUT_S = 10  # how long to wait for a PostgreSQL server to answer
# Connections kept open per process. The web app serves up to ~10 requests at once per worker;
# with SQLAlchemy's default of 5 every further request opened (and then closed) a connection of
# its own, which on PostgreSQL costs more than the request. Overflow covers bursts.
POOL_SIZE = 10
POOL_OVERFLOW = 20


def make_engine(url: str, *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Engine:
    """An engine for a SQLite or PostgreSQL URL (plain `postgresql://` is rewritten to psycopg 3).

    SQLite connections get foreign keys ON, WAL journaling and a busy timeout; PostgreSQL
    connections are checked before use (`pool_pre_ping`), so a restarted server is not an error.
    """
    try:
        backend, normalised = normalise_url(url)
        parsed = make_url(normalised)
    except (ValueError, ArgumentError) as error:
        raise StorageError(f"database URL: {error}", permanent=True) from None
    if backend == "sqlite":
        return _sqlite_engine(parsed, busy_timeout_s)
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    return create_engine(
        parsed,
        json_serializer=dump_json,
        pool_pre_ping=True,
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        connect_args=connect_args,
    )


def _sqlite_engine(url: URL, busy_timeout_s: float) -> Engine:
    memory = sqlite_path(url) is None
    pooling: dict[str, Any] = (
        {"poolclass": StaticPool}  # one shared connection, or the database would vanish
        if memory
        else {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}
    )
    engine = create_engine(
        url,
        json_serializer=dump_json,
        # The web app's sync routes run in worker threads; the pool hands each connection to one
        # thread at a time, so sqlite3's same-thread check would only refuse safe reuse.
        connect_args={"timeout": busy_timeout_s, "check_same_thread": False},
        **pooling,
    )

    @event.listens_for(engine, "connect")
    def _configure(connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        connection.execute("PRAGMA foreign_keys = ON")
        # read-only or busy: it keeps its journal mode, and reads still work
        with contextlib.suppress(sqlite3.OperationalError):
            connection.execute("PRAGMA journal_mode = WAL")

    return engine


def sqlite_path(url: URL | str) -> Path | None:
    """The file a SQLite URL names (`sqlite:///file:name.db?mode=ro&uri=true` too); None: memory."""
    parsed = make_url(url) if isinstance(url, str) else url
    database = parsed.database or ""
    if database in ("", ":memory:"):
        return None
    if parsed.query.get("uri") == "true" and database.startswith("file:"):
        database = database.removeprefix("file:").split("?")[0]
        if database in ("", ":memory:") or parsed.query.get("mode") == "memory":
            return None
    return Path(database).expanduser().resolve()


def describe(url: URL) -> str:
    """How messages name a database: the SQLite file, or the PostgreSQL server and database."""
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        return f"the SQLite database {path}" if path else "the in-memory SQLite database"
    host = url.host or "localhost (socket)"
    port = f":{url.port}" if url.port else ""
    return f"the PostgreSQL database '{url.database}' on {host}{port}"


def open_database(url: str, *, clock: Clock, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Database:
    """The database at `url`, created and migrated to the current schema if it is new or older.

    Refuses (StorageError, permanent, nothing changed) a database written by a newer glutecoach
    and one that has tables but is not glutecoach's. Driver errors (locked, read-only, server
    unreachable) become StorageErrors that name the file or server.
    """
    engine = make_engine(url, busy_timeout_s=busy_timeout_s)
    where = describe(engine.url)
    try:
        _check_folder(engine.url, where)
        if current_revision(engine) != SCHEMA_HEAD:
            from glutecoach.adapters.db import schema  # Alembic: only when there is work to do

            schema.upgrade(engine, where=where)
    except DBAPIError as error:
        engine.dispose()
        raise from_driver_error(error.orig, where) from None
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, where, clock=clock)


def current_revision(engine: Engine) -> str | None:
    """The schema revision stamped in the database; None when it has no glutecoach schema."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else ",".join(sorted(rows)) or None


def _check_folder(url: URL, where: str) -> None:
    path = sqlite_path(url)
    if path is not None and not path.parent.is_dir():
        raise StorageError(
            f"cannot create {where}: folder {path.parent} does not exist", permanent=True
        )
