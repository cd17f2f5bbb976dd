"""Prompts that validate and ask again: Rich's prompts with ranges on top."""

from __future__ import annotations

from rich.console import Console
from rich.prompt import Confirm, FloatPrompt, IntPrompt, Prompt


class Asker:
    def __init__(self, console: Console) -> None:
        self.console = console

    def yes(self, question: str, default: bool = False) -> bool:
        return Confirm.ask(question, default=default, console=self.console)

    def choice(self, question: str, choices: list[str]) -> str:
        return Prompt.ask(question, choices=choices, console=self.console)

    def whole(self, question: str, low: int, high: int) -> int:
        while True:
            value = IntPrompt.ask(f"{question} ({low}-{high})", console=self.console)
            if low <= value <= high:
                return value
            self.console.print(f"[red]Please enter a whole number from {low} to {high}.[/]")

    def number(self, question: str, low: float, high: float, default: float = 0.0) -> float:
        while True:
            value = FloatPrompt.ask(question, default=default, console=self.console)
            if low <= value <= high:
                return value
            self.console.print(f"[red]Please enter a number from {low:g} to {high:g}.[/]")
