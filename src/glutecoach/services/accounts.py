"""Accounts: clinicians, runners who sign up or are invited, signing in and out, passwords (the
notes clinicians write: clinician_notes.py). With no account at all glutecoach is in its
single-user local mode.

Passwords are stored as argon2id hashes (argon2-cffi's defaults); session, invitation and reset
tokens are `secrets.token_urlsafe(32)` handed out once and stored only as their sha256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import re
import secrets
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from glutecoach.adapters.db.accounts import AccountRecord, Role, TokenPurpose
from glutecoach.adapters.db.repositories import Database, Repository
from glutecoach.domain.access import Action, Actor, ActorKind, require
from glutecoach.domain.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolation,
    TooManyAttempts,
)
from glutecoach.services.mail import Mailer, MailError
from glutecoach.services.runners import slug_of

PASSWORD_MIN, PASSWORD_MAX = 10, 128  # characters
log = logging.getLogger(__name__)

SESSION_TTL = dt.timedelta(days=14)
RESET_TTL = dt.timedelta(hours=1)
INVITE_TTL = dt.timedelta(days=7)
ATTEMPT_WINDOW = dt.timedelta(minutes=15)
MAX_EMAIL_FAILURES = 5  # within the window; the next attempt is refused
MAX_IP_FAILURES = 20
WRONG_LOGIN = "wrong email or password"  # the same for an unknown email: it reveals nothing
BAD_TOKEN = "this link is invalid, used or expired: ask for a new one"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against for an unknown email, so it takes as long as a wrong password."""
    return _hasher().hash(secrets.token_urlsafe(16))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normal_email(email: str) -> str:
    cleaned = email.strip().lower()
    if not EMAIL.match(cleaned) or len(cleaned) > 254:
        raise InvalidInput(f"email {email.strip()!r}: expected an address like ana@example.org")
    return cleaned


def check_password(password: str) -> str:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidInput(
            f"password: use {PASSWORD_MIN} to {PASSWORD_MAX} characters "
            f"(this one has {len(password)})"
        )
    return password


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("name: it is empty")
    return cleaned


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


# accounts -----------------------------------------------------------------------------------------


def accounts_exist(db: Database) -> bool:
    """False: nobody signs in, glutecoach is in its single-user local mode."""
    with db.unit() as repo:
        return repo.accounts.exist()


def list_accounts(db: Database) -> list[AccountRecord]:
    with db.unit() as repo:
        return repo.accounts.every()


def _add_account(
    repo: Repository, email: str, name: str, password: str, role: Role, runner_id: int | None
) -> int:
    return repo.accounts.add(
        email=email,
        name=name,
        role=role,
        password_hash=_hasher().hash(password),
        now=repo.clock.now(),
        runner_id=runner_id,
    )


def add_clinician(db: Database, email: str, name: str, password: str) -> AccountRecord:
    """A clinician account (from the CLI: whoever runs it owns the installation)."""
    email, name, password = normal_email(email), _name(name), check_password(password)
    with db.unit() as repo:
        account_id = _add_account(repo, email, name, password, "clinician", None)
        found = repo.accounts.by_id(account_id)
    assert found is not None
    return found


def _new_runner(repo: Repository, name: str) -> int:
    base = slug_of(name)
    slug, n = base, 1
    while repo.slug_taken(slug):
        n += 1
        suffix = f"-{n}"
        slug = base[: 64 - len(suffix)].rstrip("-") + suffix
    return repo.add_runner(slug, name)


def sign_up_runner(db: Database, email: str, name: str, password: str) -> AccountRecord:
    """A runner signs themself up: an account and a new runner of their own, no clinician."""
    email, name, password = normal_email(email), _name(name), check_password(password)
    with db.unit() as repo:
        if repo.accounts.by_email(email) is not None:
            raise RuleViolation(f"there is already an account for {email}: sign in instead")
        runner_id = _new_runner(repo, name)
        account_id = _add_account(repo, email, name, password, "runner", runner_id)
        found = repo.accounts.by_id(account_id)
    assert found is not None
    return found


def _one_time_token(
    repo: Repository,
    purpose: TokenPurpose,
    email: str,
    lasts: dt.timedelta,
    *,
    account_id: int | None = None,
    clinician_id: int | None = None,
) -> str:
    """A new one-time token for a link (only its hash is stored)."""
    token, now = secrets.token_urlsafe(32), repo.clock.now()
    repo.accounts.add_token(
        token_hash(token),
        purpose,
        email=email,
        now=now,
        expires_at=now + lasts,
        account_id=account_id,
        clinician_id=clinician_id,
    )
    return token


def invite_runner(db: Database, email: str) -> str:
    """An invitation for `email` from the clinician `db` acts for: the token for the link."""
    actor = db.actor
    require(actor, Action.INVITE)
    email = normal_email(email)
    with db.unit() as repo:
        if repo.accounts.by_email(email) is not None:
            raise RuleViolation(f"{email} already has an account")
        return _one_time_token(repo, "invite", email, INVITE_TTL, clinician_id=actor.account_id)


def accept_invitation(db: Database, token: str, name: str, password: str) -> AccountRecord:
    """The invited runner's account and runner, looked after by the clinician who invited them."""
    name, password = _name(name), check_password(password)
    now = db.clock.now()
    with db.unit() as repo:
        found = repo.accounts.token(token_hash(token), "invite")
        if found is None or found.used_at is not None or found.expires_at <= now:
            raise InvalidInput(BAD_TOKEN)
        if found.clinician_id is None or repo.accounts.by_id(found.clinician_id) is None:
            raise InvalidInput("the clinician who sent this invitation has no account any more")
        if repo.accounts.by_email(found.email) is not None:
            raise RuleViolation(f"there is already an account for {found.email}: sign in instead")
        if not repo.accounts.use_token(found.id, now):
            raise InvalidInput(BAD_TOKEN)
        runner_id = _new_runner(repo, name)
        repo.accounts.link_runner(runner_id, found.clinician_id, now)
        account_id = _add_account(repo, found.email, name, password, "runner", runner_id)
        account = repo.accounts.by_id(account_id)
    assert account is not None
    return account


# signing in ---------------------------------------------------------------------------------------


def _refuse_if_limited(repo: Repository, keys: dict[str, int], now: dt.datetime) -> None:
    waits = []
    for key, limit in keys.items():
        failures = repo.accounts.failures_since(key, now - ATTEMPT_WINDOW)
        if len(failures) >= limit:
            # the attempt that has to age out of the window before another is allowed
            frees_at = failures[len(failures) - limit] + ATTEMPT_WINDOW
            waits.append(max(1, math.ceil((frees_at - now).total_seconds())))
    if waits:
        wait = max(waits)
        raise TooManyAttempts(
            f"too many failed sign-ins: try again in {math.ceil(wait / 60)} minutes", wait
        )


def log_in(db: Database, email: str, password: str, ip: str) -> str:
    """A new session's token for the right email and password; InvalidInput with the same message
    for an unknown email or a wrong password; TooManyAttempts past the failure limits."""
    cleaned = email.strip().lower()
    email_key, ip_key = f"email:{cleaned[:280]}", f"ip:{ip[:280]}"
    limits = {email_key: MAX_EMAIL_FAILURES, ip_key: MAX_IP_FAILURES}
    now = db.clock.now()
    with db.unit() as repo:
        _refuse_if_limited(repo, limits, now)
        account = repo.accounts.by_email(cleaned)
    stored = account.password_hash if account is not None else _dummy_hash()
    right = _verify(stored, password)  # an unknown email takes as long as a wrong password
    with db.unit() as repo:
        if account is not None and right:
            if _hasher().check_needs_rehash(account.password_hash):
                repo.accounts.set_password(account.id, _hasher().hash(password), now)
            repo.accounts.forget_failures(email_key)
            token = secrets.token_urlsafe(32)
            repo.accounts.add_session(token_hash(token), account.id, now, now + SESSION_TTL)
            return token
        repo.accounts.add_failures(limits, now)
        for key in limits:  # what has left the window counts no more
            repo.accounts.forget_failures(key, before=now - ATTEMPT_WINDOW)
    raise InvalidInput(WRONG_LOGIN)


def actor_for_session(db: Database, token: str) -> Actor | None:
    """Who a session token signs in; None for an unknown, ended or expired session."""
    with db.unit() as repo:
        holder = repo.accounts.session_holder(token_hash(token), db.clock.now())
    if holder is None:
        return None
    if holder.role == "clinician":
        return Actor.clinician(holder.account_id)
    return Actor.runner(holder.account_id, holder.runner_id)


def log_out(db: Database, token: str) -> None:
    with db.unit() as repo:
        repo.accounts.end_session(token_hash(token))


def _signed_in(repo: Repository, actor: Actor) -> AccountRecord:
    if actor.kind is ActorKind.LOCAL or actor.account_id is None:
        raise Forbidden("sign in first: the local mode has no password")
    account = repo.accounts.by_id(actor.account_id)
    if account is None:
        raise NotFound("this account no longer exists")
    return account


def change_password(
    db: Database, actor: Actor, old: str, new: str, *, current_token: str | None = None
) -> None:
    """A new password; every other session of the account ends (`current_token`'s stays)."""
    check_password(new)
    with db.unit() as repo:
        account = _signed_in(repo, actor)
    if not _verify(account.password_hash, old):
        raise InvalidInput("the current password is wrong")
    with db.unit() as repo:
        now = db.clock.now()
        repo.accounts.set_password(account.id, _hasher().hash(new), now)
        keep = token_hash(current_token) if current_token is not None else None
        repo.accounts.end_sessions(account.id, keep=keep)
        repo.accounts.end_tokens(account.id, "reset", now)


def request_reset(db: Database, email: str) -> str | None:
    """A password-reset token (valid 1 hour, once) for `email`; None, silently, when there is no
    account for it. Earlier reset tokens of the account stop working."""
    try:
        cleaned = normal_email(email)
    except InvalidInput:
        return None
    now = db.clock.now()
    with db.unit() as repo:
        account = repo.accounts.by_email(cleaned)
        if account is None:
            return None
        repo.accounts.end_tokens(account.id, "reset", now)
        return _one_time_token(repo, "reset", cleaned, RESET_TTL, account_id=account.id)


def reset_password(db: Database, token: str, new: str) -> None:
    """Set the password with a reset token (used up); every session of the account ends."""
    check_password(new)
    now = db.clock.now()
    with db.unit() as repo:
        found = repo.accounts.token(token_hash(token), "reset")
        if (
            found is None
            or found.account_id is None
            or found.used_at is not None
            or found.expires_at <= now
            or not repo.accounts.use_token(found.id, now)
        ):
            raise InvalidInput(BAD_TOKEN)
        repo.accounts.set_password(found.account_id, _hasher().hash(new), now)
        repo.accounts.end_sessions(found.account_id)
        repo.accounts.forget_failures(f"email:{found.email}")


# links in emails ---------------------------------------------------------------------------------

# The web pages that take a token; the links in emails (and from the CLI) point at them.
LINK_PATHS: dict[TokenPurpose, str] = {"invite": "/invitation", "reset": "/reset-password"}


def link(public_url: str, purpose: TokenPurpose, token: str) -> str:
    return f"{public_url.rstrip('/')}{LINK_PATHS[purpose]}?{urlencode({'token': token})}"


@dataclass(frozen=True)
class Invited:
    email: str
    link: str
    mailed: bool  # False: the mail server refused it (the clinician can pass the link on)


def send_invitation(db: Database, email: str, public_url: str, mailer: Mailer) -> Invited:
    """Invite `email` (see `invite_runner`) and mail them the link."""
    token = invite_runner(db, email)
    address = normal_email(email)
    link_ = link(public_url, "invite", token)
    body = (
        "Your physio or coach has invited you to glutecoach, where they set your glute programme "
        f"and follow how it goes. Make your account here (the link works for 7 days):\n\n{link_}\n"
    )
    return Invited(address, link_, _mail(mailer, address, "Your invitation to glutecoach", body))


def send_reset(db: Database, email: str, public_url: str, mailer: Mailer) -> None:
    """Mail a password-reset link to `email` if it has an account; silent either way, so the
    answer never tells whether an address is known."""
    token = request_reset(db, email)
    if token is not None:
        body = (
            "To set a new glutecoach password, open this link within the hour:\n\n"
            f"{link(public_url, 'reset', token)}\n"
        )
        _mail(mailer, normal_email(email), "Your glutecoach password", body)


def _mail(mailer: Mailer, to: str, subject: str, body: str) -> bool:
    try:
        mailer.send(to, subject, body)
    except MailError as error:  # said in the server log; the link stays valid
        log.error("mail to %s failed: %s", to, error.message)
        return False
    return True


def reset_link(db: Database, email: str, public_url: str) -> str:
    """For an administrator (the CLI): a reset link for a known account, NotFound otherwise."""
    token = request_reset(db, email)
    if token is None:
        raise NotFound(f"no account for {email.strip().lower()}")
    return link(public_url, "reset", token)
