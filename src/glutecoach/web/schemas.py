"""The JSON API's own request and response models (STYLE habit 8: input apart from public output).

Where a service already has the strict input model (ScreeningInput; SessionEntry, here with one
more check) the API takes it; these models cover the rest. Domain models (Plan, Screening,
Decision, Change, Progress) are public output as they stand: the CLI's --json prints them too.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator

from glutecoach.adapters.db.repositories import RunnerRecord
from glutecoach.domain.library import (
    Category,
    Dosage,
    Equipment,
    Exercise,
    Library,
    Muscle,
    Source,
    activation_score,
)
from glutecoach.domain.planning import MAX_WEEKS, Day, RunnerProfile, SessionKind
from glutecoach.domain.planning.plan import FindingNote
from glutecoach.domain.progression import Change, Decision
from glutecoach.domain.screening import Screening, ScreeningInput
from glutecoach.services.history import PlanVersion
from glutecoach.services.runners import Started
from glutecoach.services.training import ExerciseEntry, Outcome, SessionEntry

Note = Annotated[str, Field(max_length=200)]  # free text that is stored


class _In(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


# Requests ---------------------------------------------------------------------------------------


def _inline(schema: Any, defs: dict[str, Any]) -> Any:
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [_inline(v, defs) for v in schema]
    return schema


def profile_schema() -> dict[str, Any]:
    """RunnerProfile's JSON schema as the API takes it: start_date may be left out (the next
    Monday), and a race may give `in_weeks` instead of a date. The profile itself is checked by
    `planning.parse_profile`, so this only documents it."""
    raw = RunnerProfile.model_json_schema()
    schema: dict[str, Any] = _inline(raw, raw.get("$defs", {}))
    schema["required"] = [r for r in schema.get("required", []) if r != "start_date"]
    schema["properties"]["start_date"]["description"] = (
        "The plan's first day (default: next Monday)"
    )
    race = next(s for s in schema["properties"]["race"]["anyOf"] if s.get("type") == "object")
    race["properties"]["in_weeks"] = {
        "type": "integer",
        "minimum": 1,
        "maximum": 104,
        "description": "Instead of a date: the race closes week N of the plan",
    }
    race["required"] = [r for r in race.get("required", []) if r != "date"]
    schema["title"] = "Profile"
    return schema


ProfileJson = Annotated[dict[str, Any], WithJsonSchema(profile_schema())]


class StartRequest(_In):
    """A new runner (or a new plan for one with the same name): profile, optional screening."""

    profile: ProfileJson
    answers: ScreeningInput | None = Field(
        default=None, description="The screening's answers and tests; leave out to plan without"
    )
    weeks: int = Field(default=8, ge=1, le=MAX_WEEKS, description="Plan length in weeks")


class LogRequest(SessionEntry):
    """A session's log (the service's SessionEntry), each exercise at most once."""

    @field_validator("exercises")
    @classmethod
    def _each_once(cls, value: tuple[ExerciseEntry, ...]) -> tuple[ExerciseEntry, ...]:
        ids = [e.exercise_id for e in value]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"{', '.join(repeated)} logged twice; give each exercise once")
        return value


class SkipRequest(_In):
    date: dt.date | None = Field(default=None, description="Default: today, runner's time zone")
    session: SessionKind
    reason: Note = Field(min_length=1)


class SorenessRequest(_In):
    date: dt.date | None = Field(default=None, description="Default: today, runner's time zone")
    level: int = Field(ge=0, le=10, description="Next-day muscle soreness, 0 none to 10 worst")
    note: Note | None = None


class RunRequest(_In):
    date: dt.date | None = Field(default=None, description="Default: today, runner's time zone")
    distance_km: float = Field(ge=0, le=400)
    minutes: float = Field(ge=0, le=48 * 60)


# Responses --------------------------------------------------------------------------------------


class RunnerOut(_Out):
    slug: str
    name: str
    created_at: dt.datetime

    @classmethod
    def of(cls, runner: RunnerRecord) -> RunnerOut:
        return cls(slug=runner.slug, name=runner.name, created_at=runner.created_at)


class StartedOut(_Out):
    runner: RunnerOut
    new_runner: bool
    plan_version: int
    plan_start: dt.date
    plan_end: dt.date
    weeks: int
    findings: tuple[FindingNote, ...]
    referrals: tuple[str, ...]  # areas left out until a clinician has seen them

    @classmethod
    def of(cls, started: Started) -> StartedOut:
        plan = started.plan
        return cls(
            runner=RunnerOut.of(started.runner),
            new_runner=started.new_runner,
            plan_version=started.plan_version,
            plan_start=plan.start,
            plan_end=plan.end,
            weeks=len(plan.weeks),
            findings=plan.findings,
            referrals=plan.referrals,
        )


class ScreenedOut(_Out):
    screening: Screening
    replanned: bool  # a new plan version: the first screening's, or a red flag's pause
    plan_version: int | None  # that version; None for a re-test that changed nothing


class ExerciseCard(_Out):
    """What the runner needs beside a prescription: how to set up, cues, where to feel it."""

    id: str
    name: str
    setup: tuple[str, ...]
    cues: tuple[str, ...]
    feel_it: str

    @classmethod
    def of(cls, e: Exercise) -> ExerciseCard:
        return cls(id=e.id, name=e.name, setup=e.setup, cues=e.cues, feel_it=e.feel_it)


class TodayOut(_Out):
    runner: str
    date: dt.date
    plan_version: int
    logged: tuple[SessionKind, ...]  # sessions already logged or skipped that day
    changes: tuple[Change, ...]  # made now, e.g. the step back after two weeks away
    day: Day | None  # None outside the plan's dates
    exercises: tuple[ExerciseCard, ...]  # every exercise the day prescribes


class OutcomeOut(_Out):
    plan_version: int  # the version now current
    decisions: tuple[Decision, ...]
    changes: tuple[Change, ...]

    @classmethod
    def of(cls, outcome: Outcome) -> OutcomeOut:
        return cls(
            plan_version=outcome.plan_version,
            decisions=outcome.decisions,
            changes=outcome.changes,
        )


class SkippedOut(_Out):
    session: SessionKind
    reason: str
    date: dt.date | None  # None: today


class PlanVersionOut(_Out):
    version: int
    created_at: dt.datetime
    reason: str
    changes: tuple[Change, ...]

    @classmethod
    def of(cls, v: PlanVersion) -> PlanVersionOut:
        return cls(version=v.version, created_at=v.created_at, reason=v.reason, changes=v.changes)


class ExerciseSummary(_Out):
    id: str
    name: str
    aliases: tuple[str, ...]
    category: Category
    primary_muscles: tuple[Muscle, ...]
    equipment: tuple[Equipment, ...]
    difficulty: int
    dosage: Dosage  # the default dosage
    glute_activation_pct: float | None  # the best published glute %MVIC, bodyweight first

    @classmethod
    def of(cls, exercise: Exercise) -> ExerciseSummary:
        score = activation_score(exercise)
        return cls(
            id=exercise.id,
            name=exercise.name,
            aliases=exercise.aliases,
            category=exercise.category,
            primary_muscles=exercise.primary_muscles,
            equipment=exercise.equipment,
            difficulty=exercise.difficulty,
            dosage=exercise.dosage,
            glute_activation_pct=score if score >= 0 else None,
        )


class ExerciseDetail(Exercise):
    easier: tuple[str, ...]  # exercise ids one step down the progression graph
    harder: tuple[str, ...]
    sources: tuple[Source, ...]  # the evidence its figures cite

    @classmethod
    def of(cls, exercise: Exercise, library: Library) -> ExerciseDetail:
        return cls(
            **dict(exercise),
            easier=tuple(e.id for e in library.easier(exercise.id)),
            harder=tuple(e.id for e in library.harder(exercise.id)),
            sources=tuple(library.sources_of([exercise])),
        )


class ErrorOut(_Out):
    """Every error the API returns (web/errors.py): what kind, and one readable sentence."""

    error: str  # invalid_input, not_found, referral, rule_violation, http_error, …
    message: str
