"""`glutecoach screen` and `glutecoach plan` through the real entry point, good input and bad."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from icalendar import Calendar

from tests.cli.conftest import Run
from tests.conftest import EXAMPLES


@pytest.fixture
def screening_file(cli: Run, tmp_path: Path) -> Path:
    out = tmp_path / "screening.json"
    done = cli("screen", "--answers", str(EXAMPLES / "answers.yaml"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out


def _profile(tmp_path: Path, **changes: object) -> Path:
    data = yaml.safe_load((EXAMPLES / "runner.yaml").read_text())
    data.update(changes)
    path = tmp_path / "runner.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_screen_from_a_file_saves_findings_the_planner_reads(
    cli: Run, screening_file: Path
) -> None:
    saved = json.loads(screening_file.read_text())
    assert saved["kind"] == "glutecoach.screening"
    kinds = [f["kind"] for f in saved["findings"]]
    assert "hip_abductor_weakness" in kinds
    done = cli("screen", "--answers", str(EXAMPLES / "answers.yaml"), "-o", str(screening_file))
    assert "Weak hip abductors" in done.stdout
    assert "left side held 18 s vs 41 s" in done.stdout


def test_screen_asks_the_questions_when_no_file_is_given(cli: Run, tmp_path: Path) -> None:
    replies = [
        "y",
        "2",
        "left",
        "5",
        "n",
        "n",
        "n",
        "n",
        "n",
        "n",  # one pain: outside knee, 5/10
        "n",  # no other pain
        "y",
        "n",
        "n",
        "n",
        "n",
        "n",
        "n",
        "n",  # signs: hip drop seen
        "3",
        "30",
        "0",  # background
        "y",
        "20",
        "45",  # side plank
        "n",  # skip the bridge
        "n",  # skip the squat
        "y",
        "side_of_thigh",
        "glutes",  # clamshell
    ]
    out = tmp_path / "asked.json"
    done = cli("screen", "-o", str(out), "--json", stdin="\n".join(replies) + "\n")
    assert done.returncode == 0, done.stderr + done.stdout[-2000:]
    saved = json.loads(out.read_text())
    assert saved["input"]["answers"]["hip_drop_seen"] is True
    assert saved["input"]["tests"]["side_plank_s"] == {"left": 20.0, "right": 45.0}
    assert [r["area"] for r in saved["referrals"]] == ["knee_outside"]  # 5/10 is a red flag


def test_screen_asks_again_after_an_out_of_range_answer(cli: Run, tmp_path: Path) -> None:
    replies = ["y", "99", "2", "left", "11", "3"] + ["n"] * 6 + ["n"] * 9 + ["0", "0", "0"]
    replies += ["n"] * 4
    done = cli("screen", "-o", str(tmp_path / "s.json"), stdin="\n".join(replies) + "\n")
    assert done.returncode == 0, done.stderr + done.stdout[-2000:]
    assert "Please enter a whole number from 1 to 10" in done.stdout
    assert "Please enter a whole number from 0 to 10" in done.stdout


@pytest.mark.parametrize("fmt", ["json", "markdown", "html", "ics"])
def test_plan_writes_each_format(cli: Run, screening_file: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"plan.{fmt}"
    done = cli(
        "plan",
        "-p",
        str(EXAMPLES / "runner.yaml"),
        "-f",
        str(screening_file),
        "--weeks",
        "6",
        "--format",
        fmt,
        "-o",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    if fmt == "json":
        assert len(json.loads(out.read_text())["weeks"]) == 6
    elif fmt == "ics":
        calendar = Calendar.from_ical(out.read_bytes())
        assert len(calendar.walk("VEVENT")) > 6 * 4
    elif fmt == "html":
        assert "<html" in out.read_text() and "Week 6" in out.read_text()
    else:
        assert "Week 6" in out.read_text()


def test_plan_in_the_terminal_shows_weeks_and_reasons(cli: Run, screening_file: Path) -> None:
    done = cli("plan", "-p", str(EXAMPLES / "runner.yaml"), "-f", str(screening_file))
    assert done.returncode == 0, done.stderr
    assert "Week 8" in done.stdout
    assert "Strength session 1 of 2" in done.stdout


BAD_PROFILES = [
    ({"shoe_size": 44}, "field 'shoe_size' is not a known field"),
    ({"run_days": []}, "field 'run_days'"),
    ({"run_days": ["tue", "fun"]}, "field 'run_days.1'"),
    ({"weekly_km": "lots"}, "field 'weekly_km'"),
    ({"race": {"date": "2020-05-01", "distance_km": 10}}, "in the past"),
    ({"long_run_day": "mon"}, "long_run_day 'mon' is not one of the run_days"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_PROFILES)
def test_a_bad_profile_is_one_clear_message_and_exit_code_two(
    cli: Run, tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    out = tmp_path / "plan.json"
    out.write_text("the plan written before")
    profile = _profile(tmp_path, **changes)
    done = cli("plan", "-p", str(profile), "--format", "json", "-o", str(out))
    assert done.returncode == 2
    assert message in done.stderr
    assert str(profile) in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert out.read_text() == "the plan written before"


def test_a_missing_field_is_named(cli: Run, tmp_path: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "runner.yaml").read_text())
    del data["weekly_km"]
    path = tmp_path / "runner.yaml"
    path.write_text(yaml.safe_dump(data))
    done = cli("plan", "-p", str(path))
    assert done.returncode == 2
    assert "field 'weekly_km' is missing" in done.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"run_days: [tue\n  weekly_km: 3", "not valid YAML"),
        (b"\xff\xfe\x00garbage", "not a text file"),
        (b"- just\n- a list\n", "expected a mapping of fields"),
    ],
)
def test_an_unreadable_profile_is_named(
    cli: Run, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes(content)
    done = cli("plan", "-p", str(path))
    assert done.returncode == 2
    assert message in done.stderr and "broken.yaml" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_profile_file_is_named(cli: Run, tmp_path: Path) -> None:
    done = cli("plan", "-p", str(tmp_path / "nobody.yaml"))
    assert done.returncode == 2
    assert "nobody.yaml: no such file" in done.stderr


def test_bad_answers_are_refused_and_the_saved_screening_is_kept(
    cli: Run, screening_file: Path, tmp_path: Path
) -> None:
    before = screening_file.read_text()
    answers = tmp_path / "answers.yaml"
    answers.write_text("tests:\n  side_plank_s: {left: -5, right: 30}\n")
    done = cli("screen", "--answers", str(answers), "-o", str(screening_file))
    assert done.returncode == 2
    assert "field 'tests.side_plank_s.left'" in done.stderr
    assert screening_file.read_text() == before


def test_a_file_that_is_not_a_screening_is_refused_as_findings(cli: Run, tmp_path: Path) -> None:
    findings = tmp_path / "findings.json"
    findings.write_text('{"hello": 1}')
    done = cli("plan", "-p", str(EXAMPLES / "runner.yaml"), "-f", str(findings))
    assert done.returncode == 2
    assert "not a glutecoach screening file" in done.stderr


def test_red_flag_pain_at_the_hip_refers_and_makes_no_plan(cli: Run, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  pain:\n    - {area: hip, side: left, level: 6}\n")
    screening = tmp_path / "s.json"
    assert cli("screen", "-a", str(answers), "-o", str(screening)).returncode == 0
    out = tmp_path / "plan.html"
    done = cli(
        "plan",
        "-p",
        str(EXAMPLES / "runner.yaml"),
        "-f",
        str(screening),
        "--format",
        "html",
        "-o",
        str(out),
    )
    assert done.returncode == 3
    assert "See a clinician" in done.stderr
    assert not out.exists()


def test_no_two_strength_days_fit_is_explained(cli: Run, tmp_path: Path) -> None:
    profile = _profile(
        tmp_path,
        run_days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        hard_days=["tue", "thu", "sat"],
        long_run_day="sun",
    )
    done = cli("plan", "-p", str(profile))
    assert done.returncode == 2
    assert "no two non-consecutive easy or rest days" in done.stderr


def test_the_demo_writes_the_handout_and_the_calendar(cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = cli("demo", "--out", str(out))
    assert done.returncode == 0, done.stderr
    for name in ("screening.json", "handout.html", "handout.md", "plan.ics", "plan.json"):
        assert (out / name).stat().st_size > 500
        assert str((out / name).resolve()) in done.stdout.replace("\n", "")
    assert "Weak hip abductors" in done.stdout
