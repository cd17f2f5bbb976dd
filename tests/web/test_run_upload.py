"""Run files uploaded on /runs: checked at the form, imported in the background with the files done
of the total on the page, then the summary (imported, duplicates, each rejected file with its
reason) beside the redrawn load chart; the job is the runner's alone."""

from __future__ import annotations

import gzip
import io
import os
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from glutecoach.services import accounts
from glutecoach.services.import_jobs import ImportJob, ImportJobs
from glutecoach.services.store import open_store
from glutecoach.web.app import create_app
from tests.conftest import SHARED_DATA
from tests.web.conftest import API, LOOPBACK, start_runner
from tests.web.test_isolation import PASSWORD, csrf, start_plan

RUNS = SHARED_DATA / "runs"
GOOD = [
    RUNS / "fit" / "garmin-fenix-5-run.fit",
    RUNS / "gpx" / "gpxpy_korita-zbevnica.gpx",
    RUNS / "tcx" / "firefly_running_activity_1.tcx",
]
CORRUPT = RUNS / "corrupt" / "activity-filecrc.fit"  # a FIT header, a checksum that does not match
JOB_SECONDS = 120.0
Files = list[tuple[str, bytes]]


def runs_client(database_url: str, data: Path, **options: int) -> TestClient:
    return TestClient(create_app(database_url, data_folder=data, **options), client=LOOPBACK)


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """A runner with a plan, on SQLite and PostgreSQL; uploads in the test's own folder."""
    with runs_client(database_url, tmp_path / "data") as test_client:
        start_runner(test_client)
        yield test_client


def upload(client: TestClient, files: Files) -> Response:
    return client.post(
        "/runs",
        data={"csrf_token": csrf(client, "/runs")},
        files=[("files", (name, content, "application/octet-stream")) for name, content in files],
        follow_redirects=False,
    )


def real(*paths: Path) -> Files:
    return [(p.name, p.read_bytes()) for p in paths]


def finish(client: TestClient, response: Response) -> Response:
    """Poll the import's status fragment, as the page does, until it ends; the last answer."""
    assert response.status_code == 303, response.text
    job_url = response.headers["location"]
    assert re.fullmatch(r"/runs/jobs/[0-9a-f]{16}", job_url)
    deadline = time.monotonic() + JOB_SECONDS  # timing
    while time.monotonic() < deadline:  # timing
        status = client.get(f"{job_url}/status")
        assert status.status_code == 200
        if "hx-trigger" not in status.text:
            assert status.headers.get("HX-Refresh") == "true"  # the page reloads: chart redrawn
            return status
        time.sleep(0.1)
    pytest.fail(f"the import did not end within {JOB_SECONDS:g} s")


def jobs(client: TestClient) -> ImportJobs:
    found: ImportJobs = client.app.state.import_jobs  # type: ignore[attr-defined]
    return found


def uploads_left(client: TestClient) -> list[Path]:
    folder = jobs(client).folder / "uploads"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def stored_runs(client: TestClient) -> int:
    slug = client.get(f"{API}/runners").json()[0]["slug"]
    runs = client.get(f"{API}/runners/{slug}/runs")
    assert runs.status_code == 200, runs.text
    return len(runs.json()["runs"])


def test_the_page_offers_the_upload(client: TestClient) -> None:
    page = client.get("/runs").text
    assert 'action="/runs" enctype="multipart/form-data"' in page
    assert re.search(
        r'<input id="f-files" name="files" type="file" multiple accept="[^"]*\.fit', page
    )
    assert "up to 500 MB in all" in page


def test_run_files_are_imported_in_the_background_and_a_bad_one_is_said_with_its_reason(
    client: TestClient,
) -> None:
    posted = upload(client, real(*GOOD, CORRUPT))
    ended = finish(client, posted)
    assert "Imported 3 runs from 4 files" in ended.text, ended.text
    assert "1 file rejected" in ended.text
    assert re.search(r"<strong>activity-filecrc\.fit</strong>: [^<]*checksum", ended.text)
    assert "/uploads/" not in ended.text and "001.fit" not in ended.text  # never the server's names
    assert stored_runs(client) == 3  # the bad file cost nothing else
    assert uploads_left(client) == []

    page = client.get(posted.headers["location"])  # what the reload shows
    assert page.status_code == 200
    assert "Imported 3 runs" in page.text and 'id="load-km-t"' in page.text
    assert "hx-trigger" not in page.text and "<noscript>" not in page.text


def test_the_same_files_again_are_skipped_as_duplicates(client: TestClient) -> None:
    finish(client, upload(client, real(*GOOD)))
    again = finish(client, upload(client, real(GOOD[0], GOOD[1])))
    assert "Imported 0 runs from 2 files" in again.text
    assert "2 duplicates skipped" in again.text and "imported before" in again.text
    assert stored_runs(client) == 3


def test_a_zip_export_and_gzipped_files_go_in(client: TestClient) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as export:
        export.writestr("activities/run.fit.gz", gzip.compress(GOOD[0].read_bytes()))
        export.writestr("activities/ride.tcx", GOOD[2].read_bytes())
        export.writestr("profile.json", b"{}")
    files = [("export.zip", archive.getvalue()), ("k.gpx.gz", gzip.compress(GOOD[1].read_bytes()))]
    ended = finish(client, upload(client, files))
    assert "Imported 3 runs from 2 files" in ended.text, ended.text
    assert "1 other file in the archives ignored" in ended.text
    assert stored_runs(client) == 3


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("run.fit", b"this is a text file, not a run", "run.fit is not a FIT file inside"),
        ("run.gpx", b"\x89PNG\r\n\x1a\n" + b"0" * 40, "run.gpx is not a GPX file inside"),
        ("export.zip", b"not a zip at all", "export.zip is not a zip archive inside"),
        ("notes.txt", b"hello", "notes.txt is not a run file"),
        ("run.fit.gz", b"plain text", "run.fit.gz is not a gzip file inside"),
    ],
)
def test_a_file_that_is_not_a_run_file_is_refused_at_the_form(
    client: TestClient, name: str, content: bytes, words: str
) -> None:
    """Its name and first bytes are checked before anything is saved, the good files with it."""
    response = upload(client, [*real(GOOD[0]), (name, content)])
    assert response.status_code == 422
    assert words in response.text.replace("&#39;", "'") and 'id="error-summary"' in response.text
    assert not (jobs(client).folder / "jobs").exists()
    assert uploads_left(client) == [] and stored_runs(client) == 0


def test_no_file_chosen_is_said_on_the_form(client: TestClient) -> None:
    response = client.post(
        "/runs",
        data={"csrf_token": csrf(client, "/runs")},
        files={"files": ("", b"", "application/octet-stream")},
    )
    assert response.status_code == 422 and "Choose the run files to import." in response.text


def test_the_page_shows_the_files_done_while_it_runs(client: TestClient) -> None:
    slug = client.get(f"{API}/runners").json()[0]["slug"]
    running = ImportJob(
        "0123456789abcdef", [["001.zip", "export.zip"]], "importing", 30, 120, pid=os.getpid()
    )
    jobs(client).files.save(running)
    assert client.get("/runs/jobs/0123456789abcdef").status_code == 404  # no runner: nobody's
    jobs(client).files.save(ImportJob(**{**running.__dict__, "runner": slug}))
    page = client.get("/runs/jobs/0123456789abcdef")
    assert page.status_code == 200
    assert '<progress id="import-bar" max="100" value="25">' in page.text
    assert "30 of 120 files (25 %)" in page.text and "Importing export.zip" in page.text
    assert 'hx-get="/runs/jobs/0123456789abcdef/status"' in page.text
    assert '<noscript><meta http-equiv="refresh"' in page.text
    status = client.get("/runs/jobs/0123456789abcdef/status")
    assert "HX-Refresh" not in status.headers and 'hx-trigger="every 1s"' in status.text

    jobs(client).files.save(ImportJob(**{**running.__dict__, "runner": slug, "pid": 0}))
    stopped = client.get("/runs/jobs/0123456789abcdef")  # its server is gone: it says so
    assert "stopped when the server restarted" in stopped.text


def test_a_body_over_the_limit_is_the_413_page(tmp_path: Path) -> None:
    with runs_client(
        f"sqlite:///{tmp_path / 'gc.db'}", tmp_path / "d", runs_upload_bytes=1_000_000
    ) as c:
        start_runner(c)
        response = upload(c, [("big.fit", b"0" * 1_200_000)])
        assert response.status_code == 413 and "files are over 1 MB in all" in response.text
        assert "upload them in a few goes" in response.text
        assert uploads_left(c) == []


def test_unknown_imports_are_not_found_and_the_polling_stops(client: TestClient) -> None:
    for path in ("/runs/jobs/0123456789abcdef", "/runs/jobs/..%2F..%2Fsecret"):
        assert client.get(path).status_code == 404, path
    status = client.get("/runs/jobs/0123456789abcdef/status")
    assert status.status_code == 200 and "no longer known" in status.text
    assert "hx-trigger" not in status.text


def test_another_runner_cannot_see_the_import(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gc.db'}"
    with open_store(url) as db:
        accounts.add_clinician(db, "ada@clinic.test", "Dr Ada", PASSWORD)
    data = tmp_path / "data"
    remote = ("203.0.113.9", 40000)
    with (
        TestClient(create_app(url, data_folder=data), client=remote) as rita,
        TestClient(create_app(url, data_folder=data), client=remote) as sam,
    ):
        for who, name in ((rita, "Rita Example"), (sam, "Sam Other")):
            email = f"{name.split()[0].lower()}@example.test"
            signed_up = who.post(
                "/signup",
                data={
                    "name": name,
                    "email": email,
                    "password": PASSWORD,
                    "again": PASSWORD,
                    "csrf_token": csrf(who, "/signup"),
                },
                follow_redirects=False,
            )
            assert signed_up.status_code == 303, signed_up.text
            start_plan(who, name)
        posted = upload(rita, real(GOOD[0]))
        ended = finish(rita, posted)
        assert "Imported 1 run from garmin-fenix-5-run.fit" in ended.text
        job_url = posted.headers["location"]
        assert sam.get(job_url).status_code == 404
        status = sam.get(f"{job_url}/status")
        assert "no longer known" in status.text and "garmin" not in status.text
        assert "HX-Refresh" not in status.headers
        job_id = job_url.rsplit("/", 1)[1]
        with open_store(url) as db:  # the same check, as Sam's requests see the database
            session = accounts.log_in(db, "sam@example.test", PASSWORD, "203.0.113.9")
            actor = accounts.actor_for_session(db, session)
            assert actor is not None
            assert jobs(rita).seen_by(db.for_actor(actor), job_id) is None
        signed_out = TestClient(create_app(url, data_folder=data), client=remote)
        with signed_out:
            response = signed_out.get(job_url, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"].startswith("/login")
