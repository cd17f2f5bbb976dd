"""One place that turns errors into responses: JSON under /api, a page elsewhere.

The shape `{"error": "<kind>", "message": "<one readable sentence>"}` is pinned by a test.
"""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from glutecoach.domain.errors import GlutecoachError, TooManyAttempts
from glutecoach.web.templating import templates


def _kind(error: Exception) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, kind: str, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": kind, "message": message}, status_code=status)
    context = {
        "status": status,
        "kind": kind,
        "message": message,
        # who is signed in, if this request found out before it failed: the error page never
        # asks the database (the error may be that the database is down)
        "viewer": getattr(request.state, "actor", None),
    }
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


def _validation_message(error: RequestValidationError) -> str:
    first = error.errors()[0]
    if first.get("type") == "json_invalid":
        return "the request body is not valid JSON"
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
    message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    if first.get("type") == "missing":
        message = "is missing"
        if not where:
            return "the request needs a JSON body"
    if first.get("type") == "extra_forbidden":
        message = "is not a known field (check the spelling)"
    return f"field '{where}' {message}" if where else message


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(GlutecoachError)
    async def domain_error(request: Request, error: GlutecoachError) -> Response:
        response = error_response(request, error.status_code, _kind(error), error.message)
        if isinstance(error, TooManyAttempts):  # the 429 says when to try again
            response.headers["Retry-After"] = str(error.retry_after_s)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        return error_response(request, 422, "invalid_input", _validation_message(error))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        message = str(error.detail) if error.detail else "error"
        if error.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        kind = "request_too_large" if error.status_code == 413 else "http_error"
        return error_response(request, error.status_code, kind, message)


__all__ = ["HTMLResponse", "error_response", "install_error_handlers"]
