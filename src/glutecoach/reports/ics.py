"""The plan as an iCalendar file (RFC 5545): one all-day event per session.

Run cues get their own short event, titled with the cue, rather than being folded into the pre-run
event's description: the cue is then readable in the calendar's day view without opening anything,
it is still there on days without a pre-run session, and each plan session maps to one event.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from icalendar import Calendar, Event

from glutecoach.domain.library.library import Library
from glutecoach.domain.planning.plan import Day, Plan, Session
from glutecoach.reports._text import full_dose, says_the_cue, session_heading

PRODID = "-//glutecoach//plan//EN"


def _uid(plan: Plan, day: Day, session: Session, repeat: int) -> str:
    # Derived from the plan, not random: importing a rebuilt plan updates its events in place
    # instead of doubling them. `repeat` only matters if a day ever holds two sessions of one kind.
    suffix = f"-{repeat}" if repeat > 1 else ""
    return f"{plan.start:%Y%m%d}-{day.date:%Y%m%d}-{session.kind.value}{suffix}@glutecoach"


def _description(session: Session, library: Library) -> str:
    lines = [] if says_the_cue(session) else [session.reason, ""]
    for p in session.prescriptions:
        lines.append(f"• {p.name}: {full_dose(p)}")
        exercise = library.exercises.get(p.exercise_id)
        if exercise is not None:
            # The first cue is the one that makes the exercise work; the rest is in the handout.
            lines.append(f"  {exercise.cues[0]}")
    if session.cue is not None:
        lines += ["", f"Cue: {session.cue.cue}", f"Why: {session.cue.why}"]
    return "\n".join(lines).strip()


def _summary(session: Session) -> str:
    # The cue itself in the title: it is read at a glance on the day without opening the event.
    if session.cue is not None and not session.prescriptions:
        return f"{session.title}: {session.cue.cue}"
    return session_heading(session)


def _event(day: Day, session: Session, library: Library, uid: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day.date)
    event.add("dtend", day.date + dt.timedelta(days=1))
    event.add("summary", _summary(session))
    event.add("description", _description(session, library))
    event.add("categories", ["glutecoach", session.kind.value])
    # An all-day reminder must not mark the runner busy for the whole day.
    event.add("transp", "TRANSPARENT")
    return event


def plan_ics(plan: Plan, library: Library, stamp: dt.datetime) -> bytes:
    if stamp.tzinfo is None:
        raise ValueError("stamp must be timezone-aware (DTSTAMP is written in UTC)")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Glute plan: {plan.runner}")
    utc = stamp.astimezone(dt.UTC)
    for day in plan.days:
        seen: Counter[str] = Counter()
        for session in day.sessions:
            seen[session.kind.value] += 1
            uid = _uid(plan, day, session, seen[session.kind.value])
            calendar.add_component(_event(day, session, library, uid, utc))
    return bytes(calendar.to_ical())
