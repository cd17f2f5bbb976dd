"""Migrating a database with Alembic's programmatic API, from the scripts shipped in the package.

Each migration run is one transaction under a lock (SQLite `BEGIN IMMEDIATE`, a PostgreSQL advisory
lock), so two processes opening a new database at once do not both create it, and a refused or
failed migration leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from glutecoach.adapters.db.errors import StorageError

ALEMBIC_INI = Path(__file__).with_name("alembic.ini")
_PG_LOCK_KEY = 0x676C7574  # "glut": the advisory lock every glutecoach migration takes


def alembic_config(connection: Connection | None = None) -> Config:
    """The packaged alembic.ini; given `connection`, env.py migrates in its transaction."""
    config = Config(str(ALEMBIC_INI))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the packaged migrations have no head"
    return head


def known_revisions() -> set[str]:
    return {
        script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }


def upgrade(engine: Engine, *, where: str, revision: str = "head") -> None:
    """Upgrade to `revision`, refusing a newer schema or a database that is not glutecoach's."""
    with migrating(engine) as connection:
        current = MigrationContext.configure(connection).get_current_heads()
        unknown = sorted(set(current) - known_revisions())
        if unknown:
            raise StorageError(
                f"{where} was written by a newer glutecoach (schema {', '.join(unknown)}); "
                "upgrade glutecoach to use it. Nothing was changed.",
                permanent=True,
            )
        if not current:
            others = sorted(
                name
                for name in inspect(connection).get_table_names()
                # the task queue's own tables (GLUTECOACH_JOBS=queue) may come first
                if name != "alembic_version" and not name.startswith("procrastinate_")
            )
            if others:
                raise StorageError(
                    f"{where} has tables ({', '.join(others[:5])}) but no glutecoach schema: it "
                    "is not a glutecoach database. Nothing was changed.",
                    permanent=True,
                )
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade to `revision` ("base" drops every table). For developers and tests."""
    with migrating(engine) as connection:
        command.downgrade(alembic_config(connection), revision)


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in a locked transaction: committed if the body returns, else rolled back."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite's own recipe for schema changes: foreign keys off (a rebuilt table must not
            # cascade-delete its children), checked before committing, back on afterwards.
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        try:
            yield connection
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StorageError(
                        f"a migration left rows without their parents ({broken[:3]}); "
                        "nothing was changed",
                        permanent=True,
                    )
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            if sqlite:
                try:
                    connection.exec_driver_sql("PRAGMA foreign_keys = ON")
                except Exception:
                    connection.invalidate()  # never hand a connection without foreign keys back
