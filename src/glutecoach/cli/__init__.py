"""The `glutecoach` command: the same use cases as the web app, from a terminal."""

from __future__ import annotations

import gc
import sys
from typing import Annotated

import typer
from rich.console import Console

from glutecoach import __version__
from glutecoach.cli import (
    accounts,
    demo,
    exercises,
    gait,
    history,
    pain,
    plan,
    runs,
    screen,
    serve,
    training,
    worker,
)
from glutecoach.cli.ask import Interrupted
from glutecoach.cli.clinic import app as clinic_app
from glutecoach.cli.clock import say_if_pinned
from glutecoach.domain.errors import DataError, GlutecoachError, Referral

app = typer.Typer(
    name="glutecoach",
    help="Screen a runner for gluteal under-use, prescribe an evidence-ranked plan around their "
    "running, and write it as a handout and a calendar.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("exercises")(exercises.list_exercises)
app.command("exercise")(exercises.show_exercise)
app.command("screen")(screen.screen)
app.command("plan")(plan.plan)
app.command("demo")(demo.demo)
app.command("start")(training.start)
app.command("retest")(training.retest)
app.command("today")(training.today)
app.command("log")(training.log)
app.command("recheck")(pain.recheck)
app.command("progress")(history.progress)
app.command("export")(history.export)
app.command("import-data")(history.import_data)
app.command("backup")(history.backup)
app.command("import-runs")(runs.import_runs)
app.command("runs")(runs.runs)
app.command("load")(runs.load)
app.command("gait")(gait.gait)
app.command("serve")(serve.serve)
app.command("worker")(worker.worker)
app.add_typer(accounts.app, name="accounts")
app.add_typer(clinic_app, name="clinic")


def _version(value: bool) -> None:
    if value:
        print(f"glutecoach {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Screen a runner for gluteal under-use, prescribe an evidence-ranked plan around their
    running, follow it day by day, and see the progress.

    GLUTECOACH_TODAY=YYYY-MM-DD pins today's date for every runner (a demo, a support call);
    each command then says so on standard error."""
    say_if_pinned(Console(stderr=True, highlight=False, soft_wrap=True))


EXIT_INPUT = 2  # bad input: a wrong field, an unknown id, an unreadable file
EXIT_REFERRAL = 3  # red-flag pain: see a clinician, no plan
EXIT_BUG = 1


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; the one place a domain error becomes a message and an exit code.

    Typer handles its own usage errors (exit 2) in standalone mode; what reaches us is ours.
    """
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        app(args=argv, prog_name="glutecoach")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0 if done.code is None else 1
    except Referral as referral:
        errors.print(f"[bold red]See a clinician:[/] {referral.message}")
        return EXIT_REFERRAL
    except DataError as error:
        errors.print(f"[bold red]Internal data error:[/] {error.message}")
        return EXIT_BUG
    except GlutecoachError as error:
        errors.print(f"[bold red]Error:[/] {error.message}")
        return EXIT_INPUT
    except (Interrupted, KeyboardInterrupt, EOFError):
        # Answers are gathered before anything is written, so stopping mid-way stores nothing.
        errors.print("Stopped; nothing was saved.")
        return 130
    return 0


def entry() -> None:
    # Everything is imported by now; freezing it spares each short command a full collection of
    # the import-time heap (measured at ~65 ms in bench/today.py's profile).
    gc.freeze()
    sys.exit(main())
