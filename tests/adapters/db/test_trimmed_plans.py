"""A clinician's overview reads each runner's current plan trimmed by the database to the weeks
around today: those weeks come back whole, with the sessions their days use, and nothing else of
the plan is lost; a session only other weeks use is left out."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from glutecoach.adapters.db.clinic_queries import ClinicQueries
from glutecoach.adapters.db.plan_reads import json_column, plan_document_sql
from glutecoach.adapters.db.repositories import Database
from glutecoach.domain.planning import Plan
from tests.adapters.db.test_plan_documents import adapted_plan
from tests.factories import make_plan, make_profile


def _store(database: Database, plans: list[Plan]) -> int:
    with database.unit() as repo:
        ana = repo.add_runner("ana", "Ana")
        repo.save_profile(ana, make_profile())
        for plan in plans:
            repo.add_plan(ana, plan, reason="r", changes=[], profile_version=1, screening_id=None)
    return ana


def _trimmed(database: Database, runner_id: int, first: dt.date, last: dt.date) -> Plan:
    with database.unit() as repo:
        return ClinicQueries(repo.session).current_plans([runner_id], (first, last))[runner_id].plan


def test_the_weeks_asked_for_come_back_whole_with_the_rest_of_the_plan(database: Database) -> None:
    older, plan = make_plan(weeks=2), adapted_plan()  # the newest version is the one read
    ana = _store(database, [older, plan])
    for weeks in ([2], [3, 4], [7], []):
        chosen = [w for w in plan.weeks if w.number in weeks]
        first = chosen[0].start if chosen else plan.end + dt.timedelta(days=30)
        last = chosen[-1].start if chosen else first
        trimmed = _trimmed(database, ana, first, last)
        assert trimmed.weeks == tuple(chosen)
        assert trimmed.model_copy(update={"weeks": plan.weeks}) == plan


def test_a_week_between_the_bounds_is_kept_and_one_starting_a_day_out_is_not(
    database: Database,
) -> None:
    plan = make_plan(weeks=4)
    ana = _store(database, [plan])
    second, third = plan.weeks[1], plan.weeks[2]
    day = dt.timedelta(days=1)
    assert _trimmed(database, ana, second.start, third.start).weeks == (second, third)
    assert _trimmed(database, ana, second.start + day, third.start - day).weeks == ()
    assert _trimmed(database, ana, second.start - day, second.start).weeks == (second,)


def test_the_trimmed_document_holds_only_the_sessions_its_days_use(database: Database) -> None:
    plan = adapted_plan()
    _store(database, [plan])
    dialect = database.engine.dialect.name
    week = plan.weeks[3].start.isoformat()
    with database.unit() as repo:
        stored, trimmed = (
            json_column(
                repo.session.execute(
                    text(f"SELECT {plan_document_sql(dialect, trim)} FROM plans p"),
                    {"weeks_from": week, "weeks_to": week} if trim else {},
                ).scalar_one()
            )
            for trim in (False, True)
        )
    used = {i for w in trimmed["weeks"] for d in w["days"] for i in d["sessions"]}
    assert [w["number"] for w in trimmed["weeks"]] == [4]
    assert {i for i, s in enumerate(trimmed["sessions"]) if s is not None} == used
    assert len(trimmed["sessions"]) == len(stored["sessions"]) > len(used)  # indexes still hold
    assert all(trimmed["sessions"][i] == stored["sessions"][i] for i in used)
