"""`glutecoach worker` refuses what it cannot run with, before touching any database: one line
naming the problem, a non-zero exit, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import cli_on


def test_the_worker_needs_postgresql(tmp_path: Path) -> None:
    done = cli_on(tmp_path / "glutecoach.db")("worker")
    assert done.returncode != 0
    assert "the task queue lives in PostgreSQL" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "glutecoach.db").exists()  # nothing created


@pytest.mark.parametrize(
    ("value", "says"),
    [("0", "greater than or equal to 1"), ("soon", "valid number"), ("1e9", "less than")],
)
def test_a_wrong_stalled_after_setting_is_named(tmp_path: Path, value: str, says: str) -> None:
    done = cli_on(tmp_path / "glutecoach.db", stalled_after_s=value)("worker")
    assert done.returncode != 0
    assert "GLUTECOACH_STALLED_AFTER_S" in done.stderr and says in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "glutecoach.db").exists()
