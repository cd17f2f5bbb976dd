"""/gait in Chromium, on a 375 px phone and a desktop: the real clip uploaded with the upload's
progress shown (the network slowed), then the analysis's frames counted, then the report inside
the app's page; a file that is not a video is said in words; no console error and no sideways
scrolling anywhere."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from glutecoach.adapters.pose.posefile import pose_json
from glutecoach.services import planning, runners, screening
from glutecoach.services.store import open_store
from tests.browser.conftest import SIZES, Console, page_width, running_app, screenshot
from tests.clock import CLOCK, TODAY
from tests.conftest import EXAMPLES, SHARED_DATA
from tests.gaitsynth import synthetic_run

VIDEO = SHARED_DATA / "video" / "gaitlab_male_side_treadmill.mp4"
ANALYSIS_MS = 120_000


def seed(url: str) -> None:
    """A runner with a plan and a screening: the clip's findings rebuild the plan."""
    today = TODAY
    profile = planning.parse_profile(
        {
            "name": "Gail Gait",
            "start_date": (today - dt.timedelta(days=7)).isoformat(),
            "run_days": ["tue", "thu", "sat", "sun"],
            "long_run_day": "sun",
            "weekly_km": 30,
        },
        "seed",
        CLOCK,
    )
    answers = yaml.safe_load((EXAMPLES / "answers.yaml").read_text())
    with open_store(url) as db:
        runners.start(db, profile, None)
        runners.record_screening(db, None, screening.run(screening.parse_input(answers), TODAY))


@pytest.fixture
def gait_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app with its own data folder (XDG_DATA_HOME): uploads and reports stay in tmp_path."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    url = f"sqlite:///{tmp_path / 'gait.db'}"
    seed(url)
    with running_app(url, tmp_path / "server.log") as base:
        yield base
    assert list((tmp_path / "data-home" / "glutecoach" / "gait" / "uploads").glob("*/*")) == []


def fits(page: Page, size: str) -> bool:
    return size != "phone" or page_width(page) <= SIZES["phone"]["width"]


def slow_upload(page: Page) -> None:
    """About 1 MB/s up: the 1.9 MB clip takes a couple of seconds, long enough to watch."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 1_000_000},
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_a_clip_uploads_and_is_analysed_with_its_progress_then_its_report(
    browser: Browser, gait_app: str, size: str
) -> None:
    context = browser.new_context(viewport=SIZES[size], base_url=gait_app)
    page = context.new_page()
    console = Console()
    console.watch(page)
    try:
        page.goto("/gait")
        expect(page.get_by_role("heading", name="How to film")).to_be_visible()
        nav = page.get_by_role("navigation", name="Main").get_by_role("link")
        expect(nav.filter(has_text="Gait")).to_have_attribute("aria-current", "page")
        tops = {round(box["y"]) for box in (nav.nth(i).bounding_box() for i in range(7)) if box}
        assert len(tops) == 1, f"the seven nav items wrap onto {len(tops)} lines"
        assert fits(page, size), "/gait scrolls sideways"
        screenshot(page, size, "gait-01-upload")

        page.get_by_label("Video or pose file").set_input_files(VIDEO)
        page.get_by_label("Camera view").select_option("side")
        slow_upload(page)
        page.get_by_role("button", name="Upload and analyse").click()
        uploading = page.locator("[data-upload-progress]")
        expect(uploading).to_be_visible()
        expect(uploading.locator("[data-upload-text]")).to_contain_text(re.compile(r"MB|Uploaded"))
        screenshot(page, size, "gait-02-uploading")

        page.wait_for_url(re.compile(r"/gait/jobs/[0-9a-f]{16}$"), timeout=30_000)
        bar = page.locator("#job-bar")
        expect(bar).to_be_visible()
        expect(page.locator("#gait-status")).to_contain_text(
            re.compile(r"[1-9]\d* of 360 frames \(\d+ %\)"), timeout=30_000
        )
        assert 0 < float(bar.get_attribute("value") or 0) <= 100
        assert fits(page, size), "the job page scrolls sideways"
        screenshot(page, size, "gait-03-analysing")

        page.wait_for_url(re.compile(r"/gait/\d+$"), timeout=ANALYSIS_MS)
        expect(page.get_by_role("heading", name=re.compile("Gait analysis"))).to_be_visible()
        expect(page.locator(".note").first).to_contain_text("The plan:")
        frame = page.frame_locator("iframe.report-frame")
        expect(frame.get_by_role("heading", name="Key frames")).to_be_visible()
        page.wait_for_function(
            "document.querySelector('iframe.report-frame').offsetHeight > 1500", timeout=10_000
        )
        inner = page.frames[1]
        inner_width = inner.evaluate("document.documentElement.scrollWidth")
        inner_view = inner.evaluate("document.documentElement.clientWidth")
        assert inner_width <= inner_view, "the report scrolls sideways inside its frame"
        assert fits(page, size), "the report page scrolls sideways"
        screenshot(page, size, "gait-04-report")

        page.goto("/gait")
        expect(page.locator("table.gait-history tbody tr")).to_have_count(1)
        assert fits(page, size)
        screenshot(page, size, "gait-05-listed")
        assert console.errors == []
    finally:
        context.close()


def test_a_text_file_named_mp4_is_said_in_words_and_a_huge_one_never_leaves(
    browser: Browser, gait_app: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport=SIZES["phone"], base_url=gait_app)
    page = context.new_page()
    console = Console()
    console.watch(page)
    fake = tmp_path / "holiday.mp4"
    fake.write_text("not a video at all")
    try:
        page.goto("/gait")
        page.get_by_label("Video or pose file").set_input_files(fake)
        page.get_by_role("button", name="Upload and analyse").click()
        # its first bytes are no MP4's: refused at the form, before it is saved or read
        alert = page.locator("#error-summary")
        expect(alert).to_contain_text("holiday.mp4 is not a MP4 video inside", timeout=30_000)
        assert page.url.endswith("/gait")
        assert fits(page, "phone")
        screenshot(page, "phone", "gait-06-not-a-video")
        # the browser logs the refused upload (422) as a failed resource: that one is expected
        console.errors = [e for e in console.errors if "422" not in e]

        page.goto("/gait")
        expect(page.get_by_text("None yet")).to_be_visible()
        # over the limit (made small here): refused before a byte is sent
        page.locator("form[data-upload]").evaluate("f => { f.dataset.maxBytes = '1000000'; }")
        page.get_by_label("Video or pose file").set_input_files(VIDEO)
        page.get_by_role("button", name="Upload and analyse").click()
        expect(page.locator("[data-upload-error]")).to_contain_text("the limit is 1.0 MB")
        assert page.url.endswith("/gait")
        screenshot(page, "phone", "gait-07-too-large")
        assert console.errors == []
    finally:
        context.close()


def test_without_javascript_the_form_posts_and_the_job_page_reloads_itself(
    browser: Browser, gait_app: str, tmp_path: Path
) -> None:
    context = browser.new_context(
        viewport=SIZES["desktop"], base_url=gait_app, java_script_enabled=False
    )
    page = context.new_page()
    poses = tmp_path / "poses.json"
    poses.write_text(pose_json(synthetic_run(cadence_spm=150, fps=60, seed=3).pose))
    try:
        page.goto("/gait")
        page.get_by_label("Video or pose file").set_input_files(poses)
        page.get_by_role("button", name="Upload and analyse").click()
        page.wait_for_url(re.compile(r"/gait/\d+$"), timeout=30_000)
        expect(page.get_by_role("heading", name=re.compile("Gait analysis"))).to_be_visible()
        expect(page.locator(".report-facts")).to_contain_text("150 steps/min")
    finally:
        context.close()
