"""Units of work and the repository: domain models in and out, never ORM rows.

database = open_database(url, clock=SystemClock())
with database.unit() as repo:  # one transaction: all of it is saved, or none of it
    runner_id = repo.add_runner("ana", "Ana")
    repo.save_profile(runner_id, profile)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from glutecoach.adapters.db.errors import from_driver_error
from glutecoach.adapters.db.kept import Kept
from glutecoach.adapters.db.log_store import LogStore
from glutecoach.adapters.db.plan_store import PlanStore
from glutecoach.adapters.db.records import (
    PlanRecord,
    PlanSummary,
    ProfileRecord,
    RunnerRecord,
    ScreeningPurpose,
    ScreeningRecord,
    SessionLogRecord,
)
from glutecoach.adapters.db.runner_store import RunnerStore
from glutecoach.domain.access import LOCAL, Actor
from glutecoach.domain.clock import Clock
from glutecoach.domain.planning import Plan

__all__ = [
    "Database",
    "PlanRecord",
    "PlanSummary",
    "ProfileRecord",
    "Repository",
    "RunnerRecord",
    "ScreeningPurpose",
    "ScreeningRecord",
    "SessionLogRecord",
]


class Database:
    """An open, migrated database (from `engine.open_database`). Cheap to keep for a process.

    Every unit of work acts for `actor` (LOCAL, the single-user mode, unless `for_actor` said
    otherwise): its repository only shows the runners the actor may see. `clock` is the one
    clock of the use cases run on it: what they store as "now" and ask "today" of.
    """

    def __init__(self, engine: Engine, where: str, *, clock: Clock, actor: Actor = LOCAL) -> None:
        self.engine = engine
        self.where = where  # "the SQLite database /home/ana/…/glutecoach.db", for messages
        self.clock = clock
        self.actor = actor
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=True)
        # Plan versions are never changed once stored, so a parsed plan can be kept per process:
        # a long-lived web worker then reads a 24-week plan once, not on every request.
        self._plans: Kept[tuple[int, int], Plan] = Kept(Repository.PLAN_CACHE_SIZE)

    def for_actor(self, actor: Actor) -> Database:
        """The same database (engine, sessions, plan cache) seen by `actor`. Cheap: per request."""
        seen = Database.__new__(Database)
        seen.engine, seen.where, seen.clock, seen.actor = self.engine, self.where, self.clock, actor
        seen._sessions, seen._plans = self._sessions, self._plans
        return seen

    @contextmanager
    def unit(self) -> Iterator[Repository]:
        """One transaction: committed when the block ends normally, rolled back on any exception
        (KeyboardInterrupt included), so several writes are stored all together or not at all."""
        session = self._sessions()
        try:
            repo = Repository(session, self._plans, actor=self.actor, clock=self.clock)
            yield repo
            repo.stamp_changed()
            session.commit()
            # only now: a version rolled back must never be served from the cache
            repo.remember_stored_plans()
        except DBAPIError as error:
            _rollback(session)
            raise from_driver_error(error.orig, self.where) from None
        except BaseException:
            _rollback(session)
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _rollback(session: Session) -> None:
    # if the connection is gone, the server (or SQLite) discards the transaction itself
    with contextlib.suppress(DBAPIError):
        session.rollback()


class Repository(RunnerStore, PlanStore, LogStore):
    """Everything glutecoach stores, bound to one unit of work (see `Database.unit`).

    Its parts, each in the module named for what it stores: `runner_store` (runners, profiles,
    screenings), `plan_store` (plan versions), `log_store` (session logs, soreness, runs by hand),
    over `unit_base` (the session, who the actor may see, the runners changed). Runs read from
    files, gait analyses, pain and accounts are its properties, in their own modules too."""
