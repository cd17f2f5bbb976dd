"""The JSON API under /api/v1: the services' use cases, never re-implemented here.

Errors leave through web/errors.py as `{"error": kind, "message": sentence}` with the status the
error carries (422 bad input, 404 unknown runner or exercise, 409 a rule or a referral).
"""

from __future__ import annotations

from fastapi import APIRouter

from glutecoach.web.routes import api_history, api_library, api_logging, api_pain, api_runners

router = APIRouter()
for part in (api_library, api_runners, api_logging, api_history, api_pain):
    router.include_router(part.router)
