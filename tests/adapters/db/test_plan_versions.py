"""An adapted plan is a new version: what was prescribed before is never overwritten."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update

from glutecoach.adapters.db.errors import StorageError
from glutecoach.adapters.db.records import PlanSummary
from glutecoach.adapters.db.repositories import Database, Repository
from glutecoach.adapters.db.tables import PlanRow
from glutecoach.domain.errors import NotFound
from tests.factories import make_plan, make_profile


def test_each_new_plan_is_the_next_version_and_every_earlier_one_is_kept(
    database: Database,
) -> None:
    plans = [make_plan(weeks=1), make_plan(weeks=2), make_plan(weeks=2, weekly_km=45)]
    with database.unit() as repo:
        ana = repo.add_runner("ana", "Ana")
        profile_version = repo.save_profile(ana, make_profile())
    for n, plan in enumerate(plans, 1):
        with database.unit() as repo:
            version = repo.add_plan(
                ana,
                plan,
                reason=f"reason {n}",
                changes=[f"change {n}"] if n > 1 else [],
                profile_version=profile_version,
                screening_id=None,
            )
        assert version == n
    with database.unit() as repo:
        versions = repo.plan_versions(ana)
        current = repo.current_plan(ana)
    assert [(v.version, v.plan, v.reason) for v in versions] == [
        (n, plan, f"reason {n}") for n, plan in enumerate(plans, 1)
    ]
    assert [v.changes for v in versions] == [(), ("change 2",), ("change 3",)]
    assert versions[0].created_at <= versions[1].created_at <= versions[2].created_at
    assert current == versions[-1]
    with database.unit() as repo:
        summaries = repo.plan_summaries(ana)
    assert [(s.version, s.created_at, s.reason, s.changes) for s in summaries] == [
        (v.version, v.created_at, v.reason, v.changes) for v in versions
    ]


def test_the_database_refuses_two_plans_with_the_same_version(database: Database) -> None:
    with database.unit() as repo:
        ana = repo.add_runner("ana", "Ana")
        repo.save_profile(ana, make_profile())
        for _ in range(2):
            repo.add_plan(
                ana,
                make_plan(weeks=1),
                reason="r",
                changes=[],
                profile_version=1,
                screening_id=None,
            )
    with pytest.raises(StorageError, match="conflicting change"), database.unit() as repo:
        repo.session.execute(update(PlanRow).where(PlanRow.version == 2).values(version=1))
    with database.unit() as repo:
        assert [v.version for v in repo.plan_versions(ana)] == [1, 2]


def _next_version(
    repo: Repository,
    runner_id: int,
    reason: str,
    based_on: PlanSummary | None,
    profile_version: int = 1,
) -> int:
    return repo.add_plan(
        runner_id,
        make_plan(weeks=1),
        reason=reason,
        changes=[],
        profile_version=profile_version,
        screening_id=None,
        based_on=based_on,
    )


def _current(database: Database, runner_id: int) -> PlanSummary | None:
    with database.unit() as repo:
        return repo.current_plan(runner_id)


def test_a_plan_made_from_a_version_no_longer_the_newest_is_refused_as_a_conflict(
    database: Database,
) -> None:
    with database.unit() as repo:
        ana = repo.add_runner("ana", "Ana")
        repo.save_profile(ana, make_profile())
        _next_version(repo, ana, "first", based_on=None)
    stale = _current(database, ana)  # read by one use case, while another stores version 2
    with database.unit() as repo:
        _next_version(repo, ana, "second", based_on=stale)
    # made from version 1 after version 2 was stored: it would drop version 2's changes
    with (
        pytest.raises(StorageError, match="conflicting change") as refused,
        database.unit() as repo,
    ):
        _next_version(repo, ana, "stale", based_on=stale)
    assert refused.value.conflict  # so `retry_conflicts` runs the use case again
    with database.unit() as repo:
        assert [v.reason for v in repo.plan_versions(ana)] == ["first", "second"]
        assert _next_version(repo, ana, "fresh", based_on=repo.current_plan(ana)) == 3


def test_a_plan_with_its_bases_sources_needs_no_check_and_other_sources_are_checked(
    database: Database,
) -> None:
    with database.unit() as repo:
        ana = repo.add_runner("ana", "Ana")
        repo.save_profile(ana, make_profile())
        _next_version(repo, ana, "first", based_on=None)
    base = _current(database, ana)
    with pytest.raises(NotFound, match="no profile version 7"), database.unit() as repo:
        _next_version(repo, ana, "other sources", based_on=base, profile_version=7)
    with database.unit() as repo:
        assert [v.version for v in repo.plan_versions(ana)] == [1]
        seen = []
        event.listen(repo.session, "do_orm_execute", lambda state: seen.append(state.statement))
        assert _next_version(repo, ana, "same sources", based_on=base) == 2
        assert not [q for q in seen if "profiles" in str(q)]  # no check of its profile
