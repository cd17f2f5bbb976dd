"""The account pages through the ASGI app: sign-in and its limits, cookies, sign-up, password
change and reset by a one-time link (in development the link is written to the server log)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from glutecoach.services import accounts
from glutecoach.services.store import open_store
from glutecoach.web.app import create_app

PASSWORD = "a long enough password"
EMAIL = "ada@clinic.test"


@pytest.fixture
def app_url(database_url: str) -> str:
    with open_store(database_url) as db:
        accounts.add_clinician(db, EMAIL, "Dr Ada", PASSWORD)
    return database_url


def visitor(url: str, base_url: str = "http://testserver") -> TestClient:
    return TestClient(create_app(url), base_url=base_url, client=("198.51.100.7", 40000))


@pytest.fixture
def client(app_url: str) -> Iterator[TestClient]:
    with visitor(app_url) as test_client:
        yield test_client


def csrf(client: TestClient, page: str = "/login") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert found is not None
    return found.group(1)


def sign_in(client: TestClient, password: str = PASSWORD, email: str = EMAIL) -> Response:
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf(client)},
        follow_redirects=False,
    )


def test_signing_in_sets_a_guarded_session_cookie_and_goes_where_asked(client: TestClient) -> None:
    assert client.get("/clinic", follow_redirects=False).headers["location"] == (
        "/login?next=%2Fclinic"
    )
    response = client.post(
        "/login",
        data={
            "email": "  ADA@clinic.test ",
            "password": PASSWORD,
            "next": "/clinic",
            "csrf_token": csrf(client),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/clinic"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("gc_session=") and "HttpOnly" in cookie
    assert "SameSite=lax" in cookie and "Secure" not in cookie  # plain http here
    assert client.get("/clinic").status_code == 200


def test_over_https_the_cookie_is_secure(app_url: str) -> None:
    with visitor(app_url, "https://coach.example") as client:
        response = sign_in(client)
    assert "Secure" in response.headers["set-cookie"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_the_next_page_is_only_ever_on_this_site(client: TestClient, target: str) -> None:
    response = client.post(
        "/login",
        data={"email": EMAIL, "password": PASSWORD, "next": target, "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client: TestClient) -> None:
    wrong = sign_in(client, password="not the password at all")
    unknown = sign_in(client, email="nobody@clinic.test")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "wrong email or password" in response.text.lower()
        assert "gc_session" not in response.headers.get("set-cookie", "")


def test_the_sixth_try_is_refused_even_with_the_right_password(client: TestClient) -> None:
    for _ in range(accounts.MAX_EMAIL_FAILURES):
        assert sign_in(client, password="wrong wrong wrong").status_code == 401
    refused = sign_in(client)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert "too many failed sign-ins" in refused.text.lower()
    assert client.get("/clinic", follow_redirects=False).status_code == 303


def test_a_form_without_its_token_is_refused(client: TestClient) -> None:
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 403


def test_signing_up_makes_a_runner_who_starts_at_the_profile(client: TestClient) -> None:
    form = {"name": "Sam Other", "email": "sam@example.test", "csrf_token": csrf(client, "/signup")}
    short = client.post("/signup", data={**form, "password": "short", "again": "short"})
    assert short.status_code == 422 and "use 10 to 128 characters" in short.text.lower()
    differ = client.post("/signup", data={**form, "password": PASSWORD, "again": PASSWORD + "x"})
    assert differ.status_code == 422 and "the two passwords differ" in differ.text.lower()
    made = client.post(
        "/signup", data={**form, "password": PASSWORD, "again": PASSWORD}, follow_redirects=False
    )
    assert made.status_code == 303 and made.headers["location"] == "/start"
    assert client.get("/today", follow_redirects=False).headers["location"] == "/start"
    again = client.post("/signup", data={**form, "password": PASSWORD, "again": PASSWORD})
    assert again.status_code == 422 and "already an account" in again.text


def ask_reset(client: TestClient, email: str = EMAIL) -> None:
    """Ask for a reset link; the answer is the same whether the address has an account or not."""
    asked = client.post(
        "/reset-password", data={"email": email, "csrf_token": csrf(client, "/reset-password")}
    )
    assert asked.status_code == 200 and "If there is an account" in asked.text


def reset_token(mail: str) -> str:
    found = re.search(r"reset-password\?token=([A-Za-z0-9_\-]+)", mail)
    assert found is not None, mail
    return found.group(1)


def set_password(client: TestClient, token: str, password: str) -> Response:
    """The reset link's form, sent; a good link goes on to /login."""
    form = {"token": token, "password": password, "again": password}
    return client.post(
        "/reset-password",
        data={**form, "csrf_token": csrf(client, f"/reset-password?token={token}")},
        follow_redirects=False,
    )


def test_a_reset_link_works_once_and_ends_every_session(
    client: TestClient, app_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert sign_in(client).status_code == 303
    with visitor(app_url) as other, caplog.at_level(logging.WARNING, logger="glutecoach.mail"):
        for email in (EMAIL, "nobody@clinic.test"):
            ask_reset(other, email)
        mailed = [
            r.getMessage() for r in caplog.records if "reset-password?token=" in r.getMessage()
        ]
        assert len(mailed) == 1 and EMAIL in mailed[0]  # the unknown address got nothing
        token = reset_token(mailed[0])
        done = set_password(other, token, "a brand new password")
        assert done.status_code == 303 and done.headers["location"] == "/login"
        form = {"token": token, "password": "a brand new password", "again": "a brand new password"}
        reused = other.post("/reset-password", data={**form, "csrf_token": csrf(other)})
        assert reused.status_code == 422 and "invalid, used or expired" in reused.text.lower()
    assert client.get("/clinic", follow_redirects=False).status_code == 303  # signed out
    assert sign_in(client).status_code == 401
    assert sign_in(client, password="a brand new password").status_code == 303


def test_changing_the_password_keeps_this_session_and_ends_the_others(
    client: TestClient, app_url: str
) -> None:
    assert sign_in(client).status_code == 303
    with visitor(app_url) as elsewhere:
        assert sign_in(elsewhere).status_code == 303
        form = {"old": "not it at all", "password": "another good password"}
        wrong = client.post(
            "/account/password",
            data={**form, "again": form["password"], "csrf_token": csrf(client, "/account")},
        )
        assert wrong.status_code == 422 and "current password is wrong" in wrong.text.lower()
        changed = client.post(
            "/account/password",
            data={**form, "old": PASSWORD, "again": form["password"], "csrf_token": csrf(client)},
        )
        assert changed.status_code == 200 and "Your password is changed" in changed.text
        assert client.get("/clinic").status_code == 200
        assert elsewhere.get("/clinic", follow_redirects=False).status_code == 303


def test_signing_out_ends_the_session_on_the_server(client: TestClient) -> None:
    assert sign_in(client).status_code == 303
    token = client.cookies.get("gc_session")
    out = client.post(
        "/logout", data={"csrf_token": csrf(client, "/account")}, follow_redirects=False
    )
    assert out.status_code == 303 and out.headers["location"] == "/login"
    client.cookies.set("gc_session", token or "")  # the old cookie, replayed
    assert client.get("/clinic", follow_redirects=False).status_code == 303


def test_single_user_mode_answers_only_this_computer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/single.db"
    with TestClient(create_app(url), client=("203.0.113.5", 1234)) as remote:
        response = remote.get("/api/v1/runners")
    assert response.status_code == 403 and "single-user mode" in response.json()["message"]
    with TestClient(create_app(url), client=("127.0.0.1", 1234)) as local:
        assert local.get("/api/v1/runners").status_code == 200
