"""Stored rows for accounts: who may sign in, their sessions and one-time tokens, log-in attempts,
which clinician looks after which runner, and clinicians' notes.

Secrets are never stored: passwords as argon2 hashes, tokens as their sha256 (hex).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from glutecoach.adapters.db.tables import Base


def _account_fk(nullable: bool = False, ondelete: str = "CASCADE") -> Mapped[int]:
    return mapped_column(ForeignKey("accounts.id", ondelete=ondelete), nullable=nullable)


class AccountRow(Base):
    __tablename__ = "accounts"
    __table_args__ = (CheckConstraint("role IN ('runner', 'clinician')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # lower-cased, stripped
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id, with its parameters
    # a runner account's own runner (None for a clinician, or when the runner was removed)
    runner_id: Mapped[int | None] = mapped_column(
        ForeignKey("runners.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[dt.datetime]
    password_changed_at: Mapped[dt.datetime]


class RunnerClinicianRow(Base):
    """The clinician who looks after a runner (at most one). A runner a clinician adds has no
    account of its own yet, so the link belongs to the runner, not to a runner's account."""

    __tablename__ = "runner_clinicians"
    __table_args__ = (Index(None, "clinician_id"),)

    runner_id: Mapped[int] = mapped_column(
        ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True
    )
    clinician_id: Mapped[int] = _account_fk()
    created_at: Mapped[dt.datetime]


class AccountTokenRow(Base):
    """A one-time token: an invitation (for an email, from a clinician) or a password reset."""

    __tablename__ = "account_tokens"
    __table_args__ = (CheckConstraint("purpose IN ('invite', 'reset')", name="purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex
    purpose: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[int | None] = _account_fk(nullable=True)  # a reset's account
    clinician_id: Mapped[int | None] = _account_fk(nullable=True)  # an invitation's clinician
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]


class LoginSessionRow(Base):
    __tablename__ = "login_sessions"
    __table_args__ = (Index(None, "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex
    account_id: Mapped[int] = _account_fk()
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]


class LoginAttemptRow(Base):
    """A failed log-in, once per key ('email:ana@example.org', 'ip:192.0.2.1'): stored, so the
    limit holds across worker processes."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index(None, "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[dt.datetime]


class ClinicianNoteRow(Base):
    __tablename__ = "clinician_notes"
    __table_args__ = (Index(None, "runner_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = _account_fk(nullable=True, ondelete="SET NULL")  # None: local
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
