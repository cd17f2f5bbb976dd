"""Accounts, their sessions and tokens, log-in attempts, runners' clinicians and notes, within the
caller's unit of work. Lookups for signing in are not limited by the actor (nobody is signed in
yet); notes are, through the repository's runner guard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, Select, delete, func, insert, select, update
from sqlalchemy.orm import Session

from glutecoach.adapters.db.account_tables import (
    AccountRow,
    AccountTokenRow,
    ClinicianNoteRow,
    LoginAttemptRow,
    LoginSessionRow,
    RunnerClinicianRow,
)
from glutecoach.domain.errors import RuleViolation

Role = Literal["runner", "clinician"]
TokenPurpose = Literal["invite", "reset"]


@dataclass(frozen=True)
class AccountRecord:
    id: int
    email: str
    name: str
    role: Role
    password_hash: str
    runner_id: int | None
    clinician_id: int | None  # a runner account's clinician (through its runner)
    created_at: dt.datetime
    password_changed_at: dt.datetime


@dataclass(frozen=True)
class SessionHolder:
    """The account a sign-in session belongs to, as much of it as a request needs."""

    account_id: int
    role: Role
    runner_id: int | None


@dataclass(frozen=True)
class TokenRecord:
    id: int
    purpose: TokenPurpose
    account_id: int | None
    clinician_id: int | None
    email: str
    expires_at: dt.datetime
    used_at: dt.datetime | None


@dataclass(frozen=True)
class NoteRecord:
    id: int
    runner_id: int
    author_id: int | None
    author_name: str | None
    text: str
    created_at: dt.datetime


class Accounts:
    def __init__(self, session: Session, guard: Callable[[int], None]) -> None:
        self.session = session
        self._guard = guard  # raises NotFound for a runner the actor may not see

    # accounts -----------------------------------------------------------------------------------

    def add(
        self,
        *,
        email: str,
        name: str,
        role: Role,
        password_hash: str,
        now: dt.datetime,
        runner_id: int | None = None,
    ) -> int:
        if self.by_email(email) is not None:
            raise RuleViolation(f"there is already an account for {email}")
        row = AccountRow(
            email=email,
            name=name,
            role=role,
            password_hash=password_hash,
            runner_id=runner_id,
            created_at=now,
            password_changed_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def exist(self) -> bool:
        return self.session.scalar(select(AccountRow.id).limit(1)) is not None

    def by_email(self, email: str) -> AccountRecord | None:
        return self._one(AccountRow.email == email)

    def by_id(self, account_id: int) -> AccountRecord | None:
        return self._one(AccountRow.id == account_id)

    def every(self) -> list[AccountRecord]:
        return self._records(self._query().order_by(AccountRow.role, AccountRow.email))

    def set_password(self, account_id: int, password_hash: str, now: dt.datetime) -> None:
        self.session.execute(
            update(AccountRow)
            .where(AccountRow.id == account_id)
            .values(password_hash=password_hash, password_changed_at=now)
        )

    def _query(self) -> Select[AccountRow, int]:
        return select(AccountRow, RunnerClinicianRow.clinician_id).outerjoin(
            RunnerClinicianRow, RunnerClinicianRow.runner_id == AccountRow.runner_id
        )

    def _one(self, condition: ColumnElement[bool]) -> AccountRecord | None:
        found = self._records(self._query().where(condition))
        return found[0] if found else None

    def _records(self, query: Select[AccountRow, int]) -> list[AccountRecord]:
        return [
            AccountRecord(
                row.id,
                row.email,
                name=row.name,
                role=_role(row.role),
                password_hash=row.password_hash,
                runner_id=row.runner_id,
                clinician_id=clinician_id,
                created_at=row.created_at,
                password_changed_at=row.password_changed_at,
            )
            for row, clinician_id in self.session.execute(query)
        ]

    # runners' clinicians ------------------------------------------------------------------------

    def link_runner(self, runner_id: int, clinician_id: int, now: dt.datetime) -> None:
        """`clinician_id` looks after the runner from now on (replacing any other clinician)."""
        self.session.execute(
            delete(RunnerClinicianRow).where(RunnerClinicianRow.runner_id == runner_id)
        )
        self.session.add(
            RunnerClinicianRow(runner_id=runner_id, clinician_id=clinician_id, created_at=now)
        )
        self.session.flush()

    def clinician_of(self, runner_id: int) -> int | None:
        found: int | None = self.session.scalar(
            select(RunnerClinicianRow.clinician_id).where(RunnerClinicianRow.runner_id == runner_id)
        )
        return found

    # one-time tokens ----------------------------------------------------------------------------

    def add_token(
        self,
        token_hash: str,
        purpose: TokenPurpose,
        *,
        email: str,
        now: dt.datetime,
        expires_at: dt.datetime,
        account_id: int | None = None,
        clinician_id: int | None = None,
    ) -> None:
        self.session.add(
            AccountTokenRow(
                token_hash=token_hash,
                purpose=purpose,
                account_id=account_id,
                clinician_id=clinician_id,
                email=email,
                created_at=now,
                expires_at=expires_at,
            )
        )
        self.session.flush()

    def token(self, token_hash: str, purpose: TokenPurpose) -> TokenRecord | None:
        row = self.session.scalar(
            select(AccountTokenRow).where(
                AccountTokenRow.token_hash == token_hash, AccountTokenRow.purpose == purpose
            )
        )
        if row is None:
            return None
        return TokenRecord(
            row.id,
            purpose,
            row.account_id,
            row.clinician_id,
            row.email,
            row.expires_at,
            row.used_at,
        )

    def use_token(self, token_id: int, now: dt.datetime) -> bool:
        """Mark the token used; False when another request used it first."""
        done = self.session.execute(
            update(AccountTokenRow)
            .where(AccountTokenRow.id == token_id, AccountTokenRow.used_at.is_(None))
            .values(used_at=now)
        )
        return bool(getattr(done, "rowcount", 0))

    def end_tokens(self, account_id: int, purpose: TokenPurpose, now: dt.datetime) -> None:
        self.session.execute(
            update(AccountTokenRow)
            .where(
                AccountTokenRow.account_id == account_id,
                AccountTokenRow.purpose == purpose,
                AccountTokenRow.used_at.is_(None),
            )
            .values(used_at=now)
        )

    # sessions -----------------------------------------------------------------------------------

    def add_session(
        self, token_hash: str, account_id: int, now: dt.datetime, expires_at: dt.datetime
    ) -> None:
        self.session.add(
            LoginSessionRow(
                token_hash=token_hash, account_id=account_id, created_at=now, expires_at=expires_at
            )
        )
        self.session.flush()

    def session_holder(self, token_hash: str, now: dt.datetime) -> SessionHolder | None:
        """Whose unexpired session the token is: one query, as every request asks it."""
        found = self.session.execute(
            select(AccountRow.id, AccountRow.role, AccountRow.runner_id)
            .join(LoginSessionRow, LoginSessionRow.account_id == AccountRow.id)
            .where(LoginSessionRow.token_hash == token_hash, LoginSessionRow.expires_at > now)
        ).first()
        if found is None:
            return None
        account_id, role, runner_id = found
        return SessionHolder(account_id, _role(role), runner_id)

    def end_session(self, token_hash: str) -> None:
        self.session.execute(
            delete(LoginSessionRow).where(LoginSessionRow.token_hash == token_hash)
        )

    def end_sessions(self, account_id: int, *, keep: str | None = None) -> int:
        """End the account's sessions, all but the one whose hash is `keep`; how many ended."""
        query = delete(LoginSessionRow).where(LoginSessionRow.account_id == account_id)
        if keep is not None:
            query = query.where(LoginSessionRow.token_hash != keep)
        return int(getattr(self.session.execute(query), "rowcount", 0))

    def sessions_of(self, account_id: int) -> int:
        return int(
            self.session.scalar(
                select(func.count()).where(LoginSessionRow.account_id == account_id)
            )
            or 0
        )

    # log-in attempts ----------------------------------------------------------------------------

    def add_failures(self, keys: Iterable[str], at: dt.datetime) -> None:
        self.session.execute(insert(LoginAttemptRow), [{"key": k, "at": at} for k in keys])

    def failures_since(self, key: str, since: dt.datetime) -> list[dt.datetime]:
        """When each failed attempt for `key` since `since` happened, oldest first."""
        return list(
            self.session.scalars(
                select(LoginAttemptRow.at)
                .where(LoginAttemptRow.key == key, LoginAttemptRow.at > since)
                .order_by(LoginAttemptRow.at)
            )
        )

    def forget_failures(self, key: str, *, before: dt.datetime | None = None) -> None:
        query = delete(LoginAttemptRow).where(LoginAttemptRow.key == key)
        if before is not None:
            query = query.where(LoginAttemptRow.at < before)
        self.session.execute(query)

    # clinicians' notes --------------------------------------------------------------------------

    def add_note(self, runner_id: int, author_id: int | None, text: str, now: dt.datetime) -> int:
        self._guard(runner_id)
        row = ClinicianNoteRow(runner_id=runner_id, author_id=author_id, text=text, created_at=now)
        self.session.add(row)
        self.session.flush()
        return row.id

    def notes(self, runner_id: int) -> list[NoteRecord]:
        """The runner's notes, newest first."""
        self._guard(runner_id)
        rows = self.session.execute(
            select(ClinicianNoteRow, AccountRow.name)
            .outerjoin(AccountRow, AccountRow.id == ClinicianNoteRow.author_id)
            .where(ClinicianNoteRow.runner_id == runner_id)
            .order_by(ClinicianNoteRow.created_at.desc(), ClinicianNoteRow.id.desc())
        )
        return [
            NoteRecord(row.id, row.runner_id, row.author_id, name, row.text, row.created_at)
            for row, name in rows
        ]


def _role(stored: str) -> Role:
    """A stored role (the table allows only these two) as the type says."""
    return "clinician" if stored == "clinician" else "runner"
