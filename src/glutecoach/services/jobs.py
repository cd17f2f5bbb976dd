"""What the background jobs (a runner's import, a gait analysis) share: their state files, the
thread that runs them in the server process, and the rules for a failure (reported with its
message, or tried again).

A job is a frozen dataclass saved as JSON under its kind's data folder, so any server process —
and, at clinic scale, a task queue's worker (`services.job_queue`) — can answer the page that
polls it:

    <folder>/jobs/<job id>.json       the job's state
    <folder>/uploads/<job id>/        what was uploaded, deleted once the job ends

A job belongs to a runner (its slug): `seen_by` answers only those who may see that runner.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import queue
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, Generic, Protocol, Self, TypeVar

from glutecoach.adapters.db.errors import StorageError
from glutecoach.adapters.db.repositories import Database
from glutecoach.domain.errors import GlutecoachError
from glutecoach.services.files import write_atomically
from glutecoach.services.job_queue import RETRIES, Handler, JobQueue, TryAgain
from glutecoach.services.runners import choose

log = logging.getLogger(__name__)

KEEP_JOBS_S = 7 * 24 * 3600
LEFT_UPLOAD_S = 3600  # an upload folder with no job after this long was left by a stopped server
WRITE_EVERY_S = 0.3  # progress written at most this often
UNEXPECTED = "it stopped on an unexpected error; nothing was stored"
ABANDONED = (
    "the worker running it stopped part-way (killed or out of memory) each time it was tried; "
    "nothing more was stored: upload it again, and if it stops again tell the clinic's admin"
)
_JOB_ID = re.compile(r"^[0-9a-f]{16}$")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')  # what no file system takes


class JobRecord(Protocol):
    """What every kind of job records besides its own progress."""

    @property
    def id(self) -> str: ...
    @property
    def pid(self) -> int: ...  # the process running it (a queue's job: none of ours to check)
    @property
    def created(self) -> float: ...
    @property
    def runner(self) -> str | None: ...
    @property
    def queued(self) -> bool: ...  # on the task queue: its worker, not a pid, answers for it
    @property
    def finished(self) -> bool: ...
    @property
    def state(self) -> str: ...
    @property
    def interrupted(self) -> int: ...  # the queue's attempts at it that stopped part-way

    def stopped(self) -> Self:
        """The job as it reads when the process running it is gone."""
        ...

    def failed(self, message: str) -> Self: ...


J = TypeVar("J", bound=JobRecord)


_DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def upload_not_saved(error: OSError, folder: Path) -> StorageError:
    """Why an upload could not be saved, in words that say what to do."""
    if error.errno in _DISK_FULL:
        return StorageError(
            f"the disk is full: the upload does not fit in glutecoach's data folder ({folder}) "
            "and nothing was stored; free some space and upload it again",
            permanent=False,
        )
    return StorageError(
        f"cannot save the upload in {folder} ({error.strerror}); nothing was stored",
        permanent=False,
    )


def new_id() -> str:
    return secrets.token_hex(8)


def safe_name(filename: str) -> str:
    """The uploaded file's own name without any folder or odd character (its suffix kept)."""
    name = _UNSAFE.sub("_", filename.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    return name[-120:] or "upload"


def shown_name(filename: str) -> str:
    """The name the pages show for an upload: the client's file name, never its folders."""
    return filename.replace("\\", "/").rsplit("/", 1)[-1]


class JobFiles(Generic[J]):
    """The state files and uploads of one kind of job."""

    def __init__(self, folder: Path, kind: type[J]) -> None:
        self.folder = folder
        self.kind = kind

    def job_file(self, job_id: str) -> Path:
        return self.folder / "jobs" / f"{job_id}.json"

    def uploads(self, job_id: str) -> Path:
        return self.folder / "uploads" / job_id

    def save(self, job: J) -> None:
        write_atomically(self.job_file(job.id), json.dumps(asdict(job)))  # type: ignore[call-overload]

    def load(self, job_id: str) -> J | None:
        """The job as last written (None: no such job, or not one of this kind)."""
        if not _JOB_ID.match(job_id):
            return None
        try:
            data: dict[str, Any] = json.loads(self.job_file(job_id).read_text())
            return self.kind(**data)
        except (OSError, ValueError, TypeError):
            return None

    def get(self, job_id: str) -> J | None:
        """The job, reported stopped when the server process running it is gone."""
        job = self.load(job_id)
        if job is not None and not job.finished and not job.queued and not _alive(job.pid):
            return job.stopped()
        return job

    def seen_by(self, db: Database, job_id: str) -> J | None:
        """The job, if it is about a runner `db`'s actor may see (None otherwise, as if the job
        did not exist)."""
        job = self.get(job_id)
        if job is None or job.runner is None:
            return None
        with db.unit() as repo:
            visible = repo.runner(job.runner)
        return job if visible is not None else None

    def forget(self, job_id: str) -> None:
        shutil.rmtree(self.uploads(job_id), ignore_errors=True)
        self.job_file(job_id).unlink(missing_ok=True)

    def tidy(self) -> None:
        """Forget finished jobs after a week; drop uploads a stopped server left behind."""
        now = time.time()  # file time: the jobs' `created` and the uploads' mtimes
        for path in (self.folder / "jobs").glob("*.json"):
            job = self.get(path.stem)
            if job is not None and job.finished and now - job.created > KEEP_JOBS_S:
                path.unlink(missing_ok=True)
        for folder in (self.folder / "uploads").glob("*"):
            job = self.get(folder.name)
            if (job is not None and job.finished) or (job is None and _age(folder) > LEFT_UPLOAD_S):
                shutil.rmtree(folder, ignore_errors=True)


class UploadJobs(Generic[J]):
    """The jobs of one kind in one data folder: each upload saved under generated names, then run
    by the server process's thread (started with the first upload) or, with a task queue, by its
    workers (`kind` is the queue's name for them; `run` is what either calls)."""

    def __init__(
        self,
        folder: Path,
        record: type[J],
        *,
        kind: str,
        run: Handler,
        max_bytes: int,
        queue: JobQueue | None,
    ) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.files = JobFiles(folder, record)
        self.queue = queue
        self.kind = kind
        self._run_job = run
        self._thread = JobThread(f"{kind}-jobs")

    def submit(self, db: Database, job: J, write: Callable[[Path], None]) -> J:
        """Save `job`, then its upload (`write` puts it in the folder it is given), and queue it;
        StorageError, with nothing left behind, when the data folder cannot take it."""
        try:
            self.files.tidy()
        except OSError:  # tidying up can wait for the next upload
            log.exception("the folder %s was not tidied", self.folder)
        try:
            self.files.save(job)  # first: another process tidying up leaves this upload alone
            folder = self.files.uploads(job.id)
            folder.mkdir(parents=True, exist_ok=True)
            write(folder)
        except OSError as error:
            self.files.forget(job.id)
            raise upload_not_saved(error, self.folder) from None
        if self.queue is not None:
            self.queue.defer(self.kind, self.folder, job.id)
        else:
            self._thread.submit(lambda: self._run_job(db, self.folder, job.id, None))
        return job

    def get(self, job_id: str) -> J | None:
        return self.files.get(job_id)

    def seen_by(self, db: Database, job_id: str) -> J | None:
        """The job, if it is about a runner `db`'s actor may see (None otherwise, as if the job
        did not exist)."""
        return self.files.seen_by(db, job_id)

    def close(self) -> None:
        """Stop the worker thread once the job in hand ends (the app is shutting down)."""
        self._thread.close()


def uploader(db: Database) -> str:
    """The slug of the runner an upload is for: the actor's own, or the single-user runner."""
    with db.unit() as repo:
        return choose(repo, None).slug


class Progress(Generic[J]):
    """Writes a job's progress (`done` of `total`) at most every WRITE_EVERY_S, and always its
    last step; `job` is the job as last written."""

    def __init__(self, files: JobFiles[J], job: J) -> None:
        self.files = files
        self.job = job
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last >= WRITE_EVERY_S or (total and done >= total):
            self.last = now
            self.job = replace(self.job, done=done, total=total)  # type: ignore[type-var]
            self.files.save(self.job)


def run_saved(
    files: JobFiles[J],
    job_id: str,
    work: Callable[[J], J],
    *,
    attempt: int | None,
    said: Callable[[J, GlutecoachError], str] = lambda _, error: error.message,
    unexpected: str = UNEXPECTED,
) -> None:
    """Run a saved job's `work` and save how it ended: its result, or failed with the readable
    message of a GlutecoachError (`said` may reword it).

    `attempt` is the task queue's count of earlier attempts (None: a server's thread runs it,
    once). A transient StorageError on an attempt that is not the last is raised again as
    TryAgain: the upload is kept and the job reads as queued again. A queue's job found begun
    but not queued again was left by a worker that stopped part-way (killed, out of memory):
    those stops are counted in the job itself — the queue's attempts also count the retries
    after transient errors — and a job stopped more often than the queue retries is reported
    failed without being run again."""
    job = files.load(job_id)
    if job is None or job.finished:  # forgotten, or ended by an earlier attempt
        return
    if attempt is not None and job.state != "queued":
        job = replace(job, interrupted=job.interrupted + 1)  # type: ignore[type-var]
        if job.interrupted > RETRIES:
            shutil.rmtree(files.uploads(job_id), ignore_errors=True)
            files.save(job.failed(ABANDONED))
            return
        files.save(job)  # counted even if this attempt stops before its first progress
    retry = attempt is not None and attempt < RETRIES
    job = replace(job, pid=os.getpid())  # type: ignore[type-var]
    try:
        ended = work(job)
    except StorageError as error:
        if retry and not error.permanent:
            waiting = replace(job, state="queued", message=f"{error.message}; trying again")  # type: ignore[type-var]
            files.save(waiting)
            raise TryAgain(error.message) from error
        ended = job.failed(said(job, error))
    except GlutecoachError as error:  # the service's readable message; nothing stored
        ended = job.failed(said(job, error))
    except Exception:
        log.exception("background job %s", job_id)
        ended = job.failed(unexpected)
    shutil.rmtree(files.uploads(job_id), ignore_errors=True)  # gone before "done" is said
    files.save(ended)


class JobThread:
    """One worker thread in the server process, started with the first job; jobs run in turn."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._queue: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, work: Callable[[], None]) -> None:
        self._queue.put(work)
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name=self.name, daemon=True)
                self._worker.start()

    def close(self) -> None:
        """Stop the worker once the job in hand ends (the app is shutting down); jobs still
        queued are then reported as stopped by the server."""
        with self._lock:
            if self._worker is not None and self._worker.is_alive():
                self._queue.put(None)
            self._worker = None

    def _work(self) -> None:
        while True:
            work = self._queue.get()
            if work is None:
                return
            try:
                work()
            except Exception:  # the job's state could not be written: keep the worker alive
                log.exception("%s: a job's state was not written", self.name)
            finally:
                self._queue.task_done()


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime  # file time: against its own mtime
    except OSError:
        return 0.0


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
