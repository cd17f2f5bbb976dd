"""A runner's export, made from the real run files: copies with their timestamps shifted by whole
days, so that every copy is a distinct run (the import skips a run that starts within two minutes
of one it holds) in distinct bytes (it skips a file it has seen, by sha256).

The mix (weights out of 200, so 1,200 files hold six times these counts) is that of a runner's
export: mostly single-run FIT files from a watch, some GPX and TCX from apps and older devices,
now and then a triathlon, and the 1 MB multisport day a handful of times only.

    fit/2013-02-06-12-11-14.fit             46   run, 590 records
    fit/activity-small-fenix2-run.fit       40   run, 2,809 records
    fit/developer-types-sample.fit          40   run, 3,424 records, developer fields
    fit/garmin-fenix-5-run.fit              14   short run, 21 records
    fit/garmin-fenix-5-walk.fit              6   short walk, 17 records
    fit/sample_mulitple_header.fit           3   chained FIT, triathlon: 5 sessions
    fit/activity-large-fenxi2-multisport.fit 1   1 MB multisport day: 7 sessions, 24,239 records
    gpx/gpxpy_korita-zbevnica.gpx           18   871 track points (513 with a time)
    gpx/gpxpy_cerknicko-jezero.gpx          14   296 track points
    tcx/firefly_running_activity_1.tcx      10   run, 1,254 trackpoints
    tcx/tcxparser_test_running.tcx           8   run, 384 trackpoints

FIT: every date_time field (the common `timestamp`, 253, in any message, and the fields the SDK's
profile types as date_time or local_date_time: session and lap `start_time`, activity
`local_timestamp`, file_id `time_created` and the rest) is shifted in place, in the byte order its
definition gives, and each segment's CRCs are computed again. GPX and TCX: the date of every
`<time>`, `<Time>`, `<Id>` and `StartTime="…"`.
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import random
import re
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from garmin_fit_sdk import Decoder, Profile, Stream

from glutecoach.adapters.runfiles.fit import crc16
from glutecoach.adapters.runfiles.reader import read_source
from glutecoach.adapters.runfiles.sources import Source
from glutecoach.domain.runs import Run

RUNS = (
    Path(
        os.environ.get("GLUTECOACH_SHARED_DATA")
        or Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    / "runs"
)
MIX: tuple[tuple[str, int], ...] = (  # (file under RUNS, weight out of 200): see the docstring
    ("fit/2013-02-06-12-11-14.fit", 46),
    ("fit/activity-small-fenix2-run.fit", 40),
    ("fit/developer-types-sample.fit", 40),
    ("fit/garmin-fenix-5-run.fit", 14),
    ("fit/garmin-fenix-5-walk.fit", 6),
    ("fit/sample_mulitple_header.fit", 3),
    ("fit/activity-large-fenxi2-multisport.fit", 1),
    ("gpx/gpxpy_korita-zbevnica.gpx", 18),
    ("gpx/gpxpy_cerknicko-jezero.gpx", 14),
    ("tcx/firefly_running_activity_1.tcx", 10),
    ("tcx/tcxparser_test_running.tcx", 8),
)
DAY_S = 86_400  # a whole number of 32 s: FIT's compressed timestamps stay consistent
SEED = 7  # the order the copies are dealt in (which copy gets which day)

TIMESTAMP = 253
# (global message number, field number) of every date_time field the SDK's profile knows
DATE_FIELDS = frozenset(
    (int(num), int(field["num"]))
    for num, message in Profile["messages"].items()
    for field in message["fields"].values()
    if field["type"] in ("date_time", "local_date_time")
)
# FIT date_time values below this are seconds since the device was switched on, not dates
FIRST_DATE = 0x10000000
INVALID = 0xFFFFFFFF

XML_TIME = re.compile(rb"(<(?:[\w.-]+:)?(?:time|Time|Id)>\s*)(\d{4}-\d\d-\d\d)(?=T)")
XML_START = re.compile(rb"(\bStartTime\s*=\s*[\"'])(\d{4}-\d\d-\d\d)(?=T)")
XML_ANY_DATE = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d")


# FIT


@dataclass(frozen=True)
class _Layout:
    """A local message type's definition: its data message's size and where its dates sit."""

    size: int
    dates: tuple[int, ...]  # byte offsets of the date_time fields in the message's content
    big_endian: bool


@dataclass(frozen=True)
class FitPlan:
    """Where to patch a FIT file: the dates (by byte order) and each segment's extent."""

    little: tuple[int, ...]  # positions of little-endian uint32 dates
    big: tuple[int, ...]
    segments: tuple[tuple[int, int, int], ...]  # (start, header size, end of data = CRC position)


def plan_fit(data: bytes) -> FitPlan:
    """Walk every message of every (chained) segment: the positions of the dates to shift."""
    little: list[int] = []
    big: list[int] = []
    segments: list[tuple[int, int, int]] = []
    start = 0
    while start < len(data):
        header_size = data[start]
        if header_size not in (12, 14) or data[start + 8 : start + 12] != b".FIT":
            raise ValueError(f"no FIT header at byte {start}")
        end = start + header_size + int.from_bytes(data[start + 4 : start + 8], "little")
        segments.append((start, header_size, end))
        layouts: dict[int, _Layout] = {}  # definitions do not carry over into the next segment
        at = start + header_size
        while at < end:
            header = data[at]
            at += 1
            if header & 0x40 and not header & 0x80:  # a definition message
                layouts[header & 0x0F], at = _definition(data, at, bool(header & 0x20))
                continue
            # a data message: compressed-timestamp headers give the local type in bits 5-6
            layout = layouts[(header >> 5) & 0x03 if header & 0x80 else header & 0x0F]
            for offset in layout.dates:
                position = at + offset
                value = int.from_bytes(
                    data[position : position + 4], "big" if layout.big_endian else "little"
                )
                if FIRST_DATE <= value < INVALID:
                    (big if layout.big_endian else little).append(position)
            at += layout.size
        if at != end:
            raise ValueError(f"the messages of the segment at byte {start} overrun its data")
        start = end + 2
    return FitPlan(tuple(little), tuple(big), tuple(segments))


def _definition(data: bytes, at: int, developer: bool) -> tuple[_Layout, int]:
    big_endian = data[at + 1] == 1
    message = int.from_bytes(data[at + 2 : at + 4], "big" if big_endian else "little")
    count = data[at + 4]
    at += 5
    size, dates = 0, []
    for _ in range(count):
        number, field_size = data[at], data[at + 1]
        if field_size == 4 and (number == TIMESTAMP or (message, number) in DATE_FIELDS):
            dates.append(size)
        size += field_size
        at += 3
    if developer:  # developer fields: their bytes follow the normal fields in each data message
        for _ in range(data[at]):
            size += data[at + 2]
            at += 3
        at += 1
    return _Layout(size, tuple(dates), big_endian), at


def shift_fit(data: bytes, plan: FitPlan, seconds: int) -> bytes:
    if seconds % 32:
        raise ValueError("shift FIT files by whole multiples of 32 s (compressed timestamps)")
    out = bytearray(data)
    for fmt, positions in (("<I", plan.little), (">I", plan.big)):
        for position in positions:
            (value,) = struct.unpack_from(fmt, out, position)
            struct.pack_into(fmt, out, position, value + seconds)
    view = memoryview(out)
    for start, header_size, end in plan.segments:
        if header_size == 14 and out[start + 12 : start + 14] != b"\0\0":  # 0: no header CRC
            struct.pack_into("<H", out, start + 12, crc16(view[start : start + 12]))
        struct.pack_into("<H", out, end, crc16(view[start:end]))
    view.release()
    return bytes(out)


# GPX and TCX


def shift_xml(data: bytes, days: int) -> bytes:
    """Whole days change only the date: the time of day and the zone suffix stay as written."""

    def later(match: re.Match[bytes]) -> bytes:
        date = dt.date.fromisoformat(match[2].decode()) + dt.timedelta(days=days)
        return match[1] + date.isoformat().encode()

    out, times = XML_TIME.subn(later, data)
    out, starts = XML_START.subn(later, out)
    if times + starts != len(XML_ANY_DATE.findall(data)):  # a date somewhere else: say so
        raise ValueError("the file holds dates outside <time>, <Time>, <Id> and StartTime")
    return out


# The copies


@dataclass(frozen=True)
class Template:
    name: str  # under RUNS, e.g. "fit/garmin-fenix-5-run.fit"
    data: bytes
    runs: tuple[Run, ...]  # as glutecoach reads the original
    fit: FitPlan | None

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix

    def shifted(self, days: int) -> bytes:
        if self.fit is not None:
            return shift_fit(self.data, self.fit, days * DAY_S)
        return shift_xml(self.data, days)


@dataclass(frozen=True)
class Copy:
    path: Path
    template: Template
    days: int

    def expected_runs(self) -> list[Run]:
        later = dt.timedelta(days=self.days)
        runs = self.template.runs
        return [r.model_copy(update={"started_at": r.started_at + later}) for r in runs]


@dataclass(frozen=True)
class Corpus:
    folder: Path
    copies: tuple[Copy, ...]
    counts: dict[str, int]  # copies by template
    bytes: int

    @property
    def runs(self) -> int:
        return sum(len(c.template.runs) for c in self.copies)

    def starts(self) -> collections.Counter[dt.datetime]:
        return collections.Counter(r.started_at for c in self.copies for r in c.expected_runs())

    def by_format(self) -> dict[str, int]:
        return dict(collections.Counter(c.template.suffix for c in self.copies))


def load_templates() -> list[Template]:
    templates = []
    for name, _weight in MIX:
        path = RUNS / name
        read = read_source(Source(str(path)))
        if read.reason is not None or not read.runs:
            raise SystemExit(f"{name}: glutecoach cannot read the original ({read.reason})")
        data = path.read_bytes()
        fit = plan_fit(data) if path.suffix == ".fit" else None
        templates.append(Template(name, data, read.runs, fit))
    return templates


def counts_for(files: int) -> dict[str, int]:
    """The copies of each template for `files` files in all: the weights, largest remainders."""
    total = sum(weight for _name, weight in MIX)
    exact = {name: files * weight / total for name, weight in MIX}
    counts = {name: int(share) for name, share in exact.items()}
    by_remainder = sorted(exact, key=lambda name: exact[name] - counts[name], reverse=True)
    for name in by_remainder[: files - sum(counts.values())]:
        counts[name] += 1
    return counts


def make_corpus(
    folder: Path, files: int, advance: Callable[[], None] = lambda: None
) -> tuple[Corpus, list[Template]]:
    """`files` copies in `folder`: the k-th (in a shuffled order) shifted by k days, named so the
    folder's order (the order the import reads it in) is that shuffle, as in an export."""
    templates = load_templates()
    counts = counts_for(files)
    dealt = [t for t in templates for _ in range(counts[t.name])]
    random.Random(SEED).shuffle(dealt)
    copies, size = [], 0
    for days, template in enumerate(dealt, 1):
        path = folder / f"{days:05d}-{Path(template.name).name}"
        data = template.shifted(days)
        path.write_bytes(data)
        size += len(data)
        copies.append(Copy(path, template, days))
        advance()
    return Corpus(folder, tuple(copies), counts, size), templates


# Checks


def _fit_messages(data: bytes) -> dict[str, list[dict[Any, Any]]]:
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read(
        convert_datetimes_to_dates=False  # FIT seconds: the shift is then a plain difference
    )
    if errors:
        raise SystemExit(f"garmin-fit-sdk: {errors[0]}")
    return messages  # type: ignore[return-value]


def _differences(original: Any, copy: Any, where: str) -> Iterator[tuple[str, Any, Any]]:
    if isinstance(original, dict) and isinstance(copy, dict):
        if original.keys() != copy.keys():
            yield where, sorted(map(str, original)), sorted(map(str, copy))
            return
        for key in original:
            yield from _differences(original[key], copy[key], f"{where}.{key}")
    elif isinstance(original, list) and isinstance(copy, list) and len(original) == len(copy):
        for index, (a, b) in enumerate(zip(original, copy, strict=True)):
            yield from _differences(a, b, f"{where}[{index}]")
    elif original != copy:
        yield where, original, copy


def verify(copy: Copy) -> int:
    """The copy reads as the original, `days` later: in glutecoach's reader (every run equal but
    for its start) and, for FIT, in garmin-fit-sdk with its default options (CRC check on):
    every decoded value equal, or later by exactly the shift. The values shifted, for FIT."""
    data = copy.path.read_bytes()
    read = read_source(Source(str(copy.path)))
    if read.reason is not None or list(read.runs) != copy.expected_runs():
        raise SystemExit(f"{copy.path.name}: glutecoach reads it differently ({read.reason})")
    if copy.template.fit is None:
        return 0
    shifted = 0
    original = _fit_messages(copy.template.data)
    for where, before, after in _differences(original, _fit_messages(data), "messages"):
        if not (isinstance(before, int) and isinstance(after, int)):
            raise SystemExit(f"{copy.path.name}: {where} was {before!r}, is {after!r}")
        if after - before != copy.days * DAY_S:
            raise SystemExit(f"{copy.path.name}: {where} moved by {after - before} s")
        shifted += 1
    if shifted == 0:
        raise SystemExit(f"{copy.path.name}: no timestamp moved")
    return shifted
