"""Every API error has one shape, `{"error": kind, "message": sentence}`, and a fitting status."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from glutecoach.web.app import MAX_BODY_BYTES
from tests.web.conftest import API, Runner, profile_json, red_flag_answers

# (method, path, JSON body, status, error kind)
ERRORS: list[tuple[str, str, Any, int, str]] = [
    ("GET", "/exercises/no_such_thing", None, 404, "not_found"),
    ("GET", "/exercises?max_difficulty=6", None, 422, "invalid_input"),
    ("GET", "/runners/nobody/today", None, 404, "not_found"),
    ("GET", "/runners/NOBODY/today", None, 422, "invalid_input"),
    ("GET", "/runners/test-runner/today?date=someday", None, 422, "invalid_input"),
    ("GET", "/runners/test-runner/plan?format=pdf", None, 422, "invalid_input"),
    ("POST", "/screenings", {"answers": {"pain": "lots"}}, 422, "invalid_input"),
    ("POST", "/runners", {"profile": {}}, 422, "invalid_input"),
    (
        "POST",
        "/runners",
        {"profile": {"name": "X"}, "answers": red_flag_answers()},
        422,
        "invalid_input",
    ),
    ("POST", "/runners/test-runner/logs", {"session": "strength"}, 422, "invalid_input"),
    ("POST", "/runners/test-runner/soreness", {"level": 99}, 422, "invalid_input"),
    (
        "POST",
        "/runners",
        {"profile": profile_json(), "answers": red_flag_answers()},
        409,
        "referral",
    ),
    (
        "POST",
        "/runners/test-runner/logs",
        {
            "session": "strength",
            "exercises": [
                {"exercise_id": "clamshell", "sets": [5], "effort": 5, "felt": "glutes", "pain": 0}
            ],
            "date": "2000-01-03",
        },
        422,
        "invalid_input",
    ),
    ("DELETE", "/runners", None, 405, "http_error"),
    ("POST", "/screenings", "not json", 422, "invalid_input"),
    ("GET", "/no/such/path", None, 404, "http_error"),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "kind"),
    ERRORS,
    ids=[f"{m} {p} {s}" for m, p, _, s, _ in ERRORS],
)
def test_every_error_has_the_same_shape(
    runner: Runner, method: str, path: str, body: Any, status: int, kind: str
) -> None:
    sent = {"content": body} if isinstance(body, str) else {"json": body}
    response = runner.client.request(method, f"{API}{path}", **sent)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    error = response.json()
    assert set(error) == {"error", "message"}
    assert error["error"] == kind
    assert isinstance(error["message"], str)
    assert 10 < len(error["message"]) < 400
    assert "Traceback" not in error["message"]


def test_a_body_over_the_limit_is_413_before_it_is_read(runner: Runner) -> None:
    body = b'{"level": 3, "note": "' + b"x" * MAX_BODY_BYTES + b'"}'
    response = runner.client.post(
        runner.url("/soreness"), content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {
        "error": "request_too_large",
        "message": f"request body over {MAX_BODY_BYTES} bytes",
    }
    assert runner.client.get(runner.url("/progress")).json()["soreness"] == []


def test_a_streamed_body_over_the_limit_is_413_too(runner: Runner) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"level": 3, "note": "'
        for _ in range(MAX_BODY_BYTES // 50_000 + 1):
            yield b"x" * 50_000
        yield b'"}'

    response = runner.client.post(
        runner.url("/soreness"), content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "request_too_large"
    assert runner.client.get(runner.url("/progress")).json()["soreness"] == []


def test_a_body_just_under_the_limit_is_read(runner: Runner) -> None:
    body = b'{"level": 3, "note": "' + b"x" * (MAX_BODY_BYTES - 100) + b'"}'
    response = runner.client.post(
        runner.url("/soreness"), content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422  # read and checked: the note is too long, not the body
    assert response.json()["message"].startswith("field 'note' ")


NUL_TEXT: list[tuple[str, dict[str, Any], str]] = [
    ("/runners", {"profile": profile_json(name="Ana\u0000")}, "profile.name"),
    ("/runners/test-runner/soreness", {"level": 2, "note": "a\u0000b"}, "note"),
    ("/runners/test-runner/skips", {"session": "strength", "reason": "\u0000"}, "reason"),
]


@pytest.mark.parametrize(("path", "body", "field"), NUL_TEXT, ids=[p for p, _, _ in NUL_TEXT])
def test_text_holding_a_nul_character_is_422_naming_the_field(
    runner: Runner, path: str, body: dict[str, Any], field: str
) -> None:
    # PostgreSQL cannot store NUL in text: refused as bad input, never a storage error
    response = runner.client.post(f"{API}{path}", json=body)
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid_input",
        "message": f"field '{field}' may not contain NUL characters (\\u0000)",
    }


def test_a_nul_character_in_a_logged_exercise_is_422(runner: Runner) -> None:
    day = runner.days("strength")[0]
    response = runner.client.post(runner.url("/logs"), json=runner.entry(day, load="red\u0000"))
    assert response.status_code == 422
    assert response.json()["message"].startswith("field 'exercises.0.load' may not contain NUL")
    assert runner.client.get(runner.url("/export")).json()["session_logs"] == []


def test_an_escaped_backslash_before_u0000_is_just_text(runner: Runner) -> None:
    response = runner.client.post(runner.url("/soreness"), json={"level": 2, "note": "C:\\u0000"})
    assert response.status_code == 201
    assert runner.client.get(runner.url("/export")).json()["soreness"][0]["note"] == "C:\\u0000"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/runners/test-runner/runs", '{"distance_km": NaN, "minutes": 30}'),
        ("/runners/test-runner/soreness", '{"level": Infinity}'),
        (
            "/runners",
            '{"profile": {"name": "N", "run_days": ["tue"], "weekly_km": 30, '
            '"planned_weekly_km": [NaN]}}',
        ),
        ("/screenings", '{"tests": {"side_plank_s": {"left": -Infinity, "right": 30}}}'),
    ],
)
def test_nan_and_infinity_are_not_json_numbers(runner: Runner, path: str, body: str) -> None:
    response = runner.client.post(
        f"{API}{path}", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"
    assert "is not a number in JSON" in response.json()["message"]
    assert [r["slug"] for r in runner.client.get(f"{API}/runners").json()] == ["test-runner"]
