"""Clearances: an area reported pain-free, by the runner's re-check or by a clinician. Pain at
the referral level holds an exercise back from every session until its areas are cleared.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clearances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("cleared_by", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "cleared_by IN ('runner', 'clinician')", name=op.f("ck_clearances_cleared_by")
        ),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_clearances_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clearances")),
    )
    op.create_index(op.f("ix_clearances_runner_id_date"), "clearances", ["runner_id", "date"])


def downgrade() -> None:
    op.drop_index(op.f("ix_clearances_runner_id_date"), table_name="clearances")
    op.drop_table("clearances")
