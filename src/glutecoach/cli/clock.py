"""The clock every command hands the use cases, and the line that says when its date is pinned."""

from __future__ import annotations

from rich.console import Console

from glutecoach.domain.clock import Clock
from glutecoach.domain.errors import InvalidInput
from glutecoach.settings import load_settings


def command_clock() -> Clock:
    """The machine's clock, or the day GLUTECOACH_TODAY pins (a wrong value is refused)."""
    return load_settings().clock()


def say_if_pinned(errors: Console) -> None:
    """On standard error, so `--json` output stays clean. A setting that cannot be read is left
    for the command itself to refuse with its name."""
    try:
        pinned = load_settings().clock().pinned
    except InvalidInput:
        return
    if pinned is not None:
        errors.print(f"[yellow]The date is pinned:[/] today is {pinned}, not the machine's date.")
