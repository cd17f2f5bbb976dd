"""GET /api/v1/runners/{slug}/today: the day's sessions and what the runner needs to do them."""

from __future__ import annotations

import datetime as dt

from tests.web.conftest import API, Runner, utc_today


def test_a_strength_day_lists_its_sessions_and_each_exercises_cues(runner: Runner) -> None:
    day = runner.days("strength")[0]
    response = runner.client.get(runner.url("/today"), params={"date": day["date"]})
    assert response.status_code == 200
    today = response.json()
    assert today["runner"] == "test-runner"
    assert today["date"] == day["date"]
    assert today["plan_version"] == 1
    assert today["logged"] == []
    assert today["changes"] == []
    assert today["day"] == day
    prescribed = [p["exercise_id"] for s in day["sessions"] for p in s["prescriptions"]]
    cards = today["exercises"]
    assert [c["id"] for c in cards] == list(dict.fromkeys(prescribed))
    assert all(c["cues"] and c["setup"] and c["feel_it"] for c in cards)


def test_a_logged_session_shows_as_logged(runner: Runner) -> None:
    day = runner.days("strength")[0]
    logged = runner.client.post(runner.url("/logs"), json=runner.entry(day))
    assert logged.status_code == 201
    today = runner.client.get(runner.url("/today"), params={"date": day["date"]}).json()
    assert today["logged"] == ["strength"]


def test_without_a_date_it_is_today_in_the_runners_time_zone(runner: Runner) -> None:
    response = runner.client.get(runner.url("/today"))
    assert response.status_code == 200
    assert response.json()["date"] == utc_today().isoformat()
    assert response.json()["day"]["date"] == utc_today().isoformat()


def test_a_day_outside_the_plan_has_no_sessions(runner: Runner) -> None:
    before = dt.date.fromisoformat(runner.plan["start"]) - dt.timedelta(days=1)
    response = runner.client.get(runner.url("/today"), params={"date": before.isoformat()})
    assert response.status_code == 200
    assert response.json()["day"] is None
    assert response.json()["exercises"] == []


def test_a_bad_date_is_422_and_an_unknown_runner_404(runner: Runner) -> None:
    for bad in ("tomorrow", "2026-02-30"):
        response = runner.client.get(runner.url("/today"), params={"date": bad})
        assert response.status_code == 422
        assert response.json()["message"].startswith("field 'date' ")
    response = runner.client.get(f"{API}/runners/nobody/today")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_a_date_at_the_edge_of_the_calendar_is_422_not_a_crash(runner: Runner) -> None:
    day = runner.days("strength")[0]
    assert runner.client.post(runner.url("/logs"), json=runner.entry(day)).status_code == 201
    for edge in ("9999-12-31", "0001-01-01"):
        for tail in ("/today", "/progress"):
            response = runner.client.get(runner.url(tail), params={"date": edge})
            assert response.status_code == 422
            assert response.json()["message"] == (
                f"field 'date' {edge} is not between 1900-01-01 and 2999-12-31"
            )
