"""What every part of the JSON API shares: the error responses, the runner's slug and the day
as path and query parameters, the file formats, and the body checks the models cannot make."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, Request
from pydantic import AfterValidator

from glutecoach.domain.errors import InvalidInput
from glutecoach.domain.library import Equipment
from glutecoach.web.schemas import (
    ErrorOut,
)

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Unknown runner or exercise"},
    409: {"model": ErrorOut, "description": "A rule or a red-flag referral refuses it"},
    413: {"model": ErrorOut, "description": "Request body over 1 MB"},
    422: {"model": ErrorOut, "description": "Bad input; the message names the first bad field"},
}

Slug = Annotated[
    str,
    Path(
        pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$",
        description="The runner's slug, e.g. 'sam-example' (from POST /runners)",
    ),
]
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def _plausible(day: dt.date | None) -> dt.date | None:
    # The engine steps a day on from the date asked for; date.max would overflow.
    if day is not None and not EARLIEST <= day <= LATEST:
        raise ValueError(f"{day} is not between {EARLIEST} and {LATEST}")
    return day


OnDate = Annotated[
    dt.date | None,
    Query(description="The day, YYYY-MM-DD (default: today, runner's time zone)"),
    AfterValidator(_plausible),
]
AT_HAND = ["none", *(e.value for e in Equipment)]
FileFormat = Literal["json", "ics", "html", "markdown"]
MEDIA: dict[FileFormat, tuple[str, str]] = {
    "json": ("application/json", "json"),
    "ics": ("text/calendar; charset=utf-8", "ics"),
    "html": ("text/html; charset=utf-8", "html"),
    "markdown": ("text/markdown; charset=utf-8", "md"),
}


# A JSON string escape for NUL that is not itself escaped (`\\u0000` is a backslash and "u0000").
_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_NON_FINITE = re.compile(rb"NaN|Infinity")


async def check_body(request: Request) -> None:
    """What the models cannot see: Python reads NaN and Infinity as JSON numbers, which JSON has
    not (and a NaN slips past range checks); stored text cannot hold NUL (PostgreSQL refuses it)."""
    body = await request.body()
    if not (_NUL.search(body) or _NON_FINITE.search(body)):
        return
    try:
        data = json.loads(body, parse_constant=_not_a_number)
    except (ValueError, RecursionError):
        return  # not JSON at all: the body's own validation says so
    where = _nul_field(data)
    if where is not None:
        field = f"field '{where}'" if where else "the body"
        raise InvalidInput(f"{field} may not contain NUL characters (\\u0000)")


def _not_a_number(constant: str) -> None:
    raise InvalidInput(f"{constant} is not a number in JSON; send a finite number")


def _nul_field(document: Any) -> str | None:
    """Where the first string holding a NUL is, as 'a.0.b' ('' for the whole body); None when
    there is none. A loop, not recursion: a body may nest as deep as the JSON parser allows."""
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        at, value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            return at
        if isinstance(value, dict):
            children = [(_join(at, key), item) for key, item in value.items()]
        elif isinstance(value, list):
            children = [(_join(at, index), item) for index, item in enumerate(value)]
        else:
            continue
        stack.extend(reversed(children))
    return None


def _join(at: str, key: object) -> str:
    return f"{at}.{key}" if at else str(key)


BODY_CHECKED = [Depends(check_body)]
