"""How a plan version is stored: each distinct session once, and the days pointing at it.

A 24-week plan repeats a few dozen sessions over its ~360 session days (~1,000 prescriptions, ~50
of them distinct). Written out whole it is ~400 kB of JSON, which every session log parsed and
then stored again as the next version; with its sessions shared it is ~60 kB, parses in a
quarter of the time, and the `Plan` read back holds each distinct session once (they are
frozen, so sharing them is safe).

The stored document is the plan's JSON (as pydantic writes it) with two differences: a day's
`sessions` are indexes into a top-level `sessions` list, and that list holds each distinct
session once, in the order the days first use them. A document trimmed by the database to a few
weeks (`plan_reads.plan_document_sql`) may hold `null` for the sessions no kept day uses."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import from_json

from glutecoach.adapters.db.json_text import JSONText
from glutecoach.domain.planning import Plan
from glutecoach.domain.planning.plan import Session

_SESSIONS: TypeAdapter[tuple[Session | None, ...]] = TypeAdapter(tuple[Session | None, ...])


def plan_document(plan: Plan) -> JSONText:
    """The document to store for `plan`."""
    shared: dict[Session, int] = {}  # equal sessions (frozen, so hashable) share one index
    # the same object first, by identity: hashing a session walks every prescription, and a plan
    # read back (and adapted) shares its sessions
    seen: dict[int, int] = {}

    def ref(session: Session) -> int:
        found = seen.get(id(session))
        if found is None:
            found = seen[id(session)] = shared.setdefault(session, len(shared))
        return found

    weeks = []
    for week in plan.weeks:
        days = []
        for day in week.days:
            refs = [ref(session) for session in day.sessions]
            days.append({**day.model_dump(mode="json", exclude={"sessions"}), "sessions": refs})
        weeks.append({**week.model_dump(mode="json", exclude={"days"}), "days": days})
    head = plan.model_dump(mode="json", exclude={"weeks"})
    skeleton = json.dumps({**head, "weeks": weeks}, ensure_ascii=False, separators=(",", ":"))
    # the sessions serialised by pydantic, as the whole plan was, and put in as they are
    sessions = _SESSIONS.dump_json(tuple(shared)).decode()
    return JSONText(f'{skeleton[:-1]},"sessions":{sessions}}}')


def plan_from_document(document: str | bytes | Mapping[str, Any]) -> Plan:
    """The plan a stored document (as text, or parsed) holds."""
    raw = dict(from_json(document) if isinstance(document, str | bytes) else document)
    sessions = _SESSIONS.validate_python(raw.pop("sessions", ()))
    weeks = [
        {**week, "days": [_day(day, sessions) for day in week["days"]]}
        for week in raw.get("weeks", ())
    ]
    return Plan.model_validate({**raw, "weeks": weeks})


def _day(day: Mapping[str, Any], sessions: tuple[Session | None, ...]) -> dict[str, Any]:
    found = [
        sessions[i] if isinstance(i, int) and 0 <= i < len(sessions) else None
        for i in day["sessions"]
    ]
    if None in found:
        raise ValueError(f"plan document: the day {day.get('date')} names a session it lacks")
    return {**day, "sessions": found}
