"""The `glutecoach` command: the same use cases as the web app, from a terminal."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from glutecoach.cli import demo, exercises, plan, screen
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
    except KeyboardInterrupt:
        errors.print("Stopped; nothing was saved.")
        return 130
    return 0


def entry() -> None:
    sys.exit(main())
