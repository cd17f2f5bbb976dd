"""The web app through its ASGI interface: a fresh app and database per test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from glutecoach.web.app import create_app
from tests.clock import TODAY
from tests.conftest import EXAMPLES
from tests.factories import profile_data

API = "/api/v1"
# Every operation of the JSON API, as (method, path) in the OpenAPI document.
API_OPERATIONS = {
    ("get", "/api/v1/hello"),
    ("get", "/api/v1/exercises"),
    ("get", "/api/v1/exercises/{exercise_id}"),
    ("post", "/api/v1/screenings"),
    ("get", "/api/v1/runners"),
    ("post", "/api/v1/runners"),
    ("post", "/api/v1/runners/{slug}/screenings"),
    ("get", "/api/v1/runners/{slug}/today"),
    ("get", "/api/v1/runners/{slug}/plan"),
    ("get", "/api/v1/runners/{slug}/plan/changes"),
    ("post", "/api/v1/runners/{slug}/logs"),
    ("post", "/api/v1/runners/{slug}/skips"),
    ("post", "/api/v1/runners/{slug}/soreness"),
    ("get", "/api/v1/runners/{slug}/pain"),
    ("post", "/api/v1/runners/{slug}/recheck"),
    ("post", "/api/v1/runners/{slug}/runs"),
    ("get", "/api/v1/runners/{slug}/progress"),
    ("get", "/api/v1/runners/{slug}/export"),
    ("get", "/api/v1/runners/{slug}/runs"),
    ("get", "/api/v1/runners/{slug}/load"),
}


def utc_today() -> dt.date:
    """The day the suite lives on (tests/clock.py): the app's settings pin it too."""
    return TODAY


def profile_json(**overrides: Any) -> dict[str, Any]:
    """The factories' runner in UTC, with a plan that began two weeks before this week's Monday:
    past days to log, today inside the plan."""
    today = utc_today()
    start = today - dt.timedelta(days=today.weekday() + 14)
    return profile_data(timezone="UTC", start_date=start.isoformat(), **overrides)


def example_answers() -> dict[str, Any]:
    """examples/answers.yaml: weak left hip abductors and extensors, no red flag."""
    answers: dict[str, Any] = yaml.safe_load((EXAMPLES / "answers.yaml").read_text())
    return answers


def red_flag_answers() -> dict[str, Any]:
    """Sharp hip pain at night: the programme stops and the runner is referred."""
    return {
        "answers": {"pain": [{"area": "hip", "level": 6, "sharp": True, "at_night_or_rest": True}]}
    }


@dataclass(frozen=True)
class Runner:
    """A runner started through the API, and what the tests need to talk about their plan."""

    client: TestClient
    slug: str
    plan: dict[str, Any]

    def url(self, tail: str = "") -> str:
        return f"{API}/runners/{self.slug}{tail}"

    def days(self, kind: str, before: dt.date | None = None) -> list[dict[str, Any]]:
        """Plan days with a session of `kind`, before `before` (default: today)."""
        limit = (before or utc_today()).isoformat()
        return [
            day
            for week in self.plan["weeks"]
            for day in week["days"]
            if day["date"] < limit and any(s["kind"] == kind for s in day["sessions"])
        ]

    def entry(self, day: dict[str, Any], kind: str = "strength", **how: Any) -> dict[str, Any]:
        """A log of the day's session as prescribed (every set at the top of the range)."""
        session = next(s for s in day["sessions"] if s["kind"] == kind)
        exercises = [
            {
                "exercise_id": p["exercise_id"],
                "sets": [p["amount"]["high"]] * p["sets"],
                "effort": 6,
                "felt": "glutes",
                "pain": 0,
                **how,
            }
            for p in session["prescriptions"]
        ]
        return {"date": day["date"], "session": kind, "exercises": exercises}


# The address the test client says it comes from. Single-user mode (no accounts) answers only
# this computer; Starlette's default, "testclient", is not an address and is refused like any other.
LOOPBACK = ("127.0.0.1", 50000)


def app_client(database_url: str) -> TestClient:
    return TestClient(create_app(database_url), client=LOOPBACK)


def on_this_computer(app: Any) -> Any:
    """The app as a server on this computer hands it requests: from 127.0.0.1 (for tools such as
    schemathesis that make their own test client)."""

    async def local(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            scope = {**scope, "client": LOOPBACK}
        await app(scope, receive, send)

    return local


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    """The app on SQLite and on PostgreSQL (the `database_url` fixture's two databases)."""
    with app_client(database_url) as test_client:
        yield test_client


@pytest.fixture
def library_client(tmp_path: Path) -> Iterator[TestClient]:
    """For endpoints that read no database (the library, a screening not stored): SQLite only."""
    with app_client(f"sqlite:///{tmp_path / 'glutecoach.db'}") as test_client:
        yield test_client


def start_runner(client: TestClient, **body: Any) -> Runner:
    payload: dict[str, Any] = {"profile": profile_json(), "answers": example_answers(), **body}
    response = client.post(f"{API}/runners", json=payload)
    assert response.status_code == 201, response.text
    slug = response.json()["runner"]["slug"]
    plan = client.get(f"{API}/runners/{slug}/plan")
    assert plan.status_code == 200, plan.text
    return Runner(client, slug, plan.json())


@pytest.fixture
def runner(client: TestClient) -> Runner:
    """'Test Runner', screened with the example answers, two weeks into an eight-week plan."""
    return start_runner(client)
