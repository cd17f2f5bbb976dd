"""A clinician and two runners, in a real browser at phone and desktop size, on a server where
everyone signs in: the clinician invites Alex, who makes the account from the link and follows the
whole loop; Bea signs up on her own; the clinician sees Alex (and not Bea), leaves a note and
changes Alex's plan; Alex sees both; Bea sees nothing of Alex and is kept out of the clinic."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

import tests.browser.test_the_whole_loop as whole_loop
from tests.browser.conftest import SIZES, ClinicApp, Console, Person, screenshot
from tests.browser.test_the_whole_loop import (
    fill_the_profile,
    follow_todays_session,
    no_sideways_scroll,
    screen,
    see_the_plan,
)
from tests.clock import TODAY

ALEX = Person("Alex Achterberg", "alex@runners.example", "long slow distance")
BEA = Person("Bea Bramble", "bea@runners.example", "tempo on tuesdays")
NOTE = "Good first week, Alex. Keep the pelvis level on the side planks."
COMMENT = "One more set while it feels easy."
SETS = 5
MAIL_WAIT_S = 5.0

# Every visible control in the page's main part without a label, an aria-label or labelledby.
UNLABELLED = """() => Array.from(document.querySelectorAll(
    'main input:not([type=hidden]), main select, main textarea'))
  .filter(el => !(el.labels && el.labels.length)
    && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML)"""
# Every visible button, button-link or field in main smaller than a 44 px touch target.
TOO_SMALL = """() => Array.from(document.querySelectorAll(
    'main button, main a.button, main select, main textarea, '
    + 'main input:not([type=hidden]):not([type=checkbox]):not([type=radio])'))
  .filter(el => el.offsetParent !== null)
  .filter(el => { const r = el.getBoundingClientRect(); return r.height < 44 || r.width < 44; })
  .map(el => el.outerHTML.slice(0, 160))"""


@pytest.fixture(autouse=True)
def _screenshots_of_alex_have_their_own_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole-loop helpers name their screenshots flow-…; Alex's are clinic-alex-flow-…."""

    def renamed(page: Page, size: str, name: str) -> Path:
        return screenshot(page, size, f"clinic-alex-{name}")

    monkeypatch.setattr(whole_loop, "screenshot", renamed)


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    made: list[BrowserContext] = []
    yield made
    for context in made:
        context.close()


def new_page(
    browser: Browser, app: ClinicApp, size: str, contexts: list[BrowserContext], console: Console
) -> Page:
    """A page in a browser context of its own: its own cookies, so its own person."""
    context = browser.new_context(viewport=SIZES[size], base_url=app.url)
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    console.watch(page)
    return page


def well_made(page: Page, size: str) -> None:
    """Labels on every control; on a phone, no sideways scrolling and 44 px touch targets."""
    assert page.evaluate(UNLABELLED) == [], f"{page.url} has controls without a label"
    no_sideways_scroll(page, size)
    if size == "phone":
        assert page.evaluate(TOO_SMALL) == [], f"{page.url} has small touch targets"


def only_refusals(console: Console, status: int) -> None:
    """A refused request is reported on the console by Chromium; nothing else may be there."""
    assert console.errors and all(str(status) in e for e in console.errors), console.errors
    console.errors.clear()


def sign_in_with_the_keyboard(page: Page, person: Person) -> None:
    page.get_by_label("Email").fill(person.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(person.password)
    page.keyboard.press("Enter")


def sign_out(page: Page) -> None:
    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def mailed_link(log: Path, link: str) -> bool:
    """Whether the development mailer wrote `link` to the server log (soon after the request)."""
    deadline = time.monotonic() + MAIL_WAIT_S  # timing
    while time.monotonic() < deadline:  # timing
        if link in log.read_text():
            return True
        time.sleep(0.1)
    return False


def the_clinician_invites_alex(page: Page, app: ClinicApp, console: Console, size: str) -> str:
    page.goto("/clinic")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fclinic$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    well_made(page, size)
    screenshot(page, size, "clinic-01-login")
    page.get_by_label("Email").fill(app.clinician.email)
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("email or password")
    expect(page.get_by_label("Email")).to_have_value(app.clinician.email)
    screenshot(page, size, "clinic-02-login-refused")
    only_refusals(console, 401)
    sign_in_with_the_keyboard(page, app.clinician)
    expect(page).to_have_url(re.compile(r"/clinic$"))
    expect(page.get_by_text("No runners yet")).to_be_visible()
    page.get_by_label("Runner's email").fill(ALEX.email)
    page.keyboard.press("Enter")
    status = page.get_by_role("status")
    expect(status).to_contain_text(f"An invitation is on its way to {ALEX.email}")
    link = page.locator(".invite-link").inner_text().strip()
    assert link.startswith(f"{app.url}/invitation?token="), link
    assert mailed_link(app.log, link), "the invitation email is not in the server log"
    well_made(page, size)
    screenshot(page, size, "clinic-03-invited")
    sign_out(page)
    return link


def alex_makes_the_account(page: Page, link: str, console: Console, size: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", name="Join your clinician on glutecoach")).to_be_visible()
    well_made(page, size)
    screenshot(page, size, "clinic-04-invitation")
    page.get_by_label("Your name").fill(ALEX.name)
    page.get_by_label("Password", exact=True).fill(ALEX.password)
    page.get_by_label("Password again").fill(ALEX.password + " typo")
    page.get_by_role("button", name="Make my account").click()
    expect(page.locator("#e-again")).to_contain_text("differ")
    expect(page.get_by_label("Your name")).to_have_value(ALEX.name)
    well_made(page, size)
    screenshot(page, size, "clinic-05-invitation-with-a-message")
    only_refusals(console, 422)
    page.get_by_label("Password", exact=True).fill(ALEX.password)
    page.get_by_label("Password again").fill(ALEX.password)
    page.get_by_role("button", name="Make my account").click()
    expect(page).to_have_url(re.compile(r"/start$"))


def starts_a_plan(page: Page, person: Person, weekly_km: int) -> None:
    """The profile form, from /start, to the screening the plan waits for."""
    fill_the_profile(page)
    page.get_by_label("Your name").fill(person.name)
    page.get_by_label("Weekly distance (km)").fill(str(weekly_km))
    page.get_by_role("button", name="Save and go to the screening").click()
    expect(page).to_have_url(re.compile(r"/screening$"))


def alex_follows_the_loop(page: Page, size: str) -> None:
    starts_a_plan(page, ALEX, 32)
    screen(page, size)
    see_the_plan(page, size)
    follow_todays_session(page, size)
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    well_made(page, size)
    screenshot(page, size, "clinic-06-account")


def bea_signs_up_alone(page: Page, size: str) -> None:
    page.goto("/login")
    page.get_by_role("link", name="Make an account").click()
    expect(page.get_by_role("heading", name="Make an account")).to_be_visible()
    well_made(page, size)
    screenshot(page, size, "clinic-07-signup")
    page.get_by_label("Your name").fill(BEA.name)
    page.get_by_label("Email").fill(BEA.email)
    page.get_by_label("Password", exact=True).fill(BEA.password)
    page.get_by_label("Password again").fill(BEA.password)
    page.get_by_role("button", name="Make my account").click()
    expect(page).to_have_url(re.compile(r"/start$"))
    starts_a_plan(page, BEA, 25)
    page.get_by_role("link", name="Plan", exact=True).click()
    expect(page.locator("#week-now")).to_be_visible()


def the_clinician_sees_alex_not_bea(page: Page, app: ClinicApp, size: str) -> str:
    page.goto("/clinic")
    sign_in_with_the_keyboard(page, app.clinician)
    expect(page).to_have_url(re.compile(r"/clinic$"))
    alex = page.get_by_role("row", name=re.compile(ALEX.name))
    expect(alex).to_contain_text(re.compile(r"[1-9]\d* of \d+ done"))
    today = TODAY
    expect(alex.locator("td").nth(1)).to_have_text(f"{today.day} {today.strftime('%b')}")
    expect(page.get_by_text(BEA.name)).to_have_count(0)
    well_made(page, size)
    screenshot(page, size, "clinic-08-list")
    alex.get_by_role("link", name=ALEX.name).click()
    expect(page).to_have_url(re.compile(r"/clinic/runners/[\w-]+$"))
    expect(page.get_by_role("heading", name=ALEX.name, exact=True)).to_be_visible()
    expect(page.locator("section[aria-labelledby=h-screening]")).to_contain_text(
        "Weak hip abductors"
    )
    well_made(page, size)
    screenshot(page, size, "clinic-09-runner")
    return page.url


def the_clinician_changes_alexs_plan(page: Page, detail: str, size: str) -> None:
    page.get_by_role("link", name="Their plan").click()
    expect(page).to_have_url(re.compile(r"/plan$"))
    href = page.locator("#week-now li.is-today a[href^='/exercises/']").first.get_attribute("href")
    assert href is not None
    exercise = href.removeprefix("/exercises/")
    page.goto(detail)
    page.get_by_label("A note they will see").fill(NOTE)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save the note")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Your note is saved")
    expect(page.locator(".note-card")).to_contain_text(NOTE)
    page.get_by_label("Change a dose").check()
    page.get_by_label("Exercise", exact=True).select_option(exercise)
    page.get_by_label("Sets (dose only)").fill(str(SETS))
    page.get_by_label("Your comment for the runner").fill(COMMENT)
    page.get_by_role("button", name="Change the plan").click()
    expect(page.get_by_role("status")).to_contain_text("The plan is changed")
    well_made(page, size)
    screenshot(page, size, "clinic-10-runner-changed")
    page.get_by_role("link", name="Their Today").click()
    sessions = page.get_by_role("navigation", name="Sessions of the day")
    expect(sessions).to_contain_text("Logged")  # the session Alex logged
    screenshot(page, size, "clinic-11-their-today")
    page.get_by_role("link", name="Plan", exact=True).click()
    expect(page.locator("ul.changes")).to_contain_text(COMMENT)
    expect(page.locator("#week-now li.is-today")).to_contain_text(f"{SETS} ×")
    no_sideways_scroll(page, size)


def alex_sees_the_note_and_the_change(page: Page, app: ClinicApp, size: str) -> None:
    page.goto("/")
    notes = page.locator("section[aria-labelledby=h-notes]")
    expect(notes).to_contain_text(NOTE)
    expect(notes).to_contain_text(app.clinician.name)
    screenshot(page, size, "clinic-12-alex-home-with-the-note")
    page.get_by_role("link", name="Plan", exact=True).click()
    changes = page.locator("ul.changes")
    expect(changes).to_contain_text(f"Changed by your clinician: {SETS} sets of")
    expect(changes).to_contain_text(COMMENT)
    expect(page.locator("#week-now li.is-today")).to_contain_text(f"{SETS} ×")
    screenshot(page, size, "clinic-13-alex-plan-changed")


def bea_sees_nothing_of_alex(page: Page, detail: str, console: Console, size: str) -> None:
    for path in ("/", "/today", "/plan", "/progress", "/runs", "/gait", "/screening", "/account"):
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response}"
        assert ALEX.name not in page.content(), f"Bea sees Alex's name on {path}"
        assert ALEX.email not in page.content(), f"Bea sees Alex's email on {path}"
    for path in ("/clinic", urlsplit(detail).path):
        response = page.goto(path)
        assert response is not None and response.status == 403, f"{path}: {response}"
        assert ALEX.name not in page.content()
        expect(page.get_by_role("alert")).to_contain_text("These pages are for clinicians")
    screenshot(page, size, "clinic-14-a-runner-kept-out")
    only_refusals(console, 403)


@pytest.mark.parametrize("size", list(SIZES))
def test_a_clinician_follows_an_invited_runner_and_never_sees_one_who_signed_up_alone(
    browser: Browser, clinic_app: ClinicApp, contexts: list[BrowserContext], size: str
) -> None:
    console = Console()
    clinician = new_page(browser, clinic_app, size, contexts, console)
    link = the_clinician_invites_alex(clinician, clinic_app, console, size)
    alex = new_page(browser, clinic_app, size, contexts, console)
    alex_makes_the_account(alex, link, console, size)
    alex_follows_the_loop(alex, size)
    bea = new_page(browser, clinic_app, size, contexts, console)
    bea_signs_up_alone(bea, size)
    detail = the_clinician_sees_alex_not_bea(clinician, clinic_app, size)
    the_clinician_changes_alexs_plan(clinician, detail, size)
    alex.reload()
    alex_sees_the_note_and_the_change(alex, clinic_app, size)
    bea_sees_nothing_of_alex(bea, detail, console, size)
    assert console.errors == []
