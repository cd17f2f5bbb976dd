"""The example runner logs a strength day at 5/10: what hurt is in none of their sessions for the
next three weeks, every surface says why and how it comes back, and a clinician's restore brings
it back. GET /api/v1/runners/{slug}/pain, POST .../recheck, GET /today."""

from __future__ import annotations

import datetime as dt
from typing import Any

from glutecoach.domain.library import BodyArea, load_library
from glutecoach.domain.progression.safety import ClearedBy
from glutecoach.services import clinic, recheck
from glutecoach.services.store import open_store
from tests.clock import clock_on
from tests.web.conftest import Runner, utc_today


def _sessions(plan: dict[str, Any], after: dt.date, days: int) -> list[dict[str, Any]]:
    until = after + dt.timedelta(days=days)
    return [
        s
        for week in plan["weeks"]
        for d in week["days"]
        if after.isoformat() < d["date"] <= until.isoformat()
        for s in d["sessions"]
    ]


def test_pain_on_a_strength_day_keeps_it_out_three_weeks_says_why_and_a_clinician_restores_it(
    runner: Runner, database_url: str
) -> None:
    day = runner.days("strength")[-1]
    logged = runner.client.post(runner.url("/logs"), json=runner.entry(day, pain=5))
    assert logged.status_code == 201, logged.text
    hurt = {e["exercise_id"] for e in runner.entry(day)["exercises"]}

    plan = runner.client.get(runner.url("/plan")).json()
    three_weeks = _sessions(plan, utc_today(), 21)
    assert three_weeks
    assert not hurt & {p["exercise_id"] for s in three_weeks for p in s["prescriptions"]}
    kinds = {s["kind"] for s in three_weeks if s["held"]}
    assert len(kinds) >= 2  # not only the strength sessions the pain was logged in

    pain = runner.client.get(runner.url("/pain")).json()
    assert pain["see_clinician"] is True
    assert "hip" in pain["stopped_areas"]
    assert {h["exercise_id"] for h in pain["held"]} == hurt
    assert pain["recheck"] == []  # a stopped area waits for a clinician, not a re-check

    page = runner.client.get("/today")
    assert page.status_code == 200
    assert "Held back for pain" in page.text
    assert "See a physiotherapist or doctor" in page.text

    refused = runner.client.post(runner.url("/recheck"), json={"pain_free": True})
    assert refused.status_code in (400, 422)
    assert "stopped" in refused.text

    with open_store(database_url, clock_on(utc_today() + dt.timedelta(days=4))) as db:
        stopped = [BodyArea(a) for a in pain["stopped_areas"]]
        outcome = recheck.clear(db, runner.slug, ClearedBy.clinician, stopped)
    back = {c.exercise_id for c in outcome.changes if c.action == "restore"}
    assert back  # the stopped areas' programme, and what hurt only there
    assert all(set(load_library().exercises[e].loads) & set(stopped) for e in back if e)
    after = runner.client.get(runner.url("/plan")).json()
    later = _sessions(after, utc_today() + dt.timedelta(days=4), 8 * 7)
    assert back <= {p["exercise_id"] for s in later for p in s["prescriptions"]}
    still = runner.client.get(runner.url("/pain")).json()
    assert still["stopped_areas"] == {}
    # what also loads another area it hurt in waits for that area's re-check
    for held in still["held"]:
        assert "re-check Today asks for" in held["reason"]
    with open_store(database_url, clock_on(utc_today() + dt.timedelta(days=4))) as db:
        due = recheck.pain_status(db, runner.slug).due
        assert due and not due & set(stopped)  # the clinician cleared those already
        recheck.clear(db, runner.slug, ClearedBy.runner)
    assert runner.client.get(runner.url("/pain")).json()["held"] == []
    final = runner.client.get(runner.url("/plan")).json()
    returned = {
        p["exercise_id"]
        for s in _sessions(final, utc_today() + dt.timedelta(days=4), 56)
        for p in s["prescriptions"]
    }
    assert hurt & returned


def test_the_clinicians_list_flags_a_stopped_area_until_it_is_restored(
    runner: Runner, database_url: str
) -> None:
    day = runner.days("strength")[-1]
    assert (
        runner.client.post(runner.url("/logs"), json=runner.entry(day, pain=5)).status_code == 201
    )
    with open_store(database_url, clock_on(utc_today())) as db:
        [view] = clinic.overview(db)
        stopped = [f for f in view.flags if "programme is stopped" in f.text]
        assert stopped and all(f.urgent for f in stopped)
        areas = [BodyArea(a) for a in recheck.pain_status(db, runner.slug).stopped]
        recheck.clear(db, runner.slug, ClearedBy.clinician, areas)
        [after] = clinic.overview(db)
    assert not [f for f in after.flags if "programme is stopped" in f.text]
