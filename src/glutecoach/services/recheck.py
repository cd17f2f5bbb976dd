"""What pain holds back, the re-check Today asks for, and a clinician's restore: a clearance is
stored and the plan brings back what it cleared, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from glutecoach.adapters.db.repositories import Database
from glutecoach.domain.errors import InvalidInput
from glutecoach.domain.library import BodyArea, load_library
from glutecoach.domain.progression.safety import (
    AREA_WORDS,
    Clearance,
    ClearedBy,
    Hold,
    PainEvent,
    area_list,
    areas_of,
    hold_from,
)
from glutecoach.services.retry import retry_conflicts
from glutecoach.services.runners import choose
from glutecoach.services.training import Outcome, hold_of, save_adaptation, snapshot


@dataclass(frozen=True)
class HeldExercise:
    exercise_id: str
    name: str
    pain: PainEvent
    reason: str  # why it is out and what brings it back
    areas: frozenset[BodyArea]


@dataclass(frozen=True)
class PainStatus:
    held: tuple[HeldExercise, ...]
    stopped: dict[BodyArea, tuple[str, ...]]  # area → names of the exercises that hurt there
    red_flags: frozenset[BodyArea]
    due: frozenset[BodyArea]  # areas the re-check asks about today
    recheck_from: dt.date | None  # the first day it asks (None: only a clinician can clear)

    @property
    def see_clinician(self) -> bool:
        return bool(self.stopped or self.red_flags)

    def question(self) -> str | None:
        if not self.due:
            return None
        return (
            f"Is your {area_list(self.due)} pain-free now, at rest and when you move as in the "
            "exercises that hurt?"
        )


def status_of(hold: Hold, today: dt.date) -> PainStatus:
    library = load_library()
    held = tuple(
        HeldExercise(
            exercise_id=exercise_id,
            name=library.exercises[exercise_id].name,
            pain=event,
            reason=hold.why(library.exercises[exercise_id], library),
            areas=areas_of(library.exercises[exercise_id]),
        )
        for exercise_id, event in sorted(hold.held.items())
    )
    stopped = {
        area: tuple(library.exercises[i].name for i in ids) for area, ids in hold.stopped.items()
    }
    return PainStatus(
        held, stopped, hold.red_flags, hold.recheck_due(library, today), hold.recheck_from(library)
    )


def pain_status(db: Database, slug: str | None, on: dt.date | None = None) -> PainStatus:
    """A few small reads (Today shows it on every visit), not the engine's whole snapshot."""
    library = load_library()
    with db.unit() as repo:
        runner = choose(repo, slug)
        latest = repo.latest_profile(runner.id)
        today = on or repo.clock.today(latest[1].timezone if latest else "UTC")
        events = repo.pain.events(runner.id, int(library.threshold("pain_flag_level").value))
        screening = repo.latest_screening(runner.id)
        clearances = repo.pain.clearances(runner.id) if events else []
    excluded = frozenset(screening.screening.excluded_areas if screening else ())
    return status_of(hold_from(events, clearances, library, excluded), today)


@retry_conflicts
def clear(
    db: Database,
    slug: str | None,
    by: ClearedBy,
    areas: Sequence[BodyArea] = (),
    note: str | None = None,
    on: dt.date | None = None,
) -> Outcome:
    """The runner's re-check answered 'pain-free' (for the areas it asked about, or those
    named), or a clinician restoring areas (stopped ones too): stored, and the plan brings back
    what is cleared from tomorrow on."""
    with db.unit() as repo:
        snap = snapshot(repo, slug)
        today = on or repo.clock.today(snap.profile.timezone)
        status = status_of(hold_of(snap), today)
        chosen = frozenset(areas) or (status.due if by == ClearedBy.runner else frozenset())
        _check_clearable(status, chosen, by)
        for area in sorted(chosen):
            clearance = Clearance(date=today, area=area, by=by, note=note)
            repo.pain.add_clearance(snap.runner.id, clearance, repo.clock.now())
            snap.clearances.append(clearance)
        who = "your re-check" if by == ClearedBy.runner else "your clinician"
        return save_adaptation(repo, snap, today, f"{area_list(chosen)} cleared by {who}")


def _check_clearable(status: PainStatus, chosen: frozenset[BodyArea], by: ClearedBy) -> None:
    if not chosen:
        if by == ClearedBy.clinician:
            raise InvalidInput("name the area to restore (--area)")
        if not status.held:
            raise InvalidInput("nothing is due a re-check: no exercise is held back for pain")
        if status.recheck_from is None:
            raise InvalidInput(
                "no re-check can clear what is held back: it loads a stopped area, which a "
                "physiotherapist or doctor restores"
            )
        raise InvalidInput(f"the re-check is asked from {status.recheck_from}, not before")
    if by == ClearedBy.clinician:
        return
    closed = chosen & (frozenset(status.stopped) | status.red_flags)
    if closed:
        raise InvalidInput(
            f"the {area_list(closed)} programme is stopped: a physiotherapist or doctor "
            "restores it, not a re-check"
        )
    early = chosen - status.due
    if early:
        words = ", ".join(AREA_WORDS[a] for a in sorted(early))
        raise InvalidInput(f"no re-check is due for the {words} today")
