"""The Jinja2 environment for the pages (autoescaped), shared by routes and error handlers.

The per-field helpers are Python, not template macros: a Today page calls them a few hundred
times, and a Jinja macro call costs about ten times a function call (measured with cProfile on
the Today page, where macros took a third of the render).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape


def error_for(errors: Mapping[str, str], name: str) -> Markup:
    """The message under field `name`, with the id its `aria-describedby` points at."""
    message = errors.get(name)
    if not message:
        return Markup("")
    return Markup(f'<p class="field-error" id="e-{escape(name)}">{escape(message)}</p>')


def described(errors: Mapping[str, str], name: str, hint: bool = False) -> Markup:
    """A field's `aria-describedby` (its hint, its message) and `aria-invalid` when it has one."""
    failed = bool(errors.get(name))
    if not (failed or hint):
        return Markup("")
    ids = " ".join(([f"h-{name}"] if hint else []) + ([f"e-{name}"] if failed else []))
    invalid = ' aria-invalid="true"' if failed else ""
    return Markup(f' aria-describedby="{escape(ids)}"{invalid}')


def is_on(values: Mapping[str, Any], name: str, value: str) -> str:
    """`checked` when the submitted value (one, or a list of checkboxes) holds `value`."""
    chosen = values.get(name)
    if isinstance(chosen, str):
        return "checked" if chosen == value else ""
    return "checked" if chosen and value in chosen else ""


def is_selected(values: Mapping[str, Any], name: str, value: object, default: str = "") -> str:
    return "selected" if str(values.get(name, default)) == str(value) else ""


def options(
    values: Mapping[str, Any], name: str, choices: Iterable[tuple[str, str]], default: str = ""
) -> Markup:
    """A <select>'s options from (value, label) pairs, the submitted (or default) one selected."""
    chosen = str(values.get(name, default))
    return Markup(
        "".join(
            f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>'
            f"{escape(label)}</option>"
            for value, label in choices
        )
    )


def _pinned(request: Request) -> dict[str, str | None]:
    """Every page says when the app's clock has its date pinned (GLUTECOACH_TODAY)."""
    clock = getattr(request.app.state, "clock", None)
    return {"pinned_date": clock.pinned if clock is not None else None}


templates = Jinja2Templates(
    directory=str(Path(__file__).parent / "templates"), context_processors=[_pinned]
)
# The templates ship with the package and never change while it runs: no stat() per render.
templates.env.auto_reload = False
templates.env.globals.update(
    error_for=error_for,
    described=described,
    is_on=is_on,
    is_selected=is_selected,
    options=options,
)
