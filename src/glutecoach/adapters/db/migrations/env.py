"""Alembic's entry point. Called two ways:

- from `glutecoach.adapters.db.schema` with a connection in `config.attributes["connection"]`: the
  caller owns the transaction and the lock; nothing here configures logging;
- from the `alembic` command (root alembic.ini): the URL is `-x url=...`, else `sqlalchemy.url`,
  else GLUTECOACH_DATABASE_URL or the default SQLite file, as glutecoach itself would open it.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from glutecoach.adapters.db.engine import make_engine
from glutecoach.adapters.db.schema import migrating
from glutecoach.adapters.db.tables import Base
from glutecoach.settings import load_settings

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only change most things by rebuilding a table
        compare_type=True,
    )


def _url() -> str:
    given = context.get_x_argument(as_dictionary=True).get("url")
    return (
        given
        or config.get_main_option("sqlalchemy.url")
        or (load_settings().resolved_database_url())
    )


def run() -> None:
    passed = config.attributes.get("connection")
    if passed is not None:
        _configure(passed)
        with context.begin_transaction():  # inside the caller's transaction: no-op
            context.run_migrations()
        return
    if config.config_file_name and config.file_config.has_section("loggers"):
        fileConfig(config.config_file_name)
    if context.is_offline_mode():
        context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    try:
        with migrating(engine) as connection:  # one locked transaction, as glutecoach migrates
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


run()
