"""glutecoach's settings: typed, from `GLUTECOACH_*` environment variables, checked at start-up."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import platformdirs
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from glutecoach.adapters.clock import PinnedDayClock, SystemClock
from glutecoach.adapters.db.errors import StorageError
from glutecoach.adapters.db.urls import normalise_url
from glutecoach.domain.clock import Clock
from glutecoach.domain.errors import InvalidInput

APP_NAME = "glutecoach"
DATABASE_FILE = "glutecoach.db"
ENV_PREFIX = "GLUTECOACH_"
STALLED_AFTER_S = 30.0  # a queue worker silent this long is gone: its jobs are queued again


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")

    # SQLAlchemy URL: sqlite:///path/file.db or postgresql://user:password@host:port/database.
    # Unset: the SQLite file glutecoach.db in the user's data directory, created on first use.
    database_url: str | None = None

    # Where mail goes: smtp://user:password@host:587?from=coach@example.org (STARTTLS when
    # offered) or smtps://… (TLS from the start). Unset: messages are written to the server log.
    smtp_url: str | None = None
    # The address people reach the web app at, for links in emails (invitations, password resets).
    public_url: str = "http://127.0.0.1:8000"

    # Where long work (a gait analysis, a run import) runs: "thread", in the web process; "queue",
    # on the task queue in the PostgreSQL database, run by `glutecoach worker` (SQLite: always
    # the thread).
    jobs: Literal["thread", "queue"] = "thread"
    # Seconds without a heartbeat after which a queue worker counts as stopped (killed, out of
    # memory) and another queues its jobs again. One setting, not a flag per worker: each worker
    # judges the others by it, so they must all use the same.
    stalled_after_s: float = Field(default=STALLED_AFTER_S, ge=1.0, le=3600.0)

    # A date (YYYY-MM-DD) that is "today" for every runner, whatever the machine's clock says: for
    # a demo, a support call or a replay of a runner's week. Every page and command then says
    # the date is pinned. Unset: the machine's clock, in each runner's own time zone.
    today: dt.date | None = None

    @field_validator("today", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("smtp_url")
    @classmethod
    def _usable_smtp(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("expected smtp://user:password@host:587?from=address (or smtps://)")
        return value.strip()

    @field_validator("public_url")
    @classmethod
    def _usable_public_url(cls, value: str) -> str:
        cleaned = value.strip().rstrip("/")
        if not re.match(r"^https?://[^/\s]+(/\S*)?$", cleaned):
            raise ValueError("expected the app's address, e.g. https://coach.example.org")
        return cleaned

    @field_validator("database_url")
    @classmethod
    def _usable_database(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        normalise_url(value)  # a ValueError here carries the readable message
        return value.strip()

    def clock(self) -> Clock:
        """The clock every use case is handed: the machine's, or the pinned day."""
        return PinnedDayClock(self.today) if self.today is not None else SystemClock()

    def resolved_database_url(self) -> str:
        """The URL to open: the configured one, or the default SQLite file (its folder created)."""
        if self.database_url is not None:
            return self.database_url
        folder = data_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(
                f"cannot create glutecoach's data folder {folder} ({error.strerror}); "
                f"set {ENV_PREFIX}DATABASE_URL to a database it can use",
                permanent=True,
            ) from None
        return f"sqlite:///{(folder / DATABASE_FILE).as_posix()}"


def data_folder() -> Path:
    """The user's data folder for glutecoach: the default database, the uploads' folders."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def load_settings() -> Settings:
    """The settings from the environment, or InvalidInput naming the variable that is wrong."""
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        message = str(first["msg"]).removeprefix("Value error, ")
        raise InvalidInput(f"{ENV_PREFIX}{field.upper()}: {message}") from None
