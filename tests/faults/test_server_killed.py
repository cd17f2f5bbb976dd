"""Killed part-way (SIGKILL: no clean-up at all), glutecoach loses nothing it said it stored and
leaves nothing half-written: a log, an import of run files, a clinician's plan edit. On SQLite and
on PostgreSQL (the `database_url` fixture)."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import Engine

from glutecoach.adapters.db.engine import open_database
from glutecoach.domain.runs import Run
from glutecoach.services import clinic, planning, run_import, runners
from glutecoach.services import screening as screening_service
from tests.clock import CLOCK, TODAY
from tests.conftest import EXAMPLES, ROOT, SHARED_DATA
from tests.faults.server import (
    Server,
    assert_plans_whole,
    engine_for,
    rows,
    running_server,
    start_server,
)
from tests.web.conftest import example_answers, profile_json, utc_today

CLIENTS = 8
SESSION_LOGS = 48
RUN_LOGS = 16
KILL_AFTER = 16  # answers received before the SIGKILL


# (a) Logging while the server is killed ----------------------------------------------------------


def start_a_runner(base: str) -> tuple[str, dict[str, Any]]:
    """A runner 16 weeks into a 20-week plan: many past sessions to log."""
    today = utc_today()
    start = today - dt.timedelta(days=today.weekday() + 7 * 16)
    body = {
        "profile": {**profile_json(), "start_date": start.isoformat()},
        "answers": example_answers(),
        "weeks": 20,
    }
    started = httpx.post(f"{base}/api/v1/runners", json=body, timeout=30)
    assert started.status_code == 201, started.text
    slug = started.json()["runner"]["slug"]
    plan = httpx.get(f"{base}/api/v1/runners/{slug}/plan", timeout=30).json()
    return slug, plan


def log_requests(slug: str, plan: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Session logs of past days (every kind, each exercise with its own numbers) and runs."""
    today = utc_today().isoformat()
    sessions = [
        (day["date"], session)
        for week in plan["weeks"]
        for day in week["days"]
        if day["date"] < today
        for session in day["sessions"]
        if session["prescriptions"]
    ]
    chosen = random.Random(7).sample(sessions, SESSION_LOGS)
    requests = []
    for n, (date, session) in enumerate(chosen):
        exercises = [
            {
                "exercise_id": p["exercise_id"],
                "sets": [p["amount"]["low"] + (n + i) % 3 for i in range(p["sets"])],
                "effort": 1 + (n + k) % 10,
                "felt": "glutes",
                "pain": (n + k) % 3,
                "load": f"band {n}-{k}",
            }
            for k, p in enumerate(session["prescriptions"])
        ]
        entry = {"date": date, "session": session["kind"], "exercises": exercises}
        requests.append((f"/api/v1/runners/{slug}/logs", entry))
    for n in range(RUN_LOGS):
        day = (utc_today() - dt.timedelta(days=200 + n)).isoformat()
        requests.append(
            (
                f"/api/v1/runners/{slug}/runs",
                {"date": day, "distance_km": 5 + n / 8, "minutes": 30 + n},
            )
        )
    random.Random(3).shuffle(requests)
    return requests


def post_all(
    server: Server, requests: list[tuple[str, dict[str, Any]]]
) -> tuple[list[tuple[str, dict[str, Any], int | None]], list[str]]:
    """CLIENTS threads post them all; the server is SIGKILLed after KILL_AFTER answers. Each
    request comes back with its status (None: no answer); and the messages of the 503s."""
    todo: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
    for request in requests:
        todo.put(request)
    done: list[tuple[str, dict[str, Any], int | None]] = []
    refusals: list[str] = []
    lock = threading.Lock()
    answered = threading.Event()

    def client() -> None:
        with httpx.Client(base_url=server.base, timeout=15) as http:
            while True:
                try:
                    path, body = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    response = http.post(path, json=body)
                except httpx.HTTPError:
                    status: int | None = None
                else:
                    status = response.status_code
                    if status == 503:  # a clear refusal to retry (see the test), kept to check
                        refusals.append(response.json()["message"])
                with lock:
                    done.append((path, body, status))
                    if sum(s is not None for *_, s in done) >= KILL_AFTER:
                        answered.set()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    assert answered.wait(60), "the server answered too few requests"
    server.kill()
    for thread in threads:
        thread.join(60)
    return done, refusals


def stored_session_logs(engine: Engine) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(date, session) → its exercises as stored, with their sets in order."""
    sets: dict[int, list[int]] = {}
    for exercise_log_id, amount in rows(
        engine, "SELECT exercise_log_id, amount FROM set_logs ORDER BY exercise_log_id, set_number"
    ):
        sets.setdefault(exercise_log_id, []).append(amount)
    exercises: dict[int, list[dict[str, Any]]] = {}
    for log_id, ex_id, exercise, effort, felt, pain, load in rows(
        engine,
        "SELECT session_log_id, id, exercise_id, effort, felt, pain, load FROM exercise_logs "
        "ORDER BY session_log_id, position",
    ):
        exercises.setdefault(log_id, []).append(
            {
                "exercise_id": exercise,
                "sets": sets.get(ex_id, []),
                "effort": effort,
                "felt": felt,
                "pain": pain,
                "load": load,
            }
        )
    return {
        (str(date), session): exercises.get(log_id, [])
        for log_id, date, session in rows(
            engine, "SELECT id, date, session FROM session_logs WHERE status = 'done'"
        )
    }


def test_logs_acknowledged_before_a_kill_are_all_stored_and_none_is_half_written(
    database_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    server = start_server(database_url, log)
    try:
        slug, plan = start_a_runner(server.base)
        requests = log_requests(slug, plan)
        done, refusals = post_all(server, requests)
    finally:
        server.stop()
    assert server.process.returncode == -signal.SIGKILL
    unanswered = [r for r in done if r[2] is None]
    assert unanswered, "the kill came after every answer: nothing was cut off"
    assert all(s is None or s in (201, 409, 503) for *_, s in done), done
    # PostgreSQL: two logs of one runner that both make a new plan version at once; the second
    # is refused whole, with a message that says to send it again
    assert all("a conflicting change was saved at the same time" in m for m in refusals)

    with running_server(database_url, log) as again:  # the restarted app opens what was left
        engine = engine_for(database_url)
        stored = stored_session_logs(engine)
        sent = {
            (body["date"], body["session"]): (body["exercises"], status)
            for path, body, status in done
            if path.endswith("/logs")
        }
        # every log the client got a 201 for is there, whole; every stored one was sent
        acknowledged = {key for key, (_, status) in sent.items() if status == 201}
        assert acknowledged <= set(stored)
        assert not {key for key, (_, status) in sent.items() if status == 503} & set(stored)
        assert set(stored) <= set(sent)
        for key, exercises in stored.items():
            assert exercises == sent[key][0], f"the log of {key} is not what was sent"
        runs = {
            (str(d), float(km), float(m))
            for d, km, m in rows(engine, "SELECT date, distance_km, minutes FROM run_logs")
        }
        sent_runs = {
            (b["date"], float(b["distance_km"]), float(b["minutes"])): status
            for path, b, status in done
            if path.endswith("/runs")
        }
        assert {r for r, status in sent_runs.items() if status == 201} <= runs <= set(sent_runs)
        assert rows(
            engine,
            "SELECT count(*) FROM exercise_logs e LEFT JOIN set_logs s "
            "ON s.exercise_log_id = e.id WHERE s.id IS NULL",
        ) == [(0,)]
        assert_plans_whole(engine)
        engine.dispose()
        # and the restarted app goes on: what was cut off can be sent again
        path, body, _ = unanswered[0]
        retried = httpx.post(f"{again.base}{path}", json=body, timeout=30)
        assert retried.status_code in (201, 409), retried.text
    assert "Traceback" not in again.output().split("Started server process")[-1]


# (b) An import of run files killed part-way ------------------------------------------------------

BATCH = 8  # runs per transaction in the killed import (250 by default): several commits
FILES = 48


def _runcopies() -> Any:
    spec = importlib.util.spec_from_file_location("runcopies", ROOT / "bench" / "runcopies.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["runcopies"] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """FILES copies of the real run files in ../shared/data/runs, each shifted to a day of its
    own (bench/runcopies.py), and what an uninterrupted import stores from them."""
    os.environ.setdefault("GLUTECOACH_SHARED_DATA", str(SHARED_DATA))
    folder = tmp_path_factory.mktemp("runs")
    made, _templates = _runcopies().make_corpus(folder, FILES)
    database = tmp_path_factory.mktemp("whole") / "glutecoach.db"
    with open_database(f"sqlite:///{database}", clock=CLOCK) as db:
        summary = run_import.import_runs(db, [folder], runner_name="Ana", workers=1)
        whole = sorted(run_key(s.run) for s in stored_runs(db))
    assert not summary.rejected and summary.imported_runs == made.runs
    return made, whole


def stored_runs(db: Any) -> list[Any]:
    with db.unit() as repo:
        runner = repo.runner("ana")
        return [] if runner is None else repo.recorded_runs.list(runner.id)


def run_key(run: Run) -> tuple[Any, ...]:
    return (run.started_at, run.sport, run.distance_m, run.elapsed_s, run.records)


KILLABLE_IMPORT = f"""
import sys
from glutecoach.services import run_import
run_import.BATCH = {BATCH}
from glutecoach.cli import entry
sys.argv = ["glutecoach", "import-runs", *sys.argv[1:]]
entry()
"""


def child_env(database_url: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "TZ": "UTC",
        "COLUMNS": "120",
        "PYTHONPATH": str(ROOT / "src"),
        "GLUTECOACH_DATABASE_URL": database_url,
        "GLUTECOACH_TODAY": TODAY.isoformat(),
    }


def wait_for(engine: Engine, query: str, process: subprocess.Popen[str], at_least: int) -> int:
    while process.poll() is None:
        try:
            [(count,)] = rows(engine, query)
        except Exception:
            count = 0
        if count >= at_least:
            return int(count)
        time.sleep(0.02)
    return -1


def test_an_import_killed_part_way_leaves_whole_files_and_resumes_to_the_same_runs(
    database_url: str, corpus: Any
) -> None:
    made, whole = corpus
    engine = engine_for(database_url)
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            KILLABLE_IMPORT,
            str(made.folder),
            "--runner-name",
            "Ana",
            "--workers",
            "1",
        ],
        env=child_env(database_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = wait_for(engine, "SELECT count(*) FROM recorded_runs", child, at_least=1)
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert seen > 0 and child.returncode == -signal.SIGKILL, child.stderr and child.stderr.read()

    # whole runs of whole files: every column a run has, and each file's runs all or none
    expected = {hashlib.sha256(c.path.read_bytes()).hexdigest(): c for c in made.copies}
    stored = rows(
        engine,
        "SELECT file_digest, file_run, started_at, sport, elapsed_s, records, bands, source, "
        "file_format, created_at FROM recorded_runs",
    )
    assert 0 < len(stored) < made.runs, "the kill came before the first batch or after the last"
    by_file: dict[str, set[int]] = {}
    for digest, file_run, *fields in stored:
        assert all(f is not None for f in fields), fields
        by_file.setdefault(digest, set()).add(file_run)
    for digest, file_runs in by_file.items():
        assert file_runs == set(range(len(expected[digest].template.runs))), digest

    with open_database(database_url, clock=CLOCK) as db:
        resumed = run_import.import_runs(db, [made.folder], runner_name="Ana", workers=1)
        after = sorted(run_key(s.run) for s in stored_runs(db))
    before_files = len(by_file)
    skipped = [why for _, why in resumed.duplicates if why == "this file was imported before"]
    assert len(skipped) == before_files
    assert resumed.imported_runs == made.runs - len(stored)
    assert after == whole
    engine.dispose()


# (c) A plan edit killed part-way -----------------------------------------------------------------

# The real CLI, paused for the test right after the edit has written the new plan version inside
# its transaction (the row written, not yet committed) when PAUSE_AFTER_WRITE is set.
KILLABLE_EDIT = """
import os, sys, time
from sqlalchemy import Engine, event

@event.listens_for(Engine, "after_cursor_execute")
def pause(connection, cursor, statement, parameters, context, executemany):
    if os.environ.get("PAUSE_AFTER_WRITE") and statement.lstrip().upper().startswith(
        "INSERT INTO PLANS"
    ):
        print("written", flush=True)
        time.sleep(60)

from glutecoach.cli import entry
sys.argv = ["glutecoach", *sys.argv[1:]]
entry()
"""
NOTE = "Easy this week: the calf is niggling."


def start_sam(database_url: str) -> None:
    profile = yaml.safe_load((EXAMPLES / "runner.yaml").read_text())
    today = utc_today()
    profile.update(timezone="UTC", start_date=(today - dt.timedelta(days=3)).isoformat())
    with open_database(database_url, clock=CLOCK) as db:
        runners.start(
            db,
            planning.parse_profile(profile, "profile", CLOCK),
            screening_service.run(screening_service.parse_input(example_answers()), TODAY),
            weeks=8,
        )


def plan_versions(engine: Engine) -> list[tuple[int, bool]]:
    """(version, whether its document carries the note) of every stored plan."""
    return [
        (version, NOTE in str(data))
        for version, data in rows(engine, "SELECT version, data FROM plans ORDER BY version")
    ]


EDIT = [sys.executable, "-c", KILLABLE_EDIT, "clinic", "edit", "sam-example", "--note", NOTE]


def edit(database_url: str, *, pause: bool) -> subprocess.Popen[str]:
    env = child_env(database_url) | ({"PAUSE_AFTER_WRITE": "1"} if pause else {})
    return subprocess.Popen(
        EDIT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_plan_edit_killed_part_way_leaves_the_old_plan_or_the_whole_new_one(
    database_url: str,
) -> None:
    start_sam(database_url)
    engine = engine_for(database_url)
    assert plan_versions(engine) == [(1, False)]

    paused = edit(database_url, pause=True)
    assert paused.stdout is not None and paused.stdout.readline() == "written\n"
    paused.send_signal(signal.SIGKILL)
    paused.wait(10)
    assert plan_versions(engine) == [(1, False)]  # the half-made version is gone
    assert_plans_whole(engine)

    # killed at moments spread over an edit's run: the old plan, or the new one complete
    whole = subprocess.run(EDIT, env=child_env(database_url), capture_output=True, text=True)
    assert whole.returncode == 0, whole.stderr
    assert plan_versions(engine) == [(1, False), (2, True)]
    for delay in (0.6, 0.8, 1.0, 1.2):
        child = edit(database_url, pause=False)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        versions = plan_versions(engine)
        assert [v for v, _ in versions] == list(range(1, len(versions) + 1))
        assert all(noted for _, noted in versions[1:])
        assert_plans_whole(engine)
    with open_database(database_url, clock=CLOCK) as db:  # and the next edit goes on from there
        outcome = clinic.edit_plan(
            db, "sam-example", clinic.parse_edit({"kind": "note", "text": NOTE})
        )
    assert outcome.plan_version == len(plan_versions(engine))
    engine.dispose()
