"""Console helpers shared by the commands."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


def console() -> Console:
    return Console(highlight=False)


def print_json(text: str) -> None:
    # Plain stdout, never Rich: --json output is for machines and must not be wrapped or coloured.
    print(text)


@contextmanager
def progress_bar(label: str, *, hidden: bool = False) -> Iterator[Callable[[int, int], None]]:
    """A bar for long work, gone when it ends (and never shown under --json): yields the
    `progress(done, total)` callback the services take."""
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console(),
        transient=True,
        disable=hidden,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total or None)
