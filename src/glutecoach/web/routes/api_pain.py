"""/api/v1/runners/{slug}/pain and /recheck: what pain holds back, and the runner's re-check."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from glutecoach.domain.library import BodyArea
from glutecoach.domain.progression.safety import ClearedBy
from glutecoach.services import recheck, training
from glutecoach.web.deps import Db
from glutecoach.web.routes.api_common import BODY_CHECKED, ERRORS, OnDate, Slug
from glutecoach.web.schemas import OutcomeOut

router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)


class RecheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pain_free: bool
    areas: tuple[BodyArea, ...] = ()  # default: every area the re-check asks about today


@router.get("/runners/{slug}/pain", summary="What pain holds back, and the re-check due today")
def pain(slug: Slug, db: Db, date: OnDate = None) -> dict[str, Any]:
    status = recheck.pain_status(db, slug, date)
    return {
        "held": [
            {
                "exercise_id": h.exercise_id,
                "name": h.name,
                "pain": h.pain.pain,
                "date": h.pain.date.isoformat(),
                "reason": h.reason,
            }
            for h in status.held
        ],
        "stopped_areas": {a.value: list(n) for a, n in sorted(status.stopped.items())},
        "red_flag_areas": sorted(a.value for a in status.red_flags),
        "see_clinician": status.see_clinician,
        "recheck": sorted(a.value for a in status.due),
        "question": status.question(),
    }


@router.post(
    "/runners/{slug}/recheck",
    status_code=201,
    dependencies=BODY_CHECKED,
    summary="Answer the re-check: pain-free brings back what the pain held back",
)
def answer_recheck(slug: Slug, body: RecheckRequest, db: Db) -> OutcomeOut:
    if not body.pain_free:  # still sore: nothing changes, and nothing is stored
        _, version, _ = training.current_plan(db, slug)
        return OutcomeOut(plan_version=version, decisions=(), changes=())
    return OutcomeOut.of(recheck.clear(db, slug, ClearedBy.runner, body.areas))
