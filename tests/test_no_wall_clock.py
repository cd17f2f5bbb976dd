"""Nothing reads the wall clock where the answer depends on the day: the code takes today and now
from the one clock it is handed (domain.clock), and the tests pin that clock (tests/clock.py).

A test that read `date.today()` would check something different on another day, and CI would turn
red on a date nobody tried. So every call of a calendar clock in the tests fails this test, named
by file and line; `time.monotonic()` (no date, only a duration) is allowed on a line whose comment
says it is timing code (`# timing`: a deadline for a server to start, say). In the package only
adapters/clock.py reads the calendar, and the job folders' housekeeping, which compares with
the files' own modification times (`# file time`).
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

# (module or class, function): calls that read the date or the time of day
CALENDAR = {
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("time", "ctime"),
}
DURATION = {("time", "monotonic"), ("time", "monotonic_ns")}
SOURCE_ALLOWED = {Path("src/glutecoach/adapters/clock.py")}


@dataclass(frozen=True)
class Read:
    path: Path
    line: int
    call: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.call}() reads the wall clock"


def _comments(source: str) -> dict[int, str]:
    found: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            found[token.start[0]] = token.string
    return found


def _called(node: ast.Call, imported: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """("datetime", "now") for `dt.datetime.now()`, `datetime.now()` or `now()` imported so."""
    func = node.func
    if isinstance(func, ast.Attribute):
        owner = func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        return (name, func.attr) if name is not None else None
    if isinstance(func, ast.Name) and func.id in imported:
        return imported[func.id]
    return None


def wall_clock_reads(
    path: Path, source: str, *, duration_marker: str | None, calendar_marker: str | None = None
) -> list[Read]:
    """Calls in `source` that read a calendar clock (unless their line's comment holds
    `calendar_marker`), and `time.monotonic()` on lines whose comment does not hold
    `duration_marker` (None: durations are always allowed)."""
    tree = ast.parse(source, str(path))
    comments = _comments(source)
    imported = {
        alias.asname or alias.name: (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in ("time", "datetime")
        for alias in node.names
    }
    reads = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or (called := _called(node, imported)) is None:
            continue
        comment = comments.get(node.lineno, "")
        calendar = called in CALENDAR and not (calendar_marker and calendar_marker in comment)
        duration = called in DURATION and duration_marker and duration_marker not in comment
        if calendar or duration:
            reads.append(Read(path, node.lineno, ".".join(called)))
    return sorted(reads, key=lambda r: r.line)


def _python_files(folder: str) -> list[Path]:
    return sorted(p.relative_to(ROOT) for p in (ROOT / folder).rglob("*.py"))


def test_no_test_reads_the_wall_clock() -> None:
    reads = [
        read
        for path in _python_files("tests")
        for read in wall_clock_reads(path, (ROOT / path).read_text(), duration_marker="# timing")
    ]
    assert not reads, "pin the clock (tests/clock.py) instead:\n" + "\n".join(map(str, reads))


def test_the_package_reads_the_calendar_only_through_its_clock() -> None:
    reads = [
        read
        for path in _python_files("src")
        if path not in SOURCE_ALLOWED
        for read in wall_clock_reads(
            path, (ROOT / path).read_text(), duration_marker=None, calendar_marker="# file time"
        )
    ]
    assert not reads, "take it from the Clock handed in:\n" + "\n".join(map(str, reads))


def test_it_names_the_file_and_line_of_each_read() -> None:
    source = (
        "import datetime as dt\n"
        "from datetime import date\n"
        "import time\n"
        "from time import time as now\n"
        "a = dt.datetime.now(dt.UTC)\n"
        "b = date.today()\n"
        "c = now()\n"
        "d = time.monotonic()\n"
        "e = time.monotonic()  # timing: a server's start-up deadline\n"
        "f = dt.date(2026, 3, 18)\n"
    )
    reads = wall_clock_reads(Path("tests/x.py"), source, duration_marker="# timing")
    assert [str(r) for r in reads] == [
        "tests/x.py:5: datetime.now() reads the wall clock",
        "tests/x.py:6: date.today() reads the wall clock",
        "tests/x.py:7: time.time() reads the wall clock",
        "tests/x.py:8: time.monotonic() reads the wall clock",
    ]


def test_the_package_may_read_file_times_where_it_says_so() -> None:
    source = (
        "import time\n"
        "age = time.time() - mtime  # file time: against the file's own modification time\n"
        "now = time.time()\n"
        "wait = time.monotonic()\n"
    )
    reads = wall_clock_reads(
        Path("src/x.py"), source, duration_marker=None, calendar_marker="# file time"
    )
    assert [str(r) for r in reads] == ["src/x.py:3: time.time() reads the wall clock"]
