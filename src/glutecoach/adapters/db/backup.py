"""A consistent copy of a SQLite database, safe while glutecoach (or anything) is using it."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from glutecoach.adapters.db.engine import sqlite_path
from glutecoach.adapters.db.errors import StorageError, from_driver_error
from glutecoach.adapters.db.urls import normalise_url


def backup_sqlite(url: str, destination: Path, at: dt.datetime) -> Path:
    """Copy the SQLite database at `url` to `destination` (a file, or a folder to put one in,
    under a name dated `at`).

    Uses SQLite's online backup API, so the copy is one consistent snapshot even while another
    process writes. It is written under a temporary name and renamed into place, so `destination`
    is either the complete old file or the complete new one. Returns the file written.
    """
    source = _source_file(url)
    if destination.is_dir():
        stamp = at.astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")
        destination = destination / f"{source.stem}-{stamp}{source.suffix or '.db'}"
    if not destination.parent.is_dir():
        raise StorageError(f"backup: folder {destination.parent} does not exist", permanent=True)
    if destination.resolve() == source:
        raise StorageError(f"backup: {destination} is the database itself", permanent=True)
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}.partial")
    try:
        _copy(source, temporary)
        os.replace(temporary, destination)
    except sqlite3.Error as error:
        raise from_driver_error(error, f"the SQLite database {source}") from None
    except OSError as error:
        raise StorageError(
            f"backup: cannot write {destination} ({error.strerror})", permanent=True
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return destination


def _source_file(url: str) -> Path:
    try:
        backend, normalised = normalise_url(url)
        parsed = make_url(normalised)
    except (ValueError, ArgumentError) as error:
        raise StorageError(f"database URL: {error}", permanent=True) from None
    if backend != "sqlite":
        raise StorageError(
            f"backup copies SQLite files; for the PostgreSQL database '{parsed.database}' use "
            "pg_dump (e.g. pg_dump --format=custom --file=glutecoach.dump DBNAME)",
            permanent=True,
        )
    path = sqlite_path(parsed)
    if path is None:
        raise StorageError("backup: an in-memory database has no file to copy", permanent=True)
    if not path.is_file():
        raise StorageError(f"backup: there is no SQLite database at {path}", permanent=True)
    return path


def _copy(source: Path, target: Path) -> None:
    # mode=rw: never create the source if it vanished since the check above
    reader = sqlite3.connect(f"{source.as_uri()}?mode=rw", uri=True, timeout=5.0)
    try:
        writer = sqlite3.connect(target)
        try:
            reader.backup(writer)  # all pages in one step: one snapshot, however busy the source
            # a self-contained single file: no -wal/-shm beside the copy
            writer.execute("PRAGMA journal_mode = DELETE")
        finally:
            writer.close()
    finally:
        reader.close()
