"""Request-scoped access to the database and the runner a page or endpoint is about."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from glutecoach.adapters.db.repositories import Database, RunnerRecord


async def get_db(request: Request) -> Database:  # async: no worker-thread hop for a lookup
    db: Database = request.app.state.db
    return db


Db = Annotated[Database, Depends(get_db)]


def runner_list(db: Database) -> list[RunnerRecord]:
    """Every runner, by slug (no use case needs more than the stored records)."""
    with db.unit() as repo:
        return repo.runners()
