"""The passes of `adapt` that follow the runner rather than one exercise: the next strength
session made lighter after high soreness, and every exercise a step easier after time away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from glutecoach.domain.library import Exercise, Library
from glutecoach.domain.planning.changes import Change
from glutecoach.domain.planning.dosage import minutes, prescribe, scaled
from glutecoach.domain.planning.plan import Day, Prescription, Session, SessionKind
from glutecoach.domain.progression.apply import map_days
from glutecoach.domain.progression.logs import SessionLog, SorenessLog

TRAINED = (SessionKind.pre_run_activation, SessionKind.strength)


# The step back after time away measures the gap between the two newest days with a done
# session (or the newest and today, when returning): no older day matters to it.
AWAY_DAYS_READ = 2


def after_soreness(
    days: dict[dt.date, Day],
    soreness: Sequence[SorenessLog],
    library: Library,
    today: dt.date,
    history: Sequence[Change],
) -> tuple[dict[dt.date, Day], list[Change]]:
    level = library.threshold("soreness_lighter_level").value
    factor = library.threshold("soreness_volume_factor").value
    done = {c.key for c in history}
    changes: list[Change] = []
    for sore in sorted(soreness, key=lambda s: s.date):
        key = f"soreness:{sore.date.isoformat()}"
        if sore.level < level or key in done or sore.date > today:
            continue
        target = next(
            (
                d
                for date, d in sorted(days.items())
                if date > max(today, sore.date) and d.session(SessionKind.strength)
            ),
            None,
        )
        if target is None:
            continue
        session = target.session(SessionKind.strength)
        assert session is not None
        lighter = tuple(scaled(p, factor) for p in session.prescriptions)
        days[target.date] = target.model_copy(
            update={
                "sessions": tuple(
                    s.model_copy(update={"prescriptions": lighter, "minutes": minutes(lighter)})
                    if s.kind == SessionKind.strength
                    else s
                    for s in target.sessions
                )
            }
        )
        changes.append(
            Change(
                key=key,
                effective_from=target.date,
                action="lighter",
                session=None,
                before=f"{len(session.prescriptions)} exercises, full volume",
                after=f"about {factor:.0%} of the volume, same exercises",
                reason=f"Soreness {sore.level}/10 on {sore.date}: the next strength session "
                f"({target.date}) is lighter; the exercises stay the same.",
            )
        )
    return days, changes


def after_time_away(
    days: dict[dt.date, Day],
    logs: Sequence[SessionLog],
    library: Library,
    today: dt.date,
    history: Sequence[Change],
    usable: Callable[[Exercise], bool],
    returning: bool,
) -> tuple[dict[dt.date, Day], list[Change]]:
    done = sorted({s.date for s in logs if s.status == "done"})[-AWAY_DAYS_READ:]
    if not done:
        return days, []
    # The gap that ends now: up to today when returning, else before the newest log.
    last, until = (
        (done[-1], today) if returning else (done[-2] if len(done) > 1 else done[-1], done[-1])
    )
    away = (until - last).days
    key = f"away:{last.isoformat()}"
    if away < library.threshold("step_back_after_days").value or key in {c.key for c in history}:
        return days, []

    def step_back(p: Prescription, session: Session) -> Prescription | None:
        # What pain holds back stays as it is, for the hold to take out and say why.
        if session.kind not in TRAINED or not usable(library.exercises[p.exercise_id]):
            return p
        easier = sorted(
            (e for e in library.easier(p.exercise_id) if usable(e)),
            key=lambda e: (-e.difficulty, e.id),
        )
        if not easier or any(q.exercise_id == easier[0].id for q in session.prescriptions):
            return p
        return prescribe(easier[0], f"Back after {away} days away: one step easier.", sets=p.sets)

    start = today + dt.timedelta(days=1) if today < dt.date.max else today
    updated = map_days(days, start, step_back)
    change = Change(
        key=key,
        effective_from=start,
        action="step_back",
        before="the plan as it was",
        after="every exercise one step easier",
        reason=f"{away} days since your last logged session: missed sessions are not piled up; "
        "the plan steps back a rung and moves on from today.",
    )
    return updated, [change]
