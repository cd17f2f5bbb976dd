"""/gait through the ASGI app: an upload becomes a background job whose progress the page polls,
then a stored analysis with its report; bad input is the service's readable message and stores
nothing; a file over the upload's limit is the app's 413 page; no runner sends to /start."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from glutecoach.adapters.pose.posefile import pose_json
from glutecoach.domain.gait.pose import View
from glutecoach.services import gait as gait_service
from glutecoach.services.gait_jobs import GaitJobs, Job
from glutecoach.web.app import create_app
from tests.clock import TODAY
from tests.conftest import SHARED_DATA
from tests.gaitsynth import synthetic_run
from tests.web.conftest import LOOPBACK, start_runner

VIDEO = SHARED_DATA / "video" / "gaitlab_male_side_treadmill.mp4"
JOB_SECONDS = 120.0


def gait_client(database_url: str, data: Path, **options: int) -> TestClient:
    return TestClient(create_app(database_url, data_folder=data, **options), client=LOOPBACK)


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The app on SQLite and PostgreSQL, its uploads and reports in the test's own folder."""
    with gait_client(database_url, tmp_path / "data") as test_client:
        yield test_client


@pytest.fixture
def started(client: TestClient) -> TestClient:
    """A runner with a plan and a screening: a finding rebuilds the plan."""
    start_runner(client)
    return client


def token(client: TestClient) -> str:
    page = client.get("/gait")
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def pose_file(cadence: float = 150, view: View = View.side, seed: int = 3) -> bytes:
    run = synthetic_run(view=view, cadence_spm=cadence, fps=60, noise_px=1.0, seed=seed)
    return pose_json(run.pose).encode()


def upload(
    client: TestClient, name: str, content: bytes, view: str = "auto", model: str | None = None
) -> Response:
    data = {"csrf_token": token(client), "view": view} | ({"model": model} if model else {})
    return client.post(
        "/gait",
        data=data,
        files={"file": (name, content, "application/octet-stream")},
        follow_redirects=False,
    )


def finish(client: TestClient, response: Response) -> Response:
    """Poll the job's status fragment, as the page does, until the job ends; the last answer."""
    assert response.status_code == 303, response.text
    job_url = response.headers["location"]
    assert re.fullmatch(r"/gait/jobs/[0-9a-f]{16}", job_url)
    page = client.get(job_url, follow_redirects=False)
    assert page.status_code in (200, 303)
    deadline = time.monotonic() + JOB_SECONDS  # timing
    while time.monotonic() < deadline:  # timing
        status = client.get(f"{job_url}/status")
        assert status.status_code == 200
        if "hx-trigger" not in status.text:
            return status
        time.sleep(0.1)
    pytest.fail(f"the job did not end within {JOB_SECONDS:g} s")


def state(client: TestClient) -> Any:
    """The app's state: its database and its gait jobs."""
    return client.app.state  # type: ignore[attr-defined]


def stored(client: TestClient) -> int:
    return len(gait_service.history(state(client).db, None))


def data_files(client: TestClient, under: str) -> list[Path]:
    folder: Path = state(client).gait_jobs.folder / under
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_the_page_says_how_to_film_and_offers_the_upload(started: TestClient) -> None:
    page = started.get("/gait")
    assert page.status_code == 200
    text = page.text
    for words in ("60 frames per second", "120 is better", "hip height", "whole body in frame"):
        assert words in text
    assert "10–20 s of steady running" in text and "warm-up" in text
    assert 'enctype="multipart/form-data"' in text
    assert re.search(
        r'<input id="f-file" name="file" type="file" multiple accept="video/\*,[^"]*\.trc"', text
    )
    assert '<label for="f-file">' in text and '<label for="f-view">' in text
    for view in ("auto", "side", "rear"):
        assert f'<option value="{view}"' in text
    assert '<label for="f-model">Pose model</label>' in text
    for model in ("lite", "full", "heavy"):
        assert f'<option value="{model}"' in text
    assert re.search(r'<option value="full"[^>]*selected', text)  # the default
    assert 'aria-current="page">Gait</a>' in text
    assert "None yet" in text


def test_the_filming_guide_has_a_diagram_and_says_what_the_checks_look_for(
    started: TestClient,
) -> None:
    assert 'href="/gait/filming"' in started.get("/gait").text
    page = started.get("/gait/filming")
    assert page.status_code == 200
    text = page.text
    assert '<svg viewBox="0 0 360 240" role="img"' in text
    assert '<title id="diagram-title">' in text and '<desc id="diagram-desc">' in text
    for words in (
        "hip height",
        "3 m",
        "Below 20 the clip is",  # the library's gait_refuse_fps, as the analysis refuses
        "25 % of the frames the clip is refused",
        "under 240 pixels",
    ):
        assert words in text, words
    assert 'id="models"' in text and "Full suits most clips" in text


def test_a_pose_file_is_analysed_stored_reported_and_listed(started: TestClient) -> None:
    posted = upload(started, "slow run.json", pose_file(cadence=150))
    ended = finish(started, posted)
    report_url = ended.headers.get("HX-Redirect")
    assert report_url is not None and re.fullmatch(r"/gait/\d+", report_url), ended.text
    assert stored(started) == 1
    assert data_files(started, "uploads") == []  # the upload is gone once analysed

    page = started.get(report_url)
    assert page.status_code == 200
    assert "slow run.json" in page.text and "150 steps/min" in page.text
    assert "The plan: rebuilt around these findings (plan version 2)" in page.text
    assert f'<iframe class="report-frame" src="{report_url}/report.html"' in page.text

    report = started.get(f"{report_url}/report.html")
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in report.headers["content-security-policy"]
    assert "Low cadence" in report.text and "150.0 steps per minute" in report.text
    assert "rebuilt around these findings" in report.text

    listing = started.get("/gait").text
    assert f'href="{report_url}"' in listing and "None yet" not in listing
    # the finished job's page now goes to its report (the way without JavaScript)
    job_page = started.get(posted.headers["location"], follow_redirects=False)
    assert job_page.status_code == 303 and job_page.headers["location"] == report_url


def _clip(facing: int | None, seed: int) -> bytes:
    view = View.rear if facing is None else View.side
    run = synthetic_run(view=view, facing=facing or 1, cadence_spm=168, fps=60, seed=seed)
    return pose_json(run.pose).encode()


def upload_several(
    client: TestClient, clips: list[tuple[str, bytes]], view: str = "auto"
) -> Response:
    return client.post(
        "/gait",
        data={"csrf_token": token(client), "view": view},
        files=[("file", (name, content, "application/octet-stream")) for name, content in clips],
        follow_redirects=False,
    )


def test_several_clips_of_one_run_give_one_report_with_both_sides(started: TestClient) -> None:
    clips = [
        ("my left.json", _clip(-1, 1)),
        ("my right.json", _clip(1, 2)),
        ("behind.json", _clip(None, 3)),
    ]
    ended = finish(started, upload_several(started, clips))
    report_url = ended.headers.get("HX-Redirect")
    assert report_url is not None, ended.text
    assert stored(started) == 1
    summary = gait_service.history(state(started).db, None)[0].summary
    assert summary.view == View.combined
    assert summary.source == "my left.json + my right.json + behind.json"
    assert [(c.source, c.view) for c in summary.clips] == [
        ("my left.json", "left side"),
        ("my right.json", "right side"),
        ("behind.json", "rear"),
    ]
    knee = summary.metric("knee_flexion_midstance")
    assert knee is not None and knee.left is not None and knee.right is not None
    report = started.get(f"{report_url}/report.html").text
    assert "Left side clip: my left.json" in report and "Rear clip: behind.json" in report
    assert data_files(started, "uploads") == []


def test_several_clips_are_checked_before_anything_is_saved(started: TestClient) -> None:
    clips = [("a.json", _clip(-1, 1)), ("b.json", _clip(1, 2))]
    pinned = upload_several(started, clips, view="side")
    assert pinned.status_code == 422 and "leave this on auto" in pinned.text
    four = upload_several(started, [*clips, ("c.json", _clip(None, 3)), ("d.json", _clip(None, 4))])
    assert four.status_code == 422 and "at most 3 clips" in four.text
    bad = upload_several(started, [*clips, ("notes.txt", b"hello")])
    assert bad.status_code == 422 and "notes.txt is not a video" in bad.text
    twice = finish(
        started, upload_several(started, [("a.json", _clip(-1, 1)), ("b.json", _clip(-1, 5))])
    )
    assert "two clips show the left side view" in twice.text
    assert stored(started) == 0 and data_files(started, "uploads") == []


def test_a_second_analysis_is_compared_with_the_one_before(started: TestClient) -> None:
    first = finish(started, upload(started, "before.json", pose_file(cadence=150, seed=3)))
    second = finish(started, upload(started, "after.json", pose_file(cadence=170, seed=4)))
    assert first.headers["HX-Redirect"] != second.headers["HX-Redirect"]
    report = started.get(f"{second.headers['HX-Redirect']}/report.html").text
    assert "Against" in report and "before.json" in report
    listing = started.get("/gait").text
    # the latest first
    assert listing.index(second.headers["HX-Redirect"] + '"') < listing.index(
        first.headers["HX-Redirect"] + '"'
    )


def test_the_job_page_shows_progress_while_it_runs(started: TestClient, tmp_path: Path) -> None:
    jobs: GaitJobs = state(started).gait_jobs
    slug = started.get("/api/v1/runners").json()[0]["slug"]  # a job is its runner's alone
    running = Job("0123456789abcdef", "clip.mp4", False, "reading", 300, 720, pid=0, runner=slug)
    jobs.files.save(running)
    # pid 0 is no process: a job left behind by a stopped server says so
    page = started.get("/gait/jobs/0123456789abcdef")
    assert "analysis stopped when the server restarted" in page.text

    jobs.files.save(
        Job("0123456789abcdee", "clip.mp4", False, "reading", 300, 720, pid=1, runner=slug)
    )
    page = started.get("/gait/jobs/0123456789abcdee")
    assert page.status_code == 200
    assert '<progress id="job-bar" max="100" value="42">' in page.text
    assert "300 of 720 frames (42 %)" in page.text
    assert 'hx-get="/gait/jobs/0123456789abcdee/status"' in page.text
    assert '<noscript><meta http-equiv="refresh"' in page.text  # no JavaScript: it reloads


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("clip.mp4", b"not a video at all", "clip.mp4 is not a MP4 video inside"),
        ("clip.webm", b"RIFF\x00\x00\x00\x00AVI " + b"0" * 100, "clip.webm is not a WEBM video"),
        ("still.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "still.png is not a video"),
        ("notes.txt", b"hello", "notes.txt is not a video"),
    ],
)
def test_a_file_that_is_not_a_clip_is_refused_at_the_upload(
    started: TestClient, name: str, content: bytes, words: str
) -> None:
    """Its name and first bytes are checked before it is saved or read."""
    response = upload(started, name, content)
    assert response.status_code == 422
    assert words in response.text and 'id="error-summary"' in response.text
    assert data_files(started, "uploads") == [] and data_files(started, "jobs") == []
    assert stored(started) == 0


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("clip.mp4", b"\x00\x00\x00\x18ftypmp42" + b"0" * 400, "not a video this app can read"),
        ("poses.json", b'{"format": "something else"}', "poses.json"),
    ],
)
def test_bad_input_ends_the_job_with_the_services_message_and_stores_nothing(
    started: TestClient, name: str, content: bytes, words: str
) -> None:
    plans = len(started.get("/api/v1/runners").json())
    ended = finish(started, upload(started, name, content))
    assert "HX-Redirect" not in ended.headers
    assert words.lower() in ended.text.lower()
    assert f"{name} could not be analysed" in ended.text
    assert 'role="alert"' in ended.text and "Nothing was stored." in ended.text
    assert "/uploads/" not in ended.text  # the server's own path is never shown
    assert stored(started) == 0
    assert data_files(started, "uploads") == [] and data_files(started, "reports") == []
    assert len(started.get("/api/v1/runners").json()) == plans
    assert "None yet" in started.get("/gait").text


def test_no_file_chosen_is_said_on_the_form(started: TestClient) -> None:
    response = started.post(
        "/gait",
        data={"csrf_token": token(started), "view": "side"},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert response.status_code == 422
    assert "Choose a video of your running, or a pose file." in response.text
    assert 'id="error-summary"' in response.text
    assert '<option value="side" selected>' in response.text
    empty = upload(started, "empty.mp4", b"")
    assert empty.status_code == 422 and "empty.mp4 is empty" in empty.text
    unknown = upload(started, "run.json", pose_file(cadence=160), model="enormous")
    assert (
        unknown.status_code == 422
        and "No pose model &#39;enormous&#39;: choose lite, full or heavy." in unknown.text
    )
    assert stored(started) == 0


def test_a_file_over_the_uploads_limit_is_the_413_page(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gc.db'}"
    with gait_client(url, tmp_path / "data", gait_upload_bytes=1_000_000) as client:
        start_runner(client)
        content = pose_file()
        assert len(content) < 1_000_000
        ended = finish(client, upload(client, "fits.json", content))  # under the limit: fine
        assert "HX-Redirect" in ended.headers

        declared = upload(client, "big.mp4", b"0" * 1_200_000)
        assert declared.status_code == 413
        assert declared.headers["content-type"].startswith("text/html")
        assert "file is over 1 MB" in declared.text and 'role="alert"' in declared.text

        def chunks() -> Iterator[bytes]:
            yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.mp4"\r\n\r\n'
            for _ in range(30):
                yield b"0" * 50_000

        streamed = client.post(
            "/gait",
            content=chunks(),
            headers={"content-type": "multipart/form-data; boundary=b"},
        )
        assert streamed.status_code == 413 and "file is over 1 MB" in streamed.text
        assert stored(client) == 1
        assert data_files(client, "uploads") == []
        # every other route keeps the 1 MB limit, API and pages alike
        other = client.post("/screening", content=b"x" * 1_200_000)
        assert other.status_code == 413 and "request body over 1000000 bytes" in other.text.lower()


def test_the_default_limit_is_300_mb_for_the_upload_only(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'gc.db'}", data_folder=tmp_path)
    assert app.state.gait_jobs.max_bytes == 300_000_000


def test_without_a_runner_every_gait_page_goes_to_start(client: TestClient) -> None:
    for path in ("/gait", "/gait/1", "/gait/1/report.html", "/gait/jobs/0123456789abcdef"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"] == "/start"
    posted = upload(client, "slow.json", pose_file())
    assert posted.status_code == 303 and posted.headers["location"] == "/start"
    assert data_files(client, "uploads") == [] and data_files(client, "jobs") == []


def test_the_upload_needs_the_forms_token(started: TestClient) -> None:
    token(started)  # the cookie is set
    response = started.post(
        "/gait",
        data={"view": "auto"},
        files={"file": ("slow.json", pose_file(), "application/json")},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "security token" in response.text
    wrong = started.post(
        "/gait",
        data={"view": "auto", "csrf_token": "not-the-token"},
        files={"file": ("slow.json", pose_file(), "application/json")},
        follow_redirects=False,
    )
    assert wrong.status_code == 403
    assert stored(started) == 0 and data_files(started, "jobs") == []


def test_unknown_jobs_and_analyses_are_not_found(started: TestClient) -> None:
    for path in ("/gait/jobs/0123456789abcdef", "/gait/jobs/..%2F..%2Fsecret", "/gait/7"):
        assert started.get(path).status_code == 404, path
    assert started.get("/gait/7/report.html").status_code == 404
    status = started.get("/gait/jobs/0123456789abcdef/status")
    assert status.status_code == 200 and "no longer known" in status.text
    assert "hx-trigger" not in status.text  # the polling stops


def test_an_analysis_stored_elsewhere_shows_its_figures(
    started: TestClient, tmp_path: Path
) -> None:
    """`glutecoach gait` stores the analysis and writes its report beside the clip: the page
    shows the stored figures (and never another database's report with the same id)."""
    path = tmp_path / "cli.json"
    path.write_bytes(pose_file(cadence=150))
    analysed = gait_service.analyse_file(path, on=TODAY)
    db = state(started).db
    recorded = gait_service.record(db, None, analysed.summary)
    other = state(started).gait_jobs.folder / "reports" / f"{recorded.analysis_id}-2000"
    other.mkdir(parents=True)
    (other / "report.html").write_text("another database's report")
    page = started.get(f"/gait/{recorded.analysis_id}")
    assert page.status_code == 200
    assert "No report is stored here" in page.text and "Low cadence" in page.text
    assert "<iframe" not in page.text
    assert started.get(f"/gait/{recorded.analysis_id}/report.html").status_code == 404


def test_a_real_clip_is_analysed_with_its_key_frames(tmp_path: Path) -> None:
    """The shared treadmill clip (1.9 MB: over the 1 MB every other route allows)."""
    url = f"sqlite:///{tmp_path / 'gc.db'}"
    with gait_client(url, tmp_path / "data") as client:
        start_runner(client)
        posted = upload(client, VIDEO.name, VIDEO.read_bytes(), view="side", model="lite")
        ended = finish(client, posted)
        report_url = ended.headers.get("HX-Redirect")
        assert report_url is not None, ended.text
        report = client.get(f"{report_url}/report.html").text
        assert "Key frames" in report and "data:image/" in report
        assert "Pose model: MediaPipe Pose lite (complexity 0)" in report
        assert "not measured" in report  # the far leg, from this side view
        summary = gait_service.history(state(client).db, None)[0].summary
        assert summary.view == View.side and summary.source == VIDEO.name
        assert summary.model == "lite"
        assert 150 < summary.cadence_spm < 200
        assert data_files(client, "uploads") == []
        job = json.loads(next(iter(data_files(client, "jobs"))).read_text())
        assert job["state"] == "done" and job["total"] >= 300 and job["done"] == job["total"]
