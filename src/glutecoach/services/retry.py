"""Use cases that write run again when a concurrent change to the same runner won the race.

Two logs of one runner saved at the same moment both make "the next plan version"; the database
refuses the second (a unique key, or a serialization failure). Each try is one whole unit of work,
rolled back before the next, so the second try sees the first's log and plan and either succeeds
on top of them or refuses for a reason of its own (the session is already logged): nothing is
done twice and the person never sees "try again" for a race the server can settle itself.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from glutecoach.adapters.db.errors import StorageError

P = ParamSpec("P")
R = TypeVar("R")

ATTEMPTS = 8  # a unit that loses every race still lands once 7 others have
BACKOFF_S = 0.02  # times the attempt number, jittered: the racers do not collide again


def retry_conflicts(use_case: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(use_case)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return use_case(*args, **kwargs)
            except StorageError as error:
                if not error.conflict or attempt == ATTEMPTS:
                    raise
                time.sleep(random.uniform(0, BACKOFF_S * attempt))
        raise AssertionError("unreachable")  # the loop returns or raises

    return run
