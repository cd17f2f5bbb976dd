"""The run history and its load through the ASGI app, on SQLite and PostgreSQL:
GET /api/v1/runners/{slug}/runs and /load say what the CLI's --json says, and the /runs page shows
the load chart and the runs (or how to import them)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans

from glutecoach.adapters.db.repositories import Database
from glutecoach.reports.running import history_data, load_data
from glutecoach.services import run_import, running
from glutecoach.services.store import open_store
from glutecoach.web.app import create_app
from glutecoach.web.schemas import LoadOut, RunHistoryOut
from tests.adapters.runfiles.test_reading_real_files import RUNS
from tests.clock import TODAY, clock_on
from tests.runfiles import gpx_run
from tests.web.conftest import API, Runner, on_this_computer

SLUG = "sam-example"
ON = dt.date(2015, 9, 1)  # the real files run from 2013 to the end of August 2015


def database(client: TestClient) -> Database:
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    return db


def import_real_files(client: TestClient) -> None:
    """The shared FIT and TCX files (19 activities) for 'Sam Example', a new runner."""
    summary = run_import.import_runs(
        database(client), [RUNS / "fit", RUNS / "tcx"], runner_name="Sam Example", workers=1
    )
    assert summary.runner.slug == SLUG and summary.imported_runs == 19


def recent_runs(folder: Path, weeks_km: list[float]) -> list[Path]:
    """Three equal runs in each of the last weeks (oldest first, the last one this week's):
    Monday, Wednesday and Friday, this week's no later than today, at 06:00, 10:00 and 14:00
    UTC (hours apart, so not one run from two sources)."""
    today = TODAY
    monday = today - dt.timedelta(days=today.weekday())
    paths = []
    for back, km in enumerate(reversed(weeks_km)):
        for offset in (0, 2, 4):
            day = monday - dt.timedelta(weeks=back) + dt.timedelta(days=offset)
            day = min(day, today) if back == 0 else day
            start = dt.datetime.combine(day, dt.time(6 + offset * 2), dt.UTC)
            paths.append(gpx_run(folder, start, km / 3, km / 3 * 6))
    return paths


# The JSON API ------------------------------------------------------------------------------------


def test_the_history_is_the_clis_json_and_holds_every_imported_run(client: TestClient) -> None:
    import_real_files(client)
    response = client.get(f"{API}/runners/{SLUG}/runs")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    assert data == history_data(running.history(database(client), SLUG))
    RunHistoryOut.model_validate(data)  # the documented shape, field for field
    assert len(data["runs"]) == 19 and data["logged_by_hand"] == []
    assert [r["started_at_utc"] for r in data["runs"]] == sorted(
        r["started_at_utc"] for r in data["runs"]
    )
    fenix = next(r for r in data["runs"] if r["source"].endswith("garmin-fenix-5-run.fit"))
    assert fenix["sport"] == "running" and fenix["file_format"] == "fit"
    assert fenix["cadence_spm"] == pytest.approx(167.34, abs=0.01)  # steps, not strides


def test_the_load_is_the_services_report_and_adds_up_the_runs(client: TestClient) -> None:
    import_real_files(client)
    response = client.get(f"{API}/runners/{SLUG}/load", params={"weeks": 4, "date": ON.isoformat()})
    assert response.status_code == 200
    data = response.json()
    report = running.load_report(database(client), SLUG, ON, 4)
    assert data == load_data(report)
    LoadOut.model_validate(data)
    assert [w["start"] for w in data["weeks"]] == [
        "2015-08-10",
        "2015-08-17",
        "2015-08-24",
        "2015-08-31",
    ]
    assert data["on"] == ON.isoformat() and data["timezone"] == "UTC"
    # a week's km, added up here from the history the other endpoint gives
    runs = client.get(f"{API}/runners/{SLUG}/runs").json()["runs"]
    week = dt.date(2015, 8, 24)
    in_week = [
        r
        for r in runs
        if r["sport"] == "running"
        and week <= dt.date.fromisoformat(r["start"][:10]) < week + dt.timedelta(days=7)
    ]
    assert in_week
    third = data["weeks"][2]
    assert third["runs"] == len(in_week)
    km = [r["distance_m"] / 1000 for r in in_week]
    assert (third["running_km"], third["long_run_km"]) == (round(sum(km), 3), round(max(km), 3))
    assert data["runs_counted"] == sum(
        1 for r in runs if r["sport"] == "running" and r["start"][:10] <= ON.isoformat()
    )
    acwr = data["acwr"]
    days = [d["day"] for d in acwr["daily"]]
    assert (days[0], days[-1], len(days)) == ("2015-08-10", ON.isoformat(), 23)
    assert acwr["latest"]["day"] == ON.isoformat()
    assert acwr["source"] == report.acwr_source and "contested" in acwr["caveat"]
    assert acwr["sweet_spot"] == list(report.acwr_limits[:2])


def test_the_default_load_is_twelve_weeks_to_today(client: TestClient) -> None:
    import_real_files(client)
    data = client.get(f"{API}/runners/{SLUG}/load").json()
    assert len(data["weeks"]) == running.LOAD_WEEKS
    assert data["on"] == TODAY.isoformat()  # the runner is in UTC


def test_a_runner_without_runs_has_an_empty_history(runner: Runner) -> None:
    history = runner.client.get(runner.url("/runs")).json()
    assert (history["runner"], history["runs"], history["logged_by_hand"]) == (
        runner.slug,
        [],
        [],
    )
    load = runner.client.get(runner.url("/load")).json()
    assert load["runs_counted"] == 0 and load["acwr"]["latest"]["rolling"] is None


def test_unknown_runners_and_bad_input_are_refused(client: TestClient) -> None:
    import_real_files(client)
    for path in ("runs", "load"):
        missing = client.get(f"{API}/runners/nobody/{path}")
        assert missing.status_code == 404
        assert missing.json()["error"] == "not_found"
    for params in ({"weeks": 0}, {"weeks": 521}, {"weeks": "many"}, {"date": "2015-13-01"}):
        response = client.get(f"{API}/runners/{SLUG}/load", params=params)
        assert response.status_code == 422, params
        assert response.json()["error"] == "invalid_input"
        (name,) = params
        assert name in response.json()["message"]


@pytest.fixture
def api_schema(database_url: str, tmp_path: Path) -> Iterator[schemathesis.BaseSchema]:
    """The two endpoints' runner has the real files and this season's runs."""
    with open_store(database_url) as db:
        files = [RUNS / "tcx", *recent_runs(tmp_path, [20, 24, 30, 22, 28])]
        run_import.import_runs(db, files, runner_name="Sam Example", workers=1)
    yield schemathesis.openapi.from_asgi(
        "/openapi.json", on_this_computer(create_app(database_url))
    )
    shutdown_lifespans()


@pytest.mark.parametrize("path", [f"{API}/runners/{{slug}}/runs", f"{API}/runners/{{slug}}/load"])
def test_no_request_makes_the_run_endpoints_fail(
    api_schema: schemathesis.BaseSchema, path: str
) -> None:
    """As tests/web/test_openapi_fuzz.py does for the others, with runs stored to work on."""
    operation = api_schema[path]["GET"]
    cases = st.one_of(
        *(operation.as_strategy(mode, path_parameters={"slug": SLUG}) for mode in GenerationMode)
    )

    @settings(
        max_examples=40,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def call(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=[not_a_server_error])

    call()


# The /runs page ----------------------------------------------------------------------------------


def test_the_page_shows_the_load_chart_a_spike_and_the_runs(
    client: TestClient, tmp_path: Path
) -> None:
    import_real_files(client)
    weekly = [20, 20, 21, 22, 22, 23, 22, 23, 22, 23, 24, 36]  # the last week rises 50 %
    files = recent_runs(tmp_path, weekly)
    run_import.import_runs(database(client), files, workers=1)
    response = client.get("/runs")
    assert response.status_code == 200
    page = response.text
    assert '<svg class="chart"' in page and 'id="load-km-t"' in page and 'id="load-ratio-t"' in page
    assert 'aria-current="page">Runs</a>' in page
    report = running.load_report(database(client), None)
    spiked = [w for w in report.weeks if w.spike]
    assert spiked and "(spike)" in page and "▲ spike</strong>" in page
    assert f"▲{spiked[-1].running_km:g}" in page  # the spike bar's mark and number
    assert "contested as an injury predictor" in page
    assert f"more than {report.spike_pct:g} %" in page
    # the most recent run first; the real files' runs further down, in the runner's zone
    assert [w.spike for w in report.weeks] == [False] * 11 + [True]
    rows = re.findall(r'<th scope="row" title="([^"]+)">', page)
    assert len(rows) == 50 and "The last 50 of 55 recorded activities" in page
    assert rows[0].endswith("km.gpx") and rows[-1].endswith((".fit", ".tcx"))
    with_old = client.get("/runs", params={"weeks": 104})
    assert with_old.status_code == 200 and "104 weeks to" in with_old.text


def test_the_page_lists_the_real_files_runs(client: TestClient) -> None:
    import_real_files(client)
    page = client.get("/runs").text
    assert 'title="garmin-fenix-5-run.fit"' in page
    assert "All 19 recorded activities, most recent first" in page
    assert "No running in these 12 weeks" in page  # the files are from years ago
    fenix = re.search(r'title="garmin-fenix-5-run.fit">[^<]+</th>((?:<td>[^<]*</td>)+)', page)
    assert fenix is not None
    cells = re.findall(r"<td>([^<]*)</td>", fenix.group(1))
    assert cells[0] == "running" and cells[5] == "167"  # sport; cadence in steps a minute


def test_the_page_says_how_to_import_when_there_are_no_runs(runner: Runner) -> None:
    response = runner.client.get("/runs")
    assert response.status_code == 200
    assert "No runs yet" in response.text
    assert f"glutecoach import-runs PATH-TO-FILES --runner {runner.slug}" in response.text
    assert '<svg class="chart"' not in response.text


def test_the_page_checks_its_weeks_and_waits_for_a_runner(client: TestClient) -> None:
    first = client.get("/runs", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/start"
    import_real_files(client)
    for weeks in ("1", "105", "many"):
        response = client.get("/runs", params={"weeks": weeks})
        assert response.status_code == 422, weeks
        assert "Please check that" in response.text and "weeks" in response.text
    assert client.get("/runs", params={"weeks": 2}).status_code == 200


def test_the_page_shows_gait_by_pace_and_a_growing_imbalance(client: TestClient) -> None:
    """Seen from a few days after the Fenix 5 run, whose contact time leans 52.4 % left."""
    import_real_files(client)
    database(client).clock = clock_on(dt.date(2017, 6, 15))  # what every request reads
    report = running.load_report(database(client), SLUG)
    assert report.imbalance is not None and report.trends
    page = client.get("/runs").text
    assert 'id="gait-title">Your gait</h2>' in page
    assert f"Ground contact balance:</strong> {report.imbalance.describe()}." in page
    assert "your left foot spends 52.4 % of ground contact time" in page
    bands = re.findall(r'<tr><th scope="row">([^<]+/km)</th>', page)
    assert bands == [t.band for t in report.trends if t.cadence_recent is not None]
