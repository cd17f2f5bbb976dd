"""Gait analyses the web app runs in the background, one at a time per server process.

An upload is saved under the data folder and queued; a worker thread (`services.jobs`) — or, at
clinic scale, a task queue's worker (`services.job_queue`) — runs the gait use case on it
(`services.gait.analyse_file`, then `record`, then the HTML report, as `glutecoach gait` does),
writing each job's state — queued, frames done of the total, done with the analysis id, or failed
with the service's readable message — to a small JSON file. Any server process can therefore
answer the page that polls a job, whichever process took the upload. The pose model itself runs in
its own processes (`workers`), so the thread mostly waits.

The data folder holds:

    gait/jobs/<job id>.json       a job's state
    gait/uploads/<job id>/<file>  the upload, deleted once its analysis ends
    gait/reports/<key>/           a stored analysis's report files (services.gait.write_report)
                                  and about.json

A report's folder is named by the analysis id *and* its creation time, so a database started
afresh (its ids counting from 1 again) never shows another database's report.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Literal

from glutecoach.adapters.db.gait_analyses import StoredGait
from glutecoach.adapters.db.repositories import Database
from glutecoach.adapters.pose import posefile
from glutecoach.domain.errors import GlutecoachError
from glutecoach.domain.gait.pose import View
from glutecoach.services import gait as gait_service
from glutecoach.services import gait_clips
from glutecoach.services.files import write_atomically
from glutecoach.services.job_queue import JobQueue
from glutecoach.services.jobs import (
    Progress,
    UploadJobs,
    new_id,
    run_saved,
    safe_name,
    shown_name,
    uploader,
)
from glutecoach.settings import data_folder

log = logging.getLogger(__name__)

UPLOAD_MAX_BYTES = 300_000_000  # a 20 s clip at 120 fps from a phone is well under 100 MB
FORM_OVERHEAD_BYTES = 100_000  # the multipart envelope and the form's other fields
VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm", ".avi", ".mkv")
ACCEPT = ",".join(("video/*", *VIDEO_SUFFIXES, *posefile.SUFFIXES))
WORKERS = 2  # pose-model processes per clip, as `glutecoach gait` uses by default
KIND = "gait"  # its name on the task queue
STOPPED = "the analysis stopped when the server restarted: upload the file again"

State = Literal["queued", "reading", "analysing", "done", "failed"]


def default_folder() -> Path:
    """The app's data folder (where the default database lives, see settings.py) / gait."""
    return data_folder() / "gait"


def too_large_message(max_bytes: int = UPLOAD_MAX_BYTES) -> str:
    return (
        f"the file is over {max_bytes // 1_000_000} MB: 10-20 s of running is enough; "
        "trim the clip (or film at a lower resolution) and upload it again"
    )


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
    view: str | None = None  # side or rear; None: worked out from the clip
    height_cm: float | None = None  # the runner's height: the distances in cm too
    model: str | None = None  # the pose model's name (lite, full, heavy); None: the default
    sources: tuple[str, ...] = ()  # several clips of one run: each one's name as uploaded
    queued: bool = False  # on the task queue (its worker runs it), not in a server's thread
    interrupted: int = 0  # the queue's attempts at it whose worker stopped part-way

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def stopped(self) -> Job:
        return replace(self, state="failed", message=STOPPED)

    def failed(self, message: str) -> Job:
        return replace(self, state="failed", message=message)

    @property
    def percent(self) -> int | None:
        if self.state == "analysing":
            return 100
        return min(100, round(100 * self.done / self.total)) if self.total else None


def report_key(stored: StoredGait) -> str:
    created = stored.created_at.replace(tzinfo=None)
    return f"{stored.id}-{created:%Y%m%dT%H%M%S%f}"


class GaitJobs(UploadJobs[Job]):
    """The gait analyses of one data folder."""

    def __init__(
        self, folder: Path, max_bytes: int = UPLOAD_MAX_BYTES, queue: JobQueue | None = None
    ) -> None:
        super().__init__(folder, Job, kind=KIND, run=run_job, max_bytes=max_bytes, queue=queue)

    # where things are --------------------------------------------------------------------------

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
        model: str | None = None,
        more: Sequence[tuple[BinaryIO, str]] = (),
    ) -> Job:
        """Save the upload (and `more` clips of the same run, for one report from them all) and
        queue its analysis (StorageError when the folder is unusable)."""
        files = [(upload, filename), *more]
        saved = [
            f"upload{'' if i == 0 else f'-{i + 1}'}{Path(safe_name(name)).suffix.lower()}"
            for i, (_, name) in enumerate(files)
        ]  # never their names
        names = [shown_name(name) or kept for (_, name), kept in zip(files, saved, strict=True)]
        job = Job(
            new_id(),
            source=" + ".join(names),
            pose_file=all(posefile.is_pose_file(Path(kept)) for kept in saved),
            pid=os.getpid(),
            created=time.time(),  # file time: a job file's age, against the uploads' mtimes
            runner=uploader(db),
            view=None if view is None else view.value,
            height_cm=height_cm,
            model=gait_service.pose_model(model).value,  # an unknown one refused before saving
            queued=self.queue is not None,
            sources=tuple(names) if more else (),
        )

        def write(folder: Path) -> None:
            for (content, _), kept in zip(files, saved, strict=True):
                with (folder / kept).open("wb") as out:
                    shutil.copyfileobj(content, out, 1 << 20)

        return self.submit(db, job, write)

    # the work ----------------------------------------------------------------------------------

    def _run(self, db: Database, job: Job) -> Job:
        """The job as it ended: done with its analysis id (errors are raised, see run_saved).
        Run again after its worker stopped part-way (a task queue's retry), a job whose analysis
        was stored already ends there: the report page shows the stored summary."""
        if job.analysis_id is not None:
            return replace(job, state="done")
        paths = sorted(self.files.uploads(job.id).iterdir(), key=_upload_order)
        path = paths[0]
        job = replace(job, state="reading")
        self.files.save(job)
        progress = Progress(self.files, job)
        analysed = gait_clips.analyse_clips(
            paths,
            on=db.clock.today("UTC"),
            views=[job.view] if job.view else [],
            workers=WORKERS,
            progress=progress,
            height_cm=job.height_cm,
            model=job.model,
        )
        # the files' names as uploaded, not the names they were saved under
        named = analysed.summary.model_copy(update={"source": job.source})
        if job.sources and len(named.clips) == len(job.sources):
            clips = tuple(
                c.model_copy(update={"source": name})
                for c, name in zip(named.clips, job.sources, strict=True)
            )
            named = named.model_copy(update={"clips": clips})
        analysed = replace(analysed, summary=named)
        job = replace(progress.job, state="analysing")
        self.files.save(job)
        recorded = gait_service.record(db, job.runner, analysed.summary)
        job = replace(job, analysis_id=recorded.analysis_id)
        self.files.save(job)  # at once: a retry must not store the analysis a second time
        try:
            self._write_report(db, job, path, analysed, recorded)
        except Exception:  # stored already: the report page then shows the stored summary
            log.exception("the gait report of analysis %s was not written", recorded.analysis_id)
        return replace(job, state="done")

    def _write_report(
        self,
        db: Database,
        job: Job,
        path: Path,
        analysed: gait_service.Analysed,
        recorded: gait_service.Recorded,
    ) -> None:
        stored, _ = gait_service.analysis(db, job.runner, recorded.analysis_id)
        reported = gait_service.report(analysed, path, recorded)
        folder = self.report_folder(stored)
        about = {"plan_note": reported.plan_note, "plan_version": recorded.plan_version}
        write_atomically(folder / "about.json", json.dumps(about))
        gait_service.write_report(folder, analysed, reported)  # report.html last: complete


def _upload_order(path: Path) -> int:
    """upload.ext first, then upload-2.ext, upload-3.ext: the order they were given in."""
    stem = path.stem
    return int(stem.rsplit("-", 1)[1]) if "-" in stem and stem.rsplit("-", 1)[1].isdigit() else 1


def run_job(db: Database, folder: Path, job_id: str, attempt: int | None) -> None:
    """Run the gait job saved in `folder` (in a server's thread, or on a task queue's worker)."""
    jobs = GaitJobs(folder)

    def said(job: Job, error: GlutecoachError) -> str:
        # the page names the file already; never the server's own path
        upload = str(jobs.files.uploads(job.id))
        shown = re.sub(re.escape(upload) + r"/upload\.\w+", job.source, error.message)
        return shown.replace(upload, "").removeprefix(f"{job.source}: ")

    unexpected = "the analysis stopped on an unexpected error; nothing was stored"
    work = lambda job: jobs._run(db, job)  # noqa: E731
    run_saved(jobs.files, job_id, work, attempt=attempt, said=said, unexpected=unexpected)
