"""One golden plan: the example runner, screened and planned on a fixed day.

Regenerate after an intended change with
    UPDATE_GOLDEN=1 .venv/bin/pytest tests/cli/test_golden_plan.py
and read the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import os

from glutecoach.reports import to_json
from glutecoach.services import planning, screening
from tests.clock import clock_on
from tests.conftest import EXAMPLES, ROOT

GOLDEN = ROOT / "tests" / "golden" / "example_plan.json"
TODAY = dt.date(2026, 11, 20)  # a Friday: the plan starts on Monday 23 November


def _example_plan_json() -> str:
    result = screening.run(screening.read_input(EXAMPLES / "answers.yaml"), TODAY)
    profile = planning.read_profile(EXAMPLES / "runner.yaml", clock_on(TODAY))
    return to_json(planning.make(profile, result, weeks=8)) + "\n"


def test_the_example_runners_plan_matches_the_golden_file() -> None:
    produced = _example_plan_json()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(produced)
    assert produced == GOLDEN.read_text()


def test_the_golden_plan_starts_monday_and_ends_on_race_day() -> None:
    text = GOLDEN.read_text()
    assert '"start": "2026-11-23"' in text
    assert '"end": "2027-01-17"' in text
