"""`glutecoach clinic overview` and `clinic edit`, through the real entry point."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from tests.cli.conftest import Cli, cli_on
from tests.clock import TODAY
from tests.conftest import EXAMPLES


@pytest.fixture
def gc(tmp_path: Path) -> Cli:
    """The CLI with its own database and one runner whose plan began 3 days ago."""

    run = cli_on(tmp_path / "gc.db")

    profile = yaml.safe_load((EXAMPLES / "runner.yaml").read_text())
    profile.update(timezone="UTC", start_date=(TODAY - dt.timedelta(days=3)).isoformat())
    (tmp_path / "runner.yaml").write_text(yaml.safe_dump(profile))
    started = run("start", "-p", str(tmp_path / "runner.yaml"))
    assert started.returncode == 0, started.stderr
    return run


def future_strength(gc: Cli) -> tuple[str, list[str]]:
    for offset in range(1, 15):
        day = (TODAY + dt.timedelta(days=offset)).isoformat()
        today = json.loads(gc("today", "--date", day, "--json").stdout)
        for session in today["day"]["sessions"] if today["day"] else []:
            if session["kind"] == "strength":
                return day, [p["exercise_id"] for p in session["prescriptions"]]
    raise AssertionError("no strength day in the next two weeks")


def test_the_overview_lists_the_runner_as_json_and_as_a_table(gc: Cli) -> None:
    as_json = gc("clinic", "overview", "--json")
    assert as_json.returncode == 0, as_json.stderr
    rows = json.loads(as_json.stdout)
    assert [r["runner"] for r in rows] == ["sam-example"]
    assert rows[0]["plan_version"] == 1 and rows[0]["last_log"] is None
    table = gc("clinic", "overview")
    assert table.returncode == 0
    assert "sam-example" in table.stdout
    after = gc("clinic", "overview", "--date", (TODAY + dt.timedelta(days=400)).isoformat())
    assert after.returncode == 0, after.stderr  # outside the plan: no week to count
    assert "sam-example" in after.stdout


def test_an_edit_is_a_new_plan_version_the_runner_sees(gc: Cli) -> None:
    day, ids = future_strength(gc)
    edited = gc("clinic", "edit", "sam-example", "--dosage", ids[0], "--sets", "4", "--on", day)
    assert edited.returncode == 0, edited.stderr
    as_json = gc("clinic", "edit", "sam-example", "--note", "Easy today.", "--on", day, "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["plan_version"] == 3
    versions = json.loads(gc("plan", "--changes", "--json").stdout)
    assert [c["action"] for v in versions for c in v["changes"]] == [
        "clinician_dosage",
        "clinician_note",
    ]
    today = json.loads(gc("today", "--date", day, "--json").stdout)
    strength = next(s for s in today["day"]["sessions"] if s["kind"] == "strength")
    assert next(p for p in strength["prescriptions"] if p["exercise_id"] == ids[0])["sets"] == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--swap", "clamshell", "no_such_exercise"), "unknown exercise"),
        (("--dosage", "clamshell", "--sets", "3", "--on", "2001-01-01"), "in the past"),
        (("--note", "x", "--swap", "a", "b"), "exactly one of"),
    ],
)
def test_a_refused_edit_is_one_line_and_exit_2(
    gc: Cli, args: tuple[str, ...], message: str
) -> None:
    refused = gc("clinic", "edit", "sam-example", *args)
    assert refused.returncode == 2
    assert message in refused.stderr
    assert "Traceback" not in refused.stderr
    versions = json.loads(gc("plan", "--changes", "--json").stdout)
    assert len(versions) == 1
