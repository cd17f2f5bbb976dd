"""Plan documents store each distinct session once, and a day's sessions as indexes into them.

A 24-week plan repeats a few dozen sessions over its ~360 session days: written out whole it was
~400 kB of JSON, parsed and stored again by every session log; with its sessions shared it is
~60 kB (adapters/db/plan_documents.py). The stored documents are rewritten here, a batch at a
time; the conversion works on the JSON alone, so it stays true whatever the plan models become.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 200  # documents read and written at a time: a clinic's plans do not fit in memory

plans = sa.table(
    "plans",
    sa.column("id", sa.Integer()),
    sa.column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
)


def shared(document: dict[str, Any]) -> dict[str, Any]:
    """A whole plan document with its sessions shared (one left as it is if not a whole plan)."""
    if "sessions" in document or not isinstance(document.get("weeks"), list):
        return document
    index: dict[str, int] = {}
    sessions: list[Any] = []
    weeks = []
    for week in document["weeks"]:
        days = []
        for day in week["days"]:
            refs = []
            for session in day.get("sessions", []):
                key = json.dumps(session, sort_keys=True)
                if key not in index:
                    index[key] = len(sessions)
                    sessions.append(session)
                refs.append(index[key])
            days.append({**day, "sessions": refs})
        weeks.append({**week, "days": days})
    return {**document, "weeks": weeks, "sessions": sessions}


def whole(document: dict[str, Any]) -> dict[str, Any]:
    """A document with shared sessions written out whole again."""
    if "sessions" not in document:
        return document
    sessions = document["sessions"]
    rest = {key: value for key, value in document.items() if key != "sessions"}
    rest["weeks"] = [
        {
            **week,
            "days": [
                {**day, "sessions": [sessions[i] for i in day["sessions"]]} for day in week["days"]
            ],
        }
        for week in document.get("weeks", [])
    ]
    return rest


def _rewrite(convert: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.select(plans.c.id, plans.c.data)
            .where(plans.c.id > last)
            .order_by(plans.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        changed = []
        for plan_id, data in rows:
            document = json.loads(data) if isinstance(data, str) else data
            converted = convert(document)
            if converted is not document:
                changed.append({"plan_id": plan_id, "document": converted})
        if changed:  # one statement a batch
            bind.execute(
                plans.update()
                .where(plans.c.id == sa.bindparam("plan_id"))
                .values(data=sa.bindparam("document")),
                changed,
            )
        last = rows[-1][0]


def upgrade() -> None:
    _rewrite(shared)


def downgrade() -> None:
    _rewrite(whole)
