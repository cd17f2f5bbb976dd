"""What the task-queue tests share: `glutecoach worker` processes, the queue's view of a job, and
a run file posted to the upload page (its job id from the redirect)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import IO

import psycopg
from fastapi.testclient import TestClient
from httpx import Response

from glutecoach.adapters.db.throwaway import real_clock_env
from glutecoach.services.job_queue import conninfo
from tests.faults.server import stop as stop


def start_worker(
    url: str, log: IO[bytes], *options: str, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "glutecoach", "worker", *options],
        env={**real_clock_env(), "GLUTECOACH_DATABASE_URL": url, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def queued(url: str, job_id: str) -> tuple[str, int]:
    """The queue's status of a glutecoach job and its attempts so far."""
    with psycopg.connect(conninfo(url)) as connection:
        row = connection.execute(
            "SELECT status::text, attempts FROM procrastinate_jobs WHERE args->>'job_id' = %s",
            (job_id,),
        ).fetchone()
    assert row is not None
    return str(row[0]), int(row[1])


def workers_registered(url: str) -> int:
    """How many workers the queue knows (each registers as it starts, and leaves as it ends)."""
    with psycopg.connect(conninfo(url)) as connection:
        row = connection.execute("SELECT count(*) FROM procrastinate_workers").fetchone()
    assert row is not None
    return int(row[0])


def post_run_file(client: TestClient, token: str, path: Path) -> tuple[Response, str]:
    """Upload one FIT file on /runs (the page's CSRF token read beforehand, as a test that locks
    the runs table must); the answer and the job's id."""
    posted = client.post(
        "/runs",
        data={"csrf_token": token},
        files=[("files", (path.name, path.read_bytes(), "application/x-fit"))],
        follow_redirects=False,
    )
    assert posted.status_code == 303, posted.text
    return posted, posted.headers["location"].rsplit("/", 1)[1]
