"""GET /api/v1/runners/{slug}/plan (JSON or a file) and /plan/changes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import API, Runner


def test_the_plan_is_the_runners_current_plan_as_json(runner: Runner) -> None:
    response = runner.client.get(runner.url("/plan"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    plan = response.json()
    assert plan["kind"] == "glutecoach.plan"
    assert plan["runner"] == "Test Runner"
    assert len(plan["weeks"]) == 8
    assert [len(w["days"]) for w in plan["weeks"]] == [7] * 8
    assert "hip_abductor_weakness" in {f["kind"] for f in plan["findings"]}
    assert runner.days("strength")
    assert "content-disposition" not in response.headers


@pytest.mark.parametrize(
    ("fmt", "media", "suffix", "opening"),
    [
        ("ics", "text/calendar", "ics", "BEGIN:VCALENDAR"),
        ("html", "text/html", "html", "<!doctype html>"),
        ("markdown", "text/markdown", "md", "# "),
    ],
)
def test_the_plan_downloads_as_a_file(
    runner: Runner, fmt: str, media: str, suffix: str, opening: str
) -> None:
    response = runner.client.get(runner.url("/plan"), params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(f"{media}; charset=utf-8")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="glutecoach-plan-test-runner-v1.{suffix}"'
    )
    assert response.text.lstrip().lower().startswith(opening.lower())
    assert "Test Runner" in response.text


def test_the_calendar_has_an_event_on_each_strength_day(runner: Runner) -> None:
    calendar = runner.client.get(runner.url("/plan"), params={"format": "ics"}).text
    for day in runner.days("strength"):
        assert f"DTSTART;VALUE=DATE:{day['date'].replace('-', '')}" in calendar


def test_an_unknown_format_is_422(runner: Runner) -> None:
    response = runner.client.get(runner.url("/plan"), params={"format": "pdf"})
    assert response.status_code == 422
    assert response.json()["message"].startswith("field 'format' ")


def test_the_plan_of_an_unknown_runner_is_404(client: TestClient) -> None:
    response = client.get(f"{API}/runners/nobody/plan")
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "message": "no runner 'nobody' (runners: none yet)",
    }


def test_a_new_plan_has_one_version_with_its_reason(runner: Runner) -> None:
    response = runner.client.get(runner.url("/plan/changes"))
    assert response.status_code == 200
    versions = response.json()
    assert len(versions) == 1
    assert versions[0]["version"] == 1
    assert versions[0]["reason"] == "plan from your profile and screening"
    assert versions[0]["changes"] == []
    assert runner.client.get(f"{API}/runners/nobody/plan/changes").status_code == 404
