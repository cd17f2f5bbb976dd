"""`glutecoach serve`: the web app (what `make run` starts)."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    *,
    host: Annotated[
        str, typer.Option(help="Address to listen on (keep 127.0.0.1 unless behind a proxy).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=32,
            help="Worker processes; each listens on its own socket (SO_REUSEPORT), so the "
            "kernel spreads connections across them. One per core is a good start.",
        ),
    ] = 1,
) -> None:
    """Start the web app: every page works on a phone's browser; the JSON API is under /api/v1."""
    from glutecoach.web import server

    def announce() -> None:
        print(f"glutecoach on http://{host}:{port}  (Ctrl-C to stop)", flush=True)

    server.serve(host, port, workers, announce=announce)
