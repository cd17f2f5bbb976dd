"""The one error storage raises, and the translation of driver errors into it."""

from __future__ import annotations

from glutecoach.domain.errors import GlutecoachError


class StorageError(GlutecoachError):
    """The database cannot do what was asked. `permanent` says whether retrying can help:
    a locked SQLite file or an unreachable server may clear up; a read-only file or a schema from
    a newer glutecoach will not until someone changes something."""

    status_code = 503

    def __init__(self, message: str, *, permanent: bool, conflict: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        # another transaction changed the same rows first: the whole unit of work, run again,
        # sees that change and either succeeds or refuses for a reason of its own
        self.conflict = conflict


# SQLSTATE classes and SQLite codes that mean "a concurrent change won".
_CONFLICTS = ("40", "23", "SQLITE_CONSTRAINT")


# SQLite result codes by name (`sqlite3.Error.sqlite_errorname`, extended codes start with these).
_SQLITE: dict[str, tuple[str, bool]] = {
    "SQLITE_BUSY": (
        "{where} is locked by another program (another glutecoach still writing?); "
        "nothing was saved, try again in a moment",
        False,
    ),
    "SQLITE_LOCKED": ("{where} is locked; nothing was saved, try again in a moment", False),
    "SQLITE_READONLY": (
        "{where} is read-only: glutecoach cannot write to it and nothing was saved; "
        "check the permissions of the file and of its folder",
        True,
    ),
    "SQLITE_CANTOPEN": (
        "cannot open {where}: check that its folder exists and that glutecoach may read and "
        "write both the file and the folder",
        True,
    ),
    "SQLITE_FULL": ("{where}: the disk is full; nothing was saved", True),
    "SQLITE_NOTADB": ("{where} is not an SQLite database", True),
    "SQLITE_CORRUPT": ("{where} is damaged (SQLite reports corruption); restore a backup", True),
    "SQLITE_IOERR": ("{where}: the disk reported an input/output error; nothing was saved", False),
    "SQLITE_PERM": ("{where}: the operating system refused access; check its permissions", True),
    "SQLITE_CONSTRAINT": (
        "{where}: a conflicting change was saved at the same time; try again",
        False,
    ),
}

# PostgreSQL SQLSTATE classes and codes: (message, permanent).
_POSTGRES: dict[str, tuple[str, bool]] = {
    "08": ("cannot reach {where}: {reason}; check that the server is running", False),
    "28": ("{where} refused the login: {reason}; check the user and password in the URL", True),
    "3D000": ("{where} does not exist; create it first (createdb)", True),
    "25006": ("{where} is read-only; nothing was saved", True),
    "42501": ("{where}: permission denied ({reason}); nothing was saved", True),
    "53": ("{where} is out of resources ({reason}); nothing was saved, try again later", False),
    "57P": ("{where} is shutting down or restarting; nothing was saved, try again", False),
    "40": ("{where}: a conflicting change was saved at the same time; try again", False),
    "55P03": ("{where} is locked; nothing was saved, try again in a moment", False),
    "23": ("{where}: a conflicting change was saved at the same time ({reason}); try again", False),
}


def from_driver_error(error: BaseException | None, where: str) -> StorageError:
    """A readable StorageError for a DBAPI error (`sqlalchemy.exc.DBAPIError.orig`).

    `where` names the file or server, e.g. "the SQLite database /home/ana/glutecoach.db".
    """
    if error is None:
        return StorageError(f"{where}: the database driver failed", permanent=False)
    reason = _first_line(error)
    name = getattr(error, "sqlite_errorname", None)
    if isinstance(name, str):
        for prefix, (template, permanent) in _SQLITE.items():
            if name.startswith(prefix):
                return StorageError(
                    template.format(where=where),
                    permanent=permanent,
                    conflict=prefix in _CONFLICTS,
                )
        return StorageError(f"{where}: {reason}", permanent=False)
    state = getattr(error, "sqlstate", None)
    if _looks_like_postgres(error):
        state = state or _connection_state(reason)
        for prefix, (template, permanent) in _POSTGRES.items():
            if state.startswith(prefix):
                return StorageError(
                    template.format(where=where, reason=reason),
                    permanent=permanent,
                    conflict=prefix in _CONFLICTS,
                )
    return StorageError(f"{where}: {reason}", permanent=False)


def _connection_state(reason: str) -> str:
    """libpq gives no SQLSTATE when a connection fails; its message says why."""
    if "database" in reason and "does not exist" in reason:
        return "3D000"
    if any(sign in reason for sign in ("authentication failed", "pg_hba.conf", "role", "password")):
        return "28000"
    return "08000"


def _looks_like_postgres(error: BaseException) -> bool:
    return type(error).__module__.startswith("psycopg")


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # psycopg: 'connection failed: connection to server at "127.0.0.1", port 1 failed: Connection
    # refused' — the last clause is the news.
    line = lines[0] if lines else type(error).__name__
    line = line.rsplit(" failed: ", 1)[-1] if "failed: " in line else line
    return line.removeprefix("FATAL:").strip()
