"""Request-scoped access to the database, as seen by whoever is asking (see `web.auth`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from glutecoach.domain.clock import Clock
from glutecoach.domain.records import RunnerRecord
from glutecoach.services import runners
from glutecoach.services.store import Store, as_seen_by
from glutecoach.web.auth import current_actor


async def get_db(request: Request) -> Store:  # async: no worker-thread hop for a lookup
    """The database as the request's actor sees it: only the runners they may see exist."""
    db: Store = request.app.state.db
    return as_seen_by(db, current_actor(request))


Db = Annotated[Store, Depends(get_db)]


async def get_clock(request: Request) -> Clock:
    """The app's one clock (the machine's, or the day GLUTECOACH_TODAY pins)."""
    clock: Clock = request.app.state.clock
    return clock


AppClock = Annotated[Clock, Depends(get_clock)]


def runner_list(db: Store) -> list[RunnerRecord]:
    """Every runner the actor may see, by slug (no use case needs more than the stored records)."""
    return runners.listed(db)
