"""A task queue's worker killed in the middle of a job (SIGKILL: it cannot say so), on the real
PostgreSQL: once its heartbeat is older than --stalled-after, another worker queues the job again
and runs it to the end, and the page polling it reads the import's summary; the run is stored
once. A job whose workers keep dying is reported failed instead of being run for ever."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from glutecoach.adapters.db.throwaway import PostgresServer
from glutecoach.services import gait_jobs, import_jobs
from glutecoach.services.job_queue import RETRIES, conninfo
from glutecoach.services.jobs import ABANDONED
from glutecoach.services.store import open_store
from glutecoach.web.app import create_app
from tests.web.conftest import LOOPBACK, start_runner
from tests.web.test_isolation import csrf
from tests.web.test_run_upload import GOOD, finish, stored_runs

STALLED_AFTER_S = 2.0
WAIT_S = 60.0


@pytest.fixture
def database(postgres_server: PostgresServer) -> Iterator[str]:
    name = postgres_server.create_database()
    yield postgres_server.url(name)
    postgres_server.drop_database(name)


def start_worker(url: str, log: IO[bytes]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "glutecoach", "worker", "--stalled-after", str(STALLED_AFTER_S)],
        env={**os.environ, "GLUTECOACH_DATABASE_URL": url},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def queued(url: str, job_id: str) -> tuple[str, int]:
    with psycopg.connect(conninfo(url)) as connection:
        row = connection.execute(
            "SELECT status::text, attempts FROM procrastinate_jobs WHERE args->>'job_id' = %s",
            (job_id,),
        ).fetchone()
    assert row is not None
    return str(row[0]), int(row[1])


def state(data: Path, job_id: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((data / "runs" / "jobs" / f"{job_id}.json").read_text())
    return found


def test_a_job_left_by_a_killed_worker_is_run_again_by_another(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GLUTECOACH_JOBS", "queue")
    data = tmp_path / "data"
    log_path = tmp_path / "workers.log"
    with (
        log_path.open("wb") as log,
        TestClient(create_app(database, data_folder=data), client=LOOPBACK) as client,
    ):
        start_runner(client)
        first = start_worker(database, log)
        second = None
        try:
            token = csrf(client, "/runs")
            # the runs table locked: the first worker's import waits on it, part-way
            with psycopg.connect(conninfo(database)) as locker:
                locker.execute("LOCK TABLE recorded_runs IN ACCESS EXCLUSIVE MODE")
                posted = client.post(
                    "/runs",
                    data={"csrf_token": token},
                    files=[("files", (GOOD[0].name, GOOD[0].read_bytes(), "application/x-fit"))],
                    follow_redirects=False,
                )
                assert posted.status_code == 303, posted.text
                job_id = posted.headers["location"].rsplit("/", 1)[1]
                deadline = time.monotonic() + WAIT_S
                while state(data, job_id)["state"] != "importing" or queued(database, job_id)[
                    0
                ] != ("doing"):
                    assert time.monotonic() < deadline, state(data, job_id)
                    time.sleep(0.1)
                assert state(data, job_id)["pid"] == first.pid
                first.send_signal(signal.SIGKILL)
                first.wait(10)
            assert queued(database, job_id) == ("doing", 0)  # nobody told the queue

            second = start_worker(database, log)
            ended = finish(client, posted)
            assert "Imported 1 run from" in ended.text, ended.text
            assert state(data, job_id)["pid"] == second.pid
            assert queued(database, job_id) == ("succeeded", 2)  # the killed attempt, this one
            assert stored_runs(client) == 1  # stored once
            second.send_signal(signal.SIGTERM)  # and a worker asked to stop stops
            assert second.wait(timeout=20) == 0
        finally:
            stop(first)
            if second is not None:
                stop(second)
    assert "queued again" in log_path.read_text(errors="replace")


def test_a_worker_asked_to_stop_finishes_its_job_and_no_other_takes_it(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM part-way: the worker finishes the job in hand, its heartbeat going on meanwhile,
    so a second worker, looking for stalled jobs well after --stalled-after, leaves it alone."""
    monkeypatch.setenv("GLUTECOACH_JOBS", "queue")
    data = tmp_path / "data"
    with (
        (tmp_path / "workers.log").open("wb") as log,
        TestClient(create_app(database, data_folder=data), client=LOOPBACK) as client,
    ):
        start_runner(client)
        first = start_worker(database, log)
        second = None
        try:
            token = csrf(client, "/runs")
            with psycopg.connect(conninfo(database)) as locker:
                locker.execute("LOCK TABLE recorded_runs IN ACCESS EXCLUSIVE MODE")
                posted = client.post(
                    "/runs",
                    data={"csrf_token": token},
                    files=[("files", (GOOD[0].name, GOOD[0].read_bytes(), "application/x-fit"))],
                    follow_redirects=False,
                )
                job_id = posted.headers["location"].rsplit("/", 1)[1]
                deadline = time.monotonic() + WAIT_S
                while queued(database, job_id)[0] != "doing":
                    assert time.monotonic() < deadline
                    time.sleep(0.1)
                first.send_signal(signal.SIGTERM)
                second = start_worker(database, log)
                time.sleep(3 * STALLED_AFTER_S + 2)  # several of the second's looks
                assert first.poll() is None  # still finishing its job
                assert queued(database, job_id) == ("doing", 0)  # not taken for stalled
            ended = finish(client, posted)  # the lock gone, the first worker finishes
            assert "Imported 1 run from" in ended.text, ended.text
            assert first.wait(timeout=20) == 0
            assert state(data, job_id)["pid"] == first.pid
            assert queued(database, job_id) == ("succeeded", 1)
        finally:
            stop(first)
            if second is not None:
                stop(second)


def test_a_job_whose_workers_keep_stopping_is_reported_failed_not_run(tmp_path: Path) -> None:
    """Past the queue's retries the job is not run again (run, it would fail on there being no
    runner): it reads failed with the reason, its upload gone."""
    folder = tmp_path / "runs"
    jobs = import_jobs.ImportJobs(folder)
    with open_store(f"sqlite:///{tmp_path / 'glutecoach.db'}") as db:
        job = import_jobs.ImportJob("0123456789abcdef", files=[["001.fit", GOOD[0].name]])
        jobs.files.save(job)
        jobs.files.uploads(job.id).mkdir(parents=True)
        (jobs.files.uploads(job.id) / "001.fit").write_bytes(GOOD[0].read_bytes())

        import_jobs.run_job(db, folder, job.id, RETRIES + 1)

    ended = jobs.files.load(job.id)
    assert ended is not None and ended.state == "failed" and ended.message == ABANDONED
    assert not jobs.files.uploads(job.id).exists()


def test_a_gait_job_run_again_after_its_analysis_was_stored_does_not_store_it_twice(
    tmp_path: Path,
) -> None:
    """A worker killed after storing the analysis, before saying "done": the retry ends at the
    stored analysis (the upload here is not even a clip: analysed again, it would fail)."""
    folder = tmp_path / "gait"
    jobs = gait_jobs.GaitJobs(folder)
    job = gait_jobs.Job("0123456789abcdef", "run.mp4", False, "analysing", analysis_id=7)
    jobs.files.save(job)
    jobs.files.uploads(job.id).mkdir(parents=True)
    (jobs.files.uploads(job.id) / "upload.mp4").write_text("not a video")
    with open_store(f"sqlite:///{tmp_path / 'glutecoach.db'}") as db:
        gait_jobs.run_job(db, folder, job.id, 1)
    ended = jobs.files.load(job.id)
    assert ended is not None and (ended.state, ended.analysis_id) == ("done", 7)
    assert not jobs.files.uploads(job.id).exists()
