"""The Jinja environment of the reports' HTML templates (reports/templates), shared by every
report that renders one."""

from __future__ import annotations

from functools import cache

import jinja2


@cache
def environment() -> jinja2.Environment:
    # Built on first use, not at import: importing the reports must not read package files.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("glutecoach.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
