"""The example runner, on the CLI: a strength day logged at 5/10, then three weeks in which no
session of any kind holds what hurt, Today saying why and what brings it back, and a clinician's
`clinic restore` with the runner's `recheck` bringing it back."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import yaml

from glutecoach.adapters.db.plan_documents import plan_from_document
from glutecoach.domain.planning import Plan, SessionKind
from tests.cli.conftest import cli_on, errors_of
from tests.clock import TODAY
from tests.conftest import EXAMPLES


def _current_plan(home: Path) -> Plan:
    [(data,)] = sqlite3.connect(home / "gc.db").execute(
        "select data from plans order by version desc limit 1"
    )
    return plan_from_document(data)


def test_the_example_runner_never_sees_what_hurt_for_three_weeks_and_is_told_how_it_returns(
    tmp_path: Path,
) -> None:
    profile = yaml.safe_load((EXAMPLES / "runner.yaml").read_text())
    profile.update(start_date=(TODAY - dt.timedelta(days=12)).isoformat())
    (tmp_path / "runner.yaml").write_text(yaml.safe_dump(profile))
    gc = cli_on(tmp_path / "gc.db")
    assert gc("start", "-p", str(tmp_path / "runner.yaml")).returncode == 0
    first = _current_plan(tmp_path)
    day = [d for d in first.days if d.date <= TODAY and d.session(SessionKind.strength)][-1]
    strength = day.session(SessionKind.strength)
    assert strength is not None
    hurt = {p.exercise_id for p in strength.prescriptions}

    on_day = cli_on(tmp_path / "gc.db", today=day.date.isoformat())
    logged = on_day(
        "log", "--date", day.date.isoformat(), "--session", "strength", "--as-prescribed",
        "--effort", "6", "--felt", "glutes", "--pain", "5",
    )  # fmt: skip
    assert logged.returncode == 0, logged.stderr
    assert "See a physiotherapist or doctor" in logged.stdout

    plan = _current_plan(tmp_path)
    three_weeks = [
        p.exercise_id
        for d in plan.days
        if day.date < d.date <= day.date + dt.timedelta(days=21)
        for s in d.sessions
        for p in s.prescriptions
    ]
    assert three_weeks and not hurt & set(three_weeks)

    later = cli_on(tmp_path / "gc.db", today=(day.date + dt.timedelta(days=4)).isoformat())
    today = later("today")
    assert today.returncode == 0, today.stderr
    assert "Held back for pain" in today.stdout and "restores it" in today.stdout
    status = json.loads(later("recheck", "--json").stdout)
    assert {h["exercise_id"] for h in status["held"]} == hurt
    assert status["see_clinician"] is True

    refused = later("recheck", "--pain-free")
    assert refused.returncode == 2
    assert "stopped" in errors_of(refused)

    areas = [f"--area={a}" for a in status["stopped_areas"]]
    restored = later("clinic", "restore", "sam-example", *areas, "--note", "assessed")
    assert restored.returncode == 0, restored.stderr
    assert "Back from" in restored.stdout
    left = json.loads(later("recheck", "--json").stdout)
    if left["held"]:  # what also loads an area that is not stopped waits for the re-check
        answered = later("recheck", "--pain-free")
        assert answered.returncode == 0, answered.stderr
        assert json.loads(later("recheck", "--json").stdout)["held"] == []
    returned = {
        p.exercise_id
        for d in _current_plan(tmp_path).days
        for s in d.sessions
        for p in s.prescriptions
        if d.date > day.date + dt.timedelta(days=4)
    }
    assert hurt & returned
