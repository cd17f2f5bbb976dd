"""Each plan version records the latest day one of its changes takes effect.

A clinician's overview flags the regressions of the last days; it read every plan version's
change lines of each runner (a year of them is ~110 versions) to find them. With the day in a
column, indexed with the runner, it reads only the versions whose changes reach those days. The
stored versions get theirs from their change lines here, a batch at a time.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000

plans = sa.table(
    "plans",
    sa.column("id", sa.Integer()),
    sa.column("changes", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
    sa.column("changes_until", sa.Date()),
)


def until(lines: Any) -> dt.date | None:
    """As records.changes_until: the latest effective_from; a line that does not say, for ever."""
    latest: dt.date | None = None
    for line in json.loads(lines) if isinstance(lines, str) else lines or ():
        try:
            day = dt.date.fromisoformat(json.loads(line)["effective_from"])
        except (ValueError, TypeError, KeyError):
            day = dt.date.max
        latest = day if latest is None else max(latest, day)
    return latest


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("changes_until", sa.Date(), nullable=True))
        batch.create_index(op.f("ix_plans_runner_id_changes_until"), ["runner_id", "changes_until"])
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.select(plans.c.id, plans.c.changes)
            .where(plans.c.id > last)
            .order_by(plans.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        found = [{"plan_id": i, "day": day} for i, lines in rows if (day := until(lines))]
        if found:  # one statement a batch (a clinic has hundreds of thousands of versions)
            bind.execute(
                plans.update()
                .where(plans.c.id == sa.bindparam("plan_id"))
                .values(changes_until=sa.bindparam("day")),
                found,
            )
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_index(op.f("ix_plans_runner_id_changes_until"))
        batch.drop_column("changes_until")
