"""`glutecoach start`, `retest`, `today` and `log`: follow the plan day by day."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from glutecoach.cli.ask import Asker
from glutecoach.cli.output import console, print_json
from glutecoach.domain.library import FeltArea, load_library
from glutecoach.domain.planning import MAX_WEEKS, Day, SessionKind
from glutecoach.reports.today import day_json, render_changes, render_decisions, render_today
from glutecoach.services import planning as planning_service
from glutecoach.services import runners as runner_service
from glutecoach.services import running, training
from glutecoach.services import screening as screening_service
from glutecoach.services.files import read_document
from glutecoach.services.store import open_store

Runner = Annotated[
    str | None, typer.Option("--runner", "-r", help="Which runner (default: the only one).")
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
DateOption = Annotated[
    str | None, typer.Option("--date", help="The day, YYYY-MM-DD (default: today).")
]


def parse_date(value: str | None, option: str = "--date") -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"'{value}' is not a date (YYYY-MM-DD)", param_hint=option
        ) from None


def start(
    *,
    profile: Annotated[Path, typer.Option("--profile", "-p", help="The runner profile (YAML).")],
    findings: Annotated[
        Path | None,
        typer.Option("--findings", "-f", help="The screening saved by 'glutecoach screen'."),
    ] = None,
    weeks: Annotated[int, typer.Option(min=1, max=MAX_WEEKS, help="Plan length in weeks.")] = 8,
) -> None:
    """Store the runner, their screening and a new plan to follow day by day. A profile may leave
    out run_days (and long_run_day, hard_days) and weekly_km: they are then read from the last
    4-8 weeks of imported runs."""
    data = read_document(profile)
    screening = screening_service.load(findings) if findings is not None else None
    note = None
    with open_store() as db:
        if isinstance(data, dict):
            data, note = running.complete_profile(db, data, str(profile))
        runner = planning_service.parse_profile(data, str(profile), db.clock)
        started = runner_service.start(db, runner, screening, weeks)
    if note is not None:
        console().print(note)
    verb = "Started" if started.new_runner else "New plan for"
    console().print(
        f"{verb} [bold]{started.runner.name}[/] (--runner {started.runner.slug}): plan version "
        f"{started.plan_version}, {started.plan.start} to {started.plan.end}. "
        "Next: glutecoach today"
    )


def retest(
    *,
    answers: Annotated[Path, typer.Option("--answers", "-a", help="Answers and test results.")],
    runner: Runner = None,
    on: DateOption = None,
) -> None:
    """Store a re-test beside the first screening (progress shows them side by side)."""
    data = screening_service.read_input(answers)
    with open_store() as db:
        result = screening_service.run(data, parse_date(on) or db.clock.today("UTC"))
        runner_service.retest(db, runner, result)
    console().print(f"Re-test of {result.screened_on} stored. See it in: glutecoach progress")


def today(*, runner: Runner = None, on: DateOption = None, as_json: JsonFlag = False) -> None:
    """Today's sessions with each exercise's prescription, cues and where to feel it."""
    from glutecoach.cli.pain import pain_json, render_pain  # it builds on this module's options
    from glutecoach.services.recheck import pain_status

    with open_store() as db:
        view = training.today(db, runner, parse_date(on))
        pain = pain_status(db, view.runner.slug, view.runner_today)
    if as_json:
        print_json(
            json.dumps(
                {
                    "runner": view.runner.slug,
                    "date": view.date.isoformat(),
                    "plan_version": view.plan_version,
                    "logged": [k.value for k in view.logged],
                    "changes": [c.model_dump(mode="json") for c in view.changes],
                    "day": day_json(view.day),
                    "pain": pain_json(pain),
                },
                indent=2,
            )
        )
        return
    out = console()
    render_today(view.day, load_library(), out, logged=view.logged, changes=view.changes)
    render_pain(pain, out)


def log(
    *,
    runner: Runner = None,
    on: DateOption = None,
    session: Annotated[
        SessionKind | None,
        typer.Option(help="Which session (default: the first of the day not logged yet)."),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="The log as YAML/JSON instead of questions.")
    ] = None,
    as_prescribed: Annotated[
        bool, typer.Option(help="Every set done at the top of the range (give --effort, --felt).")
    ] = False,
    effort: Annotated[int | None, typer.Option(min=1, max=10, help="Effort, RPE 1-10.")] = None,
    felt: Annotated[FeltArea | None, typer.Option(help="Where you felt it.")] = None,
    pain: Annotated[int, typer.Option(min=0, max=10, help="Pain 0-10.")] = 0,
    skip: Annotated[str | None, typer.Option(help="Skip the session, with the reason.")] = None,
    soreness: Annotated[
        int | None, typer.Option(min=0, max=10, help="Record next-day soreness 0-10 instead.")
    ] = None,
    run_km: Annotated[
        float | None, typer.Option(help="Record a run done: distance in km (with --run-minutes).")
    ] = None,
    run_minutes: Annotated[
        float | None, typer.Option(help="The run's duration in minutes.")
    ] = None,
) -> None:
    """Record a session (asked exercise by exercise), a skip, soreness or a run.

    Each log is one transaction: stopped half-way, nothing is stored.
    """
    date = parse_date(on)
    with open_store() as db:
        if soreness is not None:
            outcome = training.log_soreness(db, runner, soreness, date)
            console().print(f"Soreness {soreness}/10 stored.")
            render_changes(outcome.changes, console())
            return
        if run_km is not None or run_minutes is not None:
            _log_run(db, runner, date, run_km, run_minutes)
            return
        view = training.today(db, runner, date)
        kind = session or _next_session(view.day, view.logged)
        if skip is not None:
            training.skip_session(db, runner, kind, skip, view.date)
            console().print(f"Skipped the {kind.value} session of {view.date}: {skip}")
            return
        entry = _entry(file, kind, view.date, view.day, as_prescribed, effort, felt, pain)
        outcome = training.log_session(db, runner, entry)
    out = console()
    out.print(f"Logged the {kind.value} session of {view.date}. Next time:")
    render_decisions(outcome.decisions, load_library(), out)
    if outcome.changes:
        out.print(f"Plan version {outcome.plan_version}: see glutecoach plan --changes")


def _log_run(
    db: Any, runner: str | None, date: dt.date | None, km: float | None, minutes: float | None
) -> None:
    if km is None or minutes is None:
        raise typer.BadParameter("give both --run-km and --run-minutes", param_hint="--run-km")
    run = training.log_run(db, runner, km, minutes, date)
    console().print(f"Run of {km:g} km in {minutes:g} min stored for {run.date}.")


def _next_session(day: Day | None, logged: tuple[SessionKind, ...]) -> SessionKind:
    if day is None:
        raise typer.BadParameter("no plan for that date", param_hint="--date")
    for session in day.sessions:
        if session.kind in training.LOGGABLE and session.kind not in logged:
            return session.kind
    raise typer.BadParameter("every session of that day is logged", param_hint="--session")


def _entry(
    file: Path | None,
    kind: SessionKind,
    date: dt.date,
    day: Day | None,
    as_prescribed: bool,
    effort: int | None,
    felt: FeltArea | None,
    pain: int,
) -> training.SessionEntry:
    if file is not None:
        data = read_document(file)
        if isinstance(data, dict):
            data = {"session": kind.value, "date": date.isoformat(), **data}
        return training.parse_entry(data, str(file))
    planned = day.session(kind) if day is not None else None
    if planned is None:
        raise typer.BadParameter(f"no {kind.value} session on {date}", param_hint="--session")
    if as_prescribed:
        if effort is None or felt is None:
            raise typer.BadParameter("--as-prescribed needs --effort and --felt")
        exercises = [
            {
                "exercise_id": p.exercise_id,
                "sets": [p.amount.high] * p.sets,
                "effort": effort,
                "felt": felt.value,
                "pain": pain,
            }
            for p in planned.prescriptions
        ]
    else:
        exercises = _ask(planned.prescriptions)
    return training.parse_entry(
        {"date": date.isoformat(), "session": kind.value, "exercises": exercises}, "your log"
    )


def _ask(prescriptions: Any) -> list[dict[str, Any]]:
    out = console()
    ask = Asker(out)
    places = [f.value for f in FeltArea]
    answers = []
    for p in prescriptions:
        out.rule(f"{p.name}: {p.dose}")
        sets = ask.whole("Sets done", 0, 20)
        amounts = [
            ask.whole(f"Set {n}: {_unit_words(p.unit)}", 0, 3600) for n in range(1, sets + 1)
        ]
        answers.append(
            {
                "exercise_id": p.exercise_id,
                "sets": amounts,
                "load": ask.text("Band or weight (Enter for none)") or None,
                "effort": ask.whole("Effort (RPE)", 1, 10),
                "felt": ask.choice("Where did you feel it", places),
                "pain": ask.whole("Pain", 0, 10),
            }
        )
    return answers


def _unit_words(unit: str) -> str:
    return {"reps": "reps", "hold_s": "seconds held", "steps": "steps", "minutes": "minutes"}[unit]
