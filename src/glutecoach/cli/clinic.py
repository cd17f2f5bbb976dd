"""`glutecoach clinic`: a clinician's overview of their runners, and edits to a runner's plan."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from glutecoach.cli.output import console, print_json
from glutecoach.cli.pain import restore
from glutecoach.cli.training import DateOption, JsonFlag, parse_date
from glutecoach.domain.clinic import RunnerOverview
from glutecoach.domain.planning import SessionKind
from glutecoach.services import clinic
from glutecoach.services.store import open_store

app = typer.Typer(
    help="What a clinician does with their runners: an overview, and edits to a plan.",
    no_args_is_help=True,
)


app.command("restore")(restore)


@app.command("overview")
def overview(*, on: DateOption = None, as_json: JsonFlag = False) -> None:
    """Every runner: adherence this week, the last log, and what needs a look."""
    with open_store() as db:
        rows = clinic.overview(db, parse_date(on))
    if as_json:
        print_json(json.dumps([_overview_json(r) for r in rows], indent=2))
        return
    out = console()
    if not rows:
        out.print("No runners yet.")
        return
    table = Table(title="Your runners", show_lines=True)
    for column in ("Runner", "Plan", "This week", "Last log", "Flags"):
        table.add_column(column)
    for r in rows:
        a = r.adherence
        week = "-"
        if a is not None:
            week = f"{a.done}/{a.planned} done" + (f", {a.skipped} skipped" if a.skipped else "")
        table.add_row(
            f"{r.name}\n{r.runner}",
            f"v{r.plan_version}" if r.plan_version else "-",
            week,
            str(r.last_log or "never"),
            "\n".join(("[bold red]! [/]" if f.urgent else "") + f.text for f in r.flags) or "-",
        )
    out.print(table)


def _overview_json(r: RunnerOverview) -> dict[str, Any]:
    data = r.model_dump(mode="json")
    data["adherence_percent"] = r.adherence.percent if r.adherence else None
    data["urgent"] = r.urgent
    return data


@app.command("edit")
def edit(
    runner: Annotated[str, typer.Argument(help="The runner (their --runner name).")],
    *,
    swap: Annotated[
        tuple[str, str] | None,
        typer.Option("--swap", help="OLD NEW: swap one exercise for another."),
    ] = None,
    dosage: Annotated[
        str | None, typer.Option("--dosage", help="EXERCISE: change its dose (with --sets ...).")
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="A note the runner sees on the day's sessions.")
    ] = None,
    sets: Annotated[int | None, typer.Option("--sets", help="With --dosage: sets.")] = None,
    reps: Annotated[
        str | None, typer.Option("--reps", help="With --dosage: reps, N or LOW-HIGH.")
    ] = None,
    hold: Annotated[
        str | None, typer.Option("--hold", help="With --dosage: seconds per hold, N or LOW-HIGH.")
    ] = None,
    steps: Annotated[
        str | None, typer.Option("--steps", help="With --dosage: steps, N or LOW-HIGH.")
    ] = None,
    from_date: Annotated[
        str | None, typer.Option("--from", help="From this day on, YYYY-MM-DD (default: today).")
    ] = None,
    only_on: Annotated[str | None, typer.Option("--on", help="Only this day, YYYY-MM-DD.")] = None,
    session: Annotated[
        SessionKind | None, typer.Option("--session", help="Only this kind of session.")
    ] = None,
    comment: Annotated[
        str | None, typer.Option("--comment", help="Why: the runner sees it with the change.")
    ] = None,
    on: DateOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Edit a runner's plan: the change becomes a new plan version the runner sees from Today."""
    _check_one_change(swap, dosage, note)
    scope = _scope(only_on, from_date, session, comment)
    data = _change_data(swap, dosage, note, sets=sets, reps=reps, hold=hold, steps=steps)
    if data["kind"] == "note":
        scope.pop("comment")  # a note is the clinician's words already
    change = clinic.parse_edit(
        {**data, **{k: v for k, v in scope.items() if v is not None}}, "edit"
    )
    with open_store() as db:
        outcome = clinic.edit_plan(db, runner, change, parse_date(on))
    if as_json:
        _print_outcome_json(outcome)
    else:
        _print_outcome(outcome)


def _check_one_change(swap: tuple[str, str] | None, dosage: str | None, note: str | None) -> None:
    chosen = [name for name, v in (("--swap", swap), ("--dosage", dosage), ("--note", note)) if v]
    if len(chosen) != 1:
        raise typer.BadParameter("give exactly one of --swap, --dosage or --note")


def _scope(
    only_on: str | None, from_date: str | None, session: SessionKind | None, comment: str | None
) -> dict[str, Any]:
    return {
        "on": parse_date(only_on, "--on"),
        "from_date": parse_date(from_date, "--from"),
        "session": session,
        "comment": comment,
    }


def _change_data(
    swap: tuple[str, str] | None,
    dosage: str | None,
    note: str | None,
    *,
    sets: int | None,
    reps: str | None,
    hold: str | None,
    steps: str | None,
) -> dict[str, Any]:
    if swap is not None:
        return {"kind": "swap", "exercise_id": swap[0], "to_exercise_id": swap[1]}
    if dosage is not None:
        return {
            "kind": "dosage",
            "exercise_id": dosage,
            "sets": sets,
            "reps": reps,  # "10" or "10-15": the edit reads either
            "hold_s": hold,
            "steps": steps,
        }
    return {"kind": "note", "text": note}


def _print_outcome_json(outcome: clinic.EditOutcome) -> None:
    print_json(
        json.dumps(
            {
                "runner": outcome.runner.slug,
                "plan_version": outcome.plan_version,
                "changes": [c.model_dump(mode="json") for c in outcome.changes],
            },
            indent=2,
        )
    )


def _print_outcome(outcome: clinic.EditOutcome) -> None:
    out = console()
    out.print(f"Plan version {outcome.plan_version} for {outcome.runner.name}:")
    for c in outcome.changes:
        where = f"{c.session.value}, " if c.session else ""
        out.print(f"  {where}from {c.effective_from}: {c.before} → {c.after}")
