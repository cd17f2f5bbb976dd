"""The Jinja2 environment for the pages (autoescaped), shared by routes and error handlers."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
