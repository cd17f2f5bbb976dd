"""The engine reads only the logs it looks at (`logs_needed`), and adapts exactly as it would
from every log: checked after each day of eight weeks of varied logging, on both databases."""

from __future__ import annotations

import datetime as dt
import random

from glutecoach.adapters.db.repositories import Database
from glutecoach.domain.library import load_library
from glutecoach.domain.planning import SessionKind
from glutecoach.domain.progression import adapt
from glutecoach.domain.progression.safety import PainEvent
from glutecoach.services import training
from tests.services.test_training import as_prescribed, start_example

FELT = ("glutes", "glutes", "glutes", "hamstring", "low_back", "nothing")


def _both_ways(db: Database, on: dt.date, returning: bool) -> tuple[object, object, int, int]:
    """The adaptation from the snapshot's logs, and from every log, with their counts."""
    library = load_library()
    with db.unit() as repo:
        snap = training.snapshot(repo, None)
        every = repo.session_logs(snap.runner.id)

    def run(logs: list[training.SessionLog], pain: list[PainEvent]) -> object:
        return adapt(
            snap.plan.plan,
            logs,
            snap.soreness,
            library,
            today=on,
            history=snap.history,
            equipment=frozenset(snap.profile.equipment),
            excluded=frozenset(snap.screening.excluded_areas if snap.screening else ()),
            returning=returning,
            pain_before=pain,
            clearances=snap.clearances,
        )

    return (
        run(snap.recent_logs, snap.pain),
        run(every, []),
        len(snap.recent_logs),
        len(every),
    )


def test_the_engine_adapts_the_same_from_its_logs_as_from_every_log(db: Database) -> None:
    rng = random.Random(7)
    plan = start_example(db)
    fewer = 0
    for day in plan.days[:56]:
        if rng.random() < 0.15:
            continue  # a day missed: sessions skipped now and then, gaps
        current = training.today(db, None, day.date).day
        assert current is not None
        for kind in (SessionKind.pre_run_activation, SessionKind.strength):
            if current.session(kind) is None or not current.session(kind).prescriptions:  # type: ignore[union-attr]
                continue
            how = {
                p.exercise_id: {
                    "felt": rng.choice(FELT),
                    "pain": rng.choice((0, 0, 0, 0, 1, 2, 3)),
                    "effort": rng.randint(4, 9),
                }
                for p in current.session(kind).prescriptions  # type: ignore[union-attr]
            }
            training.log_session(db, None, as_prescribed(current, kind, only=how), on=day.date)
        ours, theirs, read, stored = _both_ways(db, day.date, returning=False)
        assert ours == theirs, day.date
        later = day.date + dt.timedelta(days=15)  # opening the plan after two weeks away
        ours, theirs, _, _ = _both_ways(db, later, returning=True)
        assert ours == theirs, later
        fewer += read < stored
    assert fewer > 20  # most days, the engine read only part of the history
