"""start → today → log → plan --changes → progress → export/import → backup, as a user runs them."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from glutecoach.adapters.db.plan_documents import plan_from_document
from glutecoach.domain.planning import SessionKind
from tests.cli.conftest import Cli, cli_on
from tests.clock import TODAY
from tests.conftest import EXAMPLES, ROOT


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def gc(home: Path) -> Cli:
    """The CLI with its own database file, and a runner whose plan began 10 days ago."""

    run = cli_on(home / "gc.db")

    profile = yaml.safe_load((EXAMPLES / "runner.yaml").read_text())
    profile.update(timezone="UTC", start_date=(TODAY - dt.timedelta(days=10)).isoformat())
    profile["race"] = {"in_weeks": 8, "distance_km": 21.1}
    (home / "runner.yaml").write_text(yaml.safe_dump(profile))
    assert (
        run("screen", "-a", str(EXAMPLES / "answers.yaml"), "-o", str(home / "s.json")).returncode
        == 0
    )
    started = run("start", "-p", str(home / "runner.yaml"), "-f", str(home / "s.json"))
    assert started.returncode == 0, started.stderr
    assert "--runner sam-example" in started.stdout
    return run


def _plan_day(gc: Cli, date: dt.date) -> dict:  # type: ignore[type-arg]
    done = gc("today", "--date", date.isoformat(), "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["day"]  # type: ignore[no-any-return]


def _strength_days(home: Path) -> list[dt.date]:
    """Strength days up to today, read straight from the stored first plan."""
    [(data,)] = sqlite3.connect(home / "gc.db").execute("select data from plans where version = 1")
    plan = plan_from_document(data)
    strength = [d.date for d in plan.days if d.session(SessionKind.strength) is not None]
    return [d for d in strength if d <= TODAY]


def test_today_shows_the_sessions_with_cues_and_where_to_feel_them(gc: Cli, home: Path) -> None:
    day = next(d for d in _strength_days(home))
    done = gc("today", "--date", day.isoformat())
    assert done.returncode == 0, done.stderr
    assert "Strength session" in done.stdout
    assert "Feel it:" in done.stdout and "Cues:" in done.stdout


def _three_alike(home: Path) -> tuple[dt.date, dt.date]:
    """Two strength days up to today whose exercises the next strength day holds too: logged
    as of the second, both progress whatever day the suite runs on."""
    [(data,)] = sqlite3.connect(home / "gc.db").execute("select data from plans where version = 1")
    plan = plan_from_document(data)
    days = [(d.date, d.session(SessionKind.strength)) for d in plan.days]
    strength = [(date, {p.exercise_id for p in s.prescriptions}) for date, s in days if s]
    for (a, ids_a), (b, ids_b), (_, ids_c) in zip(
        strength, strength[1:], strength[2:], strict=False
    ):
        if b <= TODAY and ids_a == ids_b == ids_c:
            return a, b
    raise AssertionError("no three strength sessions alike")


def test_logging_as_prescribed_twice_progresses_and_plan_changes_says_why(
    gc: Cli, home: Path
) -> None:
    first, second = _three_alike(home)
    then = cli_on(home / "gc.db", today=second.isoformat())  # as the runner logged them
    for day in (first, second):
        done = then(
            "log",
            "--date",
            day.isoformat(),
            "--session",
            "strength",
            "--as-prescribed",
            "--effort",
            "6",
            "--felt",
            "glutes",
        )
        assert done.returncode == 0, done.stderr
    assert "progress" in done.stdout
    changes = gc("plan", "--changes", "--json")
    versions = json.loads(changes.stdout)
    assert [v["version"] for v in versions] == [1, 2]
    assert all(c["action"] == "progress" for c in versions[1]["changes"])
    assert "Version 2" in gc("plan", "--changes").stdout


def test_the_interactive_log_asks_per_exercise(gc: Cli, home: Path) -> None:
    day = _strength_days(home)[0]
    session = next(s for s in _plan_day(gc, day)["sessions"] if s["kind"] == "strength")
    replies: list[str] = []
    for p in session["prescriptions"]:
        replies += [str(p["sets"])] + [str(p["amount"]["high"])] * p["sets"]
        replies += ["", "6", "glutes", "0"]
    done = gc(
        "log", "--date", day.isoformat(), "--session", "strength", stdin="\n".join(replies) + "\n"
    )
    assert done.returncode == 0, done.stderr + done.stdout[-1500:]
    assert "Logged the strength session" in done.stdout
    stored = sqlite3.connect(home / "gc.db").execute("select count(*) from set_logs").fetchone()
    assert stored[0] == sum(p["sets"] for p in session["prescriptions"])


def test_a_log_stopped_half_way_stores_nothing(gc: Cli, home: Path) -> None:
    day = _strength_days(home)[0]
    done = gc("log", "--date", day.isoformat(), "--session", "strength", stdin="2\n15\n")
    assert done.returncode == 130
    assert "nothing was saved" in done.stderr
    assert "Traceback" not in done.stderr
    db = sqlite3.connect(home / "gc.db")
    assert db.execute("select count(*) from session_logs").fetchone() == (0,)


def test_a_process_killed_in_the_middle_of_a_log_leaves_nothing_half_written(
    gc: Cli, home: Path
) -> None:
    """The log row is written, then the process is killed before the transaction commits."""
    url = f"sqlite:///{home / 'gc.db'}"
    day = _strength_days(home)[0]
    script = f"""
import datetime as dt, os, signal
from glutecoach.services import training
from glutecoach.services.store import open_store
from glutecoach.domain.progression import SessionLog
db = open_store({url!r})
with db.unit() as repo:
    runner = repo.runners()[0]
    repo.add_session_log(runner.id, SessionLog(date=dt.date.fromisoformat({day.isoformat()!r}),
        session="strength", status="skipped", skip_reason="test", plan_version=1))
    repo.session.flush()
    os.kill(os.getpid(), signal.SIGKILL)
"""
    killed = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=60
    )
    assert killed.returncode == -signal.SIGKILL
    db = sqlite3.connect(home / "gc.db")
    assert db.execute("select count(*) from session_logs").fetchone() == (0,)
    assert gc("today").returncode == 0


def test_bad_log_values_are_refused_with_a_clear_message(gc: Cli, home: Path) -> None:
    day = _strength_days(home)[0]
    bad = home / "log.yaml"
    bad.write_text(
        "exercises:\n  - {exercise_id: clamshell, sets: [15], effort: 6, felt: glutes, pain: 15}\n"
    )
    done = gc("log", "--date", day.isoformat(), "--session", "strength", "--file", str(bad))
    assert done.returncode == 2
    assert "field 'exercises.0.pain'" in done.stderr
    future = gc(
        "log",
        "--date",
        (TODAY + dt.timedelta(days=2)).isoformat(),
        "--session",
        "strength",
        "--as-prescribed",
        "--effort",
        "6",
        "--felt",
        "glutes",
    )
    assert future.returncode == 2
    assert "in the future" in future.stderr or "no strength session" in future.stderr


def test_soreness_skip_and_a_run_are_logged(gc: Cli, home: Path) -> None:
    assert gc("log", "--soreness", "3").returncode == 0
    assert gc("log", "--run-km", "8", "--run-minutes", "44").returncode == 0
    day = next(d for d in _strength_days(home))
    skipped = gc("log", "--date", day.isoformat(), "--session", "strength", "--skip", "travel")
    assert skipped.returncode == 0, skipped.stderr
    assert "Skipped" in skipped.stdout


def test_progress_prints_adherence_and_writes_charts(gc: Cli, home: Path) -> None:
    first, second = _strength_days(home)[:2]
    for day in (first, second):
        gc(
            "log",
            "--date",
            day.isoformat(),
            "--session",
            "strength",
            "--as-prescribed",
            "--effort",
            "6",
            "--felt",
            "glutes",
        )
    done = gc("progress", "--plot", str(home / "charts"))
    assert done.returncode == 0, done.stderr
    assert "adherence" in done.stdout.lower()
    assert (home / "charts" / "adherence.png").read_bytes()[:4] == b"\x89PNG"
    data = json.loads(gc("progress", "--json").stdout)
    assert sum(w["done"] for w in data["weeks"]) == 2


def test_export_import_and_backup(gc: Cli, home: Path) -> None:
    assert gc("export", "-o", str(home / "sam.json")).returncode == 0
    document = json.loads((home / "sam.json").read_text())
    assert document["format"] == "glutecoach.export"
    other = {
        "COLUMNS": "120",
        "PATH": "/usr/bin:/bin",
        "TZ": "UTC",
        "GLUTECOACH_DATABASE_URL": f"sqlite:///{home / 'other.db'}",
    }
    imported = subprocess.run(
        [sys.executable, "-m", "glutecoach", "import-data", str(home / "sam.json")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=other,
        timeout=120,
    )
    assert imported.returncode == 0, imported.stderr
    again = gc("import-data", str(home / "sam.json"))
    assert again.returncode == 2
    assert "sam-example" in again.stderr
    backed = gc("backup", str(home / "copy.db"))
    assert backed.returncode == 0, backed.stderr
    copy = sqlite3.connect(home / "copy.db")
    assert copy.execute("select slug from runners").fetchall() == [("sam-example",)]


def test_a_bad_database_url_is_one_clear_message(home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "glutecoach", "today"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "GLUTECOACH_DATABASE_URL": "mysql://x/y"},
    )
    assert done.returncode == 2
    assert "GLUTECOACH_DATABASE_URL" in done.stderr
    assert "Traceback" not in done.stderr


def test_version_is_printed(gc: Cli) -> None:
    assert gc("--version").stdout.startswith("glutecoach ")
