"""The clinician's overview rows, shared by every server process.

Each web worker kept the overview rows it had computed, so a clinician's first look in each of
the workers computed all their runners again (~130 ms for 40 runners on PostgreSQL). The rows
are now also stored with the stamp they were computed from; any worker uses them while the
runner's stamp is unchanged. A cache: the table can be emptied at any time.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "runner_overviews",
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.Text(), nullable=False),
        sa.Column("timezone", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_runner_overviews_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("runner_id", name=op.f("pk_runner_overviews")),
    )


def downgrade() -> None:
    op.drop_table("runner_overviews")
