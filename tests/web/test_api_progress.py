"""A log changes the plan; the change, the new plan and the progress report all show it.
GET /api/v1/runners/{slug}/progress and /export."""

from __future__ import annotations

import datetime as dt

from tests.web.conftest import API, Runner, utc_today


def test_a_painful_log_changes_the_plan_and_shows_in_changes_plan_and_progress(
    runner: Runner,
) -> None:
    day = runner.days("strength")[-1]
    logged = runner.client.post(runner.url("/logs"), json=runner.entry(day, pain=5))
    assert logged.status_code == 201
    outcome = logged.json()
    assert outcome["plan_version"] == 2
    hurt = {e["exercise_id"] for e in runner.entry(day)["exercises"]}
    decisions = outcome["decisions"]
    assert {d["logged_as"] or d["exercise_id"] for d in decisions} == hurt
    stops = [d for d in decisions if d["action"] == "stop"]
    assert stops and all("Pain 5/10" in d["reason"] for d in stops)
    assert all(d["to_exercise_id"] not in hurt for d in decisions)
    changes = outcome["changes"]
    tomorrow = (utc_today() + dt.timedelta(days=1)).isoformat()
    assert all(c["effective_from"] == tomorrow for c in changes)
    # the session's exercises all load the hip: two or more that hurt stop the hip's programme
    assert any("See a physiotherapist or doctor" in c["reason"] for c in changes)

    versions = runner.client.get(runner.url("/plan/changes")).json()
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["reason"] == f"after your strength log of {day['date']}"
    assert versions[1]["changes"] == changes

    plan = runner.client.get(runner.url("/plan")).json()
    upcoming = [
        s
        for week in plan["weeks"]
        for d in week["days"]
        if d["date"] >= tomorrow
        for s in d["sessions"]
    ]
    # gone from every kind of session, kept aside with the reason and what brings it back
    assert not hurt & {p["exercise_id"] for s in upcoming for p in s["prescriptions"]}
    held = {h["prescription"]["exercise_id"] for s in upcoming for h in s["held"]}
    assert held & hurt
    assert all("comes back when" in h["reason"] for s in upcoming for h in s["held"])

    progress = runner.client.get(runner.url("/progress")).json()
    assert progress["as_of"] == utc_today().isoformat()
    assert progress["pain"] == [{"date": day["date"], "value": 5.0}]
    assert sum(w["done"] for w in progress["weeks"]) == 1
    histories = {h["exercise_id"]: h["points"] for h in progress["exercises"]}
    assert set(histories) == {e["exercise_id"] for e in runner.entry(day)["exercises"]}
    assert all(points[0]["pain"] == 5 for points in histories.values())


def test_high_soreness_lightens_the_next_session_in_a_new_plan_version(runner: Runner) -> None:
    yesterday = (utc_today() - dt.timedelta(days=1)).isoformat()
    response = runner.client.post(runner.url("/soreness"), json={"date": yesterday, "level": 8})
    assert response.status_code == 201
    outcome = response.json()
    assert outcome["plan_version"] == 2
    assert [c["action"] for c in outcome["changes"]] == ["lighter"]
    versions = runner.client.get(runner.url("/plan/changes")).json()
    assert versions[-1]["changes"] == outcome["changes"]


def test_progress_compares_a_retest_with_the_first_screening(runner: Runner) -> None:
    retest = {"tests": {"side_plank_s": {"left": 35, "right": 42}}}
    assert runner.client.post(runner.url("/screenings"), json=retest).status_code == 201
    tests = runner.client.get(runner.url("/progress")).json()["tests"]
    left = next(t for t in tests if (t["test"], t["side"]) == ("side_plank_s", "left"))
    assert (left["first"], left["latest"], left["improved"]) == ("18 s", "35 s", True)


def test_progress_on_a_given_date_counts_only_the_weeks_begun(runner: Runner) -> None:
    start = dt.date.fromisoformat(runner.plan["start"])
    response = runner.client.get(runner.url("/progress"), params={"date": start.isoformat()})
    assert response.status_code == 200
    assert [w["number"] for w in response.json()["weeks"]] == [1]
    assert runner.client.get(f"{API}/runners/nobody/progress").status_code == 404


def test_the_export_holds_everything_stored_for_the_runner(runner: Runner) -> None:
    day = runner.days("strength")[0]
    runner.client.post(runner.url("/logs"), json=runner.entry(day))
    runner.client.post(runner.url("/runs"), json={"distance_km": 10, "minutes": 55})
    response = runner.client.get(runner.url("/export"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"] == (
        'attachment; filename="glutecoach-test-runner.json"'
    )
    document = response.json()
    assert (document["format"], document["version"]) == ("glutecoach.export", 1)
    assert document["runner"]["slug"] == "test-runner"
    assert [p["version"] for p in document["plans"]] == [1]
    assert len(document["screenings"]) == 1
    assert [s["log"]["date"] for s in document["session_logs"]] == [day["date"]]
    assert [r["distance_km"] for r in document["runs"]] == [10]
    assert runner.client.get(f"{API}/runners/nobody/export").status_code == 404
