"""A week whose running spikes: the rest of that week's strength gets lighter, once, with a
change the runner can read. The exercises stay; sets (then reps) come down."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from glutecoach.domain.planning.changes import Change
from glutecoach.domain.planning.dosage import minutes, scaled
from glutecoach.domain.planning.plan import Day, Plan, SessionKind


def spike_key(week_start: dt.date) -> str:
    return f"running_spike:{week_start.isoformat()}"


def lighter_after_spike(
    plan: Plan,
    week_start: dt.date,
    today: dt.date,
    factor: float,
    why: str,
    done: Collection[str] = (),
) -> tuple[Plan, list[Change]]:
    """Strength on the days from `today` to the end of the week starting `week_start`, at about
    `factor` of its volume; nothing when this week was already lightened (its key in `done`)."""
    key = spike_key(week_start)
    last = week_start + dt.timedelta(days=6)
    if key in done or factor >= 1:
        return plan, []
    changed: list[Day] = []

    def lighten(day: Day) -> Day:
        if not (max(today, week_start) <= day.date <= last):
            return day
        session = day.session(SessionKind.strength)
        if session is None or not session.prescriptions:
            return day
        lighter = tuple(scaled(p, factor) for p in session.prescriptions)
        new = session.model_copy(update={"prescriptions": lighter, "minutes": minutes(lighter)})
        changed.append(day)
        return day.model_copy(
            update={"sessions": tuple(new if s is session else s for s in day.sessions)}
        )

    weeks = tuple(
        w.model_copy(update={"days": tuple(lighten(d) for d in w.days)})
        if w.start <= last and w.start + dt.timedelta(days=6) >= week_start
        else w
        for w in plan.weeks
    )
    if not changed:
        return plan, []
    dates = ", ".join(d.date.strftime("%a %d %b") for d in changed)
    change = Change(
        key=key,
        effective_from=changed[0].date,
        action="lighter",
        session=None,
        before="the usual strength volume",
        after=f"about {factor:.0%} of it on {dates}, same exercises",
        reason=why,
    )
    return plan.model_copy(update={"weeks": weeks}), [change]
