"""One run file in, its runs (or why not) out: what each worker process does."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from glutecoach.adapters.runfiles.errors import RunFileError
from glutecoach.adapters.runfiles.fit import read_fit
from glutecoach.adapters.runfiles.gpx import read_gpx
from glutecoach.adapters.runfiles.sources import Source, read_bytes
from glutecoach.adapters.runfiles.tcx import read_tcx
from glutecoach.domain.runs import Run

READERS = {".fit": read_fit, ".gpx": read_gpx, ".tcx": read_tcx}


@dataclass(frozen=True)
class FileResult:
    source: Source
    digest: str | None  # sha256 of the (unpacked) bytes: the same file twice is found by it
    runs: tuple[Run, ...] = ()
    reason: str | None = None  # why it was refused; None when it was read

    @property
    def records(self) -> int:
        return sum(r.records for r in self.runs)


def read_source(source: Source) -> FileResult:
    """Never raises for a bad file: the reason goes into the result."""
    digest = None
    try:
        data = read_bytes(source)
        digest = hashlib.sha256(data).hexdigest()
        if not data.strip():
            raise RunFileError("the file is empty")
        reader = READERS.get(source.format or "")
        if reader is None:
            raise RunFileError("not a .fit, .gpx or .tcx file")
        runs = reader(data)
    except RunFileError as error:
        return FileResult(source, digest, reason=str(error))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        # pydantic's ValidationError is a ValueError: a value no run can have (a 400 bpm pulse)
        said = str(error).splitlines()
        return FileResult(
            source, digest, reason=f"unreadable values: {said[-1] if said else error}"
        )
    return FileResult(source, digest, tuple(runs))
