"""Request-scoped access to the database and the runner a page or endpoint is about."""

from __future__ import annotations

from fastapi import Request

from glutecoach.adapters.db.repositories import Database


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db
