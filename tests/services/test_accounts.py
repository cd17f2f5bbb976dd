"""Accounts through the services, on SQLite and PostgreSQL: signing up and in, the failure limits,
password resets and changes, invitations, and clinicians' notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select, update

from glutecoach.adapters.db.account_tables import (
    AccountRow,
    AccountTokenRow,
    LoginAttemptRow,
    LoginSessionRow,
)
from glutecoach.adapters.db.repositories import Database
from glutecoach.domain.access import Actor, ActorKind
from glutecoach.domain.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolation,
    TooManyAttempts,
)
from glutecoach.services import accounts, clinician_notes
from glutecoach.services.store import open_store

PASSWORD = "correct horse battery"
IP = "192.0.2.7"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with open_store(database_url) as database:
        yield database


def test_with_no_account_glutecoach_is_in_its_local_mode(db: Database) -> None:
    assert not accounts.accounts_exist(db)
    accounts.add_clinician(db, "lee@example.org", "Dr Lee", PASSWORD)
    assert accounts.accounts_exist(db)


def test_a_runner_signs_up_and_gets_a_runner_of_their_own(db: Database) -> None:
    ana = accounts.sign_up_runner(db, "  Ana@Example.ORG ", "Ana Runner", PASSWORD)
    assert ana.email == "ana@example.org" and ana.role == "runner" and ana.clinician_id is None
    with db.unit() as repo:
        runner = repo.runner("ana-runner")
        stored = repo.session.scalar(select(AccountRow.password_hash))
    assert runner is not None and ana.runner_id == runner.id
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


def test_two_runners_with_the_same_name_get_different_slugs(db: Database) -> None:
    one = accounts.sign_up_runner(db, "a@example.org", "Sam", PASSWORD)
    two = accounts.sign_up_runner(db, "b@example.org", "Sam", PASSWORD)
    with db.unit() as repo:
        slugs = [repo.runner_by_id(a.runner_id or 0).slug for a in (one, two)]
    assert slugs == ["sam", "sam-2"]


def test_an_email_has_one_account_and_a_password_has_10_to_128_characters(db: Database) -> None:
    accounts.sign_up_runner(db, "ana@example.org", "Ana", PASSWORD)
    with pytest.raises(RuleViolation, match="already an account"):
        accounts.sign_up_runner(db, "ANA@example.org", "Ana Two", PASSWORD)
    with pytest.raises(InvalidInput, match="10 to 128 characters"):
        accounts.sign_up_runner(db, "ben@example.org", "Ben", "short")
    with pytest.raises(InvalidInput, match="10 to 128 characters"):
        accounts.add_clinician(db, "lee@example.org", "Dr Lee", "x" * 129)
    with pytest.raises(InvalidInput, match="email"):
        accounts.add_clinician(db, "not an email", "Dr Lee", PASSWORD)
    assert [a.email for a in accounts.list_accounts(db)] == ["ana@example.org"]


def test_logging_in_gives_a_session_that_names_the_actor_until_logged_out(db: Database) -> None:
    ana = accounts.sign_up_runner(db, "ana@example.org", "Ana", PASSWORD)
    token = accounts.log_in(db, "ANA@example.org ", PASSWORD, IP)
    assert accounts.actor_for_session(db, token) == Actor.runner(ana.id, ana.runner_id)
    with db.unit() as repo:  # only the token's hash is stored
        hashes = list(repo.session.scalars(select(LoginSessionRow.token_hash)))
    assert hashes == [accounts.token_hash(token)] and token not in hashes
    accounts.log_out(db, token)
    assert accounts.actor_for_session(db, token) is None
    assert accounts.actor_for_session(db, "made-up") is None


def test_an_expired_session_names_nobody(db: Database) -> None:
    accounts.add_clinician(db, "lee@example.org", "Dr Lee", PASSWORD)
    token = accounts.log_in(db, "lee@example.org", PASSWORD, IP)
    actor = accounts.actor_for_session(db, token)
    assert actor is not None and actor.kind is ActorKind.CLINICIAN
    with db.unit() as repo:
        repo.session.execute(
            update(LoginSessionRow).values(expires_at=db.clock.now() - dt.timedelta(seconds=1))
        )
    assert accounts.actor_for_session(db, token) is None


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(db: Database) -> None:
    accounts.sign_up_runner(db, "ana@example.org", "Ana", PASSWORD)
    with pytest.raises(InvalidInput) as wrong:
        accounts.log_in(db, "ana@example.org", "wrong password!", IP)
    with pytest.raises(InvalidInput) as unknown:
        accounts.log_in(db, "nobody@example.org", PASSWORD, IP)
    assert wrong.value.message == unknown.value.message == "wrong email or password"
    with db.unit() as repo:
        keys = sorted(repo.session.scalars(select(LoginAttemptRow.key)))
    assert keys == ["email:ana@example.org", "email:nobody@example.org", f"ip:{IP}", f"ip:{IP}"]


def test_after_five_failures_an_email_is_refused_even_with_the_right_password(
    db: Database,
) -> None:
    accounts.sign_up_runner(db, "ana@example.org", "Ana", PASSWORD)
    for n in range(5):
        with pytest.raises(InvalidInput):
            accounts.log_in(db, "ana@example.org", f"wrong password {n}", f"198.51.100.{n}")
    with pytest.raises(TooManyAttempts) as refused:
        accounts.log_in(db, "ana@example.org", PASSWORD, "203.0.113.1")
    assert refused.value.status_code == 429
    assert 14 * 60 < refused.value.retry_after_s <= 15 * 60
    # another email from the same addresses is not limited
    accounts.sign_up_runner(db, "ben@example.org", "Ben", PASSWORD)
    assert accounts.log_in(db, "ben@example.org", PASSWORD, "198.51.100.1")
    # once the failures are older than 15 minutes, Ana may sign in again
    with db.unit() as repo:
        repo.session.execute(
            update(LoginAttemptRow).values(at=db.clock.now() - dt.timedelta(minutes=16))
        )
    assert accounts.log_in(db, "ana@example.org", PASSWORD, "203.0.113.1")


def test_after_twenty_failures_from_one_address_it_is_refused(db: Database) -> None:
    accounts.sign_up_runner(db, "ana@example.org", "Ana", PASSWORD)
    for n in range(20):
        with pytest.raises(InvalidInput):
            accounts.log_in(db, f"guess{n}@example.org", PASSWORD, IP)
    with pytest.raises(TooManyAttempts):
        accounts.log_in(db, "ana@example.org", PASSWORD, IP)
    assert accounts.log_in(db, "ana@example.org", PASSWORD, "192.0.2.8")


def test_a_reset_link_works_once_and_only_for_an_hour(db: Database) -> None:
    ana = accounts.sign_up_runner(db, "ana@example.org", "Ana", PASSWORD)
    session = accounts.log_in(db, "ana@example.org", PASSWORD, IP)
    assert accounts.request_reset(db, "nobody@example.org") is None
    token = accounts.request_reset(db, "Ana@example.org")
    assert token is not None
    accounts.reset_password(db, token, "a brand new password")
    assert accounts.actor_for_session(db, session) is None  # every session ended
    assert accounts.log_in(db, "ana@example.org", "a brand new password", IP)
    with pytest.raises(InvalidInput, match="invalid, used or expired"):
        accounts.reset_password(db, token, "yet another password")
    late = accounts.request_reset(db, "ana@example.org")
    assert late is not None
    with db.unit() as repo:
        repo.session.execute(
            update(AccountTokenRow)
            .where(AccountTokenRow.token_hash == accounts.token_hash(late))
            .values(expires_at=db.clock.now() - dt.timedelta(seconds=1))
        )
    with pytest.raises(InvalidInput, match="invalid, used or expired"):
        accounts.reset_password(db, late, "yet another password")
    with pytest.raises(InvalidInput):
        accounts.log_in(db, "ana@example.org", "yet another password", IP)
    assert ana.id


def test_a_new_reset_request_voids_the_previous_link(db: Database) -> None:
    accounts.sign_up_runner(db, "ana@example.org", "Ana", PASSWORD)
    first = accounts.request_reset(db, "ana@example.org")
    second = accounts.request_reset(db, "ana@example.org")
    assert first and second and first != second
    with pytest.raises(InvalidInput):
        accounts.reset_password(db, first, "a brand new password")
    accounts.reset_password(db, second, "a brand new password")


def test_changing_the_password_ends_the_other_sessions(db: Database) -> None:
    accounts.sign_up_runner(db, "ana@example.org", "Ana", PASSWORD)
    phone = accounts.log_in(db, "ana@example.org", PASSWORD, IP)
    laptop = accounts.log_in(db, "ana@example.org", PASSWORD, IP)
    actor = accounts.actor_for_session(db, laptop)
    assert actor is not None
    with pytest.raises(InvalidInput, match="current password is wrong"):
        accounts.change_password(db, actor, "not my password", "a brand new password")
    accounts.change_password(db, actor, PASSWORD, "a brand new password", current_token=laptop)
    assert accounts.actor_for_session(db, phone) is None
    assert accounts.actor_for_session(db, laptop) == actor
    with pytest.raises(InvalidInput):
        accounts.log_in(db, "ana@example.org", PASSWORD, IP)
    assert accounts.log_in(db, "ana@example.org", "a brand new password", IP)


def test_an_invitation_links_the_new_runner_to_the_clinician(db: Database) -> None:
    lee = accounts.add_clinician(db, "lee@example.org", "Dr Lee", PASSWORD)
    as_lee = db.for_actor(Actor.clinician(lee.id))
    token = accounts.invite_runner(as_lee, "Ben@Example.org")
    ben = accounts.accept_invitation(db, token, "Ben Smith", PASSWORD)
    assert ben.email == "ben@example.org" and ben.role == "runner"
    assert ben.clinician_id == lee.id and ben.runner_id is not None
    with as_lee.unit() as repo:
        assert [r.slug for r in repo.runners()] == ["ben-smith"]
    with pytest.raises(InvalidInput, match="invalid, used or expired"):
        accounts.accept_invitation(db, token, "Ben Again", PASSWORD)


def test_only_a_clinician_invites_and_an_expired_invitation_is_refused(db: Database) -> None:
    ana = accounts.sign_up_runner(db, "ana@example.org", "Ana", PASSWORD)
    with pytest.raises(Forbidden):
        accounts.invite_runner(db.for_actor(Actor.runner(ana.id, ana.runner_id)), "x@example.org")
    with pytest.raises(Forbidden):
        accounts.invite_runner(db, "x@example.org")  # the local mode has no clinician to link
    lee = accounts.add_clinician(db, "lee@example.org", "Dr Lee", PASSWORD)
    token = accounts.invite_runner(db.for_actor(Actor.clinician(lee.id)), "x@example.org")
    with db.unit() as repo:
        repo.session.execute(
            update(AccountTokenRow).values(expires_at=db.clock.now() - dt.timedelta(seconds=1))
        )
    with pytest.raises(InvalidInput, match="invalid, used or expired"):
        accounts.accept_invitation(db, token, "Xavier", PASSWORD)
    assert [a.email for a in accounts.list_accounts(db)] == ["lee@example.org", "ana@example.org"]


def test_a_clinician_writes_notes_the_runner_can_read(db: Database) -> None:
    lee = accounts.add_clinician(db, "lee@example.org", "Dr Lee", PASSWORD)
    as_lee = db.for_actor(Actor.clinician(lee.id))
    ben = accounts.accept_invitation(
        db, accounts.invite_runner(as_lee, "ben@example.org"), "Ben", PASSWORD
    )
    clinician_notes.add_note(as_lee, "ben", "Left glute med weak; recheck in 4 weeks.")
    clinician_notes.add_note(as_lee, "ben", "  Progressed to banded walks.  ")
    as_ben = db.for_actor(Actor.runner(ben.id, ben.runner_id))
    notes = clinician_notes.notes(as_ben, None)
    assert [n.text for n in notes] == [
        "Progressed to banded walks.",
        "Left glute med weak; recheck in 4 weeks.",
    ]
    assert {n.author for n in notes} == {"Dr Lee"}
    with pytest.raises(Forbidden):
        clinician_notes.add_note(as_ben, "ben", "I feel great")
    with pytest.raises(InvalidInput):
        clinician_notes.add_note(as_lee, "ben", "   ")
    kay = accounts.add_clinician(db, "kay@example.org", "Dr Kay", PASSWORD)
    with pytest.raises(NotFound):
        clinician_notes.notes(db.for_actor(Actor.clinician(kay.id)), "ben")
