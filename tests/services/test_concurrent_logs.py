"""Logs of one runner saved at the same moment: the race for "the next plan version" is settled
by the services (the losing unit of work runs again on top of the winner's), never handed to the
runner as an error; on SQLite and PostgreSQL."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

import pytest

from glutecoach.adapters.db.errors import StorageError
from glutecoach.adapters.db.repositories import Database
from glutecoach.domain.planning import SessionKind
from glutecoach.domain.planning.edits import AddNote
from glutecoach.services import clinic, retry, runners, training
from tests.services.test_training import as_prescribed, start_example


def at_once(calls: list[Callable[[], object]]) -> list[BaseException]:
    """Run the calls in threads released together; the errors they raised."""
    start = threading.Barrier(len(calls))
    failures: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        start.wait()
        try:
            call()
        except BaseException as error:  # collected: the assertion names it
            failures.append(error)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return failures


def test_plan_changes_saved_at_the_same_moment_all_land(db: Database) -> None:
    """Each edit makes the next plan version: all but one lose the race and run again."""
    plan = start_example(db)
    days = [d for d in plan.days if d.sessions][:6]
    notes = [AddNote(text=f"Note {i}", on=d.date) for i, d in enumerate(days)]
    calls = [functools.partial(clinic.edit_plan, db, None, n, on=plan.start) for n in notes]
    assert at_once(calls) == []  # type: ignore[arg-type]
    with db.unit() as repo:
        runner = runners.choose(repo, None)
        versions = [v.version for v in repo.plan_summaries(runner.id)]
        latest = repo.current_plan(runner.id)
    assert versions == list(range(1, len(notes) + 2))  # the first plan, then one per edit
    assert latest is not None
    reasons = " ".join(s.reason for d in latest.plan.days for s in d.sessions)
    assert all(n.text in reasons for n in notes)  # no edit overwrote another


def test_logs_saved_at_the_same_moment_all_land(db: Database) -> None:
    plan = start_example(db)
    days = [d for d in plan.days if d.session(SessionKind.pre_run_activation)][:8]
    last = days[-1].date
    entries = [as_prescribed(d, SessionKind.pre_run_activation) for d in days]
    calls = [functools.partial(training.log_session, db, None, e, on=last) for e in entries]
    assert at_once(calls) == []  # type: ignore[arg-type]
    with db.unit() as repo:
        runner = runners.choose(repo, None)
        logged = sorted(log.date for log in repo.session_logs(runner.id))
        versions = [v.version for v in repo.plan_summaries(runner.id)]
    assert logged == [d.date for d in days]
    assert versions == list(range(1, len(versions) + 1))  # no gap, none twice


def test_only_a_conflict_is_tried_again_and_only_so_often() -> None:
    calls: list[str] = []

    @retry.retry_conflicts
    def racing(outcome: str) -> str:
        calls.append(outcome)
        if outcome == "conflict" or (outcome == "once" and len(calls) == 1):
            raise StorageError("a conflicting change was saved", permanent=False, conflict=True)
        if outcome == "down":
            raise StorageError("the database is restarting", permanent=False)
        return "done"

    assert racing("once") == "done" and calls == ["once", "once"]
    calls.clear()
    with pytest.raises(StorageError, match="conflicting"):
        racing("conflict")
    assert len(calls) == retry.ATTEMPTS
    calls.clear()
    with pytest.raises(StorageError, match="restarting"):
        racing("down")
    assert calls == ["down"]  # not a race: said at once
