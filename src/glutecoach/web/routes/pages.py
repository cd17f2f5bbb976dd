"""Server-rendered pages (Jinja2 + HTMX)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from glutecoach.web.csrf import set_cookie, token_for
from glutecoach.web.templating import templates

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request) -> HTMLResponse:
    response = templates.TemplateResponse(request, "home.html", {"csrf_token": token_for(request)})
    set_cookie(request, response)
    return response
