"""Every page, for a runner with a few weeks of history: no console error, no sideways scrolling on
a 375 px phone, the downloads with their content types, and the keyboard alone is enough."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, expect

from glutecoach.domain.planning import SessionKind
from glutecoach.services import planning, runners, screening, training
from glutecoach.services.store import open_store
from tests.browser.conftest import SIZES, Console, page_width, running_app, screenshot
from tests.clock import CLOCK, TODAY
from tests.conftest import EXAMPLES

LOGGED_ON = (TODAY - dt.timedelta(days=7), TODAY - dt.timedelta(days=3))
FUTURE = TODAY + dt.timedelta(days=9)


def _as_prescribed(db: Any, on: dt.date, pain: int) -> None:
    view = training.today(db, None, on)
    assert view.day is not None
    session = view.day.session(SessionKind.pre_run_activation)
    assert session is not None
    exercises = [
        {
            "exercise_id": p.exercise_id,
            "sets": [p.amount.high] * p.sets,
            "effort": 6,
            "felt": "glutes",
            "pain": pain,
        }
        for p in session.prescriptions
    ]
    entry = {"date": on.isoformat(), "session": session.kind.value, "exercises": exercises}
    training.log_session(db, None, training.parse_entry(entry, "seed"))


def seed(url: str) -> None:
    """A runner who started two weeks ago, races in five weeks, screened twice, logged twice."""
    profile = planning.parse_profile(
        {
            "name": "Sam Seeded",
            "start_date": (TODAY - dt.timedelta(days=14)).isoformat(),
            "run_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "long_run_day": "sun",
            "hard_days": ["thu"],
            "weekly_km": 35,
            "equipment": ["mini_band", "box"],
            "race": {
                "date": (TODAY + dt.timedelta(days=35)).isoformat(),
                "distance_km": 21.1,
                "name": "Harbour half",
            },
        },
        "seed",
        CLOCK,
    )
    answers = yaml.safe_load((EXAMPLES / "answers.yaml").read_text())
    retest = {**answers, "tests": {**answers["tests"], "side_plank_s": {"left": 30, "right": 44}}}
    with open_store(url) as db:
        runners.start(db, profile, None)
        runners.record_screening(db, None, screening.run(screening.parse_input(answers), TODAY))
        _as_prescribed(db, LOGGED_ON[0], pain=0)
        _as_prescribed(db, LOGGED_ON[1], pain=1)
        training.log_soreness(db, None, 3, LOGGED_ON[1] + dt.timedelta(days=1))
        runners.record_screening(db, None, screening.run(screening.parse_input(retest), TODAY))


@pytest.fixture(scope="module")
def seeded_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One app for this module: its tests read pages and post nothing."""
    folder = tmp_path_factory.mktemp("seeded")
    url = f"sqlite:///{folder / 'seeded.db'}"
    seed(url)
    with running_app(url, folder / "server.log") as base:
        yield base


PAGES = {
    "home": "/",
    "start": "/start",
    "screening": "/screening",
    "screening-results": "/screening/results",
    "plan": "/plan",
    "today": "/today",
    "today-logged-day": f"/today?date={LOGGED_ON[1].isoformat()}",
    "today-future": f"/today?date={FUTURE.isoformat()}",
    "exercises": "/exercises",
    "exercises-filtered": "/exercises?q=bridge&category=strength&equipment=box",
    "exercise": "/exercises/clamshell",
    "progress": "/progress",
    "gait-filming": "/gait/filming",
}


@pytest.mark.parametrize("size", list(SIZES))
def test_no_page_logs_a_console_error_or_scrolls_sideways_on_a_phone(
    browser: Browser, seeded_app: str, size: str
) -> None:
    context = browser.new_context(viewport=SIZES[size], base_url=seeded_app)
    page = context.new_page()
    console = Console()
    console.watch(page)
    try:
        for name, path in PAGES.items():
            response = page.goto(path)
            assert response is not None and response.status == 200, f"{path}: {response}"
            page.wait_for_load_state("networkidle")
            screenshot(page, size, f"page-{name}")
            if size == "phone":
                assert page_width(page) <= SIZES["phone"]["width"], f"{path} scrolls sideways"
        assert console.errors == []
        missing = page.goto("/exercises/no_such_exercise")
        assert missing is not None and missing.status == 404
        expect(page.get_by_role("heading", name="Not found")).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text("Unknown exercise id 'no_such_exercise'")
        screenshot(page, size, "page-not-found")
    finally:
        context.close()


def test_the_charts_say_their_data_in_words(browser: Browser, seeded_app: str) -> None:
    page = browser.new_page(base_url=seeded_app)
    try:
        page.goto("/progress")
        charts = page.locator("svg[role=img]")
        expect(charts.first).to_be_visible()
        assert charts.count() >= 3
        for i in range(charts.count()):
            label = charts.nth(i).get_attribute("aria-labelledby") or ""
            words = " ".join(
                page.locator(f"[id='{part}']").text_content() or "" for part in label.split()
            )
            assert re.search(r"\d", words), f"chart {i} has no numbers in its text: {words!r}"
        tests = page.locator("#tests-d")
        expect(tests).to_contain_text("First test")
        expect(page.get_by_text("better").first).to_be_visible()  # 18 s → 30 s on the left
    finally:
        page.close()


def test_the_handout_and_the_calendar_download_with_their_content_types(
    browser: Browser, seeded_app: str
) -> None:
    context = browser.new_context(base_url=seeded_app, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto("/plan")
        handout = page.request.get("/plan/handout.html")
        assert handout.headers["content-type"].startswith("text/html")
        assert "Sam Seeded" in handout.text()
        with page.expect_download() as download:
            page.get_by_role("link", name="Calendar file (.ics)").click()
        assert download.value.suggested_filename == "sam-seeded-plan.ics"
        calendar = page.request.get("/plan/plan.ics")
        assert calendar.headers["content-type"].startswith("text/calendar")
        assert calendar.text().startswith("BEGIN:VCALENDAR")
        race = page.locator("li.day.run-race")
        expect(race).to_contain_text("Harbour half")
    finally:
        context.close()


def test_todays_session_can_be_followed_with_the_keyboard_alone(
    browser: Browser, seeded_app: str
) -> None:
    page = browser.new_page(base_url=seeded_app, viewport=SIZES["phone"])
    try:
        page.goto("/today")
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
        first = page.locator("[data-step]").first
        plus = first.locator("[data-plus], [data-toggle]").first
        plus.focus()
        page.keyboard.press("Enter")
        if first.locator("[data-timer]").count():
            page.wait_for_timeout(1100)
            page.keyboard.press("Enter")
        assert int(first.locator("input[name$='-set-0']").input_value()) >= 1
        next_button = page.get_by_role("button", name="Next exercise →")
        next_button.focus()
        page.keyboard.press("Enter")
        second_heading = page.locator("[data-step]").nth(1).locator("h3")
        expect(second_heading).to_be_focused()
        expect(first).to_be_hidden()
    finally:
        page.close()


def test_the_library_filters_as_you_type_without_leaving_the_page(
    browser: Browser, seeded_app: str
) -> None:
    page = browser.new_page(base_url=seeded_app)
    try:
        page.goto("/exercises")
        count = page.locator("#results .count")
        everything = count.inner_text()
        page.evaluate("window.stayed = true")  # gone if the page were reloaded
        page.get_by_label("Search").press_sequentially("clamshell", delay=30)
        expect(count).not_to_have_text(everything)
        names = page.locator("#results h2").all_inner_texts()
        assert names and all("clamshell" in n.lower() for n in names)
        page.get_by_label("Kind").select_option("recovery")
        expect(count).to_have_text("0 exercises")
        assert page.evaluate("window.stayed") is True
        assert "q=clamshell" in page.url and "category=recovery" in page.url
    finally:
        page.close()
