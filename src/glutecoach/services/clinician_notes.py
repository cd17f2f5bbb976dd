"""Clinicians' notes about a runner: written by the clinician the store acts for (or in the local
mode), read by whoever may see the runner, newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from glutecoach.adapters.db.accounts import NoteRecord
from glutecoach.adapters.db.repositories import Database
from glutecoach.domain.access import Action, require
from glutecoach.domain.errors import InvalidInput
from glutecoach.services.runners import choose

NOTE_MAX = 10_000  # characters


@dataclass(frozen=True)
class Note:
    author: str | None  # None: written in the local mode
    text: str
    created_at: dt.datetime


def add_note(db: Database, slug: str | None, text: str) -> Note:
    """A note about a runner by the clinician `db` acts for (or in the local mode)."""
    require(db.actor, Action.WRITE_NOTE)
    cleaned = text.strip()
    if not cleaned or len(cleaned) > NOTE_MAX:
        raise InvalidInput(f"note: write 1 to {NOTE_MAX} characters")
    with db.unit() as repo:
        runner = choose(repo, slug)
        repo.accounts.add_note(runner.id, db.actor.account_id, cleaned, db.clock.now())
        return _note(repo.accounts.notes(runner.id)[0])


def notes(db: Database, slug: str | None) -> list[Note]:
    """The notes about a runner the actor may see, newest first."""
    require(db.actor, Action.READ_NOTES)
    with db.unit() as repo:
        runner = choose(repo, slug)
        return [_note(n) for n in repo.accounts.notes(runner.id)]


def _note(record: NoteRecord) -> Note:
    return Note(record.author_name, record.text, record.created_at)
