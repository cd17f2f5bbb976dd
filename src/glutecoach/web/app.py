"""`create_app()`: the FastAPI app, built by a factory so tests make independent apps and nothing is
created at import time."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from glutecoach import __version__
from glutecoach.domain.clock import Clock
from glutecoach.services import gait_jobs, import_jobs, job_queue
from glutecoach.services.gait_jobs import FORM_OVERHEAD_BYTES, UPLOAD_MAX_BYTES, GaitJobs
from glutecoach.services.import_jobs import ImportJobs
from glutecoach.services.mail import mailer
from glutecoach.services.store import open_store
from glutecoach.settings import load_settings
from glutecoach.web.auth import install_auth
from glutecoach.web.errors import install_error_handlers
from glutecoach.web.limits import BodySizeLimit, RouteLimit
from glutecoach.web.routes import api, page_runs, pages
from glutecoach.web.routes.page_gait import UPLOAD_PATH

STATIC = Path(__file__).parent / "static"
GC_THRESHOLDS = (50_000, 20, 100)  # a server worker's (CPython's default: 700, 10, 10)
MAX_BODY_BYTES = 1_000_000  # forms and JSON bodies are small; uploads come with their own limit


def create_app(
    database_url: str | None = None,
    data_folder: Path | None = None,
    gait_upload_bytes: int = UPLOAD_MAX_BYTES,
    runs_upload_bytes: int = import_jobs.UPLOAD_MAX_BYTES,
    freeze_heap: bool = False,
    clock: Clock | None = None,
) -> FastAPI:
    """`database_url` for tests; otherwise GLUTECOACH_DATABASE_URL or the default SQLite file.
    `data_folder` (tests) holds the gait and run uploads and the gait reports; by default the
    user's data folder. With GLUTECOACH_JOBS=queue and PostgreSQL, the uploads' jobs go to the
    task queue (`glutecoach worker` runs them); otherwise to a thread of this process.
    `freeze_heap`: for a server's worker, which lives on (tests make many apps in one process).
    `clock` (tests): what every request takes today and now from; by default the settings'.
    """

    app = FastAPI(
        title="glutecoach",
        version=__version__,
        summary="Screen a runner for gluteal under-use, plan around their running, follow it.",
        lifespan=_lifespan(database_url, freeze_heap),
    )
    app.state.settings = load_settings()
    app.state.clock = clock or app.state.settings.clock()
    app.state.mailer = mailer(app.state.settings.smtp_url)
    _attach_jobs(app, database_url, data_folder, gait_upload_bytes, runs_upload_bytes)
    routes = _upload_limits(gait_upload_bytes, runs_upload_bytes)
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES, routes=routes)
    _install_routes(app)
    return app


def _lifespan(
    database_url: str | None, freeze_heap: bool
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.db = open_store(database_url, app.state.clock)
        if freeze_heap:
            _tune_collector()
        try:
            yield
        finally:
            app.state.gait_jobs.close()
            app.state.import_jobs.close()
            app.state.db.close()

    return lifespan


def _tune_collector() -> None:
    # What is alive now (the imported app, the library, the engine) lives as long as
    # the worker: frozen, the collector no longer walks it in every full collection,
    # which bench/clinic.py measured at ~150 ms each (7.0 → 7.8 requests/s under load).
    gc.freeze()
    # A request that reads a runner's plan makes tens of thousands of objects that live
    # until it answers; at the default (a young collection every 700) each such request
    # ran dozens of collections and now and then a full one over the worker's cached
    # plans (a profile of the requests showed them). bench/clinic.py's one-pass A/B,
    # p95 404 → 298 ms, is within that bench's run-to-run spread (BENCHMARKS.md,
    # sessions 5 and 6): kept for the profile, not for that figure.
    gc.set_threshold(*GC_THRESHOLDS)


def _attach_jobs(
    app: FastAPI,
    database_url: str | None,
    data_folder: Path | None,
    gait_upload_bytes: int,
    runs_upload_bytes: int,
) -> None:
    queue = job_queue.for_settings(app.state.settings, database_url)
    app.state.gait_jobs = GaitJobs(
        data_folder / "gait" if data_folder is not None else gait_jobs.default_folder(),
        gait_upload_bytes,
        queue,
    )
    app.state.import_jobs = ImportJobs(
        data_folder / "runs" if data_folder is not None else import_jobs.default_folder(),
        runs_upload_bytes,
        queue,
    )


def _upload_limits(
    gait_upload_bytes: int, runs_upload_bytes: int
) -> dict[tuple[str, str], RouteLimit]:
    upload = RouteLimit(
        gait_upload_bytes + FORM_OVERHEAD_BYTES, gait_jobs.too_large_message(gait_upload_bytes)
    )
    runs_upload = RouteLimit(
        runs_upload_bytes + import_jobs.FORM_OVERHEAD_BYTES,
        import_jobs.too_large_message(runs_upload_bytes),
    )
    return {("POST", UPLOAD_PATH): upload, ("POST", page_runs.UPLOAD_PATH): runs_upload}


def _install_routes(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    install_error_handlers(app)
    install_auth(app)


def serving_app() -> FastAPI:
    """The app a `glutecoach serve` worker runs."""
    return create_app(freeze_heap=True)
