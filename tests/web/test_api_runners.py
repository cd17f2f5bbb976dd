"""GET/POST /api/v1/runners and POST /api/v1/runners/{slug}/screenings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import (
    API,
    example_answers,
    profile_json,
    red_flag_answers,
    start_runner,
    utc_today,
)


def test_starting_a_runner_stores_them_with_a_first_plan(client: TestClient) -> None:
    profile = profile_json(name="Ana Kowalska")
    response = client.post(
        f"{API}/runners", json={"profile": profile, "answers": example_answers()}
    )
    assert response.status_code == 201
    started = response.json()
    assert started["runner"]["slug"] == "ana-kowalska"
    assert started["runner"]["name"] == "Ana Kowalska"
    assert started["new_runner"] is True
    assert started["plan_version"] == 1
    assert started["plan_start"] == profile["start_date"]
    start = dt.date.fromisoformat(profile["start_date"])
    assert started["plan_end"] == (start + dt.timedelta(weeks=8, days=-1)).isoformat()
    assert started["weeks"] == 8
    assert "hip_abductor_weakness" in {f["kind"] for f in started["findings"]}
    assert response.headers["location"] == f"{API}/runners/ana-kowalska/plan"
    listed = client.get(f"{API}/runners").json()
    assert [(r["slug"], r["name"]) for r in listed] == [("ana-kowalska", "Ana Kowalska")]


def test_without_answers_the_plan_has_no_findings_and_the_start_is_the_next_monday(
    client: TestClient,
) -> None:
    profile = {k: v for k, v in profile_json().items() if k != "start_date"}
    response = client.post(f"{API}/runners", json={"profile": profile, "weeks": 4})
    assert response.status_code == 201
    started = response.json()
    assert started["findings"] == []
    assert started["weeks"] == 4
    start = dt.date.fromisoformat(started["plan_start"])
    assert start.weekday() == 0
    assert utc_today() <= start < utc_today() + dt.timedelta(days=7)


def test_starting_the_same_runner_again_makes_a_new_plan_version(client: TestClient) -> None:
    start_runner(client)
    again = client.post(f"{API}/runners", json={"profile": profile_json(), "weeks": 6})
    assert again.status_code == 201
    assert again.json()["new_runner"] is False
    assert again.json()["plan_version"] == 2
    assert [r["slug"] for r in client.get(f"{API}/runners").json()] == ["test-runner"]
    assert len(client.get(f"{API}/runners/test-runner/plan").json()["weeks"]) == 6


def test_a_red_flag_refers_the_runner_and_stores_nothing(client: TestClient) -> None:
    body = {"profile": profile_json(), "answers": red_flag_answers()}
    response = client.post(f"{API}/runners", json=body)
    assert response.status_code == 409
    assert response.json()["error"] == "referral"
    assert "clinician" in response.json()["message"]
    assert client.get(f"{API}/runners").json() == []


def test_two_runners_are_listed_by_slug(client: TestClient) -> None:
    for name in ("Zoe Runner", "Ben Runner"):
        response = client.post(f"{API}/runners", json={"profile": profile_json(name=name)})
        assert response.status_code == 201
    assert [r["slug"] for r in client.get(f"{API}/runners").json()] == ["ben-runner", "zoe-runner"]


PAST = (utc_today() - dt.timedelta(days=30)).isoformat()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"profile": {"run_days": ["funday"]}}, "profile: field 'run_days.0' Input should be"),
        ({"profile": {"weekly_km": -1}}, "profile: field 'weekly_km' Input should be greater"),
        ({"profile": {"timezone": "Mars/Olympus"}}, "'Mars/Olympus' is not a time zone name"),
        ({"profile": {"timezone": ""}}, "profile: field 'timezone'"),
        (
            {"profile": {"race": {"date": PAST, "distance_km": 10}}},
            "profile: field 'race.date'",
        ),
        ({"profile": {"shoe_size": 44}}, "profile: field 'shoe_size' is not a known field"),
        ({"profile": {"name": "!!!"}}, "field 'name' '!!!' has no letters or digits"),
        ({"profile": {"hard_days": ["mon"]}}, "hard_days mon are not run_days"),
        ({"weeks": 0}, "field 'weeks' Input should be greater than or equal to 1"),
        ({"weeks": 25}, "field 'weeks' Input should be less than or equal to 24"),
        ({"answers": {"answers": {"pain": [{"area": "hip"}]}}}, "answers.answers.pain.0.level"),
        ({"shoes": "new"}, "field 'shoes' is not a known field"),
    ],
)
def test_a_bad_start_is_422_naming_the_field_and_stores_nothing(
    client: TestClient, change: dict[str, Any], message: str
) -> None:
    body: dict[str, Any] = {"profile": profile_json()}
    for key, value in change.items():
        body[key] = {**body[key], **value} if key == "profile" else value
    response = client.post(f"{API}/runners", json=body)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"
    assert message in response.json()["message"]
    assert client.get(f"{API}/runners").json() == []


def test_the_first_stored_screening_rebuilds_the_plan_and_a_second_is_a_retest(
    client: TestClient,
) -> None:
    client.post(f"{API}/runners", json={"profile": profile_json(), "weeks": 10})
    first = client.post(f"{API}/runners/test-runner/screenings", json=example_answers())
    assert first.status_code == 201
    assert first.json()["replanned"] is True
    assert first.json()["plan_version"] == 2
    assert first.json()["screening"]["findings"]
    plan = client.get(f"{API}/runners/test-runner/plan").json()
    assert "hip_abductor_weakness" in {f["kind"] for f in plan["findings"]}
    assert len(plan["weeks"]) == 10  # the runner's plan length, kept
    retest = client.post(f"{API}/runners/test-runner/screenings", json={})
    assert retest.status_code == 201
    assert (retest.json()["replanned"], retest.json()["plan_version"]) == (False, None)
    versions = client.get(f"{API}/runners/test-runner/plan/changes").json()
    assert [v["version"] for v in versions] == [1, 2]


@pytest.mark.parametrize("earlier", [None, {}], ids=["first screening", "re-test"])
def test_a_red_flag_screening_pauses_the_plan_from_today_and_refers_the_runner(
    client: TestClient, earlier: dict[str, Any] | None
) -> None:
    client.post(f"{API}/runners", json={"profile": profile_json()})
    if earlier is not None:
        client.post(f"{API}/runners/test-runner/screenings", json=earlier)
    before = client.get(f"{API}/runners/test-runner/plan/changes").json()[-1]["version"]
    response = client.post(f"{API}/runners/test-runner/screenings", json=red_flag_answers())
    assert response.status_code == 201
    result = response.json()
    assert result["replanned"] is True
    assert result["plan_version"] == before + 1
    referral = result["screening"]["referrals"][0]["message"]
    assert "clinician" in referral
    versions = client.get(f"{API}/runners/test-runner/plan/changes").json()
    assert versions[-1]["reason"] == "paused: see a clinician"
    plan = client.get(f"{API}/runners/test-runner/plan").json()
    assert referral in plan["referrals"]
    days = [d for w in plan["weeks"] for d in w["days"]]
    today = utc_today().isoformat()
    assert all(d["sessions"] == [] for d in days if d["date"] >= today)
    assert any(d["sessions"] for d in days if d["date"] < today)


def test_a_screening_for_an_unknown_runner_is_404(client: TestClient) -> None:
    start_runner(client)
    response = client.post(f"{API}/runners/nobody/screenings", json=example_answers())
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "message": "no runner 'nobody' (runners: test-runner)",
    }


def test_a_screening_with_a_bad_answer_is_422(client: TestClient) -> None:
    start_runner(client)
    body = {"tests": {"single_leg_bridge_reps": {"left": 500, "right": 20}}}
    response = client.post(f"{API}/runners/test-runner/screenings", json=body)
    assert response.status_code == 422
    assert response.json()["message"].startswith("field 'tests.single_leg_bridge_reps.left' ")


def test_a_slug_that_cannot_be_a_runner_is_422(client: TestClient) -> None:
    response = client.get(f"{API}/runners/Not A Slug/plan")
    assert response.status_code == 422
    assert response.json()["message"].startswith("field 'slug' ")
