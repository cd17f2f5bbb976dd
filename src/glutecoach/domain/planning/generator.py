"""Profile + findings + library → Plan. A pure function: the same input gives the same plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from glutecoach.domain.errors import InvalidInput, Referral
from glutecoach.domain.library import Library
from glutecoach.domain.library.models import Exercise, RunCue
from glutecoach.domain.planning.dosage import minutes, prescribe, scaled, seconds
from glutecoach.domain.planning.placement import WeekPattern, place_strength
from glutecoach.domain.planning.plan import (
    Day,
    FindingNote,
    Phase,
    Plan,
    Prescription,
    RunCueNote,
    RunKind,
    Session,
    SessionKind,
    Week,
)
from glutecoach.domain.planning.profile import RunnerProfile, Weekday
from glutecoach.domain.planning.schedule import WeekShape, shape_weeks
from glutecoach.domain.planning.selection import Selector
from glutecoach.domain.screening.findings import FindingKind, Screening

MAX_WEEKS = 24
ACTIVATION_MINUTES = (5, 8)
WARM_UP_MINUTES = (5, 7)
STRETCH_MINUTES = 5
MAX_STRENGTH_EXERCISES = 6

PHASE_WORDS = {
    Phase.foundation: "Foundation: learn to feel each exercise in the glutes before adding load.",
    Phase.strength: "Strength: harder steps on the progression ladder, more load per set.",
    Phase.integration: "Integration: single-leg and gait-specific drills that carry the strength "
    "into your stride.",
}


def build_plan(
    profile: RunnerProfile, screening: Screening | None, library: Library, weeks: int = 8
) -> Plan:
    if not 1 <= weeks <= MAX_WEEKS:
        raise InvalidInput(f"weeks must be between 1 and {MAX_WEEKS} (got {weeks})")
    if screening is not None and screening.blocks_programme:
        raise Referral(
            "No plan: "
            + " ".join(r.message for r in screening.referrals)
            + " Screen again once a clinician has cleared you."
        )
    findings = screening.findings if screening else ()
    selector = Selector(
        library=library,
        findings=findings,
        equipment=frozenset(profile.equipment),
        excluded=frozenset(screening.excluded_areas if screening else ()),
        experience=profile.experience,
    )
    pattern = place_strength(profile)
    spike_now = bool(screening and screening.finding(FindingKind.running_load_spike))
    shapes = shape_weeks(profile, weeks, library, spike_now)
    builder = _Builder(profile, library, selector, pattern)
    built = tuple(builder.week(shape) for shape in shapes)
    return Plan(
        runner=profile.name,
        timezone=profile.timezone,
        start=profile.start_date,
        end=built[-1].days[-1].date,
        race=profile.race,
        strength_weekdays=pattern.strength,
        findings=tuple(
            FindingNote(
                kind=f.kind.value,
                title=f.title,
                severity=f.severity,
                side=f.side,
                summary=f.summary,
            )
            for f in findings
        ),
        referrals=tuple(r.message for r in screening.referrals) if screening else (),
        notes=_notes(profile, screening, pattern, library, built[-1].days[-1].date),
        weeks=built,
    )


def _notes(
    profile: RunnerProfile,
    screening: Screening | None,
    pattern: WeekPattern,
    library: Library,
    end: dt.date,
) -> tuple[str, ...]:
    notes = list(pattern.notes)
    if screening is None:
        notes.append("No screening given: a balanced programme for both glutes.")
    if screening is not None and screening.excluded_areas:
        areas = ", ".join(a.value.replace("_", " ") for a in screening.excluded_areas)
        notes.append(f"Left out until a clinician has seen you: exercises that load the {areas}.")
    if profile.race is not None:
        if profile.race.date <= end:
            cut = int(library.threshold("strength_taper_days").value)
            notes.append(
                f"Race on {profile.race.date}: no strength work in the last {cut} days, "
                "pre-run activation only; the plan ends on race day."
            )
        else:
            notes.append(f"Your race ({profile.race.date}) is after this plan ends on {end}.")
    return tuple(notes)


@dataclass
class _Builder:
    profile: RunnerProfile
    library: Library
    selector: Selector
    pattern: WeekPattern

    def __post_init__(self) -> None:
        self.run_count = 0
        self.cues = _cue_order(self.library.run_cues, self.selector)
        self.cache: dict[tuple[SessionKind, Phase], tuple[Prescription, ...]] = {}
        race = self.profile.race
        cut = int(self.library.threshold("strength_taper_days").value)
        self.no_strength_from = race.date - dt.timedelta(days=cut) if race else None

    def week(self, shape: WeekShape) -> Week:
        days = tuple(
            self.day(shape, shape.start + dt.timedelta(days=offset)) for offset in range(shape.days)
        )
        return Week(
            number=shape.number,
            start=shape.start,
            phase=shape.phase,
            kind=shape.kind,
            volume_factor=shape.volume_factor,
            notes=(PHASE_WORDS[shape.phase], *shape.notes),
            days=days,
        )

    def day(self, shape: WeekShape, date: dt.date) -> Day:
        weekday = Weekday.of(date)
        run = self.pattern.runs[weekday]
        race = self.profile.race
        if race is not None and date == race.date:
            run = RunKind.race
        sessions: list[Session] = []
        if run in (RunKind.hard, RunKind.race):
            sessions.append(self.warm_up())
        if run != RunKind.rest:
            sessions.append(self.activation(shape.phase))
            sessions.append(self.cue())
            sessions.append(self.recovery())
        if weekday in self.pattern.strength and self._strength_allowed(date):
            sessions.append(self.strength(shape, weekday))
        return Day(date=date, weekday=weekday, run=run, sessions=tuple(sessions))

    def _strength_allowed(self, date: dt.date) -> bool:
        return self.no_strength_from is None or date < self.no_strength_from

    def _cached(self, kind: SessionKind, phase: Phase) -> tuple[Prescription, ...]:
        if (kind, phase) not in self.cache:
            if kind == SessionKind.strength:
                self.cache[kind, phase] = self._fill_strength(phase)
            else:
                self.cache[kind, phase] = self._fill_activation(phase)
        return self.cache[kind, phase]

    def _fill_activation(self, phase: Phase) -> tuple[Prescription, ...]:
        low, high = ACTIVATION_MINUTES
        chosen: list[Prescription] = []
        for exercise in self.selector.activation(phase):
            candidate = prescribe(exercise, self._reason(exercise), sets=1)
            if _total(chosen) + seconds(candidate) <= high * 60:
                chosen.append(candidate)
            if _total(chosen) >= low * 60:
                break
        for i, p in enumerate(chosen):  # still short: a second set where it fits
            bigger = p.model_copy(update={"sets": 2})
            if _total(chosen) < low * 60 and _total(chosen) - seconds(p) + seconds(bigger) <= (
                high * 60
            ):
                chosen[i] = bigger
        return tuple(chosen)

    def _fill_strength(self, phase: Phase) -> tuple[Prescription, ...]:
        budget = self.profile.strength_minutes * 60
        chosen: list[Prescription] = []
        for exercise in self.selector.strength(phase):
            finding = self.selector.finding_for(exercise)
            side = finding.side if finding is not None else None
            candidate = prescribe(exercise, self._reason(exercise), extra_set_side=side)
            if _total(chosen) + seconds(candidate) <= budget:
                chosen.append(candidate)
            if len(chosen) == MAX_STRENGTH_EXERCISES:
                break
        return tuple(chosen)

    def _reason(self, exercise: Exercise) -> str:
        finding = self.selector.finding_for(exercise)
        evidence = _evidence(exercise, self.library)
        if finding is not None:
            return f"{finding.title}: {finding.summary}.{evidence}"
        trains = ", ".join(q.value.replace("_", " ") for q in exercise.trains[:2])
        return f"Trains {trains}.{evidence}"

    def activation(self, phase: Phase) -> Session:
        chosen = self._cached(SessionKind.pre_run_activation, phase)
        return Session(
            kind=SessionKind.pre_run_activation,
            title="Glute activation before your run",
            minutes=minutes(chosen),
            reason="5-8 minutes of low-load work so the glutes, not the quads and hamstrings, "
            "start the run.",
            prescriptions=chosen,
        )

    def strength(self, shape: WeekShape, weekday: Weekday) -> Session:
        chosen = tuple(
            scaled(p, shape.volume_factor) for p in self._cached(SessionKind.strength, shape.phase)
        )
        where = "a rest day" if self.pattern.runs[weekday] == RunKind.rest else "an easy run day"
        number = self.pattern.strength.index(weekday) + 1
        lighter = (
            f" {shape.kind.value.capitalize()} week: lighter." if shape.volume_factor < 1 else ""
        )
        return Session(
            kind=SessionKind.strength,
            title=f"Strength session {number} of {len(self.pattern.strength)}",
            minutes=minutes(chosen),
            reason=f"On {where}, not the day before your long run or a hard session; 2-3 "
            f"sessions a week improve running economy by 2-8 % (Blagrove 2018).{lighter}",
            prescriptions=chosen,
        )

    def warm_up(self) -> Session:
        chosen: list[Prescription] = []
        for exercise in self.selector.warm_up():
            candidate = prescribe(exercise, "Part of the dynamic warm-up.")
            if _total(chosen) + seconds(candidate) <= WARM_UP_MINUTES[1] * 60:
                chosen.append(candidate)
        return Session(
            kind=SessionKind.dynamic_warm_up,
            title="Dynamic warm-up",
            minutes=minutes(chosen),
            reason="Before a hard session: raise the temperature and take the hips through the "
            "range you are about to run in.",
            prescriptions=tuple(chosen),
        )

    def recovery(self) -> Session:
        chosen = [
            prescribe(e, "Foam rolling, 1-2 minutes per area.")
            for e in self.selector.foam_rolling()
        ]
        stretching: list[Prescription] = []
        for exercise in self.selector.stretches():
            candidate = prescribe(exercise, "Post-run stretch.")
            if _total(stretching) + seconds(candidate) <= STRETCH_MINUTES * 60:
                stretching.append(candidate)
        chosen += stretching
        rolled = (
            "foam rolling the front and back of the legs, then "
            if len(chosen) > len(stretching)
            else ""
        )
        return Session(
            kind=SessionKind.post_run_recovery,
            title="After your run",
            minutes=minutes(chosen),
            reason=f"Recovery: {rolled}about {STRETCH_MINUTES} minutes of stretching.",
            prescriptions=tuple(chosen),
        )

    def cue(self) -> Session:
        cue = self.cues[self.run_count % len(self.cues)]
        self.run_count += 1
        return Session(
            kind=SessionKind.run_cue,
            title="Cue for this run",
            minutes=0,
            reason=cue.why,
            cue=RunCueNote(id=cue.id, cue=cue.cue, why=cue.why, source=cue.source),
        )


def _total(chosen: list[Prescription]) -> float:
    return sum(seconds(p) for p in chosen)


def _evidence(exercise: Exercise, library: Library) -> str:
    figures = [f for f in (exercise.best_emg("glute_med"), exercise.best_emg("glute_max")) if f]
    if not figures:
        return ""
    best = max(figures, key=lambda f: f.representative_pct)
    muscle = "glute med" if best.muscle == "glute_med" else "glute max"
    source = library.source(best.source).short()
    return f" {muscle.capitalize()} {best.representative_pct:g} %MVIC ({source})."


def _cue_order(cues: tuple[RunCue, ...], selector: Selector) -> list[RunCue]:
    """Cues for the runner's findings first (most severe first), then the rest, in data order."""
    weight = {
        f.kind.value: {"mild": 1, "moderate": 2, "marked": 3}[f.severity] for f in selector.findings
    }

    def priority(cue: RunCue) -> int:
        return max((weight.get(k, 0) for k in cue.for_findings), default=0)

    return sorted(cues, key=lambda c: -priority(c))
