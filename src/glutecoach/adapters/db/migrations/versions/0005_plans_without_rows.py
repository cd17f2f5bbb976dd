"""Plans are one document per version: the planned-session rows go, and on PostgreSQL the
document is compressed with lz4.

Every plan version also wrote each planned session as a row (~360 for a 24-week plan) that no
read ever used; storing them was most of the cost of a session log. A plan document is ~400 kB
of very repetitive JSON: lz4 stores it in about half the time pglz takes (bench/clinic.py).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index(op.f("ix_planned_sessions_plan_id_date"), table_name="planned_sessions")
    op.drop_table("planned_sessions")
    if op.get_bind().dialect.name == "postgresql" and _has_lz4():
        # only new documents are compressed so; the stored ones stay as they are
        op.execute("ALTER TABLE plans ALTER COLUMN data SET COMPRESSION lz4")


def _has_lz4() -> bool:
    """PostgreSQL 14 on, built with lz4 (Debian's and the official images are)."""
    bind = op.get_bind()
    if int(bind.execute(sa.text("SHOW server_version_num")).scalar_one()) < 140000:
        return False
    options = bind.execute(
        sa.text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar_one_or_none()
    return "lz4" in (options or ())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql" and _has_lz4():
        op.execute("ALTER TABLE plans ALTER COLUMN data SET COMPRESSION pglz")
    op.create_table(
        "planned_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "prescriptions",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_planned_sessions_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planned_sessions")),
    )
    op.create_index(
        op.f("ix_planned_sessions_plan_id_date"), "planned_sessions", ["plan_id", "date"]
    )
