"""A task queue's worker killed in the middle of a job (SIGKILL: it cannot say so), on the real
PostgreSQL: once its heartbeat is older than GLUTECOACH_STALLED_AFTER_S, another worker queues the
job again and runs it to the end, and the page polling it reads the import's summary; the run is
stored once. A worker asked to stop finishes its job and keeps it. A job whose workers keep dying
is reported failed instead of being run for ever."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from glutecoach.adapters.db.throwaway import PostgresServer
from glutecoach.services import gait_jobs, import_jobs
from glutecoach.services.job_queue import RETRIES, JobQueue, conninfo
from glutecoach.services.jobs import ABANDONED
from glutecoach.services.store import open_store
from glutecoach.web.app import create_app
from tests.queue_workers import post_run_file, queued, start_worker, stop, workers_registered
from tests.web.conftest import LOOPBACK, start_runner
from tests.web.test_isolation import csrf
from tests.web.test_run_upload import GOOD, finish, stored_runs

STALLED_AFTER_S = 2.0
WAIT_S = 60.0


@dataclass
class Clinic:
    """The web app deferring its jobs to the queue, and the workers a test starts."""

    url: str
    client: TestClient
    data: Path
    log: IO[bytes]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def worker(self) -> subprocess.Popen[bytes]:
        started = start_worker(
            self.url, self.log, env={"GLUTECOACH_STALLED_AFTER_S": str(STALLED_AFTER_S)}
        )
        self.workers.append(started)
        return started

    def state(self, job_id: str) -> dict[str, Any]:
        path = self.data / "runs" / "jobs" / f"{job_id}.json"
        found: dict[str, Any] = json.loads(path.read_text())
        return found

    @contextmanager
    def import_held(self) -> Iterator[tuple[Response, str]]:
        """An upload whose import a worker has begun and waits in, on the runs table locked
        until the block ends; the upload's answer and the job's id."""
        token = csrf(self.client, "/runs")  # the page reads the runs: before the lock
        with psycopg.connect(conninfo(self.url)) as locker:
            locker.execute("LOCK TABLE recorded_runs IN ACCESS EXCLUSIVE MODE")
            posted, job_id = post_run_file(self.client, token, GOOD[0])
            deadline = time.monotonic() + WAIT_S  # timing
            while self.state(job_id)["state"] != "importing" or queued(self.url, job_id)[0] != (
                "doing"
            ):
                assert time.monotonic() < deadline, self.state(job_id)  # timing
                time.sleep(0.1)
            yield posted, job_id


@pytest.fixture
def clinic(
    postgres_server: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Clinic]:
    monkeypatch.setenv("GLUTECOACH_JOBS", "queue")
    name = postgres_server.create_database()
    url = postgres_server.url(name)
    data = tmp_path / "data"
    with (
        (tmp_path / "workers.log").open("wb") as log,
        TestClient(create_app(url, data_folder=data), client=LOOPBACK) as client,
    ):
        start_runner(client)
        found = Clinic(url, client, data, log)
        try:
            yield found
        finally:
            for worker in found.workers:
                stop(worker)
    postgres_server.drop_database(name)


def test_a_job_left_by_a_killed_worker_is_run_again_by_another(clinic: Clinic) -> None:
    first = clinic.worker()
    with clinic.import_held() as (posted, job_id):
        assert clinic.state(job_id)["pid"] == first.pid
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert queued(clinic.url, job_id) == ("doing", 0)  # nobody told the queue

    second = clinic.worker()
    ended = finish(clinic.client, posted)
    assert "Imported 1 run from" in ended.text, ended.text
    assert clinic.state(job_id)["pid"] == second.pid
    assert queued(clinic.url, job_id) == ("succeeded", 2)  # the killed attempt, this one
    assert stored_runs(clinic.client) == 1  # stored once
    second.send_signal(signal.SIGTERM)  # and a worker asked to stop stops
    assert second.wait(timeout=20) == 0
    clinic.log.flush()
    assert "queued again" in Path(clinic.log.name).read_text(errors="replace")


def test_a_worker_asked_to_stop_finishes_its_job_and_no_other_takes_it(clinic: Clinic) -> None:
    """SIGTERM part-way: the worker finishes the job in hand, its heartbeat going on meanwhile,
    so a second worker, looking for stalled jobs well after the stalled-after time, leaves it
    alone."""
    first = clinic.worker()
    with clinic.import_held() as (posted, job_id):
        first.send_signal(signal.SIGTERM)
        clinic.worker()
        deadline = time.monotonic() + WAIT_S  # timing
        while workers_registered(clinic.url) < 2:  # the second is up and looking
            assert time.monotonic() < deadline  # timing
            time.sleep(0.1)
        time.sleep(3 * STALLED_AFTER_S + 2)  # several of the second's looks
        assert first.poll() is None  # still finishing its job
        assert queued(clinic.url, job_id) == ("doing", 0)  # not taken for stalled
    ended = finish(clinic.client, posted)  # the lock gone, the first worker finishes
    assert "Imported 1 run from" in ended.text, ended.text
    assert first.wait(timeout=20) == 0
    assert clinic.state(job_id)["pid"] == first.pid
    assert queued(clinic.url, job_id) == ("succeeded", 1)


def _import_job(tmp_path: Path, **state: Any) -> tuple[import_jobs.ImportJobs, str]:
    folder = tmp_path / "runs"
    jobs = import_jobs.ImportJobs(folder)
    job = import_jobs.ImportJob("0123456789abcdef", files=[["001.fit", GOOD[0].name]], **state)
    jobs.files.save(job)
    jobs.files.uploads(job.id).mkdir(parents=True)
    (jobs.files.uploads(job.id) / "001.fit").write_bytes(GOOD[0].read_bytes())
    return jobs, job.id


def test_a_job_whose_workers_keep_stopping_is_reported_failed_not_run(tmp_path: Path) -> None:
    """Found begun (not queued again) after RETRIES stops already: not run again (run, it would
    fail on there being no runner); it reads failed with the reason, its upload gone."""
    jobs, job_id = _import_job(tmp_path, state="importing", interrupted=RETRIES)
    with open_store(f"sqlite:///{tmp_path / 'glutecoach.db'}") as db:
        import_jobs.run_job(db, jobs.folder, job_id, RETRIES + 1)
    ended = jobs.files.load(job_id)
    assert ended is not None and ended.state == "failed" and ended.message == ABANDONED
    assert ended.interrupted == RETRIES + 1
    assert not jobs.files.uploads(job_id).exists()


def test_retries_after_transient_errors_are_not_counted_as_stops(tmp_path: Path) -> None:
    """Queued again after transient errors (the queue's attempts past RETRIES), never stopped
    part-way: it runs, and here fails on there being no runner, not as abandoned."""
    jobs, job_id = _import_job(tmp_path, state="queued", interrupted=1)
    with open_store(f"sqlite:///{tmp_path / 'glutecoach.db'}") as db:
        import_jobs.run_job(db, jobs.folder, job_id, RETRIES + 1)
    ended = jobs.files.load(job_id)
    assert ended is not None and ended.state == "failed" and ended.message != ABANDONED
    assert ended.interrupted == 1


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


def test_a_starting_worker_queues_again_the_jobs_of_workers_already_gone(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    """A worker starting after the killed one was pruned from the workers' table (its jobs'
    worker then reads NULL) queues those jobs at its first look, before it has an id of its
    own; a job that ended, or one of a worker still beating, is left alone."""
    name = postgres_server.create_database()
    url = postgres_server.url(name)
    queue = JobQueue(url)
    queue.apply_schema()
    for job_id in ("a" * 16, "b" * 16, "c" * 16):
        queue.defer("import", tmp_path, job_id)
    with psycopg.connect(conninfo(url), autocommit=True) as connection:
        alive = connection.execute(
            "INSERT INTO procrastinate_workers DEFAULT VALUES RETURNING id"
        ).fetchone()
        assert alive is not None
        for job_id, status, worker in (
            ("a" * 16, "doing", None),  # its worker pruned
            ("b" * 16, "failed", None),  # ended
            ("c" * 16, "doing", alive[0]),  # its worker beating
        ):
            connection.execute(
                "UPDATE procrastinate_jobs SET status = %s, worker_id = %s "
                "WHERE args->>'job_id' = %s",
                (status, worker, job_id),
            )
    # in a thread of its own: in the whole suite, the browser tests' event loop runs in this one
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, queue.requeue_stalled(None, STALLED_AFTER_S)).result()
    assert queued(url, "a" * 16)[0] == "todo"
    assert queued(url, "b" * 16)[0] == "failed"
    assert queued(url, "c" * 16)[0] == "doing"
    postgres_server.drop_database(name)
