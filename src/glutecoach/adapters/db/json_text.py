"""JSON columns: documents pydantic has serialised already pass through as they are."""

from __future__ import annotations

import json
from typing import Any


class JSONText(str):
    """A JSON document serialised already (by pydantic, several times faster than json.dumps
    of the dumped dict): a JSON column stores it as it is."""


def dump_json(value: Any) -> str:
    return value if isinstance(value, JSONText) else json.dumps(value)
