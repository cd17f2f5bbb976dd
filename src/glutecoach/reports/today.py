"""Today's sessions in the terminal: each exercise with its cues and where to feel it."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from glutecoach.domain.library import Library
from glutecoach.domain.planning import Day, SessionKind
from glutecoach.domain.progression import Change, Decision


def render_today(
    day: Day | None,
    library: Library,
    console: Console,
    *,
    logged: tuple[SessionKind, ...] = (),
    changes: tuple[Change, ...] = (),
) -> None:
    render_changes(changes, console)
    if day is None:
        console.print("No plan for this date: it is outside your plan's weeks.")
        return
    console.print(Text(f"{day.date:%A %d %B %Y} · {day.run.value} run day", style="bold"))
    if not day.sessions:
        console.print("Rest day: nothing planned. Enjoy it.")
    for session in day.sessions:
        done = " [green](logged)[/]" if session.kind in logged else ""
        if session.kind == SessionKind.run_cue and session.cue is not None:
            console.print(f"\n[bold]{session.title}[/]{done}")
            console.print(Text(f"  {session.cue.cue}"))
            console.print(Text(f"  Why: {session.cue.why}", style="dim"))
            continue
        console.print(f"\n[bold]{session.title}[/] ({session.minutes} min){done}")
        console.print(Text(f"  {session.reason}", style="dim"))
        for p in session.prescriptions:
            exercise = library.exercises[p.exercise_id]
            console.print(Text.assemble("  • ", (p.name, "bold"), f": {p.dose}"))
            console.print(Text(f"      Cues: {' '.join(exercise.cues)}"))
            console.print(Text(f"      Feel it: {exercise.feel_it}", style="green"))
            console.print(Text(f"      Why: {p.reason}", style="dim"))


def render_changes(changes: tuple[Change, ...], console: Console) -> None:
    for change in changes:
        console.print(
            Text.assemble(
                (f"{change.action.replace('_', ' ')}: ", "bold yellow"),
                f"{change.before} → {change.after}. ",
                (change.reason, "dim"),
            )
        )


def render_decisions(decisions: tuple[Decision, ...], library: Library, console: Console) -> None:
    """After a log: each exercise's next prescription and why."""
    for decision in decisions:
        known = library.exercises.get(decision.exercise_id)
        name = known.name if known else decision.exercise_id
        colour = {
            "progress": "green",
            "hold": "cyan",
            "regress": "yellow",
            "stop": "red",
            "ends": "dim",
        }[decision.action.value]
        console.print(
            Text.assemble(
                (f"{decision.action.value:>8} ", f"bold {colour}"),
                (name, "bold"),
                f"  {decision.reason}",
            )
        )


def day_json(day: Day | None) -> Any:
    return None if day is None else day.model_dump(mode="json")
