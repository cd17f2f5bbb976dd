"""`glutecoach accounts …`: clinician accounts, the account list and password-reset links.

The first account ends the web app's single-user local mode: from then on people sign in.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from glutecoach.cli.output import console, print_json
from glutecoach.domain.errors import InvalidInput
from glutecoach.services import accounts
from glutecoach.services.store import open_store
from glutecoach.settings import load_settings

app = typer.Typer(
    help="Accounts: add clinicians, list accounts, make password-reset links.",
    no_args_is_help=True,
)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InvalidInput("password: nothing on standard input")
        return password
    first: str = typer.prompt("Password", hide_input=True)
    accounts.check_password(first)
    again: str = typer.prompt("Password again", hide_input=True)
    if again != first:
        raise InvalidInput("the two passwords differ; nothing was saved")
    return first


@app.command("add-clinician")
def add_clinician(
    *,
    email: Annotated[str, typer.Option(help="The clinician's email, used to sign in.")],
    name: Annotated[str, typer.Option(help="The clinician's name, as runners will see it.")],
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
    ] = False,
) -> None:
    """Add a clinician account (the password is asked for twice, hidden)."""
    password = _password(password_stdin)
    with open_store() as db:
        account = accounts.add_clinician(db, email, name, password)
    console().print(f"Added clinician {account.name} <{account.email}>.")


@app.command("list")
def list_accounts(
    *,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Every account: email, name, role and, for a runner, who looks after them."""
    with open_store() as db:
        found = accounts.list_accounts(db)
    by_id = {a.id: a for a in found}
    rows = [
        {
            "email": a.email,
            "name": a.name,
            "role": a.role,
            "clinician": by_id[a.clinician_id].email if a.clinician_id in by_id else None,
            "created_at": a.created_at.isoformat(),
        }
        for a in found
    ]
    if as_json:
        print_json(json.dumps({"accounts": rows}, indent=2))
        return
    if not rows:
        console().print("No accounts: glutecoach runs in its single-user local mode.")
        return
    table = Table("Email", "Name", "Role", "Clinician")
    for row in rows:
        table.add_row(row["email"], row["name"], row["role"], row["clinician"] or "")
    console().print(table)


@app.command("reset-link")
def reset_link(
    email: Annotated[str, typer.Argument(help="The account's email.", show_default=False)],
) -> None:
    """Print a one-time password-reset link for an account (valid one hour)."""
    public_url = load_settings().public_url
    with open_store() as db:
        url = accounts.reset_link(db, email, public_url)
    print(url)
