"""Recorded runs: activities read from FIT, GPX and TCX files.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _double(name: str, nullable: bool = True) -> sa.Column[float]:
    return sa.Column(name, sa.Double(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "recorded_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("utc_offset_s", sa.Integer(), nullable=True),
        sa.Column("sport", sa.String(length=16), nullable=False),
        sa.Column("sport_detail", sa.Text(), nullable=True),
        _double("distance_m"),
        _double("elapsed_s", nullable=False),
        _double("moving_s"),
        _double("elevation_gain_m"),
        sa.Column("avg_hr", sa.Integer(), nullable=True),
        sa.Column("max_hr", sa.Integer(), nullable=True),
        _double("cadence_spm"),
        _double("gct_ms"),
        _double("gct_balance_left_pct"),
        _double("vertical_oscillation_mm"),
        _double("vertical_ratio_pct"),
        _double("step_length_m"),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("device", sa.Text(), nullable=True),
        sa.Column(
            "bands", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("file_format", sa.String(length=8), nullable=False),
        sa.Column("file_digest", sa.String(length=64), nullable=False),
        sa.Column("file_run", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_recorded_runs_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recorded_runs")),
        sa.UniqueConstraint(
            "runner_id",
            "file_digest",
            "file_run",
            name=op.f("uq_recorded_runs_runner_id_file_digest_file_run"),
        ),
    )
    op.create_index(
        op.f("ix_recorded_runs_runner_id_started_at"), "recorded_runs", ["runner_id", "started_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_recorded_runs_runner_id_started_at"), table_name="recorded_runs")
    op.drop_table("recorded_runs")
