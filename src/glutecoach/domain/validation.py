"""One strict model per boundary, one readable message from its first error."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from glutecoach.domain.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)


def first_error(error: ValidationError) -> str:
    """`field 'run_days.2': Input should be 'mon', 'tue', …` from pydantic's first error."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "is not a known field (check the spelling)"
    if first["type"] == "missing":
        message = "is missing"
    return f"field '{where}' {message}" if where else message


def parse_model(model: type[M], data: Any, label: str) -> M:
    """Validate `data` as `model`; `label` names what was read (a file name, 'profile')."""
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        raise InvalidInput(f"{label}: expected a mapping of fields, found {kind}")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(f"{label}: {first_error(error)}") from None
    except RecursionError:  # a value nested thousands deep: no field of ours is
        raise InvalidInput(f"{label}: a value is nested too deeply") from None
