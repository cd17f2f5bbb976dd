"""Property tests against the OpenAPI document: whatever schemathesis sends, valid or not, no
response is a 5xx.

A runner is started in the database first and every generated `slug` is that runner's, so the
runner paths reach the use cases. Bounded and derandomized: the same cases on every run.
(schemathesis' own `from_fixture` loader cannot run under pytest 9.2, so each operation's
strategy is driven by Hypothesis directly.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans

from glutecoach.domain.planning import SessionKind
from glutecoach.services import planning, runners, screening, training
from glutecoach.services.store import open_store
from glutecoach.web.app import create_app
from tests.clock import CLOCK, TODAY
from tests.web.conftest import API_OPERATIONS, example_answers, on_this_computer, profile_json

SLUG = "fuzz-runner"
EXAMPLES_PER_OPERATION = 40


@pytest.fixture
def api_schema(database_url: str) -> Iterator[schemathesis.BaseSchema]:
    with open_store(database_url) as db:
        profile = planning.parse_profile(profile_json(name="Fuzz Runner"), "profile", CLOCK)
        answers = screening.run(screening.parse_input(example_answers()), TODAY)
        plan = runners.start(db, profile, answers, weeks=8).plan
        # a logged session and soreness, so today's step back and progress have data to work on
        day = next(d for d in plan.days if d.session(SessionKind.strength))
        session = day.session(SessionKind.strength)
        assert session is not None
        entry = {
            "date": day.date.isoformat(),
            "session": "strength",
            "exercises": [
                {"exercise_id": p.exercise_id, "sets": [p.amount.high] * p.sets, "effort": 6}
                | {"felt": "glutes", "pain": 1}
                for p in session.prescriptions
            ],
        }
        training.log_session(db, SLUG, training.parse_entry(entry, "log"), on=day.date)
        training.log_soreness(db, SLUG, 7, day.date + dt.timedelta(days=1))
    yield schemathesis.openapi.from_asgi(
        "/openapi.json", on_this_computer(create_app(database_url))
    )
    shutdown_lifespans()  # the schema's client started the app: this closes its database


@pytest.mark.parametrize(("method", "path"), sorted(API_OPERATIONS))
def test_no_request_makes_the_api_fail(
    api_schema: schemathesis.BaseSchema, method: str, path: str
) -> None:
    operation = api_schema[path][method.upper()]
    fixed = {"slug": SLUG} if "{slug}" in path else None
    cases = st.one_of(
        *(operation.as_strategy(mode, path_parameters=fixed) for mode in GenerationMode)
    )

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def call(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=[not_a_server_error])

    call()
