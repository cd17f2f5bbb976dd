"""Pain's hold on the plan: which exercises are held back and which areas are stopped, from
every painful log and every clearance since.

An exercise logged with pain at `pain_referral_level` or more is held back from every kind of
session until each area it loads is cleared after that day: by the runner's re-check (Today asks
for it once `pain_recheck_after_days` have passed) or by a clinician. Two or more exercises that
hurt at that level and load the same area stop that area's programme: only a clinician restores
it, and the runner is told to see one. A red-flag answer in the screening stops its area too;
a new screening is what lifts that.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from glutecoach.domain.library import Exercise, Library, activation_score
from glutecoach.domain.library.models import BodyArea, Category
from glutecoach.domain.planning.plan import SessionKind
from glutecoach.domain.progression.logs import SessionLog

WORK = {Category.activation, Category.strength}  # interchangeable when looking for an alternative
AREA_WORDS = {
    BodyArea.knee: "knee",
    BodyArea.hip: "hip",
    BodyArea.groin: "groin",
    BodyArea.low_back: "low back",
    BodyArea.hamstring: "hamstring",
    BodyArea.shin: "shin",
    BodyArea.calf_achilles: "calf and Achilles",
    BodyArea.foot: "foot",
}


class ClearedBy(StrEnum):
    runner = "runner"  # the re-check Today asks for: the area is pain-free now
    clinician = "clinician"


class Clearance(BaseModel):
    """An area reported pain-free on `date`: it clears the pain logged there up to that day."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: dt.date
    area: BodyArea
    by: ClearedBy
    note: str | None = None


class PainEvent(BaseModel):
    """One exercise logged with pain at `pain_flag_level` or more."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: dt.date
    exercise_id: str
    session: SessionKind
    pain: int


def areas_of(exercise: Exercise) -> frozenset[BodyArea]:
    # The glutes sit at the hip: an exercise listing no loaded area (a glute squeeze) counts there.
    return frozenset(exercise.loads) or frozenset({BodyArea.hip})


def area_list(areas: Iterable[BodyArea]) -> str:
    words = [AREA_WORDS[a] for a in sorted(areas)]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True)
class Hold:
    """What pain keeps out of the plan now."""

    held: dict[str, PainEvent] = field(default_factory=dict)  # exercise → its latest pain
    stopped: dict[BodyArea, tuple[str, ...]] = field(default_factory=dict)  # area → what hurt
    red_flags: frozenset[BodyArea] = frozenset()
    hurt: frozenset[str] = frozenset()  # every exercise logged at the flag level, not cleared
    open_areas: dict[str, frozenset[BodyArea]] = field(default_factory=dict)  # held → to clear

    def blocks(self, exercise: Exercise) -> bool:
        return exercise.id in self.held or bool(set(exercise.loads) & self.stopped_areas)

    @property
    def stopped_areas(self) -> frozenset[BodyArea]:
        return frozenset(self.stopped) | self.red_flags

    def recheck_due(self, library: Library, today: dt.date) -> frozenset[BodyArea]:
        """The areas the runner may clear on today's re-check: those of held exercises, not
        stopped (a clinician lifts a stop), once `pain_recheck_after_days` have passed."""
        wait = dt.timedelta(days=int(library.threshold("pain_recheck_after_days").value))
        due: set[BodyArea] = set()
        for event in self.held.values():
            areas = areas_of(library.exercises[event.exercise_id])
            # one that loads a stopped area waits for the clinician whatever the re-check says
            if event.date + wait <= today and not areas & self.stopped_areas:
                due |= self.open_areas.get(event.exercise_id, areas)
        return frozenset(due)

    def recheck_from(self, library: Library) -> dt.date | None:
        """The first day the re-check asks about an exercise held back now (None: none can
        be cleared by it)."""
        wait = dt.timedelta(days=int(library.threshold("pain_recheck_after_days").value))
        days = [
            e.date + wait
            for e in self.held.values()
            if not areas_of(library.exercises[e.exercise_id]) & self.stopped_areas
        ]
        return min(days, default=None)

    def why(self, exercise: Exercise, library: Library) -> str:
        """Why an exercise is out of the plan, and what brings it back."""
        stopped = sorted(set(exercise.loads) & self.stopped_areas)
        if stopped:
            area = stopped[0]
            if area in self.red_flags and area not in self.stopped:
                return (
                    f"The screening's red-flag answer about the {AREA_WORDS[area]} stops every "
                    f"exercise that loads it: see a physiotherapist or doctor. It comes back "
                    f"with a new screening once they have cleared you."
                )
            names = [library.exercises[i].name for i in self.stopped[area]]
            return (
                f"Pain at {library.threshold('pain_referral_level').value:g}/10 or more in "
                f"{_names(names)}, which all load the {AREA_WORDS[area]}: the "
                f"{AREA_WORDS[area]}'s programme stops. See a physiotherapist or doctor; it "
                f"comes back when a clinician restores it."
            )
        event = self.held[exercise.id]
        wait = int(library.threshold("pain_recheck_after_days").value)
        back_from = event.date + dt.timedelta(days=wait)
        areas = area_list(self.open_areas.get(exercise.id, areas_of(exercise)))
        return (
            f"Pain {event.pain}/10 during {exercise.name} on {event.date}: held back from every "
            f"session. It comes back when you report the "
            f"{areas} pain-free on the re-check Today asks for (from "
            f"{back_from}), or when a clinician restores it. If the pain is sharp, getting "
            f"worse or still there in a few days, see a physiotherapist or doctor."
        )


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def hold_from(
    events: Sequence[PainEvent],
    clearances: Sequence[Clearance],
    library: Library,
    red_flags: frozenset[BodyArea] = frozenset(),
) -> Hold:
    """Pure: the same painful logs and clearances give the same hold, whatever the day."""
    stop_at = int(library.threshold("pain_referral_level").value)
    known = [e for e in events if e.exercise_id in library.exercises]

    def cleared(event: PainEvent, area: BodyArea, by: set[ClearedBy]) -> bool:
        return any(c.area == area and c.date >= event.date and c.by in by for c in clearances)

    # A stop needs a clinician: count, per area, the exercises whose pain there no clinician
    # has cleared.
    by_area: dict[BodyArea, set[str]] = defaultdict(set)
    for event in known:
        if event.pain < stop_at:
            continue
        for area in areas_of(library.exercises[event.exercise_id]):
            if not cleared(event, area, {ClearedBy.clinician}):
                by_area[area].add(event.exercise_id)
    stopped = {a: tuple(sorted(ids)) for a, ids in by_area.items() if len(ids) >= 2}
    closed = frozenset(stopped) | red_flags

    def still_open(event: PainEvent) -> frozenset[BodyArea]:
        areas = areas_of(library.exercises[event.exercise_id])
        by = {ClearedBy.clinician} | ({ClearedBy.runner} if not areas & closed else set())
        return frozenset(a for a in areas if not cleared(event, a, by))

    held: dict[str, PainEvent] = {}
    open_areas: dict[str, frozenset[BodyArea]] = {}
    hurt: set[str] = set()
    for event in sorted(known, key=lambda e: e.date):
        left = still_open(event)
        if left:
            hurt.add(event.exercise_id)
            if event.pain >= stop_at:
                held[event.exercise_id] = event
                open_areas[event.exercise_id] = open_areas.get(event.exercise_id, left) | left
    return Hold(
        held=held,
        stopped=stopped,
        red_flags=red_flags,
        hurt=frozenset(hurt),
        open_areas=open_areas,
    )


def safe_alternative(
    exercise: Exercise, library: Library, usable: Callable[[Exercise], bool], hold: Hold
) -> Exercise | None:
    """Same main muscle, another family (another way of loading it) than the exercise and than
    anything held back, about as hard, never one that hurt or loads a stopped area."""
    muscle = exercise.primary_muscles[0]
    avoid = {library.family[exercise.id]} | {library.family[i] for i in hold.held}
    kinds = {exercise.category} | (WORK if exercise.category in WORK else set())
    candidates = [
        e
        for e in library.exercises.values()
        if muscle in e.primary_muscles
        and library.family[e.id] not in avoid
        and e.category in kinds
        and e.difficulty <= max(exercise.difficulty, 2)
        and e.id not in hold.hurt
        and not hold.blocks(e)
        and usable(e)
    ]
    candidates.sort(key=lambda e: (-activation_score(e), e.id))
    return candidates[0] if candidates else None


def pain_events(logs: Iterable[SessionLog], library: Library) -> list[PainEvent]:
    """The pain at `pain_flag_level` or more in these session logs."""
    flag = int(library.threshold("pain_flag_level").value)
    return [
        PainEvent(date=log.date, exercise_id=e.exercise_id, session=log.session, pain=e.pain)
        for log in logs
        if log.status == "done"
        for e in log.exercises
        if e.pain >= flag
    ]
