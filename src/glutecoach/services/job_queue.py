"""Background jobs on a task queue at clinic scale: procrastinate, in the PostgreSQL database
glutecoach already uses (GLUTECOACH_JOBS=queue). The web app defers a job — its kind, its data
folder and its id, nothing else: the job's own state file holds the rest — and `glutecoach worker`
processes run the same job functions a server's thread would, writing the same state files.

A job that fails on something that may clear up (a transient StorageError, raised as TryAgain)
is tried again RETRIES times with a growing wait; any other failure is reported in its state file
by the job function itself, and never retried.

A worker killed part-way (SIGKILL, out of memory, the machine lost) cannot say so: its jobs stay
"doing". Each worker sends a heartbeat every third of the stalled-after time (the setting
GLUTECOACH_STALLED_AFTER_S, which every worker must share) until it has returned (a worker asked
to stop still finishes the job in hand), and looks, when it starts and then every other beat,
for jobs whose worker has gone quiet for longer than that: those are queued again (an import
skips the files already stored; an analysis already stored is not stored again). A job whose
workers stopped part-way RETRIES + 1 times is then reported failed rather than run again
(`jobs.run_saved`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from glutecoach.adapters.db.errors import StorageError, from_driver_error
from glutecoach.adapters.db.repositories import Database
from glutecoach.adapters.db.urls import normalise_url
from glutecoach.services.store import open_store
from glutecoach.settings import STALLED_AFTER_S

if TYPE_CHECKING:
    import procrastinate
    from procrastinate.worker import Worker

    from glutecoach.settings import Settings

log = logging.getLogger(__name__)

# (database, the kind's data folder, job id, earlier attempts (None: a server's thread)) -> None
Handler = Callable[[Database, Path, str, int | None], None]

TASK = "glutecoach.run_job"
QUEUE = "glutecoach"
RETRIES = 3  # a transient failure is tried again 3 times, after 2, 4 and 8 s
WAIT_S = 2  # exponential: WAIT_S ** attempt
_SCHEMA_LOCK = 7_453_201  # advisory lock: one process applies procrastinate's schema at a time
_REQUEUE_LOCK = 7_453_202  # advisory lock: one worker queues stalled jobs again at a time


class TryAgain(Exception):
    """A job failed on something that may clear up (a transient StorageError): the queue runs
    it again later."""


def conninfo(database_url: str) -> str:
    """The libpq address of a PostgreSQL URL as glutecoach's settings take it."""
    backend, url = normalise_url(database_url)
    if backend != "postgresql":
        raise ValueError("the task queue needs PostgreSQL")
    return "postgresql://" + url.partition("://")[2]


class JobQueue:
    """The task queue in one PostgreSQL database: defer jobs, run workers."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.conninfo = conninfo(database_url)
        self.where = "the task queue's PostgreSQL database"
        self._lock = threading.Lock()

    def _app(self) -> procrastinate.App:
        import procrastinate  # the task queue is only loaded where it is used

        return procrastinate.App(
            connector=procrastinate.PsycopgConnector(conninfo=self.conninfo, min_size=1)
        )

    def apply_schema(self) -> None:
        """procrastinate's tables and functions, created once (idempotent, safe to race), after
        glutecoach's own (a fresh database with only the queue's tables is not glutecoach's)."""
        import psycopg
        from procrastinate.schema import SchemaManager

        open_store(self.database_url).close()  # migrated to glutecoach's schema first
        try:
            with psycopg.connect(self.conninfo) as connection:
                connection.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                row = connection.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
                if row is None or row[0] is None:
                    connection.execute(SchemaManager.get_schema())
        except psycopg.Error as error:
            raise from_driver_error(error, self.where) from None

    def defer(self, kind: str, folder: Path, job_id: str) -> None:
        """Queue a job (StorageError, transient, when the database cannot take it)."""
        import psycopg

        try:
            with self._lock, self._app().open() as app:
                task = app.configure_task(TASK, queue=QUEUE)
                task.defer(kind=kind, folder=str(folder), job_id=job_id)
        except psycopg.Error as error:
            raise from_driver_error(error, self.where) from None
        except Exception as error:  # procrastinate wraps the driver's errors in its own
            cause = error.__cause__ if isinstance(error.__cause__, psycopg.Error) else None
            if cause is None and not type(error).__module__.startswith("procrastinate"):
                raise
            raise StorageError(
                f"cannot queue the job in {self.where} ({error}); try again", permanent=False
            ) from None

    def run_worker(
        self,
        handlers: Mapping[str, Handler],
        concurrency: int = 1,
        stalled_after_s: float = STALLED_AFTER_S,
    ) -> None:
        """Run jobs until stopped (Ctrl-C or SIGTERM), `concurrency` at a time, queueing again
        the jobs of workers silent for `stalled_after_s`."""
        from procrastinate import JobContext, RetryStrategy

        self.apply_schema()
        db = open_store(self.database_url)
        app = self._app()
        retry = RetryStrategy(
            max_attempts=RETRIES, exponential_wait=WAIT_S, retry_exceptions={TryAgain}
        )

        @app.task(name=TASK, queue=QUEUE, retry=retry, pass_context=True)
        def run_job(context: JobContext, kind: str, folder: str, job_id: str) -> None:
            handler = handlers.get(kind)
            if handler is None:
                log.error("job %s: no handler for jobs of kind %r", job_id, kind)
                return
            attempts = context.job.attempts if context.job is not None else RETRIES
            handler(db, Path(folder), job_id, attempts)

        async def work() -> None:
            from procrastinate.worker import Worker

            async with app.open_async():
                worker = Worker(
                    app,
                    queues=[QUEUE],
                    concurrency=concurrency,
                    install_signal_handlers=True,
                    update_heartbeat_interval=stalled_after_s / 3,
                    stalled_worker_timeout=stalled_after_s,
                )
                beside = asyncio.create_task(
                    self._alive_and_recovering(app, worker, stalled_after_s)
                )
                try:
                    await worker.run()  # type: ignore[no-untyped-call]
                finally:
                    beside.cancel()

        try:
            with app.open():  # the job functions are synchronous
                asyncio.run(work())
        finally:
            db.close()

    async def _alive_and_recovering(
        self, app: procrastinate.App, worker: Worker, stalled_after_s: float
    ) -> None:
        """Beside the worker, until it has returned: its heartbeat, every third of
        `stalled_after_s` — procrastinate's own stops when a stop is asked, while the job in
        hand still runs to its end, and another worker would take that job for stalled — and,
        every other beat, the jobs of stalled workers queued again."""
        beat = 0
        while True:
            try:
                if worker.worker_id is not None:
                    await app.job_manager.update_heartbeat(worker.worker_id)
                if beat % 2 == 0:
                    await self.requeue_stalled(worker.worker_id, stalled_after_s)
            except Exception:  # the database unreachable for now: the next beat tries again
                log.exception("the worker's heartbeat or its look for stalled jobs")
            beat += 1
            await asyncio.sleep(stalled_after_s / 3)

    async def requeue_stalled(self, own: int | None, stalled_after_s: float) -> None:
        """Queue again the jobs left "doing" by workers silent for longer than
        `stalled_after_s` (or gone from the workers' table). One worker at a time, under an
        advisory lock held while it looks and queues: a job another worker has just queued
        again, and a third already runs, is never queued a second time. The jobs found are
        locked and queued again in the same transaction, so one that ends meanwhile (its worker
        was only slow) waits for it and is not run again."""
        import psycopg

        connecting = psycopg.AsyncConnection.connect(self.conninfo)
        async with await connecting as connection, connection.transaction():
            await connection.execute("SELECT pg_advisory_xact_lock(%s)", (_REQUEUE_LOCK,))
            found = await connection.execute(
                _STALLED, {"queue": QUEUE, "task": TASK, "own": own, "after": stalled_after_s}
            )
            for job_id, glutecoach_id in await found.fetchall():
                await connection.execute(_REQUEUE, {"job_id": job_id})
                log.warning(
                    "job %s (%s) was left running by a stopped worker: queued again",
                    job_id,
                    glutecoach_id,
                )


# The jobs of this queue and task in "doing" whose worker is not this one (which has no id yet
# when it first looks) and has sent no heartbeat for `after` seconds, or is gone from the
# workers' table (pruned: worker_id NULL); locked until the transaction ends.
_STALLED = """
SELECT job.id, job.args->>'job_id'
  FROM procrastinate_jobs job
  LEFT JOIN procrastinate_workers w ON w.id = job.worker_id
 WHERE job.status = 'doing' AND job.queue_name = %(queue)s AND job.task_name = %(task)s
   AND COALESCE(job.worker_id <> %(own)s::bigint, TRUE)
   AND (w.id IS NULL OR w.last_heartbeat < now() - make_interval(secs => %(after)s))
   FOR UPDATE OF job
"""
# procrastinate's own retry (its `retry_job` query), on the connection holding the lock
_REQUEUE = "SELECT procrastinate_retry_job_v2(%(job_id)s, now(), NULL, NULL, NULL)"


def for_settings(settings: Settings, database_url: str | None = None) -> JobQueue | None:
    """The task queue when GLUTECOACH_JOBS=queue and the database is PostgreSQL (its schema
    applied); None: jobs run in the web process's thread (always so on SQLite)."""
    if settings.jobs != "queue":
        return None
    url = database_url or settings.resolved_database_url()
    if normalise_url(url)[0] != "postgresql":
        log.warning("GLUTECOACH_JOBS=queue needs PostgreSQL: with SQLite, jobs run in the server")
        return None
    queue = JobQueue(url)
    queue.apply_schema()
    return queue
