"""/start: the runner's profile → the first plan (then the screening)."""

from __future__ import annotations

import re
import zoneinfo
from functools import cache
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from glutecoach.domain.errors import InvalidInput
from glutecoach.domain.library import Equipment
from glutecoach.domain.planning import Experience, RunnerProfile, Weekday
from glutecoach.services import planning, runners
from glutecoach.web.csrf import require_csrf
from glutecoach.web.routes.page_common import (
    Db,
    Form,
    form_values,
    has_runner,
    render,
    see_other,
    snapshot,
    split_message,
    text,
    texts,
)

router = APIRouter(include_in_schema=False)

EQUIPMENT_LABELS = {
    Equipment.mini_band: "Mini band (loop around the knees)",
    Equipment.long_band: "Long resistance band",
    Equipment.dumbbell: "Dumbbell or kettlebell",
    Equipment.box: "Box, step or sturdy bench",
    Equipment.foam_roller: "Foam roller",
}
# Where a message about the whole profile (no "field '…'") belongs on the form, and its words.
_MODEL_MESSAGES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^long_run_day"), "long_run_day", "Make it one of your run days."),
    (re.compile(r"^hard_days (.*) are not"), "hard_days", r"Hard days must be run days (not \1)."),
    (re.compile(r"^race date (.*) is before"), "race_date", r"The race (\1) is before the start."),
)
_FIELDS = {"race.date": "race_date", "race.distance_km": "race_distance", "race.name": "race_name"}


@cache
def time_zones() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def _page(
    request: Request,
    values: dict[str, Any],
    errors: dict[str, str],
    existing: bool,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "start.html",
        {
            "values": values,
            "errors": errors,
            "existing": existing,
            "weekdays": list(Weekday),
            "equipment": EQUIPMENT_LABELS,
            "experience": list(Experience),
            "time_zones": time_zones(),
        },
        status_code,
    )


def profile_values(profile: RunnerProfile) -> dict[str, Any]:
    """A stored profile as the form's values, to change it."""
    values: dict[str, Any] = {
        "name": profile.name,
        "timezone": profile.timezone,
        "run_days": [d.value for d in profile.run_days],
        "long_run_day": profile.long_run_day.value if profile.long_run_day else "",
        "hard_days": [d.value for d in profile.hard_days],
        "weekly_km": f"{profile.weekly_km:g}",
        "experience": profile.experience.value,
        "equipment": [e.value for e in profile.equipment],
        "strength_minutes": str(profile.strength_minutes),
        "strength_sessions_per_week": str(profile.strength_sessions_per_week),
        "start_date": profile.start_date.isoformat(),
    }
    if profile.race is not None:
        values["race_date"] = profile.race.date.isoformat()
        values["race_distance"] = f"{profile.race.distance_km:g}"
        values["race_name"] = profile.race.name or ""
    return values


@router.get("/start", response_class=HTMLResponse)
def start_page(request: Request, db: Db) -> HTMLResponse:
    if has_runner(db):
        return _page(request, profile_values(snapshot(db).profile), {}, existing=True)
    return _page(request, {"timezone": "UTC", "strength_sessions_per_week": "2"}, {}, False)


def profile_data(form: FormData) -> dict[str, Any]:
    """The form as the profile document the planning service reads; empty fields left out."""
    data: dict[str, Any] = {
        "name": text(form, "name"),
        "timezone": text(form, "timezone") or "UTC",
        "run_days": texts(form, "run_days"),
        "hard_days": texts(form, "hard_days"),
        "equipment": texts(form, "equipment"),
    }
    for name in (
        "long_run_day",
        "weekly_km",
        "experience",
        "strength_minutes",
        "strength_sessions_per_week",
        "start_date",
    ):
        if text(form, name):
            data[name] = text(form, name)
    race = {
        key: text(form, name)
        for key, name in (("date", "race_date"), ("distance_km", "race_distance"))
        if text(form, name)
    }
    if race:
        if text(form, "race_name"):
            race["name"] = text(form, "race_name")
        data["race"] = race
    return data


def field_errors(message: str) -> dict[str, str]:
    where, said = split_message(message)
    if where is None:
        for pattern, field, words in _MODEL_MESSAGES:
            if found := pattern.match(said):
                return {field: found.expand(words)}
        return {"form": said}
    return {_FIELDS.get(where, where.split(".")[0]): said}


@router.post("/start", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def start_submit(request: Request, db: Db, form: Form) -> Response:
    existing = snapshot(db) if has_runner(db) else None
    data = profile_data(form)
    try:
        if data["timezone"] not in time_zones():  # before the service reads the clock in it
            raise InvalidInput(
                f"profile: field 'timezone' '{data['timezone']}' is not a time zone name "
                "(e.g. Europe/London)"
            )
        profile = planning.parse_profile(data, "profile", db.clock)
        if (
            existing is not None
            and db.actor.is_local  # an account's runner is the account's, whatever the name
            and runners.slug_of(profile.name) != existing.runner.slug
        ):
            raise InvalidInput(
                f"profile: field 'name' this app keeps one runner, {existing.runner.name}: "
                "keep that name to change the profile"
            )
        # Changing the profile keeps the screening: the new plan is built around it again.
        runners.start(db, profile, existing.screening if existing else None)
    except InvalidInput as error:
        values = form_values(form, ("run_days", "hard_days", "equipment"))
        return _page(request, values, field_errors(error.message), existing is not None, 422)
    if existing is not None and existing.screening is not None:
        return see_other("/plan")
    return see_other("/screening")
