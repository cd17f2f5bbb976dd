"""The progress report's own read of the logs (`Repository.progress_logs`: each exercise's best
set found by the database) says what the whole logs say, on both databases."""

from __future__ import annotations

import random

from glutecoach.adapters.db.repositories import Database
from glutecoach.domain.planning import SessionKind
from glutecoach.domain.progress import ProgressLogs
from glutecoach.services import history, training
from glutecoach.services.runners import choose
from tests.services.test_training import as_prescribed, start_example

FELT = ("glutes", "hamstring", "low_back", "nothing")


def test_the_report_reads_of_the_logs_what_the_whole_logs_say(db: Database) -> None:
    rng = random.Random(11)
    plan = start_example(db)
    days = plan.days[:21]
    for planned in days:
        day = training.today(db, None, planned.date).day  # the plan adapts as it is logged
        assert day is not None
        for kind in (SessionKind.pre_run_activation, SessionKind.strength):
            session = day.session(kind)
            if session is None or not session.prescriptions:
                continue
            if rng.random() < 0.2:
                training.skip_session(db, None, kind, "short of time", day.date, on=day.date)
                continue
            how = {
                p.exercise_id: {
                    # sets out of order, fewer than prescribed, or none at all
                    "sets": [rng.randint(0, p.amount.high + 3) for _ in range(rng.randint(0, 4))],
                    "felt": rng.choice(FELT),
                    "pain": rng.choice((0, 0, 1, 3)),
                    "effort": rng.randint(3, 9),
                }
                for p in session.prescriptions
            }
            training.log_session(db, None, as_prescribed(day, kind, only=how), on=day.date)
    with db.unit() as repo:
        runner = choose(repo, None)
        read = repo.progress_logs(runner.id)
        whole = ProgressLogs.of(repo.session_logs(runner.id))
    assert read == whole
    assert any(s.status == "skipped" for s in read.sessions)
    assert any(e.best == 0 for e in read.exercises)  # an exercise logged with no set
    assert len({e.date for e in read.exercises}) > 10
    report = history.progress_report(db, None, days[-1].date)
    assert sum(len(h.points) for h in report.exercises) == len(whole.exercises)
