"""Where run files come from: files, folders (recursively) and the zip archives that platforms'
bulk exports are, with gzip-compressed activities inside; nested zips (Garmin's export) too.

Listing is cheap and done up front (for the progress bar); the bytes are read by whichever
process parses the file.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from glutecoach.adapters.runfiles.errors import RunFileError

FORMATS = (".fit", ".gpx", ".tcx")
MAX_FILE_BYTES = 256 * 1024 * 1024  # a day-long FIT is ~20 MB: anything bigger is not a run file
# What zipfile raises for a damaged or odd archive besides BadZipFile: a damaged deflate stream
# (zlib.error), a member cut short (EOFError), a compression method or encryption it cannot
# read (NotImplementedError, RuntimeError), offsets pointing nowhere (ValueError).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)


@dataclass(frozen=True)
class Source:
    """One run file: a path, and inside it (when it is a zip) the members down to the file."""

    path: str
    members: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.members[-1] if self.members else self.path

    @property
    def label(self) -> str:
        return " › ".join((self.path, *self.members))

    @property
    def format(self) -> str | None:
        """.fit, .gpx or .tcx; None when the name says it is none of them."""
        name = self.name.lower().removesuffix(".gz")
        return next((f for f in FORMATS if name.endswith(f)), None)


@dataclass(frozen=True)
class Listing:
    sources: tuple[Source, ...]
    refused: tuple[tuple[str, str], ...]  # (label, reason): named explicitly, yet unreadable
    ignored: int  # files in folders and archives that are not run files (photos, CSVs)


def list_sources(paths: list[Path]) -> Listing:
    sources: list[Source] = []
    refused: list[tuple[str, str]] = []
    ignored = 0
    for path in paths:
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                got, bad, skipped = _file(found, explicit=False)
                sources += got
                refused += bad
                ignored += skipped
        elif path.exists():
            got, bad, skipped = _file(path, explicit=True)
            sources += got
            refused += bad
            ignored += skipped
        else:
            refused.append((str(path), "no such file or folder"))
    return Listing(tuple(sources), tuple(refused), ignored)


def _file(path: Path, explicit: bool) -> tuple[list[Source], list[tuple[str, str]], int]:
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                return _members(archive, str(path), ())
        except (*ZIP_ERRORS, OSError) as error:
            return [], [(str(path), f"not a readable zip archive ({error})")], 0
    source = Source(str(path))
    if source.format is not None:
        return [source], [], 0
    if explicit:
        suffix = path.suffix or "no suffix"
        reason = f"not a run file ({suffix}): glutecoach reads .fit, .gpx, .tcx (also .gz), .zip"
        return [], [(str(path), reason)], 0
    return [], [], 1


def _members(
    archive: zipfile.ZipFile, path: str, outer: tuple[str, ...]
) -> tuple[list[Source], list[tuple[str, str]], int]:
    sources: list[Source] = []
    refused: list[tuple[str, str]] = []
    ignored = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        members = (*outer, info.filename)
        if info.filename.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(io.BytesIO(_limited(archive, info))) as inner:
                    got, bad, skipped = _members(inner, path, members)
            except (*ZIP_ERRORS, RunFileError) as error:
                refused.append(
                    (Source(path, members).label, f"not a readable zip archive ({error})")
                )
                continue
            sources += got
            refused += bad
            ignored += skipped
        elif Source(path, members).format is not None:
            sources.append(Source(path, members))
        else:
            ignored += 1
    return sources, refused, ignored


def _limited(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_FILE_BYTES:
        raise RunFileError(f"too large to be a run file ({info.file_size:,} bytes unpacked)")
    with archive.open(info) as member:
        return member.read(MAX_FILE_BYTES + 1)


def read_bytes(source: Source) -> bytes:
    """The file's bytes, unzipped and gunzipped; RunFileError when that cannot be done."""
    try:
        if source.members:
            data = _from_zip(Path(source.path), source.members)
        else:
            with open(source.path, "rb") as file:
                data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise RunFileError(f"cannot read the file ({error.strerror or error})") from None
    except (*ZIP_ERRORS, KeyError) as error:
        raise RunFileError(f"cannot read it from its archive ({error})") from None
    if source.name.lower().endswith(".gz"):
        data = _gunzip(data)
    if len(data) > MAX_FILE_BYTES:
        raise RunFileError(f"too large to be a run file (over {MAX_FILE_BYTES:,} bytes)")
    return data


def _from_zip(path: Path, members: tuple[str, ...]) -> bytes:
    with zipfile.ZipFile(path) as archive:
        data = _limited(archive, archive.getinfo(members[0]))
    for member in members[1:]:
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            data = _limited(inner, inner.getinfo(member))
    return data


def _gunzip(data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unpacked:
            out = unpacked.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as error:  # zlib: a damaged deflate stream
        raise RunFileError(f"not a readable gzip file ({error})") from None
    return out
