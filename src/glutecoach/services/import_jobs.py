"""Run files uploaded on /runs, imported in the background (`services.run_import`, as
`glutecoach import-runs` does): files done of the total while it runs, then the summary —
imported, duplicates skipped, each rejected file with its reason. The jobs' state files and
thread are `services.jobs`'; at clinic scale a task queue's worker runs them (`services.job_queue`).

The data folder holds:

    runs/jobs/<job id>.json          a job's state
    runs/uploads/<job id>/<n><suffix>  the uploads under generated names, deleted once imported
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Literal

from glutecoach.adapters.db.repositories import Database
from glutecoach.domain.errors import GlutecoachError
from glutecoach.services import run_import
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

UPLOAD_MAX_BYTES = 500_000_000  # a platform's bulk export of years of runs
FORM_OVERHEAD_BYTES = 100_000
SUFFIXES = (".fit", ".gpx", ".tcx", ".gz", ".zip")
ACCEPT = ",".join((*SUFFIXES, "application/zip", "application/gzip"))
HEAD_BYTES = 64
WORKERS = 2  # parsing processes per import
KIND = "import"  # its name on the task queue
STOPPED = "the import stopped when the server restarted: upload the files again"
UNEXPECTED = "the import stopped on an unexpected error; the runs stored before it stay"

State = Literal["queued", "importing", "done", "failed"]


def default_folder() -> Path:
    """The app's data folder (where the default database lives, see settings.py) / runs."""
    return data_folder() / "runs"


def too_large_message(max_bytes: int = UPLOAD_MAX_BYTES) -> str:
    return (
        f"the files are over {max_bytes // 1_000_000} MB in all: upload them in a few goes "
        "(each run goes in once, whatever the order)"
    )


def _xml(head: bytes) -> bool:
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def _fit(head: bytes) -> bool:
    return len(head) >= 12 and head[0] in (12, 14) and head[8:12] == b".FIT"


_LOOKS_LIKE = {
    ".fit": ("FIT file", _fit),
    ".gpx": ("GPX file", _xml),
    ".tcx": ("TCX file", _xml),
    ".gz": ("gzip file", lambda head: head[:2] == b"\x1f\x8b"),
    ".zip": ("zip archive", lambda head: head[:4] in (b"PK\x03\x04", b"PK\x05\x06")),
}


def upload_problem(filename: str, head: bytes) -> str | None:
    """Why an upload cannot be a run file or an export of them, from its name and first bytes
    (None: it may be one; the import then reads the whole file)."""
    name = safe_name(filename)
    lower = name.lower()
    suffix = Path(lower).suffix
    if suffix not in _LOOKS_LIKE or (
        suffix == ".gz" and Path(lower.removesuffix(".gz")).suffix not in (".fit", ".gpx", ".tcx")
    ):
        return (
            f"{name} is not a run file (FIT, GPX, TCX, also .gz) or a zip export of them: "
            "choose the files your watch or running app exports"
        )
    what, looks = _LOOKS_LIKE[suffix]
    if not looks(head):
        return f"{name} is not a {what} inside: choose the file your watch or app exported"
    if suffix == ".gz" and not _gz_looks_right(lower, head):
        return f"{name} does not hold a run file inside: choose the file your app exported"
    return None


def _gz_looks_right(lower: str, head: bytes) -> bool:
    """The first bytes unpacked are the run file the name says (when enough of it came)."""
    try:
        inner = zlib.decompressobj(31).decompress(head, HEAD_BYTES)
    except zlib.error:
        return False
    if len(inner) < 12:
        return True  # too little to tell from the first bytes: the import says
    return _fit(inner) if lower.endswith(".fit.gz") else _xml(inner)


@dataclass(frozen=True)
class ImportJob:
    id: str
    files: list[list[str]]  # [saved name, name as uploaded], in the order uploaded
    state: State = "queued"
    done: int = 0  # run files read
    total: int = 0  # run files found (an archive holds many; 0 while unknown)
    message: str | None = None  # why it failed
    pid: int = 0  # the process that runs it
    created: float = 0.0
    runner: str | None = None  # whose runs they are (the slug): only they and theirs see it
    queued: bool = False  # on the task queue (its worker runs it), not in a server's thread
    interrupted: int = 0  # the queue's attempts at it whose worker stopped part-way
    imported_runs: int = 0
    imported_files: int = 0
    duplicates: list[list[str]] = field(default_factory=list)  # [file, why]
    rejected: list[list[str]] = field(default_factory=list)  # [file, reason]
    ignored: int = 0  # files in archives that are not run files
    spike_warning: str | None = None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int | None:
        return min(100, round(100 * self.done / self.total)) if self.total else None

    @property
    def source(self) -> str:
        names = [name for _, name in self.files]
        return names[0] if len(names) == 1 else f"{len(names)} files"

    def stopped(self) -> ImportJob:
        return replace(self, state="failed", message=STOPPED)

    def failed(self, message: str) -> ImportJob:
        return replace(self, state="failed", message=message)


class ImportJobs(UploadJobs[ImportJob]):
    """The run imports of one data folder."""

    def __init__(
        self, folder: Path, max_bytes: int = UPLOAD_MAX_BYTES, queue: JobQueue | None = None
    ) -> None:
        super().__init__(
            folder, ImportJob, kind=KIND, run=run_job, max_bytes=max_bytes, queue=queue
        )

    def start(self, db: Database, uploads: list[tuple[str, BinaryIO]]) -> ImportJob:
        """Save the uploads under generated names and queue their import (StorageError when the
        folder is unusable)."""
        names = [
            [f"{n:03d}{_suffix(filename)}", shown_name(filename) or f"file {n}"]
            for n, (filename, _) in enumerate(uploads, 1)
        ]
        job = ImportJob(
            new_id(),
            files=names,
            pid=os.getpid(),
            created=time.time(),  # file time: a job file's age, against the uploads' mtimes
            runner=uploader(db),
            queued=self.queue is not None,
        )

        def write(folder: Path) -> None:
            for (saved, _), (_, upload) in zip(names, uploads, strict=True):
                with (folder / saved).open("wb") as out:
                    shutil.copyfileobj(upload, out, 1 << 20)

        return self.submit(db, job, write)

    def _run(self, db: Database, job: ImportJob) -> ImportJob:
        folder = self.files.uploads(job.id)
        job = replace(job, state="importing")
        self.files.save(job)
        progress = Progress(self.files, job)
        paths = [folder / saved for saved, _ in job.files]
        summary = run_import.import_runs(
            db, paths, slug=job.runner, workers=WORKERS, progress=progress
        )
        told = _Names(folder, job.files)
        return replace(
            progress.job,
            state="done",
            done=summary.files,
            total=summary.files,
            imported_runs=summary.imported_runs,
            imported_files=summary.imported_files,
            duplicates=[[told.label(f), why] for f, why in summary.duplicates],
            rejected=[[told.label(f), why] for f, why in summary.rejected],
            ignored=summary.ignored,
            spike_warning=summary.spike_warning,
        )


class _Names:
    """The saved files' names turned back into the names uploaded (no server path shown)."""

    def __init__(self, folder: Path, files: list[list[str]]) -> None:
        self.by_path = {str(folder / saved): shown for saved, shown in files}

    def label(self, label: str) -> str:
        path, separator, inside = label.partition(" › ")
        return self.by_path.get(path, Path(path).name) + separator + inside

    def text(self, message: str) -> str:
        for path, shown in self.by_path.items():
            message = message.replace(path, shown)
        return message


def _suffix(filename: str) -> str:
    lower = safe_name(filename).lower()
    if lower.endswith(".gz"):
        return Path(lower.removesuffix(".gz")).suffix + ".gz"
    return Path(lower).suffix


def run_job(db: Database, folder: Path, job_id: str, attempt: int | None) -> None:
    """Run the import saved in `folder` (in a server's thread, or on a task queue's worker)."""
    jobs = ImportJobs(folder)

    def said(job: ImportJob, error: GlutecoachError) -> str:
        return _Names(jobs.files.uploads(job.id), job.files).text(error.message)

    work = lambda job: jobs._run(db, job)  # noqa: E731
    run_saved(jobs.files, job_id, work, attempt=attempt, said=said, unexpected=UNEXPECTED)
