"""What a clinician sees of each runner at a glance: adherence this week, the last log, and the
flags worth a look (pain, a regression, missed sessions, a red-flag referral).

Pure: the plan, logs and the plan's history of changes in; a `RunnerOverview` out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from glutecoach.domain.library import Library
from glutecoach.domain.planning.changes import Change
from glutecoach.domain.planning.plan import Plan, Week
from glutecoach.domain.progress import COUNTED
from glutecoach.domain.progression.logs import SessionLog
from glutecoach.domain.progression.safety import AREA_WORDS, Clearance, hold_from, pain_events

REGRESSIONS = {"regress": "stepped back", "stop": "stopped", "step_back": "stepped back"}


class _Overview(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FlagKind(StrEnum):
    pain = "pain"
    regression = "regression"
    missed = "missed"
    referral = "referral"
    no_plan = "no_plan"


class Flag(_Overview):
    kind: FlagKind
    text: str
    date: dt.date | None = None
    urgent: bool = False  # pain at the referral level, or a red flag


class Adherence(_Overview):
    week: int
    planned: int  # counted sessions planned up to today, this week
    done: int
    skipped: int

    @property
    def percent(self) -> float | None:
        return None if self.planned == 0 else round(100 * self.done / self.planned, 1)


class RunnerOverview(_Overview):
    runner: str  # the slug commands take
    name: str
    as_of: dt.date
    plan_version: int | None
    adherence: Adherence | None  # None outside the plan's dates, or without a plan
    last_log: dt.date | None
    flags: tuple[Flag, ...]

    @property
    def urgent(self) -> bool:
        return any(f.urgent for f in self.flags)


def flag_window(library: Library) -> int:
    """How many days back pain and regressions are flagged."""
    return int(library.threshold("clinic_flag_window_days").value)


def overview(
    runner: str,
    name: str,
    plan: Plan | None,
    plan_version: int | None,
    logs: Sequence[SessionLog],
    changes: Sequence[Change],
    library: Library,
    today: dt.date,
    last_log: dt.date | None = None,
    clearances: Sequence[Clearance] = (),
) -> RunnerOverview:
    """`logs` need only reach back `flag_window(library)` days (and to the week's start);
    `last_log` is the newest log of any kind when known, else the newest session log;
    `clearances`: the areas cleared of pain in the same days."""
    newest = max((log.date for log in logs if log.date <= today), default=None)
    last = max((d for d in (last_log, newest) if d is not None), default=None)
    if plan is None:
        flag = Flag(kind=FlagKind.no_plan, text="No plan yet: start the runner with a profile.")
        return RunnerOverview(
            runner=runner,
            name=name,
            as_of=today,
            plan_version=None,
            adherence=None,
            last_log=last,
            flags=(flag,),
        )
    week = _week_of(plan, today)
    flags = [
        *_referrals(plan),
        *_stopped(logs, clearances, library, today),
        *_pain(logs, library, today),
        *_regressions(changes, library, today),
        *_missed(week, logs, today),
    ]
    return RunnerOverview(
        runner=runner,
        name=name,
        as_of=today,
        plan_version=plan_version,
        adherence=_adherence(week, logs, today) if week else None,
        last_log=last,
        flags=tuple(flags),
    )


def _week_of(plan: Plan, today: dt.date) -> Week | None:
    return next((w for w in plan.weeks if any(d.date == today for d in w.days)), None)


def _planned(week: Week, until: dt.date) -> list[tuple[dt.date, str]]:
    return [
        (d.date, s.kind.value)
        for d in week.days
        if d.date <= until
        for s in d.sessions
        if s.kind in COUNTED
    ]


def _status(logs: Sequence[SessionLog]) -> dict[tuple[dt.date, str], str]:
    return {(log.date, log.session.value): log.status for log in logs}


def _adherence(week: Week, logs: Sequence[SessionLog], today: dt.date) -> Adherence:
    status = _status(logs)
    planned = _planned(week, today)
    return Adherence(
        week=week.number,
        planned=len(planned),
        done=sum(status.get(k) == "done" for k in planned),
        skipped=sum(status.get(k) == "skipped" for k in planned),
    )


def _referrals(plan: Plan) -> list[Flag]:
    return [
        Flag(kind=FlagKind.referral, text=f"Red flag: {message}", urgent=True)
        for message in plan.referrals
    ]


def _stopped(
    logs: Sequence[SessionLog], clearances: Sequence[Clearance], library: Library, today: dt.date
) -> list[Flag]:
    """An area whose programme pain stopped in the flag window (progression/safety.py)."""
    since = today - dt.timedelta(days=flag_window(library))
    recent = [log for log in logs if since < log.date <= today]
    hold = hold_from(pain_events(recent, library), clearances, library)
    flags = []
    for area, ids in sorted(hold.stopped.items()):
        names = ", ".join(library.exercises[i].name for i in ids)
        date = max(hold.held[i].date for i in ids if i in hold.held)
        flags.append(
            Flag(
                kind=FlagKind.pain,
                text=f"The {AREA_WORDS[area]}'s programme is stopped: pain at "
                f"{library.threshold('pain_referral_level').value:g}/10 or more in {names}. "
                "They are told to see a physiotherapist or doctor; restore it once they are "
                "cleared (glutecoach clinic restore).",
                date=date,
                urgent=True,
            )
        )
    return flags


def _pain(logs: Sequence[SessionLog], library: Library, today: dt.date) -> list[Flag]:
    """The worst pain per exercise in the last two weeks, where the runner felt the exercise."""
    since = today - dt.timedelta(days=flag_window(library))
    limit = int(library.threshold("pain_referral_level").value)
    flagged = int(library.threshold("pain_flag_level").value)
    worst: dict[str, tuple[int, dt.date, str]] = {}
    for log in logs:
        if not since < log.date <= today:
            continue
        for e in log.exercises:
            held = worst.get(e.exercise_id)
            if e.pain >= flagged and (held is None or (e.pain, log.date) > held[:2]):
                worst[e.exercise_id] = (e.pain, log.date, e.felt.value.replace("_", " "))
    flags = []
    for exercise_id, (pain, date, felt) in sorted(worst.items(), key=lambda kv: -kv[1][0]):
        exercise = library.exercises.get(exercise_id)
        name = exercise.name if exercise else exercise_id
        areas = ", ".join(a.value.replace("_", " ") for a in exercise.loads) if exercise else ""
        loads = f"; it loads the {areas}" if areas else ""
        flags.append(
            Flag(
                kind=FlagKind.pain,
                text=f"Pain {pain}/10 during {name} on {date} (felt in the {felt}{loads}).",
                date=date,
                urgent=pain >= limit,
            )
        )
    return flags


def _regressions(changes: Sequence[Change], library: Library, today: dt.date) -> list[Flag]:
    since = today - dt.timedelta(days=flag_window(library))
    return [
        Flag(
            kind=FlagKind.regression,
            text=f"{c.before} {REGRESSIONS[c.action]} ({c.after}) from {c.effective_from}: "
            f"{c.reason}",
            date=c.effective_from,
        )
        for c in changes
        if c.action in REGRESSIONS and since < c.effective_from <= today + dt.timedelta(days=1)
    ]


def _missed(week: Week | None, logs: Sequence[SessionLog], today: dt.date) -> list[Flag]:
    """Sessions of this week's days gone by (today is not over) not done: skipped or not logged."""
    if week is None:
        return []
    status = _status(logs)
    gone = _planned(week, today - dt.timedelta(days=1))
    skipped = [k for k in gone if status.get(k) == "skipped"]
    silent = [k for k in gone if k not in status]
    if not skipped and not silent:
        return []
    parts = [f"{len(silent)} not logged"] if silent else []
    parts += [f"{len(skipped)} skipped"] if skipped else []
    missed = len(skipped) + len(silent)
    return [
        Flag(
            kind=FlagKind.missed,
            text=f"{missed} of {len(gone)} sessions missed this week ({', '.join(parts)}).",
            date=min(d for d, _ in skipped + silent),
        )
    ]
