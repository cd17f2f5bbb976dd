"""Migrations: empty to head, every step down and up again, and the same schema as the models."""

from __future__ import annotations

import glob
import tomllib
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from glutecoach.adapters.db import schema
from glutecoach.adapters.db.engine import current_revision, open_database
from glutecoach.adapters.db.repositories import Database
from glutecoach.adapters.db.tables import SCHEMA_HEAD, Base
from tests.clock import CLOCK
from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "glutecoach"


def snapshot(engine: Engine) -> dict[str, Any]:
    """Tables with their columns, keys and indexes, as the database reports them."""
    found = inspect(engine)
    return {
        table: {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)
            ],
            "primary": found.get_pk_constraint(table)["constrained_columns"],
            "foreign": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"], str(f.get("options")))
                for f in found.get_foreign_keys(table)
            ),
            "unique": sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(table)),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"])) for i in found.get_indexes(table)
            ),
        }
        for table in sorted(found.get_table_names())
    }


def test_a_new_database_is_created_at_the_head_revision(database_url: str) -> None:
    with open_database(database_url, clock=CLOCK) as database:
        assert current_revision(database.engine) == schema.head_revision() == SCHEMA_HEAD
        tables = set(inspect(database.engine).get_table_names())
    assert tables == set(Base.metadata.tables) | {"alembic_version"}


def test_the_migrations_build_exactly_what_the_models_describe(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrading_to_base_and_upgrading_again_gives_the_same_schema(database: Database) -> None:
    before = snapshot(database.engine)

    schema.downgrade(database.engine, "base")
    assert current_revision(database.engine) is None
    assert set(inspect(database.engine).get_table_names()) <= {"alembic_version"}

    schema.upgrade(database.engine, where=database.where)
    assert snapshot(database.engine) == before
    with database.unit() as repo:
        repo.add_runner("ana", "Ana")


def test_every_revision_goes_down_one_step_and_up_again(database_url: str) -> None:
    script = ScriptDirectory.from_config(schema.alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    with open_database(database_url, clock=CLOCK) as database:
        schema.downgrade(database.engine, "base")
        for revision in revisions:
            schema.upgrade(database.engine, where=database.where, revision=revision)
            after_upgrade = snapshot(database.engine)
            schema.downgrade(database.engine, "-1")
            schema.upgrade(database.engine, where=database.where, revision=revision)
            assert snapshot(database.engine) == after_upgrade, revision
            assert current_revision(database.engine) == revision


def test_the_schema_head_in_the_code_is_the_head_of_the_migrations() -> None:
    assert schema.head_revision() == SCHEMA_HEAD
    assert schema.known_revisions() >= {SCHEMA_HEAD}


def test_the_migrations_are_shipped_as_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["glutecoach"]
    folder = PACKAGE / "adapters" / "db"
    needed = [folder / "alembic.ini", *sorted((folder / "migrations").rglob("*.py"))]
    shipped = {name for pattern in patterns for name in glob.glob(pattern, root_dir=PACKAGE)}
    for path in needed:
        assert path.relative_to(PACKAGE).as_posix() in shipped, f"{path.name} is not shipped"


def test_the_developers_alembic_ini_points_at_the_packaged_scripts() -> None:
    text = (ROOT / "alembic.ini").read_text()
    assert "script_location = %(here)s/src/glutecoach/adapters/db/migrations" in text
    assert Path(schema.alembic_config().get_main_option("script_location") or "").resolve() == (
        PACKAGE / "adapters" / "db" / "migrations"
    )
