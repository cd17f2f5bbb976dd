"""Who sees which runner, through every use case that takes a runner's slug, on SQLite and
PostgreSQL: a runner only their own, a clinician only theirs, the local mode everybody."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

import glutecoach.services
from glutecoach.adapters.db.repositories import Database
from glutecoach.domain.access import LOCAL, Actor
from glutecoach.domain.errors import Forbidden, InvalidInput, NotFound
from glutecoach.domain.planning import SessionKind
from glutecoach.domain.progression.safety import ClearedBy
from glutecoach.services import (
    accounts,
    clinic,
    clinician_notes,
    gait,
    history,
    recheck,
    run_import,
    runners,
    running,
    training,
)
from glutecoach.services.store import open_store
from tests.factories import make_profile

PASSWORD = "correct horse battery"
SENTINEL: Any = object()  # never reached: the runner is refused first


@dataclass(frozen=True)
class People:
    db: Database
    ana: Actor  # a runner who signed up alone: runner 'ana'
    ben: Actor  # a runner invited by Dr Lee: runner 'ben'
    lee: Actor  # Ben's clinician
    kay: Actor  # a clinician with no runners


@pytest.fixture
def people(database_url: str) -> Iterator[People]:
    with open_store(database_url) as db:
        ana = accounts.sign_up_runner(db, "ana@example.org", "Ana", PASSWORD)
        lee = accounts.add_clinician(db, "lee@example.org", "Dr Lee", PASSWORD)
        kay = accounts.add_clinician(db, "kay@example.org", "Dr Kay", PASSWORD)
        as_lee = Actor.clinician(lee.id)
        invitation = accounts.invite_runner(db.for_actor(as_lee), "ben@example.org")
        ben = accounts.accept_invitation(db, invitation, "Ben", PASSWORD)
        for name in ("Ana", "Ben"):  # each gets a profile and a plan
            runners.start(db, make_profile(name=name, timezone="UTC"), None, weeks=2)
        yield People(
            db,
            Actor.runner(ana.id, ana.runner_id),
            Actor.runner(ben.id, ben.runner_id),
            as_lee,
            Actor.clinician(kay.id),
        )


def slug_calls(tmp_path: Path) -> dict[str, Callable[[Database, str], object]]:
    """Every service function that takes a runner's slug, called for `slug`."""
    run_file = tmp_path / "run.gpx"
    run_file.write_text("<gpx/>")
    day = dt.date(2026, 11, 24)
    return {
        "gait.record": lambda db, s: gait.record(db, s, SENTINEL),
        "gait.history": gait.history,
        "gait.analysis": lambda db, s: gait.analysis(db, s, 1),
        "history.plan_changes": history.plan_changes,
        "history.progress_report": history.progress_report,
        "history.export_runner": lambda db, s: history.export_runner(db, s, tmp_path / "x.json"),
        "run_import.import_runs": lambda db, s: run_import.import_runs(db, [run_file], slug=s),
        "runners.retest": lambda db, s: runners.retest(db, s, SENTINEL),
        "runners.record_screening": lambda db, s: runners.record_screening(db, s, SENTINEL),
        "runners.opened": runners.opened,
        "running.load_report": running.load_report,
        "running.history": running.history,
        "running.history_signs": running.history_signs,
        "running.follow_running": running.follow_running,
        "training.today": training.today,
        "training.current_plan": training.current_plan,
        "training.snapshot_of": training.snapshot_of,
        "training.plan_of": lambda db, s: training.plan_of(db, s, 1),
        "training.log_session": lambda db, s: training.log_session(db, s, SENTINEL),
        "training.skip_session": lambda db, s: training.skip_session(
            db, s, SessionKind.strength, "ill", day
        ),
        "training.log_soreness": lambda db, s: training.log_soreness(db, s, 3, day),
        "training.log_run": lambda db, s: training.log_run(db, s, 5.0, 30.0, day),
        "clinician_notes.add_note": lambda db, s: clinician_notes.add_note(db, s, "a note"),
        "clinician_notes.notes": clinician_notes.notes,
        "recheck.pain_status": recheck.pain_status,
        "recheck.clear": lambda db, s: recheck.clear(db, s, ClearedBy.runner),
        "clinic.edit_plan": lambda db, s: clinic.edit_plan(db, s, SENTINEL),
        "clinic.runner_detail": clinic.runner_detail,
    }


def test_the_table_names_every_service_function_that_takes_a_slug(tmp_path: Path) -> None:
    modules = [
        importlib.import_module(f"glutecoach.services.{m.name}")
        for m in pkgutil.iter_modules(glutecoach.services.__path__)
    ]
    taking_a_slug = {
        f"{module.__name__.rsplit('.', 1)[1]}.{name}"
        for module in modules
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and "slug" in inspect.signature(function).parameters
        and "db" in inspect.signature(function).parameters
    }
    assert taking_a_slug == set(slug_calls(tmp_path))


def test_a_runner_cannot_reach_another_runner_through_any_use_case(
    people: People, tmp_path: Path
) -> None:
    as_ana = people.db.for_actor(people.ana)
    for name, call in slug_calls(tmp_path).items():
        with pytest.raises((NotFound, Forbidden)) as refused:
            call(as_ana, "ben")
        assert "ben" not in refused.value.message.split("(")[-1], name  # not among the known
    with pytest.raises(NotFound, match=r"no runner 'ben' \(runners: ana\)"):
        training.today(as_ana, "ben")


def test_a_clinician_with_no_runners_reaches_nobody(people: People, tmp_path: Path) -> None:
    as_kay = people.db.for_actor(people.kay)
    for slug in ("ana", "ben"):
        for name, call in slug_calls(tmp_path).items():
            with pytest.raises(NotFound):
                call(as_kay, slug)
            assert name


def test_a_runner_sees_their_own_data_with_or_without_naming_it(people: People) -> None:
    as_ana = people.db.for_actor(people.ana)
    runner, version, _ = training.current_plan(as_ana, None)
    assert runner.slug == "ana" and version == 1
    assert training.current_plan(as_ana, "ana")[0].slug == "ana"
    outcome = training.log_soreness(
        as_ana, None, 2, dt.date(2026, 11, 24), on=dt.date(2026, 11, 24)
    )
    assert outcome is not None
    with as_ana.unit() as repo:
        assert [r.slug for r in repo.runners()] == ["ana"]


def test_a_clinician_sees_their_runners_only_and_adds_runners_to_their_list(
    people: People,
) -> None:
    as_lee = people.db.for_actor(people.lee)
    with as_lee.unit() as repo:
        assert [r.slug for r in repo.runners()] == ["ben"]
        assert repo.runner("ana") is None
        ana_id = people.ana.runner_id
        assert ana_id is not None
        with pytest.raises(NotFound):
            repo.runner_by_id(ana_id)
        with pytest.raises(NotFound):
            repo.plan_summaries(ana_id)
        with pytest.raises(NotFound):
            repo.gait_analyses.list(ana_id)
        with pytest.raises(NotFound):
            repo.recorded_runs.list(ana_id)
    started = runners.start(as_lee, make_profile(name="Cleo", timezone="UTC"), None, weeks=2)
    assert started.new_runner
    with as_lee.unit() as repo:
        assert [r.slug for r in repo.runners()] == ["ben", "cleo"]
    with people.db.for_actor(people.kay).unit() as repo:
        assert repo.runners() == []


def test_a_runner_may_not_add_a_runner(people: People) -> None:
    with pytest.raises(Forbidden), people.db.for_actor(people.ana).unit() as repo:
        repo.add_runner("dan", "Dan")


def test_the_local_mode_sees_everybody(people: People) -> None:
    assert people.db.actor == LOCAL
    with people.db.unit() as repo:
        assert [r.slug for r in repo.runners()] == ["ana", "ben"]
    assert training.current_plan(people.db, "ben")[0].slug == "ben"


def test_a_clinician_who_opened_a_runner_acts_on_them_without_naming_them(
    people: People,
) -> None:
    as_lee = people.db.for_actor(people.lee)
    runners.start(as_lee, make_profile(name="Cleo", timezone="UTC"), None, weeks=2)
    with pytest.raises(InvalidInput, match="several runners"):
        training.current_plan(as_lee, None)
    ben_id = people.ben.runner_id
    focused = people.db.for_actor(replace(people.lee, focus=ben_id))
    assert training.current_plan(focused, None)[0].slug == "ben"
    # focusing on a runner one may not see changes nothing
    kay_on_ben = people.db.for_actor(replace(people.kay, focus=ben_id))
    with pytest.raises(NotFound):
        training.current_plan(kay_on_ben, None)
