"""Which database a URL names, without importing SQLAlchemy or a driver: SQLite or PostgreSQL."""

from __future__ import annotations

from typing import Literal

Backend = Literal["sqlite", "postgresql"]

EXAMPLES = "sqlite:///path/to/glutecoach.db or postgresql://user:password@host:5432/glutecoach"

# scheme as written -> (backend, the SQLAlchemy driver glutecoach uses for it)
_SCHEMES: dict[str, tuple[Backend, str]] = {
    "sqlite": ("sqlite", "sqlite"),
    "sqlite+pysqlite": ("sqlite", "sqlite+pysqlite"),
    "postgresql": ("postgresql", "postgresql+psycopg"),
    "postgres": ("postgresql", "postgresql+psycopg"),
    "postgresql+psycopg": ("postgresql", "postgresql+psycopg"),
}


def normalise_url(url: str) -> tuple[Backend, str]:
    """The backend and the URL with glutecoach's driver (`postgresql://` → `postgresql+psycopg://`).

    Raises ValueError with a readable message; the message never repeats a password.
    """
    scheme, separator, rest = url.strip().partition("://")
    if not separator:
        shown = url if len(url) <= 40 else url[:37] + "…"
        raise ValueError(f"'{shown}' is not a database URL; expected {EXAMPLES}")
    known = _SCHEMES.get(scheme.lower())
    if known is None:
        raise ValueError(
            f"'{scheme}://' is not a database glutecoach can use; it stores its data in SQLite "
            f"or PostgreSQL (psycopg 3), e.g. {EXAMPLES}"
        )
    backend, driver = known
    if backend == "postgresql" and not rest.split("?")[0].strip("/"):
        raise ValueError(f"'{scheme}://' names no server or database; expected {EXAMPLES}")
    return backend, f"{driver}://{rest}"
