"""Isolation, proven through the web app: every page, endpoint and download of one runner, tried as
another runner, as a clinician who does not look after them, and signed out.

The world (built once per database, through the same pages a clinic uses): Dr Ada invites Rita,
who signs up from the link and starts a plan; Sam signs up on his own; Dr Ben is an unrelated
clinician. Rita has logs, a run, a gait analysis and a note from Dr Ada. Every route of the app
must be named below as public or as Rita's, so a new route cannot skip this test.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount

from glutecoach.adapters.db.throwaway import PostgresServer
from glutecoach.services import accounts
from glutecoach.services.store import open_store
from glutecoach.web.app import create_app
from tests.web.conftest import API, example_answers, profile_json
from tests.web.test_gait_pages import pose_file

PASSWORD = "a long enough password"
RITA, SAM = "Rita Example", "Sam Other"
RITA_NOTE = "Keep the hips level on the step-downs, Rita"
SLUG = "{slug}"

# Routes anyone may open: the library, the bare endpoint, the API's own documents, the account
# pages (sign in, sign up, invitation, password reset) and the static files.
PUBLIC = {
    ("GET", "/api/v1/hello"),
    ("GET", "/api/v1/exercises"),
    ("GET", "/api/v1/exercises/{exercise_id}"),
    ("POST", "/api/v1/screenings"),
    ("GET", "/exercises"),
    ("GET", "/exercises/{key}"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/signup"),
    ("POST", "/signup"),
    ("GET", "/invitation"),
    ("POST", "/invitation"),
    ("GET", "/reset-password"),
    ("POST", "/reset-password"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
}
# Rita's data by her slug: (method, path, JSON body for the writes).
API_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", f"{API}/runners/{SLUG}/today", None),
    ("GET", f"{API}/runners/{SLUG}/plan", None),
    ("GET", f"{API}/runners/{SLUG}/plan?format=ics", None),
    ("GET", f"{API}/runners/{SLUG}/plan?format=markdown", None),
    ("GET", f"{API}/runners/{SLUG}/plan?format=html", None),
    ("GET", f"{API}/runners/{SLUG}/plan/changes", None),
    ("GET", f"{API}/runners/{SLUG}/progress", None),
    ("GET", f"{API}/runners/{SLUG}/export", None),
    ("GET", f"{API}/runners/{SLUG}/runs", None),
    ("GET", f"{API}/runners/{SLUG}/load", None),
    ("POST", f"{API}/runners/{SLUG}/screenings", example_answers()),
    ("POST", f"{API}/runners/{SLUG}/skips", {"session": "strength", "reason": "busy"}),
    ("POST", f"{API}/runners/{SLUG}/soreness", {"level": 3}),
    ("GET", f"{API}/runners/{SLUG}/pain", None),
    ("POST", f"{API}/runners/{SLUG}/recheck", {"pain_free": False}),
    ("POST", f"{API}/runners/{SLUG}/runs", {"distance_km": 5, "minutes": 30}),
    (
        "POST",
        f"{API}/runners/{SLUG}/logs",
        {
            "session": "strength",
            "exercises": [
                {"exercise_id": "clamshell", "sets": [10], "effort": 5, "felt": "glutes", "pain": 0}
            ],
        },
    ),
]
# Pages that show the signed-in runner's own data (or the runner a clinician has open).
OWN_PAGES = [
    "/",
    "/today",
    "/plan",
    "/plan/handout.html",
    "/plan/plan.ics",
    "/progress",
    "/runs",
    "/gait",
    "/screening",
    "/screening/results",
    "/start",
]
# Everything else the app routes, with how this test reaches it (each is tried below).
OTHER_PROTECTED = {
    ("GET", "/"),
    ("GET", "/gait/filming"),
    ("GET", "/today"),
    ("GET", "/today/logged"),
    ("POST", "/today/log"),
    ("POST", "/today/skip"),
    ("POST", "/today/soreness"),
    ("POST", "/today/recheck"),
    ("GET", "/plan"),
    ("GET", "/plan/handout.html"),
    ("GET", "/plan/plan.ics"),
    ("GET", "/progress"),
    ("GET", "/runs"),
    ("POST", "/runs"),
    ("GET", "/runs/jobs/{job_id}"),
    ("GET", "/runs/jobs/{job_id}/status"),
    ("GET", "/gait"),
    ("POST", "/gait"),
    ("GET", "/gait/jobs/{job_id}"),
    ("GET", "/gait/jobs/{job_id}/status"),
    ("GET", "/gait/{analysis_id}"),
    ("GET", "/gait/{analysis_id}/report.html"),
    ("GET", "/screening"),
    ("GET", "/screening/pain-row"),
    ("POST", "/screening"),
    ("GET", "/screening/results"),
    ("GET", "/start"),
    ("POST", "/start"),
    ("GET", "/account"),
    ("POST", "/account/password"),
    ("GET", "/clinic"),
    ("POST", "/clinic/invite"),
    ("GET", "/clinic/runners/{slug}"),
    ("POST", "/clinic/runners/{slug}/notes"),
    ("POST", "/clinic/runners/{slug}/plan"),
    ("GET", "/api/v1/runners"),
    ("POST", "/api/v1/runners"),
}


@dataclass
class World:
    url: str
    data: Path
    rita: TestClient
    sam: TestClient
    ada: TestClient
    ben: TestClient
    nobody: TestClient
    slug: str  # Rita's
    analysis_id: int
    job_id: str

    def counts(self) -> dict[str, int]:
        """What is stored for Rita (read as the local user, who sees everything)."""
        with open_store(self.url) as db, db.unit() as repo:
            runner = repo.runner(self.slug)
            assert runner is not None
            return {
                "logs": len(repo.session_logs(runner.id)),
                "soreness": len(repo.soreness(runner.id)),
                "screenings": len(repo.screenings(runner.id)),
                "plans": len(repo.plan_summaries(runner.id)),
                "runs": len(repo.runs(runner.id)),
                "notes": len(repo.accounts.notes(runner.id)),
                "gait": len(repo.gait_analyses.list(runner.id)),
            }


def csrf(client: TestClient, page: str = "/login") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert found is not None, page
    return found.group(1)


def visitor(url: str, data: Path) -> TestClient:
    # a remote address: with accounts, where a request comes from decides nothing
    return TestClient(create_app(url, data_folder=data), client=("203.0.113.9", 40000))


def sign_in(client: TestClient, email: str) -> None:
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def start_plan(client: TestClient, name: str) -> str:
    body = {"profile": profile_json(name=name), "answers": example_answers()}
    response = client.post(f"{API}/runners", json=body)
    assert response.status_code == 201, response.text
    slug: str = response.json()["runner"]["slug"]
    return slug


def gait_upload(client: TestClient) -> tuple[str, int]:
    """Rita's gait analysis from a pose file, through the upload page: (job id, analysis id)."""
    token = csrf(client, "/gait")
    posted = client.post(
        "/gait",
        data={"csrf_token": token, "view": "auto"},
        files={"file": ("rita.json", pose_file(), "application/octet-stream")},
        follow_redirects=False,
    )
    assert posted.status_code == 303, posted.text
    job_url = posted.headers["location"]
    deadline = time.monotonic() + 120  # timing
    while time.monotonic() < deadline:  # timing
        page = client.get(job_url, follow_redirects=False)
        if page.status_code == 303:
            analysis = re.fullmatch(r"/gait/(\d+)", page.headers["location"])
            assert analysis is not None
            return job_url.rsplit("/", 1)[1], int(analysis.group(1))
        time.sleep(0.2)
    pytest.fail("Rita's gait analysis did not finish")


def build(url: str, data: Path) -> Iterator[World]:
    with open_store(url) as db:
        accounts.add_clinician(db, "ada@clinic.test", "Dr Ada", PASSWORD)
        accounts.add_clinician(db, "ben@elsewhere.test", "Dr Ben", PASSWORD)
    clients = [visitor(url, data) for _ in range(5)]
    for client in clients:
        client.__enter__()
    try:
        rita, sam, ada, ben, nobody = clients
        sign_in(ada, "ada@clinic.test")
        sign_in(ben, "ben@elsewhere.test")
        invited = ada.post(
            "/clinic/invite",
            data={"email": "rita@example.test", "csrf_token": csrf(ada, "/clinic")},
        )
        assert invited.status_code == 200, invited.text
        link = re.search(r"/invitation\?token=([A-Za-z0-9_\-]+)", invited.text)
        assert link is not None
        accepted = rita.post(
            "/invitation",
            data={
                "token": link.group(1),
                "name": RITA,
                "password": PASSWORD,
                "again": PASSWORD,
                "csrf_token": csrf(rita, f"/invitation?token={link.group(1)}"),
            },
            follow_redirects=False,
        )
        assert accepted.status_code == 303 and accepted.headers["location"] == "/start"
        signed_up = sam.post(
            "/signup",
            data={
                "name": SAM,
                "email": "sam@example.test",
                "password": PASSWORD,
                "again": PASSWORD,
                "csrf_token": csrf(sam, "/signup"),
            },
            follow_redirects=False,
        )
        assert signed_up.status_code == 303, signed_up.text
        slug = start_plan(rita, RITA)
        start_plan(sam, SAM)
        assert rita.post(f"{API}/runners/{slug}/soreness", json={"level": 2}).status_code == 201
        ran = rita.post(f"{API}/runners/{slug}/runs", json={"distance_km": 8, "minutes": 45})
        assert ran.status_code == 201, ran.text
        noted = ada.post(
            f"/clinic/runners/{slug}/notes",
            data={"note": RITA_NOTE, "csrf_token": csrf(ada, f"/clinic/runners/{slug}")},
            follow_redirects=False,
        )
        assert noted.status_code == 303, noted.text
        job_id, analysis_id = gait_upload(rita)
        yield World(url, data, rita, sam, ada, ben, nobody, slug, analysis_id, job_id)
    finally:
        for client in clients:
            client.__exit__(None, None, None)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("clinic")
    if request.param == "sqlite":
        yield from build(f"sqlite:///{folder / 'glutecoach.db'}", folder / "data")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database()
    try:
        yield from build(server.url(name), folder / "data")
    finally:
        server.drop_database(name)


def route_keys(client: TestClient) -> set[tuple[str, str]]:
    """(method, path) of every route the app answers, static files aside."""

    def walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
        for route in routes:
            if hasattr(route, "original_router"):  # an included router
                inner = prefix + (getattr(route.include_context, "prefix", "") or "")
                yield from walk(route.original_router.routes, inner)
            elif not isinstance(route, Mount) and getattr(route, "methods", None):
                path = re.sub(r":\w+}", "}", prefix + route.path)
                yield from ((m, path) for m in route.methods if m != "HEAD")

    return set(walk(client.app.routes))  # type: ignore[attr-defined]


def test_every_route_is_public_or_tried_here(world: World) -> None:
    tried = {(m, p.replace(f"?{p.partition('?')[2]}", "")) for m, p, _ in API_ROUTES}
    known = PUBLIC | OTHER_PROTECTED | tried
    assert route_keys(world.rita) - known == set(), "a new route: add it to this test"


def test_rita_and_her_clinician_reach_her_data(world: World) -> None:
    """The baseline the refusals are measured against: the same requests work for those allowed."""
    for client in (world.rita, world.ada):
        for method, path, _ in API_ROUTES:
            if method == "GET":
                response = client.get(path.replace(SLUG, world.slug))
                assert response.status_code == 200, (path, response.text[:200])
    assert RITA_NOTE in world.rita.get("/").text  # the note reaches her


@pytest.mark.parametrize("who", ["sam", "ben"])
def test_another_runner_and_an_unrelated_clinician_get_404_and_nothing(
    world: World, who: str
) -> None:
    client: TestClient = getattr(world, who)
    before = world.counts()
    for method, path, body in API_ROUTES:
        response = client.request(method, path.replace(SLUG, world.slug), json=body)
        assert response.status_code == 404, (who, method, path, response.status_code)
        assert RITA not in response.text and RITA_NOTE not in response.text
    listed = client.get(f"{API}/runners").json()
    assert world.slug not in {r["slug"] for r in listed}
    assert world.counts() == before, "a refused request changed what is stored"


def test_signed_out_the_api_answers_401_and_pages_go_to_sign_in(world: World) -> None:
    before = world.counts()
    for method, path, body in API_ROUTES:
        response = world.nobody.request(method, path.replace(SLUG, world.slug), json=body)
        assert response.status_code == 401, (method, path)
        assert response.json()["error"] == "login_required"
    for page in [*OWN_PAGES, "/clinic", "/account", f"/gait/{world.analysis_id}"]:
        response = world.nobody.get(page, follow_redirects=False)
        assert response.status_code == 303, page
        assert response.headers["location"].startswith("/login?next=")
    assert world.counts() == before


def test_sams_pages_show_only_sam(world: World) -> None:
    for page in OWN_PAGES:
        response = world.sam.get(page)
        assert response.status_code == 200, page
        assert RITA not in response.text and RITA_NOTE not in response.text, page
    assert SAM in world.sam.get("/plan/handout.html").text


def test_rita_sees_her_own_pages_and_no_clinician_page(world: World) -> None:
    assert world.rita.get("/clinic").status_code == 403
    assert world.rita.get(f"/clinic/runners/{world.slug}").status_code == 403
    assert RITA in world.rita.get("/plan/handout.html").text


def test_gait_reports_and_jobs_are_hers_alone(world: World) -> None:
    mine = world.rita.get(f"/gait/{world.analysis_id}/report.html")
    assert mine.status_code == 200
    for who in ("sam", "ben"):
        client: TestClient = getattr(world, who)
        for path in (
            f"/gait/{world.analysis_id}",
            f"/gait/{world.analysis_id}/report.html",
            f"/gait/jobs/{world.job_id}",
        ):
            response = client.get(path, follow_redirects=False)
            assert response.status_code in (303, 404), (who, path)
            if response.status_code == 303:  # Ben has no runner open: back to his list
                assert response.headers["location"] == "/clinic"
        status = client.get(f"/gait/jobs/{world.job_id}/status", follow_redirects=False)
        assert str(world.analysis_id) not in status.text


def test_an_unrelated_clinician_cannot_open_note_or_edit_her(world: World) -> None:
    before = world.counts()
    ben = world.ben
    token = csrf(ben, "/clinic")
    assert ben.get(f"/clinic/runners/{world.slug}").status_code == 404
    for path, data in (
        (f"/clinic/runners/{world.slug}/notes", {"note": "not mine to write"}),
        (
            f"/clinic/runners/{world.slug}/plan",
            {"kind": "dosage", "exercise_id": "clamshell", "sets": "2"},
        ),
    ):
        response = ben.post(path, data={**data, "csrf_token": token})
        assert response.status_code == 404, path
    # the runner cookie naming Rita opens nothing for Ben: his pages go back to his list
    ben.cookies.set("gc_runner", world.slug)
    try:
        response = ben.get("/today", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/clinic"
    finally:
        ben.cookies.delete("gc_runner")
    assert RITA not in ben.get("/clinic").text
    assert world.counts() == before


def test_her_clinician_opens_her_pages_as_she_sees_them(world: World) -> None:
    ada = world.ada
    listed = ada.get("/clinic")
    assert listed.status_code == 200 and RITA in listed.text and SAM not in listed.text
    assert ada.get(f"/clinic/runners/{world.slug}").status_code == 200  # opens Rita
    for page in ("/today", "/plan", "/progress", "/runs", "/gait"):
        assert ada.get(page).status_code == 200, page
    handout = ada.get("/plan/handout.html").text
    assert RITA in handout and SAM not in handout
