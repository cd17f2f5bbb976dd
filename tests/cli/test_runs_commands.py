"""import-runs → runs → load, as a user runs them: progress, summaries, JSON, the chart, and bad
files reported without a traceback while nothing stored changes."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
import yaml

from tests.adapters.runfiles.test_reading_real_files import RUNS
from tests.cli.conftest import Cli, cli_on


@pytest.fixture
def gc(tmp_path: Path) -> Cli:
    return cli_on(tmp_path / "gc.db")


def stored_runs(tmp_path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(tmp_path / "gc.db") as db:
        return db.execute("SELECT source, started_at FROM recorded_runs ORDER BY id").fetchall()


def test_import_then_list_then_the_load_report_with_its_chart(gc: Cli, tmp_path: Path) -> None:
    imported = gc("import-runs", str(RUNS / "fit"), str(RUNS / "tcx"), "--runner-name", "Sam")
    assert imported.returncode == 0, imported.stderr
    assert "Imported 19 activities" in imported.stdout.replace("\n", " ")
    listed = gc("runs", "--json")
    data = json.loads(listed.stdout)
    assert len(data["runs"]) == 19
    fenix = next(r for r in data["runs"] if r["source"].endswith("garmin-fenix-5-run.fit"))
    assert fenix["cadence_spm"] == pytest.approx(167.34, abs=0.01)
    assert fenix["start"].endswith("-07:00") is False  # shown in the runner's zone (UTC here)
    table = gc("runs")
    assert "garmin-fenix-5-run" in table.stdout and "Steps/min" in table.stdout
    chart = tmp_path / "load.png"
    report = gc("load", "--date", "2015-09-01", "--weeks", "4", "--plot", str(chart), "--json")
    assert report.returncode == 0, report.stderr
    load = json.loads(report.stdout)
    assert [w["start"] for w in load["weeks"]] == [
        "2015-08-10",
        "2015-08-17",
        "2015-08-24",
        "2015-08-31",
    ]
    assert load["acwr"]["source"] == "gabbett_2016" and "contested" in load["acwr"]["caveat"]
    assert load["spike_source"] == "winter_2020_spikes"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = gc("load", "--date", "2015-09-01")
    assert "Acute:chronic ratio" in text.stdout and "contested" in text.stdout


def test_a_corrupt_file_is_named_with_its_reason_exit_2_and_the_rest_goes_in(
    gc: Cli, tmp_path: Path
) -> None:
    first = gc("import-runs", str(RUNS / "tcx"), "--runner-name", "Sam")
    assert first.returncode == 0
    before = stored_runs(tmp_path)
    fake = tmp_path / "holiday.fit"
    fake.write_text("this is a text file, not a FIT file")
    result = gc(
        "import-runs",
        str(RUNS / "corrupt" / "activity-unexpected-eof.fit"),
        str(fake),
        str(RUNS / "fit" / "garmin-fenix-5-run.fit"),
        "--json",
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    summary = json.loads(result.stdout)
    reasons = {Path(r["file"]).name: r["reason"] for r in summary["rejected"]}
    assert "truncated" in reasons["activity-unexpected-eof.fit"]
    assert "not a FIT file" in reasons["holiday.fit"]
    assert summary["imported_runs"] == 1
    after = stored_runs(tmp_path)
    assert after[: len(before)] == before and len(after) == len(before) + 1


def test_no_runner_named_is_one_clear_error(gc: Cli, tmp_path: Path) -> None:
    result = gc("import-runs", str(RUNS / "tcx"))
    assert result.returncode == 2
    assert "--runner-name" in result.stderr and "Traceback" not in result.stderr


def test_help_explains_the_commands(gc: Cli) -> None:
    for command, words in (
        ("import-runs", "zip archives"),
        ("runs", "--weekly"),
        ("load", "acute:chronic"),
    ):
        shown = gc(command, "--help")
        prose = " ".join(re.sub(r"[│╭╮╰╯─]", " ", shown.stdout).split())
        assert shown.returncode == 0 and words in prose


def test_start_reads_the_running_week_from_imported_runs_and_says_so(
    gc: Cli, tmp_path: Path
) -> None:
    from tests.services.test_plans_follow_the_running import (
        profile_without_the_running_week,
        six_weeks,
    )

    runs = tmp_path / "runs"
    runs.mkdir()
    assert gc("import-runs", str(six_weeks(runs)), "--runner-name", "Sam Example").returncode == 0
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(profile_without_the_running_week()))
    started = gc("start", "--profile", str(profile))
    assert started.returncode == 0, started.stderr
    said = " ".join(started.stdout.split())
    assert (
        "Run days, long run and hard days and weekly distance taken from your last 6 weeks" in said
    )
    assert "run days tue, thu, sun; long run on sun; hard days thu" in said


def test_start_without_run_days_or_runs_names_the_field(gc: Cli, tmp_path: Path) -> None:
    from tests.services.test_plans_follow_the_running import profile_without_the_running_week

    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(profile_without_the_running_week()))
    result = gc("start", "--profile", str(profile))
    assert result.returncode == 2
    assert "field 'run_days' is missing" in result.stderr and "Traceback" not in result.stderr
