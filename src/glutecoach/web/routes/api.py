"""The JSON API under /api/v1: the services' use cases, never re-implemented here."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["api"])


@router.get("/hello", summary="The framework's bare endpoint (the benchmarks' baseline)")
def hello() -> dict[str, str]:
    return {"hello": "glutecoach"}
