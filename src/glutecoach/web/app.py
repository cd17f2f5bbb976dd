"""`create_app()`: the FastAPI app, built by a factory so tests make independent apps and nothing is
created at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from glutecoach import __version__
from glutecoach.services.store import open_store
from glutecoach.web.errors import install_error_handlers
from glutecoach.web.limits import BodySizeLimit
from glutecoach.web.routes import api, pages

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 1_000_000  # forms and JSON bodies are small; uploads come with their own limit


def create_app(database_url: str | None = None) -> FastAPI:
    """`database_url` for tests; otherwise GLUTECOACH_DATABASE_URL or the default SQLite file."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.db = open_store(database_url)
        try:
            yield
        finally:
            app.state.db.close()

    app = FastAPI(
        title="glutecoach",
        version=__version__,
        summary="Screen a runner for gluteal under-use, plan around their running, follow it.",
        lifespan=lifespan,
    )
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    install_error_handlers(app)
    return app
