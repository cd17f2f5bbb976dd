"""Gait analyses the web app runs in the background, one at a time per server process.

An upload is saved under the data folder and queued; a worker thread runs the gait use case on it
(`services.gait.analyse_file`, then `record`, then the HTML report, as `glutecoach gait` does),
writing each job's state — queued, frames done of the total, done with the analysis id, or failed
with the service's readable message — to a small JSON file. Any server process can therefore
answer the page that polls a job, whichever process took the upload. The pose model itself runs in
its own processes (`workers`), so the thread mostly waits.

The data folder holds:

    gait/jobs/<job id>.json       a job's state
    gait/uploads/<job id>/<file>  the upload, deleted once its analysis ends
    gait/reports/<key>/           report.html, pose.json and about.json of a stored analysis

A report's folder is named by the analysis id *and* its creation time, so a database started
afresh (its ids counting from 1 again) never shows another database's report.
"""

from __future__ import annotations

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
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import BinaryIO, Literal

import platformdirs

from glutecoach.adapters.db.errors import StorageError
from glutecoach.adapters.db.gait_analyses import StoredGait
from glutecoach.adapters.db.repositories import Database
from glutecoach.adapters.pose import posefile
from glutecoach.adapters.pose.posefile import pose_json
from glutecoach.domain.errors import GlutecoachError
from glutecoach.domain.gait.pose import View
from glutecoach.services import gait as gait_service
from glutecoach.services.files import write_atomically
from glutecoach.services.runners import choose
from glutecoach.settings import APP_NAME

log = logging.getLogger(__name__)

UPLOAD_MAX_BYTES = 300_000_000  # a 20 s clip at 120 fps from a phone is well under 100 MB
FORM_OVERHEAD_BYTES = 100_000  # the multipart envelope and the form's other fields
VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm", ".avi", ".mkv")
ACCEPT = ",".join(("video/*", *VIDEO_SUFFIXES, *posefile.SUFFIXES))
WORKERS = 2  # pose-model processes per clip, as `glutecoach gait` uses by default
WRITE_EVERY_S = 0.3  # progress written at most this often
KEEP_JOBS_S = 7 * 24 * 3600
_JOB_ID = re.compile(r"^[0-9a-f]{16}$")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')  # what no file system takes

State = Literal["queued", "reading", "analysing", "done", "failed"]


def default_folder() -> Path:
    """The app's data folder (where the default database lives, see settings.py) / gait."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "gait"


def too_large_message(max_bytes: int = UPLOAD_MAX_BYTES) -> str:
    return (
        f"the file is over {max_bytes // 1_000_000} MB: 10-20 s of running is enough; "
        "trim the clip (or film at a lower resolution) and upload it again"
    )


def safe_name(filename: str) -> str:
    """The uploaded file's own name without any folder or odd character (its suffix kept)."""
    name = _UNSAFE.sub("_", filename.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    return name[-120:] or "upload"


# The first bytes of the containers a clip comes in: a file whose content is not what its name
# says (a text file named .mp4) is refused at the upload, before anything reads it.
_ISO_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
_LOOKS_LIKE: dict[str, Callable[[bytes], bool]] = {
    ".mp4": lambda head: head[4:8] in _ISO_BOXES,
    ".mov": lambda head: head[4:8] in _ISO_BOXES,
    ".m4v": lambda head: head[4:8] in _ISO_BOXES,
    ".webm": lambda head: head[:4] == b"\x1a\x45\xdf\xa3",
    ".mkv": lambda head: head[:4] == b"\x1a\x45\xdf\xa3",
    ".avi": lambda head: head[:4] == b"RIFF" and head[8:12] == b"AVI ",
}
HEAD_BYTES = 12


def upload_problem(filename: str, head: bytes) -> str | None:
    """Why an upload cannot be a clip or a pose file, from its name and first bytes (None: it
    may be one; the analysis then checks the whole file)."""
    name = safe_name(filename)
    suffix = Path(name).suffix.lower()
    if suffix in posefile.SUFFIXES:
        return None
    if suffix not in _LOOKS_LIKE:
        return (
            f"{name} is not a video (MP4, MOV, M4V, WebM, AVI, MKV) or a pose file "
            "(JSON, CSV, TRC): choose the clip itself"
        )
    if not _LOOKS_LIKE[suffix](head):
        return f"{name} is not a {suffix[1:].upper()} video inside: choose the clip itself"
    return None


@dataclass(frozen=True)
class Job:
    id: str
    source: str  # the file's name as uploaded
    pose_file: bool  # a pose file: no frames to count
    state: State = "queued"
    done: int = 0  # frames
    total: int = 0  # frames in the clip (0 while unknown)
    analysis_id: int | None = None
    message: str | None = None  # why it failed
    pid: int = 0  # the server process that runs it
    created: float = 0.0
    runner: str | None = None  # whose analysis it is (the slug): only they and theirs see it

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int | None:
        if self.state == "analysing":
            return 100
        return min(100, round(100 * self.done / self.total)) if self.total else None


@dataclass(frozen=True)
class _Task:
    job: Job
    path: Path
    view: View | None
    db: Database
    height_cm: float | None = None  # the runner's height: the distances in cm too


def report_key(stored: StoredGait) -> str:
    created = stored.created_at.replace(tzinfo=None)
    return f"{stored.id}-{created:%Y%m%dT%H%M%S%f}"


def stored_analyses(db: Database) -> list[StoredGait]:
    """The one runner's analyses, oldest first (NotFound while there is no runner)."""
    with db.unit() as repo:
        runner = choose(repo, None)
        return repo.gait_analyses.list(runner.id)


class GaitJobs:
    """The jobs of one data folder; the worker thread starts with the first upload."""

    def __init__(self, folder: Path, max_bytes: int = UPLOAD_MAX_BYTES) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._queue: queue.Queue[_Task | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

    # where things are --------------------------------------------------------------------------

    def _job_file(self, job_id: str) -> Path:
        return self.folder / "jobs" / f"{job_id}.json"

    def report_folder(self, stored: StoredGait) -> Path:
        return self.folder / "reports" / report_key(stored)

    def report_file(self, stored: StoredGait) -> Path | None:
        path = self.report_folder(stored) / "report.html"
        return path if path.is_file() else None

    def about(self, stored: StoredGait) -> dict[str, object]:
        """What the page says beside the report: what happened to the plan."""
        try:
            data = json.loads((self.report_folder(stored) / "about.json").read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    # the jobs ----------------------------------------------------------------------------------

    def start(
        self,
        db: Database,
        upload: BinaryIO,
        filename: str,
        view: View | None,
        height_cm: float | None = None,
    ) -> Job:
        """Save the upload and queue its analysis (StorageError when the folder is unusable)."""
        with db.unit() as repo:
            runner = choose(repo, None).slug
        job_id = secrets.token_hex(8)
        folder = self.folder / "uploads" / job_id
        path = folder / f"upload{Path(safe_name(filename)).suffix.lower()}"  # never their name
        job = Job(
            job_id,
            source=filename.replace("\\", "/").rsplit("/", 1)[-1] or path.name,
            pose_file=posefile.is_pose_file(path),
            pid=os.getpid(),
            created=time.time(),
            runner=runner,
        )
        try:
            self._tidy()
        except OSError:  # tidying up can wait for the next upload
            log.exception("the gait folder %s was not tidied", self.folder)
        try:
            self._save(job)  # first: another process tidying up leaves this upload alone
            folder.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as out:
                shutil.copyfileobj(upload, out, 1 << 20)
        except OSError as error:
            shutil.rmtree(folder, ignore_errors=True)
            self._job_file(job_id).unlink(missing_ok=True)
            raise StorageError(
                f"cannot save the upload in {self.folder} ({error.strerror}); nothing was stored",
                permanent=False,
            ) from None
        self._queue.put(_Task(job, path, view, db, height_cm))
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="gait-jobs", daemon=True)
                self._worker.start()
        return job

    def seen_by(self, db: Database, job_id: str) -> Job | None:
        """The job, if it is about a runner `db`'s actor may see (None otherwise, as if the job
        did not exist)."""
        job = self.get(job_id)
        if job is None or job.runner is None:
            return None
        with db.unit() as repo:
            visible = repo.runner(job.runner)
        return job if visible is not None else None

    def get(self, job_id: str) -> Job | None:
        if not _JOB_ID.match(job_id):
            return None
        try:
            data = json.loads(self._job_file(job_id).read_text())
            job = Job(**data)
        except (OSError, ValueError, TypeError):
            return None
        if not job.finished and not _alive(job.pid):
            return replace(
                job,
                state="failed",
                message="the analysis stopped when the server restarted: upload the file again",
            )
        return job

    def _save(self, job: Job) -> None:
        write_atomically(self._job_file(job.id), json.dumps(asdict(job)))

    def _tidy(self) -> None:
        """Forget finished jobs after a week; drop uploads a stopped server left behind."""
        now = time.time()
        for path in (self.folder / "jobs").glob("*.json"):
            job = self.get(path.stem)
            if job is not None and job.finished and now - job.created > KEEP_JOBS_S:
                path.unlink(missing_ok=True)
        for folder in (self.folder / "uploads").glob("*"):
            job = self.get(folder.name)
            if (job is not None and job.finished) or (job is None and _age(folder) > 3600):
                shutil.rmtree(folder, ignore_errors=True)

    # the worker --------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the worker once the job in hand ends (the app is shutting down); jobs still
        queued are then reported as stopped by the server."""
        with self._lock:
            if self._worker is not None and self._worker.is_alive():
                self._queue.put(None)
            self._worker = None

    def _work(self) -> None:
        while True:
            task = self._queue.get()
            if task is None:
                return
            try:
                ended = self._run(task)
                shutil.rmtree(task.path.parent, ignore_errors=True)  # gone before "done" is said
                self._save(ended)
            except Exception:  # the job's state could not be written: keep the worker alive
                log.exception("gait job %s", task.job.id)
            finally:
                shutil.rmtree(task.path.parent, ignore_errors=True)
                self._queue.task_done()

    def _run(self, task: _Task) -> Job:
        """The job as it ended: done with its analysis id, or failed with the reason."""
        job = replace(task.job, state="reading")
        self._save(job)
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal job, last
            now = time.monotonic()
            if now - last >= WRITE_EVERY_S or (total and done >= total):
                last = now
                job = replace(job, done=done, total=total)
                self._save(job)

        try:
            analysed = gait_service.analyse_file(
                task.path,
                view=task.view,
                workers=WORKERS,
                progress=progress,
                height_cm=task.height_cm,
            )
            job = replace(job, state="analysing")
            self._save(job)
            recorded = gait_service.record(task.db, job.runner, analysed.summary)
        except GlutecoachError as error:  # the service's readable message; nothing stored
            # the page names the file already; never the server's own path
            said = error.message.replace(str(task.path), job.source).removeprefix(f"{job.source}: ")
            return replace(job, state="failed", message=said)
        except Exception:
            log.exception("gait analysis of %s failed", job.source)
            said = "the analysis stopped on an unexpected error; nothing was stored"
            return replace(job, state="failed", message=said)
        try:
            self._write_report(task, analysed, recorded)
        except Exception:  # stored already: the report page then shows the stored summary
            log.exception("the gait report of analysis %s was not written", recorded.analysis_id)
        return replace(job, state="done", analysis_id=recorded.analysis_id)

    def _write_report(
        self, task: _Task, analysed: gait_service.Analysed, recorded: gait_service.Recorded
    ) -> None:
        stored = next(s for s in stored_analyses(task.db) if s.id == recorded.analysis_id)
        reported = gait_service.report(analysed, task.path, recorded)
        note, html = reported.plan_note, reported.html
        folder = self.report_folder(stored)
        write_atomically(folder / "pose.json", pose_json(analysed.raw))
        about = {"plan_note": note, "plan_version": recorded.plan_version}
        write_atomically(folder / "about.json", json.dumps(about))
        write_atomically(folder / "report.html", html)  # last: its presence means complete


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
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
