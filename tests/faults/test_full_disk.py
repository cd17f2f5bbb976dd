"""A gait upload when the data folder's disk is full: a clear error page (not a 500) that says
so, and nothing stored. The disk is really full: a 1 MB tmpfs mounted as the data folder (as root
where mount works); otherwise the server process's file-size limit (RLIMIT_FSIZE: EFBIG)."""

from __future__ import annotations

import os
import resource
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.faults.server import running_server
from tests.web.conftest import example_answers, profile_json

DISK_BYTES = 1_000_000
CLIP = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 3_000_000  # looks like an MP4, over the disk


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[tuple[Path, Callable[[], Any] | None]]:
    """(the data folder, a preexec_fn for the server): a small tmpfs, or a file-size limit."""
    folder = tmp_path / "data"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", str(folder)],
        capture_output=True,
    )
    if mounted.returncode == 0:
        try:
            yield folder, None
        finally:
            subprocess.run(["umount", str(folder)], check=True)
        return

    def limit() -> None:  # in the child, before exec: no file it writes may grow past this
        resource.setrlimit(resource.RLIMIT_FSIZE, (DISK_BYTES, DISK_BYTES))

    yield folder, limit


def test_an_upload_to_a_full_disk_is_a_clear_error_and_stores_nothing(
    tmp_path: Path, full_disk: tuple[Path, Callable[[], Any] | None]
) -> None:
    data, preexec_fn = full_disk
    (tmp_path / "db").mkdir()
    url = f"sqlite:///{tmp_path / 'db' / 'glutecoach.db'}"  # the database is elsewhere
    env = {"XDG_DATA_HOME": str(data), "TMPDIR": str(tmp_path)}
    with running_server(url, tmp_path / "server.log", env=env, preexec_fn=preexec_fn) as app:
        started = httpx.post(
            f"{app.base}/api/v1/runners",
            json={"profile": profile_json(), "answers": example_answers()},
            timeout=30,
        )
        assert started.status_code == 201, started.text
        response = httpx.post(
            f"{app.base}/gait",
            data={"view": "side"},
            files={"file": ("clip.mp4", CLIP, "video/mp4")},
            cookies={"gc_csrf": "token"},
            headers={"X-CSRF-Token": "token"},
            timeout=60,
        )
        assert response.status_code == 503, response.status_code  # StorageError: not a 500
        assert "text/html" in response.headers["content-type"]
        page = response.text
        assert "The disk is full" in page and "nothing was stored" in page, page[-2000:]
        assert httpx.get(f"{app.base}/gait", timeout=30).status_code == 200  # still serving
        output = app.output()
    gait = data / "glutecoach" / "gait"
    left = [p for p in gait.rglob("*") if p.is_file()] if gait.exists() else []
    assert left == []
    assert "Traceback" not in output
    assert os.path.ismount(data) is (preexec_fn is None)  # which way the disk was filled
