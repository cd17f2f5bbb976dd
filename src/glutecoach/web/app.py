"""`create_app()`: the FastAPI app, built by a factory so tests make independent apps and nothing is
created at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from glutecoach import __version__
from glutecoach.services.mail import mailer
from glutecoach.services.store import open_store
from glutecoach.settings import load_settings
from glutecoach.web.auth import install_auth
from glutecoach.web.errors import install_error_handlers
from glutecoach.web.gait_jobs import (
    FORM_OVERHEAD_BYTES,
    UPLOAD_MAX_BYTES,
    GaitJobs,
    default_folder,
    too_large_message,
)
from glutecoach.web.limits import BodySizeLimit, RouteLimit
from glutecoach.web.routes import api, pages
from glutecoach.web.routes.page_gait import UPLOAD_PATH

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 1_000_000  # forms and JSON bodies are small; uploads come with their own limit


def create_app(
    database_url: str | None = None,
    data_folder: Path | None = None,
    gait_upload_bytes: int = UPLOAD_MAX_BYTES,
) -> FastAPI:
    """`database_url` for tests; otherwise GLUTECOACH_DATABASE_URL or the default SQLite file.
    `data_folder` (tests) holds the gait uploads and reports; by default the user's data folder.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.db = open_store(database_url)
        try:
            yield
        finally:
            app.state.gait_jobs.close()
            app.state.db.close()

    app = FastAPI(
        title="glutecoach",
        version=__version__,
        summary="Screen a runner for gluteal under-use, plan around their running, follow it.",
        lifespan=lifespan,
    )
    app.state.settings = load_settings()
    app.state.mailer = mailer(app.state.settings.smtp_url)
    app.state.gait_jobs = GaitJobs(
        data_folder / "gait" if data_folder is not None else default_folder(), gait_upload_bytes
    )
    upload = RouteLimit(
        gait_upload_bytes + FORM_OVERHEAD_BYTES, too_large_message(gait_upload_bytes)
    )
    app.add_middleware(
        BodySizeLimit, max_bytes=MAX_BODY_BYTES, routes={("POST", UPLOAD_PATH): upload}
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    install_error_handlers(app)
    install_auth(app)
    return app
