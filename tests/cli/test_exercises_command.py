from __future__ import annotations

import json

from tests.cli.conftest import Run


def test_exercises_json_filters_by_muscle_and_sorts_by_published_activation(cli: Run) -> None:
    done = cli("exercises", "--muscle", "glute_med", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows and all("glute_med" in r["primary_muscles"] + r["secondary_muscles"] for r in rows)
    best = [
        max(
            (f.get("value_pct") or (f["low_pct"] + f["high_pct"]) / 2)
            for f in r["emg"]
            if f["muscle"] == "glute_med" and f["load"] == "bodyweight"
        )
        for r in rows
        if any(f["muscle"] == "glute_med" and f["load"] == "bodyweight" for f in r["emg"])
    ]
    assert best == sorted(best, reverse=True)


def test_exercises_with_no_equipment_need_nothing(cli: Run) -> None:
    done = cli("exercises", "--equipment", "none", "--category", "activation", "--json")
    rows = json.loads(done.stdout)
    assert rows and all(r["equipment"] == [] and r["category"] == "activation" for r in rows)


def test_exercises_table_shows_the_evidence_source(cli: Run) -> None:
    done = cli("exercises", "--max-difficulty", "2")
    assert done.returncode == 0, done.stderr
    assert "Clamshell" in done.stdout
    assert "DiStefano" in done.stdout


def test_one_exercise_shows_its_progressions_and_evidence(cli: Run) -> None:
    done = cli("exercise", "clamshell", "--json")
    data = json.loads(done.stdout)
    assert data["harder"] == ["banded_clamshell", "clamshell_hip_extended"]
    assert {s["id"] for s in data["sources"]} >= {"distefano_2009", "selkowitz_2013"}
    text = cli("exercise", "side_lying_hip_abduction").stdout
    assert "Where you should feel it" in text or "feel" in text.lower()
    assert "DiStefano" in text


def test_an_unknown_exercise_id_is_a_clear_error_with_exit_code_two(cli: Run) -> None:
    done = cli("exercise", "clamshel")
    assert done.returncode == 2
    assert "unknown exercise id 'clamshel'" in done.stderr
    assert "Did you mean: clamshell" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_help_explains_each_command(cli: Run) -> None:
    for command in ("exercises", "exercise", "screen", "plan", "demo"):
        done = cli(command, "--help")
        assert done.returncode == 0
        assert "Usage" in done.stdout
    assert "--json" in cli("exercises", "--help").stdout
