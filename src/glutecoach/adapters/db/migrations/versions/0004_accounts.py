"""Accounts: sign-in, sessions, one-time tokens, log-in attempts, runners' clinicians, notes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _at(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=True),
        _at("created_at"),
        _at("password_changed_at"),
        sa.CheckConstraint("role IN ('runner', 'clinician')", name=op.f("ck_accounts_role")),
        _fk("accounts", "runner_id", "runners", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("email", name=op.f("uq_accounts_email")),
        sa.UniqueConstraint("runner_id", name=op.f("uq_accounts_runner_id")),
    )
    op.create_table(
        "runner_clinicians",
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        _at("created_at"),
        _fk("runner_clinicians", "runner_id", "runners"),
        _fk("runner_clinicians", "clinician_id", "accounts"),
        sa.PrimaryKeyConstraint("runner_id", name=op.f("pk_runner_clinicians")),
    )
    op.create_index(
        op.f("ix_runner_clinicians_clinician_id"), "runner_clinicians", ["clinician_id"]
    )
    op.create_table(
        "account_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("clinician_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        _at("created_at"),
        _at("expires_at"),
        _at("used_at", nullable=True),
        sa.CheckConstraint(
            "purpose IN ('invite', 'reset')", name=op.f("ck_account_tokens_purpose")
        ),
        _fk("account_tokens", "account_id", "accounts"),
        _fk("account_tokens", "clinician_id", "accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_tokens_token_hash")),
    )
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        _at("created_at"),
        _at("expires_at"),
        _fk("login_sessions", "account_id", "accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_sessions_token_hash")),
    )
    op.create_index(op.f("ix_login_sessions_account_id"), "login_sessions", ["account_id"])
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        _at("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    op.create_index(op.f("ix_login_attempts_key_at"), "login_attempts", ["key", "at"])
    op.create_table(
        "clinician_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        _at("created_at"),
        _fk("clinician_notes", "runner_id", "runners"),
        _fk("clinician_notes", "author_id", "accounts", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinician_notes")),
    )
    op.create_index(
        op.f("ix_clinician_notes_runner_id_created_at"),
        "clinician_notes",
        ["runner_id", "created_at"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_clinician_notes_runner_id_created_at"), table_name="clinician_notes")
    op.drop_table("clinician_notes")
    op.drop_index(op.f("ix_login_attempts_key_at"), table_name="login_attempts")
    op.drop_table("login_attempts")
    op.drop_index(op.f("ix_login_sessions_account_id"), table_name="login_sessions")
    op.drop_table("login_sessions")
    op.drop_table("account_tokens")
    op.drop_index(op.f("ix_runner_clinicians_clinician_id"), table_name="runner_clinicians")
    op.drop_table("runner_clinicians")
    op.drop_table("accounts")
