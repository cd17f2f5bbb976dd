"""Console helpers shared by the commands."""

from __future__ import annotations

from rich.console import Console


def console() -> Console:
    return Console(highlight=False)


def print_json(text: str) -> None:
    # Plain stdout, never Rich: --json output is for machines and must not be wrapped or coloured.
    print(text)
