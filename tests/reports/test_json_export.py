from __future__ import annotations

import json

from glutecoach.domain.planning.plan import Plan
from glutecoach.domain.screening.findings import Screening
from glutecoach.reports import to_json


def test_a_plan_round_trips_through_json(plan: Plan) -> None:
    assert Plan.model_validate_json(to_json(plan)) == plan


def test_a_screening_round_trips_through_json(screening: Screening) -> None:
    assert Screening.model_validate_json(to_json(screening)) == screening


def test_the_json_is_indented_and_the_same_every_time(plan: Plan) -> None:
    text = to_json(plan)
    assert text == to_json(plan)
    assert text.startswith('{\n  "kind": "glutecoach.plan",\n  "version": 1,')
    assert json.loads(text)["weeks"][1]["kind"] == "deload"
