"""Any saved model (plan, screening) as pretty, stable JSON."""

from __future__ import annotations

from pydantic import BaseModel


def to_json(model: BaseModel) -> str:
    # Field order is the model's declaration order and nothing is a set, so the same model always
    # gives the same text: plans can be diffed and compared byte for byte.
    return model.model_dump_json(indent=2)
