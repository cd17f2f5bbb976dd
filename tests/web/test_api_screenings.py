"""POST /api/v1/screenings: answers and tests in, findings out, nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import API, example_answers, red_flag_answers, utc_today


def test_the_example_answers_give_findings_with_their_reasons(library_client: TestClient) -> None:
    response = library_client.post(f"{API}/screenings", json=example_answers())
    assert response.status_code == 200
    screening = response.json()
    assert screening["kind"] == "glutecoach.screening"
    assert screening["screened_on"] == utc_today().isoformat()
    findings = {f["kind"]: f for f in screening["findings"]}
    assert findings["hip_abductor_weakness"]["side"] == "left"
    assert findings["hip_abductor_weakness"]["reasons"]
    assert findings["hip_abductor_weakness"]["exercises"]
    side_plank = next(a for a in screening["asymmetries"] if a["test"] == "side_plank")
    assert (side_plank["left"], side_plank["right"], side_plank["weaker"]) == (18, 41, "left")
    assert screening["referrals"] == []


def test_red_flag_pain_gives_a_referral_and_leaves_the_area_out(
    library_client: TestClient,
) -> None:
    response = library_client.post(f"{API}/screenings", json=red_flag_answers())
    assert response.status_code == 200
    screening = response.json()
    assert [r["area"] for r in screening["referrals"]] == ["hip"]
    assert "sharp" in " ".join(screening["referrals"][0]["red_flags"])
    assert screening["referrals"][0]["message"]
    assert "hip" in screening["excluded_areas"]


def test_no_answers_at_all_is_a_screening_with_no_findings(library_client: TestClient) -> None:
    response = library_client.post(f"{API}/screenings", json={})
    assert response.status_code == 200
    assert response.json()["findings"] == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"answers": {"knee_pain": True}}, "field 'answers.knee_pain' is not a known field"),
        (
            {"answers": {"pain": [{"area": "hip", "level": 11}]}},
            "field 'answers.pain.0.level' Input should be less than or equal to 10",
        ),
        ({"answers": {"pain": [{"area": "elbow", "level": 3}]}}, "field 'answers.pain.0.area'"),
        ({"tests": {"side_plank_s": {"left": "long", "right": 30}}}, "field 'tests.side_plank_s"),
        ({"tests": {"side_plank_s": {"left": 30}}}, "field 'tests.side_plank_s.right' is missing"),
        ([1, 2], "Input should be a valid dictionary"),
    ],
)
def test_bad_answers_are_422_naming_the_field(
    library_client: TestClient, body: Any, message: str
) -> None:
    response = library_client.post(f"{API}/screenings", json=body)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"
    assert message in response.json()["message"]


def test_a_body_that_is_not_json_is_422(library_client: TestClient) -> None:
    response = library_client.post(
        f"{API}/screenings", content=b"answers: yes", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"
