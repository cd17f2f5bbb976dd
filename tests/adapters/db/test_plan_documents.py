"""A plan is stored with each distinct session once: it comes back equal, smaller to store, and
the migration moves stored documents between the layouts without losing a field."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from sqlalchemy import select

from glutecoach.adapters.db import schema
from glutecoach.adapters.db.engine import current_revision, open_database
from glutecoach.adapters.db.plan_documents import plan_document, plan_from_document
from glutecoach.adapters.db.tables import SCHEMA_HEAD, PlanRow
from glutecoach.domain.errors import RuleViolation
from glutecoach.domain.planning import Plan, RunnerProfile, SessionKind, build_plan
from glutecoach.domain.progression import adapt
from tests.clock import CLOCK
from tests.domain.test_plan_properties import LIBRARY, profiles
from tests.domain.test_progression import ALL_EQUIPMENT, _log_strength
from tests.factories import make_plan, make_profile

step = importlib.import_module(
    "glutecoach.adapters.db.migrations.versions.0007_plans_with_shared_sessions"
)


def whole_document(plan: Plan) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(plan.model_dump_json())
    return loaded


def adapted_plan() -> Plan:
    """A plan after two strength sessions logged as prescribed: the later weeks progress."""
    plan = make_plan(weeks=8)
    first, second = [d.date for d in plan.days if d.session(SessionKind.strength)][:2]
    logs = [_log_strength(plan, first), _log_strength(plan, second)]
    result = adapt(plan, logs, [], LIBRARY, today=second, equipment=ALL_EQUIPMENT)
    assert result.changes
    return result.plan


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles())
def test_any_plan_comes_back_equal_with_each_session_stored_once(
    drawn: tuple[RunnerProfile, int],
) -> None:
    profile, weeks = drawn
    try:
        plan = build_plan(profile, None, LIBRARY, weeks=weeks)
    except RuleViolation:
        assume(False)  # a profile the planner refuses (no two strength days fit) has no plan
    document = plan_document(plan)
    stored = json.loads(document)
    assert plan_from_document(document) == plan
    assert plan_from_document(stored) == plan  # as the driver hands a jsonb column over
    sessions = [json.dumps(s, sort_keys=True) for s in stored["sessions"]]
    assert len(set(sessions)) == len(sessions)  # none twice
    used = {i for week in stored["weeks"] for day in week["days"] for i in day["sessions"]}
    assert used == set(range(len(sessions)))  # none unused


def test_an_adapted_plan_is_smaller_stored_and_shares_its_equal_sessions() -> None:
    plan = adapted_plan()
    document = plan_document(plan)
    back = plan_from_document(document)
    assert back == plan
    every = [s for day in back.days for s in day.sessions]
    distinct = json.loads(document)["sessions"]
    assert len({id(s) for s in every}) == len(distinct) < len(every)
    assert len(document) < len(plan.model_dump_json()) / 3


def test_the_migrations_conversion_agrees_with_the_stored_layout() -> None:
    plan = adapted_plan()
    assert plan_from_document(step.shared(whole_document(plan))) == plan
    assert step.whole(json.loads(plan_document(plan))) == whole_document(plan)
    assert step.shared({}) == {}  # not a whole plan: left as it is
    twice = step.shared(whole_document(plan))
    assert step.shared(twice) is twice  # already shared


def test_a_day_naming_a_session_the_document_lacks_is_refused() -> None:
    stored = json.loads(plan_document(make_plan(weeks=1)))
    stored["weeks"][0]["days"][0]["sessions"] = [len(stored["sessions"])]
    with pytest.raises(ValueError, match="names a session it lacks"):
        plan_from_document(stored)


def test_stored_plans_move_between_the_layouts_with_the_migration(database_url: str) -> None:
    plans = {
        "ana": adapted_plan(),
        "ben": make_plan(weeks=3, run_days=["mon", "wed"], long_run_day="wed", hard_days=[]),
    }
    with open_database(database_url, clock=CLOCK) as database:
        with database.unit() as repo:
            for slug, plan in plans.items():
                runner = repo.add_runner(slug, slug.title())
                profile = repo.save_profile(runner, make_profile())
                repo.add_plan(
                    runner,
                    plan,
                    reason="first",
                    changes=[],
                    profile_version=profile,
                    screening_id=None,
                )

        schema.downgrade(database.engine, "0006")
        with database.engine.connect() as connection:
            rows = connection.execute(select(PlanRow.runner_id, PlanRow.data)).all()
        assert sorted(data["runner"] for _, data in rows) == sorted(
            p.runner for p in plans.values()
        )
        assert sorted((whole_document(p) for p in plans.values()), key=str) == sorted(
            (data for _, data in rows), key=str
        )

        schema.upgrade(database.engine, where=database.where)
        assert current_revision(database.engine) == SCHEMA_HEAD
        with database.unit() as repo:
            for slug, plan in plans.items():
                runner = repo.runner(slug)
                assert runner is not None
                stored = repo.session.scalar(
                    select(PlanRow.data).where(PlanRow.runner_id == runner.id)
                )
                assert "sessions" in stored
                assert plan_from_document(stored) == plan
