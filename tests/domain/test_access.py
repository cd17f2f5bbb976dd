"""The access policy as plain functions: who sees which runner, and which role may do what."""

from __future__ import annotations

import pytest

from glutecoach.domain.access import LOCAL, Action, Actor, ActorKind, can_see, may, require
from glutecoach.domain.errors import Forbidden

ANA = Actor.runner(account_id=1, runner_id=10)  # a runner whose own runner is 10
DR_LEE = Actor.clinician(account_id=2)  # looks after runner 11
DR_KAY = Actor.clinician(account_id=3)  # looks after nobody


def test_the_local_actor_sees_every_runner() -> None:
    assert can_see(LOCAL, 10, None) and can_see(LOCAL, 11, 2)
    assert LOCAL.kind is ActorKind.LOCAL and Actor.local() == LOCAL


def test_a_runner_sees_only_their_own_runner() -> None:
    assert can_see(ANA, 10, None)
    assert can_see(ANA, 10, 2)
    assert not can_see(ANA, 11, None)
    assert not can_see(ANA, 11, 1)  # even a runner "looked after" by an id equal to their own


def test_a_runner_whose_runner_was_removed_sees_nothing() -> None:
    assert not can_see(Actor.runner(account_id=1, runner_id=None), 10, None)


def test_a_clinician_sees_only_the_runners_they_look_after() -> None:
    assert can_see(DR_LEE, 11, 2)
    assert not can_see(DR_LEE, 10, None)
    assert not can_see(DR_KAY, 11, 2)
    assert not can_see(DR_KAY, 10, None)


@pytest.mark.parametrize("action", [Action.EDIT_PLAN, Action.WRITE_NOTE, Action.ADD_RUNNER])
def test_a_runner_may_not_do_what_only_a_clinician_does(action: Action) -> None:
    assert may(DR_LEE, action)
    assert not may(ANA, action)
    with pytest.raises(Forbidden) as refused:
        require(ANA, action)
    assert refused.value.status_code == 403 and "runner account cannot" in refused.value.message


@pytest.mark.parametrize("action", [Action.LOG, Action.EDIT_PROFILE, Action.READ_NOTES])
def test_everyone_may_log_and_edit_their_profile(action: Action) -> None:
    for actor in (LOCAL, ANA, DR_LEE):
        require(actor, action)
        assert may(actor, action)


def test_the_local_mode_may_do_everything_but_invite() -> None:
    assert all(may(LOCAL, a) for a in Action if a is not Action.INVITE)
    with pytest.raises(Forbidden):
        require(LOCAL, Action.INVITE)


def test_actors_are_checked_when_made() -> None:
    with pytest.raises(ValueError, match="needs an account id"):
        Actor(ActorKind.RUNNER, None, 10)
    with pytest.raises(ValueError, match="not a runner"):
        Actor(ActorKind.CLINICIAN, 2, 10)
    with pytest.raises(ValueError, match="no account"):
        Actor(ActorKind.LOCAL, 1)
