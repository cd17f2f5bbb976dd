"""Refuse request bodies over a size before anything reads them.

One limit for every request, and larger ones for the few routes that take an upload (by method
and path). A refusal is the app's 413: JSON under /api, the error page elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from glutecoach.web.errors import error_response


@dataclass(frozen=True)
class RouteLimit:
    """A route's own limit, and the sentence that refuses a body over it."""

    max_bytes: int
    message: str


class BodySizeLimit:
    """Pure ASGI middleware: checks Content-Length up front and counts streamed bytes too."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        routes: Mapping[tuple[str, str], RouteLimit] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.routes = dict(routes or {})  # (method, path) → its limit

    def limit_for(self, scope: Scope) -> RouteLimit:
        found = self.routes.get((scope.get("method", ""), scope.get("path", "")))
        if found is not None:
            return found
        return RouteLimit(self.max_bytes, f"request body over {self.max_bytes} bytes")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit.max_bytes:
            await self._refuse(scope, receive, send, limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit.max_bytes:
                # An HTTPException passes through the framework's body parsing untouched; any
                # other exception there would become a 400.
                raise HTTPException(413, limit.message)
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: RouteLimit) -> None:
        if not scope.get("path", "").startswith("/api/") and "app" in scope:
            # A browser's form post gets the error page (the templates need the router).
            routed = {**scope, "router": scope.get("router") or scope["app"].router}
            page = error_response(Request(routed), 413, "request_too_large", limit.message)
            await page(routed, receive, send)
            return
        body = json.dumps({"error": "request_too_large", "message": limit.message}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})
