"""Each plan version records the latest day one of its changes takes effect, so a clinician's
overview reads only the versions whose changes reach its recent days."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from glutecoach.adapters.db import schema
from glutecoach.adapters.db.clinic_queries import ClinicQueries
from glutecoach.adapters.db.engine import current_revision, open_database
from glutecoach.adapters.db.records import changes_until
from glutecoach.adapters.db.repositories import Repository
from glutecoach.adapters.db.tables import SCHEMA_HEAD, PlanRow
from tests.clock import CLOCK
from tests.factories import MONDAY, make_change, make_plan, make_profile


def line(effective_from: dt.date, action: str = "regress") -> str:
    return make_change(effective_from, action).model_dump_json()


DAYS = [MONDAY + dt.timedelta(days=n) for n in (0, 20, 40)]
VERSIONS = [[], [line(DAYS[0]), line(DAYS[1], "progress")], [line(DAYS[2])]]


def test_the_latest_day_of_a_versions_changes() -> None:
    assert changes_until([]) is None
    assert changes_until([line(DAYS[1]), line(DAYS[0])]) == DAYS[1]
    # a line that does not say when counts for ever: no bounded read leaves it out
    assert changes_until([line(DAYS[0]), "not a change"]) == dt.date.max
    assert changes_until(['{"action": "stop"}']) == dt.date.max


def store_versions(repo: Repository) -> int:
    runner = repo.add_runner("ana", "Ana")
    profile = repo.save_profile(runner, make_profile())
    plan = make_plan(weeks=1)
    for lines in VERSIONS:
        repo.add_plan(
            runner, plan, reason="test", changes=lines, profile_version=profile, screening_id=None
        )
    return runner


def stored_days(repo: Repository) -> list[dt.date | None]:
    return list(repo.session.scalars(select(PlanRow.changes_until).order_by(PlanRow.version)))


def test_a_bounded_read_of_change_lines_keeps_every_version_reaching_past_the_day(
    database_url: str,
) -> None:
    with open_database(database_url, clock=CLOCK) as database, database.unit() as repo:
        runner = store_versions(repo)
        assert stored_days(repo) == [None, DAYS[1], DAYS[2]]
        queries = ClinicQueries(repo.session)
        every = queries.plan_changes([runner])[runner]
        assert every == [*VERSIONS[1], *VERSIONS[2]]
        assert queries.plan_changes([runner], after=DAYS[0])[runner] == every
        assert queries.plan_changes([runner], after=DAYS[1])[runner] == VERSIONS[2]
        assert queries.plan_changes([runner], after=DAYS[2]) == {}
        found = queries.plan_changes([runner], mentioning=["progress"], after=DAYS[0])
        assert found == {runner: VERSIONS[1]}


def test_the_migration_gives_stored_versions_their_day(database_url: str) -> None:
    with open_database(database_url, clock=CLOCK) as database:
        with database.unit() as repo:
            store_versions(repo)
        schema.downgrade(database.engine, "0007")
        schema.upgrade(database.engine, where=database.where)
        assert current_revision(database.engine) == SCHEMA_HEAD
        with database.unit() as repo:
            assert stored_days(repo) == [None, DAYS[1], DAYS[2]]
