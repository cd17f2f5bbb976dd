"""Prompts that validate and ask again: Rich's prompts with ranges on top."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from rich.console import Console
from rich.prompt import Confirm, FloatPrompt, IntPrompt, Prompt

P = ParamSpec("P")
R = TypeVar("R")


class Interrupted(Exception):
    """The user stopped answering (Ctrl-C or end of input) before anything was written."""


def _stoppable(ask: Callable[P, R]) -> Callable[P, R]:
    # Typer turns Ctrl-C and end-of-input into a bare "Aborted!"; ours says nothing was saved.
    @wraps(ask)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return ask(*args, **kwargs)
        except (KeyboardInterrupt, EOFError):
            raise Interrupted from None

    return wrapper


class Asker:
    def __init__(self, console: Console) -> None:
        self.console = console

    @_stoppable
    def yes(self, question: str, default: bool = False) -> bool:
        return Confirm.ask(question, default=default, console=self.console)

    @_stoppable
    def choice(self, question: str, choices: list[str]) -> str:
        return Prompt.ask(question, choices=choices, console=self.console)

    @_stoppable
    def whole(self, question: str, low: int, high: int) -> int:
        while True:
            value = IntPrompt.ask(f"{question} ({low}-{high})", console=self.console)
            if low <= value <= high:
                return value
            self.console.print(f"[red]Please enter a whole number from {low} to {high}.[/]")

    @_stoppable
    def number(self, question: str, low: float, high: float, default: float = 0.0) -> float:
        while True:
            value = FloatPrompt.ask(question, default=default, console=self.console)
            if low <= value <= high:
                return value
            self.console.print(f"[red]Please enter a number from {low:g} to {high:g}.[/]")

    @_stoppable
    def text(self, question: str) -> str:
        return Prompt.ask(question, default="", show_default=False, console=self.console)
