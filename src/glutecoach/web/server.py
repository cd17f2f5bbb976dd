"""Running the web app: one process, or several that each listen on a socket of their own.

uvicorn's own `--workers` share one listening socket. A burst of keep-alive connections (a page
and its assets, or a few phones at once) is then accepted by whichever worker wakes first, and
that one serves all of them while the others idle: measured by `bench/web.py`, which prints each
process's share of the connections. With `SO_REUSEPORT` every worker binds the same address and
the kernel spreads new connections across them.
"""

from __future__ import annotations

import ipaddress
import multiprocessing
import signal
import socket
from collections.abc import Callable
from multiprocessing.connection import wait
from types import FrameType

from glutecoach.domain.errors import InvalidInput

APP = "glutecoach.web.app:serving_app"
BACKLOG = 2048  # uvicorn's default
STOP_SECONDS = 15.0  # how long workers get to finish their requests on the way out


def serve(
    host: str,
    port: int,
    workers: int,
    log_level: str = "info",
    announce: Callable[[], None] | None = None,
) -> None:
    """Serve until Ctrl-C or SIGTERM; a clear error when the address is taken or not allowed.
    `announce` is called once the address is known to be usable, just before serving."""
    family = _family(host, port)
    _check_mode(host, port, family)
    _check_free(family, host, port)
    if announce is not None:
        announce()
    if workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        _run(_listener(family, host, port, reuse_port=False), log_level)
        return
    _supervise(family, host, port, workers, log_level)


def _check_mode(host: str, port: int, family: socket.AddressFamily) -> None:
    """Single-user mode (no accounts: no log-in) is for this computer only."""
    found = socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)
    if all(ipaddress.ip_address(str(a[4][0]).split("%")[0]).is_loopback for a in found):
        return
    from glutecoach.services import accounts
    from glutecoach.services.store import open_store

    with open_store() as db:
        if not accounts.accounts_exist(db):
            raise InvalidInput(
                f"--host {host}: with no accounts glutecoach runs in single-user mode, with no "
                "log-in, so it serves 127.0.0.1 only; add a clinician first "
                "('glutecoach accounts add-clinician') or keep --host 127.0.0.1"
            )


def _family(host: str, port: int) -> socket.AddressFamily:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise InvalidInput(f"--host '{host}': {error.strerror}") from None
    return found[0][0]


def _check_free(family: socket.AddressFamily, host: str, port: int) -> None:
    """Fail before starting anything; a probe without SO_REUSEPORT also refuses a port that
    another server (even another glutecoach) listens on with it."""
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise InvalidInput(
                f"cannot listen on {host}:{port}: {error.strerror}"
                " (is glutecoach already running? choose another --port)"
            ) from None


def _listener(
    family: socket.AddressFamily, host: str, port: int, *, reuse_port: bool
) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(BACKLOG)
    return sock


def _run(sock: socket.socket, log_level: str) -> None:
    import uvicorn

    config = uvicorn.Config(APP, factory=True, log_level=log_level)
    uvicorn.Server(config).run(sockets=[sock])


def _worker(family: socket.AddressFamily, host: str, port: int, log_level: str) -> None:
    _run(_listener(family, host, port, reuse_port=True), log_level)


def _supervise(
    family: socket.AddressFamily, host: str, port: int, workers: int, log_level: str
) -> None:
    """Start the workers; when one stops or a stop is asked for, stop them all."""

    def _stop(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt  # the same way out as Ctrl-C

    previous = signal.signal(signal.SIGTERM, _stop)
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no copied engine
    processes = [
        context.Process(
            target=_worker, args=(family, host, port, log_level), name=f"glutecoach-web-{n}"
        )
        for n in range(1, workers + 1)
    ]
    try:
        for process in processes:
            process.start()
        wait([p.sentinel for p in processes])
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for process in processes:
            process.join(STOP_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()
        signal.signal(signal.SIGTERM, previous)
