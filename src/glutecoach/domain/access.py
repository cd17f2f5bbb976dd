"""Who is acting, and what they may see and do: the access policy as plain functions.

Three kinds of actor:
- LOCAL: the single-user mode (the CLI, a web app with no accounts yet): everything;
- RUNNER: their own runner's data only; logs sessions and runs, edits their own profile;
- CLINICIAN: the runners they look after; also edits plans and writes notes about them.

The repository (adapters/db) applies `can_see` to every runner it hands out, so a runner the actor
may not see does not exist for them; services call `require` before a role-limited action.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from glutecoach.domain.errors import Forbidden


class ActorKind(StrEnum):
    LOCAL = "local"
    RUNNER = "runner"
    CLINICIAN = "clinician"


class Action(StrEnum):
    LOG = "log"  # sessions, skips, soreness, runs, run files, gait videos, screenings
    EDIT_PROFILE = "edit_profile"
    READ_NOTES = "read_notes"
    EDIT_PLAN = "edit_plan"  # change a plan by hand (an adaptation after a log is not an edit)
    WRITE_NOTE = "write_note"
    ADD_RUNNER = "add_runner"
    INVITE = "invite"


_EVERYONE = frozenset({Action.LOG, Action.EDIT_PROFILE, Action.READ_NOTES})
ALLOWED: dict[ActorKind, frozenset[Action]] = {
    ActorKind.LOCAL: frozenset(Action) - {Action.INVITE},  # an invitation needs a clinician
    ActorKind.RUNNER: _EVERYONE,
    ActorKind.CLINICIAN: frozenset(Action),
}

_REFUSALS = {
    Action.LOG: "log for this runner",
    Action.EDIT_PROFILE: "edit this runner's profile",
    Action.READ_NOTES: "read these notes",
    Action.EDIT_PLAN: "edit a plan: ask your clinician",
    Action.WRITE_NOTE: "write clinician notes",
    Action.ADD_RUNNER: "add runners",
    Action.INVITE: "invite runners: sign in as a clinician",
}


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    account_id: int | None = None
    runner_id: int | None = None  # a runner actor's own runner (None: its runner was removed)
    # The runner a clinician has opened: a use case given no runner acts on this one (it must
    # still be one they may see). None: no runner opened.
    focus: int | None = None

    def __post_init__(self) -> None:
        if self.kind is ActorKind.LOCAL and (self.account_id or self.runner_id):
            raise ValueError("the local actor has no account and no runner")
        if self.kind is not ActorKind.LOCAL and self.account_id is None:
            raise ValueError(f"a {self.kind.value} actor needs an account id")
        if self.kind is ActorKind.CLINICIAN and self.runner_id is not None:
            raise ValueError("a clinician actor is not a runner")

    @classmethod
    def local(cls) -> Actor:
        return cls(ActorKind.LOCAL)

    @classmethod
    def runner(cls, account_id: int, runner_id: int | None) -> Actor:
        return cls(ActorKind.RUNNER, account_id, runner_id)

    @classmethod
    def clinician(cls, account_id: int) -> Actor:
        return cls(ActorKind.CLINICIAN, account_id)

    @property
    def is_local(self) -> bool:
        return self.kind is ActorKind.LOCAL


LOCAL = Actor.local()


def can_see(actor: Actor, runner_id: int, runner_clinician_id: int | None) -> bool:
    """Whether `actor` may see the runner `runner_id`, looked after by `runner_clinician_id`."""
    if actor.kind is ActorKind.LOCAL:
        return True
    if actor.kind is ActorKind.RUNNER:
        return actor.runner_id is not None and actor.runner_id == runner_id
    return runner_clinician_id is not None and runner_clinician_id == actor.account_id


def may(actor: Actor, action: Action) -> bool:
    """Whether the actor's role allows `action` at all (on a runner it can see)."""
    return action in ALLOWED[actor.kind]


def require(actor: Actor, action: Action) -> None:
    if not may(actor, action):
        raise Forbidden(f"a {actor.kind.value} account cannot {_REFUSALS[action]}")
