"""PostgreSQL restarted under load (stop + start, same port and data): while it is down the app
answers a clear 503 naming the database; once it is back every request succeeds again without
restarting glutecoach (the pool checks connections before use); never a 500 or a traceback."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from glutecoach.adapters.db.errors import StorageError
from glutecoach.adapters.db.throwaway import PostgresServer, throwaway_postgres
from tests.faults.server import engine_for, rows, running_server
from tests.web.conftest import example_answers, profile_json, utc_today

CLIENTS = 4
OUTAGE_S = 2.0
SETTLE_S = 0.5  # after the server is back, time for in-flight failures to come home


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[PostgresServer]:
    """A cluster of its own: restarting the session's would cut every other test's connections."""
    try:
        with throwaway_postgres() as server:
            yield server
    except StorageError as error:
        pytest.fail(error.message, pytrace=False)


@dataclass(frozen=True)
class Answer:
    at: float  # when the request was sent (time.monotonic)
    answered: float  # when its answer (or the failure) came
    what: str  # "today" or "run <date>"
    status: int | None  # None: no answer at all
    body: str


def load(base: str, slug: str, stop: threading.Event, answers: list[Answer], n: int) -> None:
    days = (utc_today() - dt.timedelta(days=300 + n * 1000 + i) for i in itertools.count())
    with httpx.Client(base_url=base, timeout=20) as http:
        for i in itertools.count():
            if stop.is_set():
                return
            sent = time.monotonic()  # timing
            if i % 2:
                what, request = "today", http.build_request("GET", f"/api/v1/runners/{slug}/today")
            else:
                day = next(days).isoformat()
                body = {"date": day, "distance_km": 5.0, "minutes": 30.0}
                what = f"run {day}"
                request = http.build_request("POST", f"/api/v1/runners/{slug}/runs", json=body)
            try:
                response = http.send(request)
                took = time.monotonic()  # timing
                answers.append(Answer(sent, took, what, response.status_code, response.text))
            except httpx.HTTPError as error:
                answers.append(Answer(sent, time.monotonic(), what, None, repr(error)))  # timing
            time.sleep(0.02)


def test_a_postgresql_restart_under_load_is_503s_then_service_as_before(
    own_postgres: PostgresServer, tmp_path: Path
) -> None:
    database = own_postgres.create_database()
    url = own_postgres.url(database)
    log = tmp_path / "server.log"
    answers: list[Answer] = []
    stop = threading.Event()
    with running_server(url, log) as app:
        started = httpx.post(
            f"{app.base}/api/v1/runners",
            json={"profile": profile_json(), "answers": example_answers()},
            timeout=30,
        )
        assert started.status_code == 201, started.text
        slug = started.json()["runner"]["slug"]
        clients = [
            threading.Thread(target=load, args=(app.base, slug, stop, answers, n))
            for n in range(CLIENTS)
        ]
        for client in clients:
            client.start()
        time.sleep(1.0)
        down = time.monotonic()  # timing
        own_postgres.stop()
        time.sleep(OUTAGE_S)
        own_postgres.start()
        up = time.monotonic()  # timing
        time.sleep(2.0)
        stop.set()
        for client in clients:
            client.join(30)
        output = app.output()

    # answered before the stop began: a request sent just before it may meet the shutdown
    before = [a for a in answers if a.answered < down]
    during = [a for a in answers if down <= a.at < up + SETTLE_S]
    after = [a for a in answers if a.at >= up + SETTLE_S]
    assert before and during and after
    assert all(a.status in (200, 201) for a in before), [
        a for a in before if a.status not in (200, 201)
    ][:3]
    assert all(a.status in (200, 201) for a in after), [a for a in after if a.status >= 300][:3]
    refused = [a for a in during if a.status not in (200, 201)]
    assert refused, "no request met the outage"
    for answer in refused:
        assert answer.status == 503, answer
        assert f"the PostgreSQL database '{database}' on 127.0.0.1:{own_postgres.port}" in (
            answer.body
        ), answer
    assert all(a.status != 500 for a in answers)
    assert "Traceback" not in output, output[-3000:]

    # every run the app said it stored is there, and none of those it refused
    engine = engine_for(url)
    stored = {str(d) for (d,) in rows(engine, "SELECT date FROM run_logs")}
    engine.dispose()
    acknowledged = {a.what.split()[1] for a in answers if a.what != "today" and a.status == 201}
    refused_runs = {a.what.split()[1] for a in refused if a.what != "today"}
    assert acknowledged <= stored
    assert not refused_runs & stored
