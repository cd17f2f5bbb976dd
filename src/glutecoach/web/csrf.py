"""CSRF protection for form posts: a double-submit token.

Every page response sets a random `gc_csrf` cookie (SameSite=Strict, HttpOnly) when it is missing;
forms carry the same value in a hidden `csrf_token` field and HTMX sends it as `X-CSRF-Token`.
A post whose token does not match the cookie is refused with 403 before anything is read or stored.
"""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request, Response

COOKIE = "gc_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"


def token_for(request: Request) -> str:
    """The token a page should embed: the cookie's, or a new one to set on the response."""
    existing = request.cookies.get(COOKIE)
    if existing:
        return existing
    cached: str | None = getattr(request.state, "csrf_token", None)
    if cached is None:
        cached = secrets.token_urlsafe(32)
        request.state.csrf_token = cached
    return cached


def set_cookie(request: Request, response: Response) -> None:
    if COOKIE not in request.cookies:
        response.set_cookie(
            COOKIE,
            token_for(request),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )


async def require_csrf(request: Request) -> None:
    """A dependency for every state-changing form route."""
    cookie = request.cookies.get(COOKIE)
    sent = request.headers.get(HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else None
    if not cookie or not sent or not secrets.compare_digest(cookie, sent):
        raise HTTPException(
            status_code=403,
            detail="the form's security token is missing or old; reload the page and try again",
        )
