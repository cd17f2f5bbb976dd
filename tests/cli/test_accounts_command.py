"""`glutecoach accounts add-clinician | list | reset-link`, as an administrator runs them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, cli_on, errors_of


@pytest.fixture
def gc(tmp_path: Path) -> Cli:
    return cli_on(tmp_path / "gc.db", public_url="https://coach.example.org/")


def test_a_clinician_is_added_listed_and_sent_a_reset_link(gc: Cli, tmp_path: Path) -> None:
    empty = gc("accounts", "list")
    assert empty.returncode == 0 and "single-user local mode" in empty.stdout
    added = gc(
        "accounts", "add-clinician", "--email", "Lee@Example.org", "--name", "Dr Lee",
        "--password-stdin", stdin="correct horse battery\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "Dr Lee <lee@example.org>" in added.stdout
    listed = json.loads(gc("accounts", "list", "--json").stdout)
    assert [(a["email"], a["role"]) for a in listed["accounts"]] == [
        ("lee@example.org", "clinician")
    ]
    link = gc("accounts", "reset-link", "LEE@example.org")
    assert link.returncode == 0, link.stderr
    assert link.stdout.startswith("https://coach.example.org/reset-password?token=")
    token = link.stdout.strip().split("token=")[1]
    with sqlite3.connect(tmp_path / "gc.db") as db:
        stored = db.execute("SELECT token_hash, purpose FROM account_tokens").fetchall()
        password = db.execute("SELECT password_hash FROM accounts").fetchone()[0]
    assert len(stored) == 1 and stored[0][1] == "reset" and token not in stored[0][0]
    assert password.startswith("$argon2id$")


def test_the_password_is_asked_twice_and_must_match(gc: Cli) -> None:
    differ = gc(
        "accounts", "add-clinician", "--email", "lee@example.org", "--name", "Dr Lee",
        stdin="correct horse battery\ncorrect horse batterY\n",
    )  # fmt: skip
    assert differ.returncode == 2
    assert "the two passwords differ" in differ.stderr and "Traceback" not in differ.stderr
    assert json.loads(gc("accounts", "list", "--json").stdout) == {"accounts": []}


def test_mistakes_exit_2_with_one_line_and_no_traceback(gc: Cli) -> None:
    short = gc(
        "accounts", "add-clinician", "--email", "lee@example.org", "--name", "Dr Lee",
        "--password-stdin", stdin="short\n",
    )  # fmt: skip
    assert short.returncode == 2 and "10 to 128 characters" in short.stderr
    unknown = gc("accounts", "reset-link", "nobody@example.org")
    assert unknown.returncode == 2
    assert errors_of(unknown) == "Error: no account for nobody@example.org"
    for done in (short, unknown):
        assert "Traceback" not in done.stderr and len(errors_of(done).splitlines()) == 1
