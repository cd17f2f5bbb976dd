"""`glutecoach worker`: run the web app's long jobs (gait analyses, run imports) from the task
queue, at clinic scale (GLUTECOACH_JOBS=queue with PostgreSQL; see services.job_queue)."""

from __future__ import annotations

from typing import Annotated

import typer

from glutecoach.domain.errors import InvalidInput
from glutecoach.services import gait_jobs, import_jobs
from glutecoach.services.job_queue import Handler, JobQueue
from glutecoach.services.store import backend_of
from glutecoach.settings import ENV_PREFIX, load_settings

HANDLERS: dict[str, Handler] = {
    gait_jobs.KIND: gait_jobs.run_job,
    import_jobs.KIND: import_jobs.run_job,
}


def worker(
    *,
    concurrency: Annotated[
        int,
        typer.Option(min=1, max=64, help="Jobs run at the same time by this worker."),
    ] = 1,
) -> None:
    """Run queued gait analyses and run imports until stopped (Ctrl-C): the web app queues them
    when GLUTECOACH_JOBS=queue and GLUTECOACH_DATABASE_URL is PostgreSQL. A worker silent for
    GLUTECOACH_STALLED_AFTER_S seconds (30 unless set; give every worker the same) counts as
    stopped, and its jobs are queued again."""
    settings = load_settings()
    url = settings.resolved_database_url()
    if backend_of(url) != "postgresql":
        raise InvalidInput(
            f"the task queue lives in PostgreSQL: set {ENV_PREFIX}DATABASE_URL to it "
            f"(and {ENV_PREFIX}JOBS=queue for the web app); with SQLite the web app runs its jobs"
        )
    typer.echo(f"glutecoach worker: {concurrency} job(s) at a time; Ctrl-C stops it")
    JobQueue(url).run_worker(
        HANDLERS, concurrency=concurrency, stalled_after_s=settings.stalled_after_s
    )
