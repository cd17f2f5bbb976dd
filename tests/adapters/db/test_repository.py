"""Every repository method stores a domain model and gives the same one back, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select

from glutecoach.adapters.db.clinic_queries import ClinicQueries, SharedOverview
from glutecoach.adapters.db.engine import open_database
from glutecoach.adapters.db.plan_documents import plan_from_document
from glutecoach.adapters.db.repositories import Database
from glutecoach.adapters.db.tables import Base, PlanRow, RunnerRow
from glutecoach.domain.errors import InvalidInput, NotFound, RuleViolation
from glutecoach.domain.library import Library
from tests.clock import CLOCK
from tests.factories import (
    MONDAY,
    make_exercise_log,
    make_plan,
    make_profile,
    make_run_log,
    make_screening,
    make_session_log,
    make_soreness,
)


def add_ana(database: Database) -> int:
    with database.unit() as repo:
        return repo.add_runner("ana", "Ana")


def test_a_runner_is_found_by_slug_and_listed(database: Database) -> None:
    with database.unit() as repo:
        ana = repo.add_runner("ana", "Ana")
        ben = repo.add_runner("ben-k", "Ben K")
    with database.unit() as repo:
        found = repo.runner("ana")
        assert found is not None and (found.id, found.slug, found.name) == (ana, "ana", "Ana")
        assert found.created_at.tzinfo == dt.UTC
        assert [r.id for r in repo.runners()] == [ana, ben]
        assert repo.runner("nobody") is None


def test_a_second_runner_with_the_same_slug_is_refused(database: Database) -> None:
    add_ana(database)
    with (
        pytest.raises(RuleViolation, match="a runner 'ana' already exists"),
        database.unit() as repo,
    ):
        repo.add_runner("ana", "Another Ana")
    with database.unit() as repo:
        assert [r.name for r in repo.runners()] == ["Ana"]


@pytest.mark.parametrize("slug", ["", "Ana", "ana k", "-ana", "a" * 65])
def test_a_slug_that_is_not_lowercase_letters_digits_and_dashes_is_refused(
    database: Database, slug: str
) -> None:
    with pytest.raises(InvalidInput, match="lowercase letters"), database.unit() as repo:
        repo.add_runner(slug, "Ana")


def test_writing_for_a_runner_that_does_not_exist_is_refused(database: Database) -> None:
    with pytest.raises(NotFound, match="no runner with id 99"), database.unit() as repo:
        repo.add_run(99, make_run_log())


def test_a_profile_gets_a_new_version_only_when_it_changes(database: Database) -> None:
    ana = add_ana(database)
    first, changed = make_profile(), make_profile(weekly_km=42.5)
    with database.unit() as repo:
        assert repo.latest_profile(ana) is None
        assert repo.save_profile(ana, first) == 1
        assert repo.save_profile(ana, first) == 1
        assert repo.save_profile(ana, changed) == 2
    with database.unit() as repo:
        assert repo.latest_profile(ana) == (2, changed)
        assert [(p.version, p.profile) for p in repo.profiles(ana)] == [(1, first), (2, changed)]


def test_screenings_are_all_kept_oldest_first(database: Database, library: Library) -> None:
    ana = add_ana(database)
    initial = make_screening(library, answers={"hip_drop_seen": True})
    retest = make_screening(library)
    with database.unit() as repo:
        first = repo.add_screening(ana, initial, "initial")
        second = repo.add_screening(ana, retest, "retest")
    with database.unit() as repo:
        records = repo.screenings(ana)
    assert [(r.id, r.purpose, r.screening) for r in records] == [
        (first, "initial", initial),
        (second, "retest", retest),
    ]
    assert records[0].created_at <= records[1].created_at


def test_a_screening_purpose_other_than_initial_or_retest_is_refused(
    database: Database, library: Library
) -> None:
    ana = add_ana(database)
    with pytest.raises(InvalidInput, match="purpose"), database.unit() as repo:
        repo.add_screening(ana, make_screening(library), "followup")  # type: ignore[arg-type]


def test_a_plan_comes_back_whole_from_its_stored_document(
    database: Database, library: Library
) -> None:
    ana = add_ana(database)
    plan = make_plan()
    with database.unit() as repo:
        profile_version = repo.save_profile(ana, make_profile())
        screening_id = repo.add_screening(ana, make_screening(library), "initial")
        version = repo.add_plan(
            ana,
            plan,
            reason="first plan",
            changes=[],
            profile_version=profile_version,
            screening_id=screening_id,
        )
    with database.unit() as repo:
        current = repo.current_plan(ana)
        document = repo.session.scalar(select(PlanRow.data).where(PlanRow.runner_id == ana))
    assert current is not None
    assert (current.version, current.plan, current.reason, current.changes) == (
        version,
        plan,
        "first plan",
        (),
    )
    assert (current.profile_version, current.screening_id) == (profile_version, screening_id)
    assert plan_from_document(document) == plan  # what is stored, not the process's cache
    assert len(document["sessions"]) < sum(len(day.sessions) for day in plan.days)  # shared


def test_a_plan_version_rolled_back_is_never_served_from_the_cache(database: Database) -> None:
    ana = add_ana(database)
    first, second = make_plan(weeks=1), make_plan(weeks=2)
    with database.unit() as repo:
        profile_version = repo.save_profile(ana, make_profile())
        repo.add_plan(
            ana, first, reason="1", changes=[], profile_version=profile_version, screening_id=None
        )

    def store_then_fail() -> None:
        with database.unit() as repo:
            repo.add_plan(
                ana,
                second,
                reason="2",
                changes=[],
                profile_version=profile_version,
                screening_id=None,
            )
            raise RuntimeError("the unit fails after the plan was stored")

    with pytest.raises(RuntimeError):
        store_then_fail()
    with database.unit() as repo:
        assert repo.current_plan_version(ana) == 1
        other = repo.add_plan(
            ana,
            make_plan(weeks=3),
            reason="3",
            changes=[],
            profile_version=profile_version,
            screening_id=None,
        )
    with database.unit() as repo:
        current = repo.current_plan(ana)
    assert current is not None and (other, current.reason) == (2, "3")
    assert len(current.plan.weeks) == 3  # not the rolled-back two-week plan that had version 2


def test_a_plan_must_name_a_profile_version_and_screening_of_its_runner(
    database: Database, library: Library
) -> None:
    ana = add_ana(database)
    with database.unit() as repo:
        ben = repo.add_runner("ben", "Ben")
        repo.save_profile(ana, make_profile())
        bens_screening = repo.add_screening(ben, make_screening(library), "initial")
    plan = make_plan(weeks=1)
    with pytest.raises(NotFound, match="no profile version 2"), database.unit() as repo:
        repo.add_plan(ana, plan, reason="r", changes=[], profile_version=2, screening_id=None)
    with pytest.raises(NotFound, match=f"no screening {bens_screening}"), database.unit() as repo:
        repo.add_plan(
            ana, plan, reason="r", changes=[], profile_version=1, screening_id=bens_screening
        )
    with database.unit() as repo:
        assert repo.current_plan(ana) is None


def test_session_logs_come_back_by_date_then_in_the_order_they_were_saved(
    database: Database,
) -> None:
    ana = add_ana(database)
    tuesday = MONDAY + dt.timedelta(days=1)
    strength = make_session_log(
        make_exercise_log(),
        make_exercise_log(
            exercise_id="side_plank",
            unit="hold_s",
            prescribed_sets=3,
            prescribed={"low": 20, "high": 30},
            sets=[30, 25, 0],
            load="none",
            effort=8,
            felt="low_back",
            pain=2,
        ),
        date=tuesday,
    )
    activation = make_session_log(session="pre_run_activation", date=tuesday)
    skipped = make_session_log(
        date=MONDAY, status="skipped", skip_reason="travelling", exercises=()
    )
    later = make_session_log(date=tuesday + dt.timedelta(days=7), plan_version=2)
    with database.unit() as repo:
        for log in (strength, activation, skipped, later):
            repo.add_session_log(ana, log)
    with database.unit() as repo:
        assert repo.session_logs(ana) == [skipped, strength, activation, later]
        assert repo.session_logs(ana, since=tuesday) == [strength, activation, later]
        assert repo.session_logs(ana, since=tuesday + dt.timedelta(days=1)) == [later]


def test_soreness_and_runs_come_back_as_logged(database: Database) -> None:
    ana = add_ana(database)
    soreness = [
        make_soreness(date=MONDAY + dt.timedelta(days=3), level=6, note="glutes, both sides"),
        make_soreness(),
    ]
    runs = [
        make_run_log(date=MONDAY + dt.timedelta(days=6), kind="long", distance_km=21.0975),
        make_run_log(minutes=0.1 + 0.2),  # a float that is not exact in binary stays the same
    ]
    with database.unit() as repo:
        for soreness_log in soreness:
            repo.add_soreness(ana, soreness_log)
        for run in runs:
            repo.add_run(ana, run)
    with database.unit() as repo:
        assert repo.soreness(ana) == sorted(soreness, key=lambda s: s.date)
        assert repo.runs(ana) == sorted(runs, key=lambda r: r.date)


def test_runners_do_not_see_each_others_data(database: Database) -> None:
    ana = add_ana(database)
    with database.unit() as repo:
        ben = repo.add_runner("ben", "Ben")
        repo.add_session_log(ana, make_session_log())
        repo.add_run(ana, make_run_log())
        repo.add_soreness(ana, make_soreness())
        repo.save_profile(ana, make_profile())
    with database.unit() as repo:
        assert repo.session_logs(ben) == repo.runs(ben) == repo.soreness(ben) == []
        assert repo.latest_profile(ben) is None


def test_deleting_a_runner_deletes_everything_of_theirs(
    database: Database, library: Library
) -> None:
    ana = add_ana(database)
    with database.unit() as repo:
        version = repo.save_profile(ana, make_profile())
        screening = repo.add_screening(ana, make_screening(library), "initial")
        repo.add_plan(
            ana,
            make_plan(weeks=1),
            reason="r",
            changes=[],
            profile_version=version,
            screening_id=screening,
        )
        repo.add_session_log(ana, make_session_log())
        repo.add_soreness(ana, make_soreness())
        repo.add_run(ana, make_run_log())
        ClinicQueries(repo.session).share({ana: SharedOverview("stamp", "UTC", "{}")})
    with database.unit() as repo:
        repo.session.execute(delete(RunnerRow).where(RunnerRow.id == ana))
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            count = connection.scalar(select(func.count()).select_from(table))
            assert count == 0, table.name


def test_one_day_of_a_plan_read_by_the_database_is_the_plans_day(database_url: str) -> None:
    plan = make_plan(weeks=2)
    with open_database(database_url, clock=CLOCK) as first:
        ana = add_ana(first)
        with first.unit() as repo:
            profile_version = repo.save_profile(ana, make_profile())
            version = repo.add_plan(
                ana,
                plan,
                reason="r",
                changes=[],
                profile_version=profile_version,
                screening_id=None,
            )
    outside = (plan.start - dt.timedelta(days=1), plan.end + dt.timedelta(days=1))
    # another Database, as another process has: nothing cached
    with open_database(database_url, clock=CLOCK) as fresh, fresh.unit() as repo:
        read = {d: repo.plan_day(ana, version, d) for d in (*[d.date for d in plan.days], *outside)}
        with pytest.raises(NotFound):
            repo.plan_day(ana, version + 1, plan.start)
    for day in plan.days:
        assert read[day.date].day == day
    assert all(read[d].day is None for d in outside)
    assert {(r.start, r.end) for r in read.values()} == {(plan.start, plan.end)}
