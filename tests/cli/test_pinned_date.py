"""GLUTECOACH_TODAY pins today for a demo or a support call, and every command says so."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.cli.conftest import cli_on
from tests.conftest import EXAMPLES

PINNED = "2027-03-03"  # a Wednesday
SAYS = f"The date is pinned: today is {PINNED}, set by GLUTECOACH_TODAY"


def test_a_pinned_day_is_today_for_the_plan_and_every_command_says_so(tmp_path: Path) -> None:
    gc = cli_on(tmp_path / "gc.db", today=PINNED)
    profile = yaml.safe_load((EXAMPLES / "runner.yaml").read_text())
    profile.pop("start_date", None)
    profile.update(timezone="Pacific/Auckland", race=None)
    (tmp_path / "runner.yaml").write_text(yaml.safe_dump(profile))
    started = gc("start", "-p", str(tmp_path / "runner.yaml"))
    assert started.returncode == 0, started.stderr
    assert SAYS in started.stderr
    assert "2027-03-08 to" in started.stdout  # the plan starts on the Monday after the pinned day

    today = gc("today", "--json")
    assert today.returncode == 0, today.stderr
    assert json.loads(today.stdout)["date"] == PINNED  # the JSON stays clean: the note is on stderr
    assert SAYS in today.stderr


def test_the_machines_date_says_nothing_about_pinning(tmp_path: Path) -> None:
    done = cli_on(tmp_path / "gc.db", today="")("exercises", "--json")
    assert done.returncode == 0, done.stderr
    assert "pinned" not in done.stderr


def test_a_wrong_pinned_day_is_refused_by_name_and_nothing_is_created(tmp_path: Path) -> None:
    done = cli_on(tmp_path / "gc.db", today="2027-02-30")("today")
    assert done.returncode == 2
    assert "GLUTECOACH_TODAY" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "gc.db").exists()
