"""The runs page in Chromium, for a runner with years of imported files and a spike this week, and
for one with no runs yet: no console error, no sideways scrolling on a 375 px phone, the charts
visible and said in words, and the weeks shown chosen with the keyboard."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from glutecoach.services import planning, run_import, runners
from glutecoach.services.store import open_store
from tests.adapters.runfiles.test_reading_real_files import RUNS
from tests.browser.conftest import SIZES, Console, page_width, running_app, screenshot
from tests.clock import CLOCK, TODAY
from tests.web.test_api_runs import recent_runs

WEEKLY_KM = [20, 20, 21, 22, 22, 23, 22, 23, 22, 23, 24, 36]  # this week rises 50 %: a spike


def start(url: str, name: str) -> None:
    today = TODAY
    profile = planning.parse_profile(
        {
            "name": name,
            "start_date": (today - dt.timedelta(days=14)).isoformat(),
            "run_days": ["mon", "wed", "fri", "sun"],
            "long_run_day": "sun",
            "weekly_km": 30,
            "timezone": "Europe/Ljubljana",
        },
        "seed",
        CLOCK,
    )
    with open_store(url) as db:
        runners.start(db, profile, None)


@pytest.fixture(scope="module")
def runs_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """'Sam Runs': the shared FIT and TCX files, and twelve weeks of runs to today."""
    folder = tmp_path_factory.mktemp("runs")
    url = f"sqlite:///{folder / 'runs.db'}"
    start(url, "Sam Runs")
    files = [RUNS / "fit", RUNS / "tcx", *recent_runs(folder, WEEKLY_KM)]
    with open_store(url) as db:
        summary = run_import.import_runs(db, files, slug="sam-runs", workers=1)
        assert summary.imported_runs == 19 + 3 * len(WEEKLY_KM) and not summary.rejected
    with running_app(url, folder / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def empty_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("no-runs")
    url = f"sqlite:///{folder / 'empty.db'}"
    start(url, "Nora Norun")
    with running_app(url, folder / "server.log") as base:
        yield base


def _fits(page_width_px: int, size: str) -> bool:
    return page_width_px <= SIZES[size]["width"]


@pytest.mark.parametrize("size", list(SIZES))
def test_the_runs_page_fits_the_screen_and_shows_its_charts(
    browser: Browser, runs_app: str, size: str
) -> None:
    context = browser.new_context(viewport=SIZES[size], base_url=runs_app)
    page = context.new_page()
    console = Console()
    console.watch(page)
    try:
        for name, path in {"runs": "/runs", "runs-two-years": "/runs?weeks=104"}.items():
            response = page.goto(path)
            assert response is not None and response.status == 200, f"{path}: {response}"
            page.wait_for_load_state("networkidle")
            screenshot(page, size, f"page-{name}")
            assert _fits(page_width(page), size), f"{path} scrolls sideways"
            expect(page.get_by_role("heading", name="Your runs", level=1)).to_be_visible()
            expect(page.locator("svg[aria-labelledby='load-km-t load-km-d']")).to_be_visible()
            expect(page.locator("svg[aria-labelledby='load-ratio-t load-ratio-d']")).to_be_visible()
            expect(page.get_by_role("link", name="Runs")).to_have_attribute("aria-current", "page")
        # the tables scroll inside their wrappers, never the page
        for table in page.locator(".table-scroll").all():
            assert table.evaluate("e => e.getBoundingClientRect().right") <= SIZES[size]["width"]
        assert console.errors == []
    finally:
        context.close()


def test_the_charts_say_the_weeks_and_the_spike_in_words(browser: Browser, runs_app: str) -> None:
    page = browser.new_page(base_url=runs_app)
    try:
        page.goto("/runs")
        words = page.locator("#load-km-d").text_content() or ""
        assert re.search(r"\d+ \w{3} 36 km \(spike\)\.$", words), words
        ratio = page.locator("#load-ratio-d").text_content() or ""
        assert "Rolling 7/28 days" in ratio and "Shaded: usual range" in ratio
        expect(page.locator("text.value.marked")).to_have_count(1)  # the ▲ is drawn, not only red
        expect(page.get_by_text("▲ 1 spike week")).to_be_visible()
        expect(page.get_by_text("contested as an injury predictor")).to_be_visible()
        row = page.locator("table.runs tbody tr").first
        expect(row.locator("th")).to_have_attribute("title", re.compile(r"km\.gpx$"))
        expect(page.get_by_text("The last 50 of 55 recorded activities")).to_be_visible()
    finally:
        page.close()


def test_the_weeks_shown_are_chosen_with_the_keyboard(browser: Browser, runs_app: str) -> None:
    page = browser.new_page(base_url=runs_app, viewport=SIZES["phone"])
    try:
        page.goto("/runs")
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
        choice = page.get_by_role("navigation", name="Weeks shown").get_by_role("link")
        expect(choice.filter(has_text="12 weeks")).to_have_attribute("aria-current", "page")
        for _ in range(20):  # past the main menu to the choice of weeks
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent") == "26 weeks":
                break
        expect(choice.filter(has_text="26 weeks")).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/runs\?weeks=26$"))
        expect(choice.filter(has_text="26 weeks")).to_have_attribute("aria-current", "page")
        assert page.locator("table.compact").first.locator("tbody tr").count() == 26
    finally:
        page.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_with_no_runs_the_page_says_how_to_import_them(
    browser: Browser, empty_app: str, size: str
) -> None:
    context = browser.new_context(viewport=SIZES[size], base_url=empty_app)
    page = context.new_page()
    console = Console()
    console.watch(page)
    try:
        response = page.goto("/runs")
        assert response is not None and response.status == 200
        expect(page.get_by_role("heading", name="No runs yet")).to_be_visible()
        expect(page.locator("pre.command")).to_have_text(
            "glutecoach import-runs PATH-TO-FILES --runner nora-norun"
        )
        screenshot(page, size, "page-runs-empty")
        assert _fits(page_width(page), size)
        bad = page.goto("/runs?weeks=1")
        assert bad is not None and bad.status == 422
        expect(page.get_by_role("alert")).to_contain_text("weeks")
        # the browser logs the 422 itself as a failed load; nothing else may be logged
        assert all("status of 422" in e for e in console.errors), console.errors
    finally:
        context.close()
