"""The JSON API's own request and response models (STYLE habit 8: input apart from public output).

Where a service already has the strict input model (ScreeningInput; SessionEntry, here with one
more check) the API takes it; these models cover the rest. Domain models (Plan, Screening,
Decision, Change, Progress) are public output as they stand: the CLI's --json prints them too.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator

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
from glutecoach.domain.load import Zone
from glutecoach.domain.planning import MAX_WEEKS, Day, RunnerProfile, SessionKind
from glutecoach.domain.planning.plan import FindingNote
from glutecoach.domain.planning.profile import Weekday
from glutecoach.domain.progression import Change, Decision, RunLog
from glutecoach.domain.records import RunnerRecord
from glutecoach.domain.runs import BandMetrics, Sport
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


# The run history and its load: what `glutecoach runs --json` and `load --json` print
# (reports/running.py makes the JSON; these models document it, and a test holds the two together).


class _Doc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RecordedRunOut(_Doc):
    """One activity read from a run file (the fields of a Run; cadence is steps per minute)."""

    id: int
    start: dt.datetime = Field(description="Local start, in the runner's time zone")
    started_at_utc: dt.datetime
    utc_offset_s: int | None = Field(description="The device's own offset, when the file says")
    sport: Sport
    sport_detail: str | None = Field(description="The file's own words, e.g. 'running/trail'")
    distance_m: float | None
    elapsed_s: float
    moving_s: float | None
    elevation_gain_m: float | None
    avg_hr: int | None
    max_hr: int | None
    cadence_spm: float | None
    gct_ms: float | None = Field(description="Ground contact time")
    gct_balance_left_pct: float | None = Field(description="The left foot's share of contact")
    vertical_oscillation_mm: float | None
    vertical_ratio_pct: float | None
    step_length_m: float | None
    records: int = Field(description="Samples in the file")
    device: str | None
    bands: tuple[BandMetrics, ...] = Field(description="Gait figures per pace band")
    pace_s_per_km: float | None
    source: str = Field(description="The file (and the member of an archive) it came from")
    file_format: str


class RunHistoryOut(_Doc):
    runner: str
    timezone: str
    runs: tuple[RecordedRunOut, ...] = Field(description="Recorded activities, oldest first")
    logged_by_hand: tuple[RunLog, ...] = Field(description="Runs logged on days no file covers")


class WeekOut(_Doc):
    start: dt.date = Field(description="The week's Monday")
    running_km: float
    running_s: float
    runs: int
    long_run_km: float
    other_activities: int = Field(description="Walks, rides…: shown, never counted as running")
    other_s: float
    change_pct: float | None = Field(description="Distance against the week before")
    spike: bool = Field(description="change_pct above spike_threshold_pct")
    long_run_share: float | None


class RatioOut(_Doc):
    day: dt.date
    acute_km: float = Field(description="The last 7 days")
    chronic_km: float = Field(description="The weekly average of the last 28 days")
    rolling: float | None = Field(description="acute_km / chronic_km; None before 28 days")
    ewma: float | None = Field(description="Exponentially weighted (7 and 28 days)")


class AcwrOut(_Doc):
    latest: RatioOut | None
    zone: Zone | None = Field(description="Where the latest rolling ratio stands")
    sweet_spot: tuple[float, float] = Field(description="The usual range, low and high")
    danger: float = Field(description="A sharp rise from here")
    source: str
    caveat: str
    daily: tuple[RatioOut, ...] = Field(description="Every day of the weeks shown")


class TrendPointOut(_Doc):
    day: dt.date
    band: str
    seconds: float
    cadence_spm: float | None
    gct_balance_left_pct: float | None
    vertical_ratio_pct: float | None


class BandTrendOut(_Doc):
    """A pace band's gait: the last four weeks (recent) and the four before them."""

    band: str
    points: tuple[TrendPointOut, ...]
    cadence_recent: float | None
    cadence_before: float | None
    balance_recent: float | None
    balance_before: float | None
    vertical_ratio_recent: float | None
    vertical_ratio_before: float | None


class HabitsOut(_Doc):
    weeks: int
    run_days: tuple[Weekday, ...]
    long_run_day: Weekday | None
    hard_days: tuple[Weekday, ...]
    weekly_km: float


class LoadOut(_Doc):
    """The running load: weekly distance and spikes, the acute:chronic ratio, gait trends."""

    runner: str
    timezone: str
    on: dt.date
    weeks: tuple[WeekOut, ...]
    acwr: AcwrOut
    spike_threshold_pct: float
    spike_source: str
    trends: tuple[BandTrendOut, ...]
    gct_imbalance: str | None = Field(description="A growing contact-time imbalance, in words")
    habits: HabitsOut | None = Field(description="The running week read from the last weeks")
    runs_counted: int
    other_activities: int
