"""Screen a runner: read the answers, apply the rules, save the result the planner reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from glutecoach.domain.errors import InvalidInput
from glutecoach.domain.library import load_library
from glutecoach.domain.screening import Screening, ScreeningInput, screen
from glutecoach.domain.validation import first_error, parse_model
from glutecoach.services.files import read_document, write_atomically


def parse_input(data: Any, label: str = "answers") -> ScreeningInput:
    return parse_model(ScreeningInput, data, label)


def read_input(path: Path) -> ScreeningInput:
    return parse_input(read_document(path), str(path))


def run(data: ScreeningInput, on: dt.date) -> Screening:
    """Screen as of `on`, the day the answers were given."""
    return screen(data, load_library(), on)


def save(screening: Screening, path: Path) -> Path:
    return write_atomically(path, screening.model_dump_json(indent=2) + "\n")


def load(path: Path) -> Screening:
    raw = read_document(path)
    if not isinstance(raw, dict) or raw.get("kind") != "glutecoach.screening":
        raise InvalidInput(
            f"{path}: not a glutecoach screening file (make one with 'glutecoach screen')"
        )
    try:
        return Screening.model_validate(raw)
    except ValidationError as error:
        raise InvalidInput(f"{path}: {first_error(error)}") from None
