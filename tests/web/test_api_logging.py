"""POST /api/v1/runners/{slug}/logs, /skips, /soreness and /runs: each log is one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.web.conftest import API, Runner, utc_today

TOMORROW = (utc_today() + dt.timedelta(days=1)).isoformat()


def rest_day(runner: Runner) -> dict[str, Any]:
    """A past day of the plan with no strength session."""
    return next(
        day
        for week in runner.plan["weeks"]
        for day in week["days"]
        if day["date"] < utc_today().isoformat()
        and not any(s["kind"] == "strength" for s in day["sessions"])
    )


def test_a_logged_session_returns_each_exercises_next_step(runner: Runner) -> None:
    day = runner.days("strength")[0]
    response = runner.client.post(runner.url("/logs"), json=runner.entry(day))
    assert response.status_code == 201
    outcome = response.json()
    # one decision per exercise the log bears on, about its next prescription in the plan
    upcoming = {
        p["exercise_id"]
        for d in runner.days("strength", before=dt.date.max)
        if d["date"] > utc_today().isoformat()  # the plan changes from tomorrow on
        for s in d["sessions"]
        for p in s["prescriptions"]
    }
    decisions = outcome["decisions"]
    logged = {e["exercise_id"] for e in runner.entry(day)["exercises"]}
    # every exercise logged gets what happens next: a hold while the plan still holds it
    assert {d["logged_as"] or d["exercise_id"] for d in decisions} == logged
    for d in decisions:
        assert d["session"] == "strength"
        if d["exercise_id"] in upcoming:
            assert d["action"] == "hold"
            assert d["reason"].startswith("Hold: one more session")
        else:
            assert d["action"] == "ends"
            assert "not in your strength sessions from tomorrow on" in d["reason"]
    assert any(d["action"] == "hold" for d in decisions)
    assert outcome["plan_version"] == 1
    assert outcome["changes"] == []


def bad_field(runner: Runner, day: dict[str, Any]) -> dict[str, Any]:
    entry = runner.entry(day)
    entry["exercises"][0]["rpe"] = 6
    return entry


def effort_too_high(runner: Runner, day: dict[str, Any]) -> dict[str, Any]:
    return runner.entry(day, effort=11)


def future(runner: Runner, day: dict[str, Any]) -> dict[str, Any]:
    return {**runner.entry(day), "date": TOMORROW}


def foreign_exercise(runner: Runner, day: dict[str, Any]) -> dict[str, Any]:
    entry = runner.entry(day)
    entry["exercises"][0]["exercise_id"] = "nordic_hamstring_curl"
    return entry


def not_planned(runner: Runner, day: dict[str, Any]) -> dict[str, Any]:
    return {**runner.entry(day), "date": rest_day(runner)["date"]}


def no_exercises(runner: Runner, day: dict[str, Any]) -> dict[str, Any]:
    return {**runner.entry(day), "exercises": []}


def repeated_exercise(runner: Runner, day: dict[str, Any]) -> dict[str, Any]:
    entry = runner.entry(day)
    return {**entry, "exercises": [*entry["exercises"], entry["exercises"][0]]}


def unknown_feeling(runner: Runner, day: dict[str, Any]) -> dict[str, Any]:
    return runner.entry(day, felt="elbow")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (bad_field, "field 'exercises.0.rpe' is not a known field"),
        (effort_too_high, "field 'exercises.0.effort' Input should be less than or equal to 10"),
        (future, f"date {TOMORROW} is in the future"),
        (foreign_exercise, "exercise 'nordic_hamstring_curl' is not in the strength session"),
        (not_planned, "no strength session is planned on"),
        (no_exercises, "field 'exercises' Tuple should have at least 1 item"),
        (unknown_feeling, "field 'exercises.0.felt' Input should be 'glutes'"),
        (repeated_exercise, "logged twice; give each exercise once"),
    ],
)
def test_a_bad_log_is_422_and_stores_nothing(
    runner: Runner, make: Callable[[Runner, dict[str, Any]], dict[str, Any]], message: str
) -> None:
    day = runner.days("strength")[0]
    response = runner.client.post(runner.url("/logs"), json=make(runner, day))
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"
    assert message in response.json()["message"]
    today = runner.client.get(runner.url("/today"), params={"date": day["date"]}).json()
    assert today["logged"] == []


def test_a_session_logged_twice_is_409(runner: Runner) -> None:
    day = runner.days("strength")[0]
    assert runner.client.post(runner.url("/logs"), json=runner.entry(day)).status_code == 201
    again = runner.client.post(runner.url("/logs"), json=runner.entry(day))
    assert again.status_code == 409
    assert again.json() == {
        "error": "rule_violation",
        "message": f"the strength session of {day['date']} is already logged",
    }


def test_a_skip_is_stored_and_counted(runner: Runner) -> None:
    day = runner.days("strength")[0]
    body = {"date": day["date"], "session": "strength", "reason": "travelling"}
    response = runner.client.post(runner.url("/skips"), json=body)
    assert response.status_code == 201
    assert response.json() == body
    week = runner.client.get(runner.url("/progress")).json()["weeks"][0]
    assert (week["skipped"], week["done"]) == (1, 0)
    today = runner.client.get(runner.url("/today"), params={"date": day["date"]}).json()
    assert today["logged"] == ["strength"]


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"reason": ""}, 422, "field 'reason' String should have at least 1 character"),
        ({"reason": "x" * 201}, 422, "field 'reason' String should have at most 200 characters"),
        ({"session": "nap"}, 422, "field 'session' Input should be"),
        ({"date": TOMORROW}, 422, "is in the future"),
        ({"why": "tired"}, 422, "field 'why' is not a known field"),
    ],
)
def test_a_bad_skip_is_refused(
    runner: Runner, change: dict[str, Any], status: int, message: str
) -> None:
    day = runner.days("strength")[0]
    body = {"date": day["date"], "session": "strength", "reason": "travelling", **change}
    response = runner.client.post(runner.url("/skips"), json=body)
    assert response.status_code == status
    assert message in response.json()["message"]


def test_skipping_a_session_not_planned_that_day_is_422(runner: Runner) -> None:
    body = {"date": rest_day(runner)["date"], "session": "strength", "reason": "ill"}
    response = runner.client.post(runner.url("/skips"), json=body)
    assert response.status_code == 422
    assert "no strength session is planned on" in response.json()["message"]


def test_soreness_is_stored_and_shows_in_progress(runner: Runner) -> None:
    yesterday = (utc_today() - dt.timedelta(days=1)).isoformat()
    body = {"date": yesterday, "level": 4, "note": "stairs were hard"}
    response = runner.client.post(runner.url("/soreness"), json=body)
    assert response.status_code == 201
    assert response.json()["plan_version"] >= 1
    assert response.json()["decisions"] == []
    progress = runner.client.get(runner.url("/progress")).json()
    assert progress["soreness"] == [{"date": yesterday, "value": 4.0}]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"level": 11}, "field 'level' Input should be less than or equal to 10"),
        ({"level": -1}, "field 'level' Input should be greater than or equal to 0"),
        ({"date": TOMORROW}, f"date {TOMORROW} is in the future"),
        ({"note": "x" * 201}, "field 'note' String should have at most 200 characters"),
        ({"level": "bad"}, "field 'level' Input should be a valid integer"),
    ],
)
def test_bad_soreness_is_422(runner: Runner, change: dict[str, Any], message: str) -> None:
    response = runner.client.post(runner.url("/soreness"), json={"level": 3, **change})
    assert response.status_code == 422
    assert message in response.json()["message"]
    assert runner.client.get(runner.url("/progress")).json()["soreness"] == []


def test_a_run_is_stored_with_todays_date_by_default(runner: Runner) -> None:
    response = runner.client.post(runner.url("/runs"), json={"distance_km": 8.5, "minutes": 47})
    assert response.status_code == 201
    assert response.json() == {
        "date": utc_today().isoformat(),
        "kind": "easy",
        "distance_km": 8.5,
        "minutes": 47.0,
    }
    runs = runner.client.get(runner.url("/export")).json()["runs"]
    assert runs == [response.json()]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"distance_km": -2, "minutes": 10}, "field 'distance_km' Input should be greater"),
        ({"distance_km": 5, "minutes": 5000}, "field 'minutes' Input should be less than"),
        ({"distance_km": 5}, "field 'minutes' is missing"),
        ({"distance_km": 5, "minutes": 30, "date": TOMORROW}, "is in the future"),
    ],
)
def test_a_bad_run_is_422(runner: Runner, body: dict[str, Any], message: str) -> None:
    response = runner.client.post(runner.url("/runs"), json=body)
    assert response.status_code == 422
    assert message in response.json()["message"]
    assert runner.client.get(runner.url("/export")).json()["runs"] == []


@pytest.mark.parametrize(
    ("tail", "body"),
    [
        (
            "/logs",
            {
                "session": "strength",
                "exercises": [
                    {
                        "exercise_id": "clamshell",
                        "sets": [1],
                        "effort": 5,
                        "felt": "glutes",
                        "pain": 0,
                    }
                ],
            },
        ),
        ("/skips", {"session": "strength", "reason": "ill"}),
        ("/soreness", {"level": 2}),
        ("/runs", {"distance_km": 5, "minutes": 30}),
        ("/screenings", {}),
    ],
)
def test_logging_for_an_unknown_runner_is_404(
    runner: Runner, tail: str, body: dict[str, Any]
) -> None:
    response = runner.client.post(f"{API}/runners/nobody{tail}", json=body)
    assert response.status_code == 404
    assert response.json()["message"] == "no runner 'nobody' (runners: test-runner)"
