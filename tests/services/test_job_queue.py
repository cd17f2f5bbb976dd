"""The task queue at clinic scale, on the real PostgreSQL: with GLUTECOACH_JOBS=queue the web app
defers its uploads' jobs, a `glutecoach worker` process runs them and writes the same state files
the pages read; a transient failure is tried again, bad input is reported and not retried."""

from __future__ import annotations

import io
import json
import os
import subprocess
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from glutecoach.adapters.db.throwaway import PostgresServer
from glutecoach.services.job_queue import conninfo
from glutecoach.web.app import create_app
from tests.queue_workers import post_run_file, queued, start_worker, stop
from tests.web.conftest import LOOPBACK, start_runner
from tests.web.test_gait_pages import pose_file
from tests.web.test_isolation import csrf
from tests.web.test_run_upload import GOOD, finish, real, upload

JOB_SECONDS = 60.0


@dataclass
class Clinic:
    url: str
    client: TestClient
    worker: subprocess.Popen[bytes]
    data: Path

    def job(self, kind: str, job_id: str) -> dict[str, Any]:
        path = self.data / kind / "jobs" / f"{job_id}.json"
        found: dict[str, Any] = json.loads(path.read_text())
        return found

    def queued(self, job_id: str) -> tuple[str, int]:
        return queued(self.url, job_id)


@pytest.fixture(scope="module")
def clinic(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Clinic]:
    folder = tmp_path_factory.mktemp("queue")
    name = postgres_server.create_database()
    url = postgres_server.url(name)
    patch = pytest.MonkeyPatch()
    patch.setenv("GLUTECOACH_JOBS", "queue")
    log = (folder / "worker.log").open("wb")
    # a short lock wait in the worker: a locked table is a transient failure, not a hang
    lock_wait = f"{url}?options=-c%20lock_timeout%3D300"
    worker = start_worker(lock_wait, log, "--concurrency", "2")
    try:
        with TestClient(create_app(url, data_folder=folder / "data"), client=LOOPBACK) as client:
            start_runner(client)
            yield Clinic(url, client, worker, folder / "data")
    finally:
        patch.undo()
        stop(worker)
        log.close()
        print((folder / "worker.log").read_text()[-3000:])
        postgres_server.drop_database(name)


def test_an_import_is_run_by_the_worker_process(clinic: Clinic) -> None:
    posted = upload(clinic.client, real(*GOOD))
    ended = finish(clinic.client, posted)
    assert "Imported 3 runs from 3 files" in ended.text, ended.text
    job_id = posted.headers["location"].rsplit("/", 1)[1]
    job = clinic.job("runs", job_id)
    assert job["queued"] is True and job["state"] == "done"
    assert job["pid"] == clinic.worker.pid != os.getpid()
    assert clinic.queued(job_id) == ("succeeded", 1)  # one attempt


def test_a_gait_analysis_is_run_by_the_worker_process(clinic: Clinic) -> None:
    from tests.web.test_gait_pages import finish as finish_gait
    from tests.web.test_gait_pages import upload as upload_gait

    posted = upload_gait(clinic.client, "slow run.json", pose_file(cadence=150))
    ended = finish_gait(clinic.client, posted)
    assert ended.headers.get("HX-Redirect", "").startswith("/gait/"), ended.text
    job = clinic.job("gait", posted.headers["location"].rsplit("/", 1)[1])
    assert job["pid"] == clinic.worker.pid and job["state"] == "done"


def test_a_transient_failure_is_tried_again(clinic: Clinic) -> None:
    """The runs table locked: the worker's import times out on the lock (a transient storage
    error), says it will try again, and does once the lock is gone."""
    token = csrf(clinic.client, "/runs")  # the page reads the runs: before the lock
    with psycopg.connect(conninfo(clinic.url)) as locker:
        locker.execute("LOCK TABLE recorded_runs IN ACCESS EXCLUSIVE MODE")
        posted, job_id = post_run_file(clinic.client, token, RUNS_AGAIN)
        deadline = time.monotonic() + JOB_SECONDS  # timing
        while "trying again" not in (clinic.job("runs", job_id).get("message") or ""):
            assert time.monotonic() < deadline, clinic.job("runs", job_id)  # timing
            time.sleep(0.1)
        assert clinic.job("runs", job_id)["state"] == "queued"
        assert "locked" in clinic.job("runs", job_id)["message"]
    ended = finish(clinic.client, posted)  # the lock released: the next attempt imports it
    assert "Imported 1 run from" in ended.text, ended.text
    status, attempts = clinic.queued(job_id)
    assert status == "succeeded" and attempts >= 2


RUNS_AGAIN = GOOD[0].parent.parent / "fit" / "garmin-fenix-5-walk.fit"


def test_bad_input_is_reported_failed_and_not_retried(clinic: Clinic) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as export:
        export.writestr("readme.txt", b"no runs in here")
    posted = upload(clinic.client, [("export.zip", archive.getvalue())])
    ended = finish(clinic.client, posted)
    assert "export.zip could not be imported" in ended.text
    assert "No run files found" in ended.text
    job_id = posted.headers["location"].rsplit("/", 1)[1]
    assert clinic.job("runs", job_id)["state"] == "failed"
    assert clinic.queued(job_id) == ("succeeded", 1)  # reported by the job itself, once
