"""A runner's stamp (`RunnerRow.stamp`), from which a clinician's dashboard knows whether a
runner's overview can be reused: every write of their logs or plan changes it, a read or a
refused write does not, and another runner's write leaves it alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from glutecoach.adapters.db.repositories import Database
from glutecoach.adapters.db.tables import RunnerRow
from glutecoach.domain.errors import InvalidInput, RuleViolation
from glutecoach.domain.planning import Plan, SessionKind
from glutecoach.domain.planning.edits import AddNote
from glutecoach.domain.progression.logs import RunLog
from glutecoach.services import clinic, history, training
from tests.services.test_clinic import log_strength, start_runner


def _stamps(db: Database) -> dict[str, int]:
    with db.engine.connect() as connection:
        return dict(connection.execute(select(RunnerRow.slug, RunnerRow.stamp)).all())


def _strength_day(plan: Plan) -> dt.date:
    return next(d for d in plan.days if d.session(SessionKind.strength)).date


WRITES: dict[str, Callable[[Database, Plan], object]] = {
    "a session log": lambda db, plan: log_strength(db, "ana-stamp", plan),
    "a skipped session": lambda db, plan: training.skip_session(
        db, "ana-stamp", SessionKind.strength, "ill", _strength_day(plan), on=_strength_day(plan)
    ),
    "soreness": lambda db, plan: training.log_soreness(
        db, "ana-stamp", 2, plan.start, on=plan.start
    ),
    "a run": lambda db, plan: training.log_run(
        db, "ana-stamp", 5.0, 30.0, plan.start, on=plan.start
    ),
    "a clinician's plan edit": lambda db, plan: clinic.edit_plan(
        db, "ana-stamp", AddNote(text="Easy this week."), on=plan.start
    ),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_each_write_of_a_runners_logs_or_plan_changes_their_stamp_alone(
    db: Database, write: str
) -> None:
    plan = start_runner(db, "Ana Stamp")
    start_runner(db, "Bo Stamp")
    before = _stamps(db)
    WRITES[write](db, plan)
    after = _stamps(db)
    assert after["ana-stamp"] != before["ana-stamp"]
    assert after["bo-stamp"] == before["bo-stamp"]


def test_reads_and_refused_writes_leave_the_stamp_as_it_was(db: Database) -> None:
    plan = start_runner(db, "Cy Stamp")
    day = _strength_day(plan)
    before = _stamps(db)
    training.today(db, "cy-stamp", on=day)
    clinic.overview(db, day)
    clinic.runner_detail(db, "cy-stamp", on=day)
    history.plan_changes(db, "cy-stamp")
    history.progress_report(db, "cy-stamp", on=day)
    with pytest.raises(InvalidInput, match="in the future"):
        training.log_soreness(db, "cy-stamp", 2, day + dt.timedelta(days=1), on=day)
    assert _stamps(db) == before
    log_strength(db, "cy-stamp", plan)
    logged = _stamps(db)
    with pytest.raises(RuleViolation, match="already logged"):
        log_strength(db, "cy-stamp", plan)
    assert _stamps(db) == logged != before


def test_a_unit_rolled_back_after_its_writes_changes_no_stamp(db: Database) -> None:
    plan = start_runner(db, "Di Stamp")
    before = _stamps(db)

    def write_then_fail() -> None:
        with db.unit() as repo:
            runner = repo.runner("di-stamp")
            assert runner is not None
            repo.add_run(runner.id, RunLog(date=plan.start, distance_km=3.0, minutes=20.0))
            raise RuntimeError("the request failed after the write")

    with pytest.raises(RuntimeError, match="after the write"):
        write_then_fail()
    assert _stamps(db) == before
    training.log_run(db, "di-stamp", 3.0, 20.0, plan.start, on=plan.start)
    assert _stamps(db)["di-stamp"] != before["di-stamp"]  # the same write, committed
