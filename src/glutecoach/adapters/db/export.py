"""Everything of one runner as one JSON document, and back (docs/export-format.md).

The document holds domain models exactly as the domain dumps them, plus every stored version and
timestamp, so export → import → export gives the same document byte for byte.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from glutecoach.adapters.db.recorded_runs import NewRecordedRun
from glutecoach.adapters.db.repositories import Repository, ScreeningPurpose
from glutecoach.domain.errors import InvalidInput, RuleViolation
from glutecoach.domain.planning import Plan, RunnerProfile
from glutecoach.domain.progression.logs import RunLog, SessionLog, SorenessLog
from glutecoach.domain.progression.safety import Clearance
from glutecoach.domain.runs import Run
from glutecoach.domain.screening import Screening
from glutecoach.domain.validation import first_error

FORMAT: Literal["glutecoach.export"] = "glutecoach.export"
VERSION: Literal[1] = 1


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExportedRunner(_Part):
    slug: str
    name: str
    created_at: AwareDatetime


class ExportedProfile(_Part):
    version: int = Field(ge=1)
    created_at: AwareDatetime
    profile: RunnerProfile


class ExportedScreening(_Part):
    number: int = Field(ge=1)  # 1, 2, … oldest first; plans refer to a screening by it
    purpose: ScreeningPurpose
    created_at: AwareDatetime
    screening: Screening


class ExportedPlan(_Part):
    version: int = Field(ge=1)
    created_at: AwareDatetime
    profile_version: int = Field(ge=1)
    screening: int | None  # the screening's number, or None for a plan made without one
    reason: str
    changes: tuple[str, ...] = ()
    plan: Plan


class ExportedSessionLog(_Part):
    created_at: AwareDatetime
    log: SessionLog


class ExportedRecordedRun(_Part):
    created_at: AwareDatetime
    source: str
    file_format: str
    file_digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    file_run: int = Field(ge=0)
    run: Run


class ExportDocument(_Part):
    format: Literal["glutecoach.export"] = FORMAT
    version: Literal[1] = VERSION
    runner: ExportedRunner
    profiles: tuple[ExportedProfile, ...] = ()
    screenings: tuple[ExportedScreening, ...] = ()
    plans: tuple[ExportedPlan, ...] = ()
    session_logs: tuple[ExportedSessionLog, ...] = ()
    soreness: tuple[SorenessLog, ...] = ()
    clearances: tuple[Clearance, ...] = ()  # areas cleared of pain (progression/safety.py)
    runs: tuple[RunLog, ...] = ()
    recorded_runs: tuple[ExportedRecordedRun, ...] = ()  # read from run files

    @model_validator(mode="after")
    def _consistent(self) -> ExportDocument:
        _numbered("profiles", [p.version for p in self.profiles])
        _numbered("screenings", [s.number for s in self.screenings])
        _numbered("plans", [p.version for p in self.plans])
        for plan in self.plans:
            if plan.profile_version > len(self.profiles):
                raise ValueError(
                    f"plan {plan.version} names missing profile {plan.profile_version}"
                )
            if plan.screening is not None and plan.screening > len(self.screenings):
                raise ValueError(f"plan {plan.version} names missing screening {plan.screening}")
        return self


def _numbered(what: str, numbers: list[int]) -> None:
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"{what} must be numbered 1, 2, 3 … in order (found {numbers})")


def dump_runner(repo: Repository, runner_id: int) -> dict[str, Any]:
    """Everything stored for the runner, as a JSON-ready dict."""
    runner = repo.runner_by_id(runner_id)
    screenings = repo.screenings(runner_id)
    number = {record.id: n for n, record in enumerate(screenings, 1)}
    document = ExportDocument(
        runner=ExportedRunner(slug=runner.slug, name=runner.name, created_at=runner.created_at),
        profiles=tuple(
            ExportedProfile(version=p.version, created_at=p.created_at, profile=p.profile)
            for p in repo.profiles(runner_id)
        ),
        screenings=tuple(
            ExportedScreening(
                number=number[s.id],
                purpose=s.purpose,
                created_at=s.created_at,
                screening=s.screening,
            )
            for s in screenings
        ),
        plans=tuple(
            ExportedPlan(
                version=p.version,
                created_at=p.created_at,
                profile_version=p.profile_version,
                screening=number[p.screening_id] if p.screening_id is not None else None,
                reason=p.reason,
                changes=p.changes,
                plan=p.plan,
            )
            for p in repo.plan_versions(runner_id)
        ),
        session_logs=tuple(
            ExportedSessionLog(created_at=s.created_at, log=s.log)
            for s in repo.session_log_records(runner_id)
        ),
        soreness=tuple(repo.soreness(runner_id)),
        clearances=tuple(repo.pain.clearances(runner_id)),
        runs=tuple(repo.runs(runner_id)),
        recorded_runs=tuple(
            ExportedRecordedRun(
                created_at=s.created_at or runner.created_at,
                source=s.source,
                file_format=s.file_format,
                file_digest=s.file_digest,
                file_run=s.file_run,
                run=s.run,
            )
            for s in repo.recorded_runs.list(runner_id)
        ),
    )
    return document.model_dump(mode="json")


def load_runner(repo: Repository, document: Any) -> int:
    """Store an exported runner under its slug (which must be free); returns the new runner id.

    Call it inside one `Database.unit()`: a document refused half-way stores nothing.
    """
    parsed = parse_document(document)
    runner = parsed.runner
    if repo.runner(runner.slug) is not None:
        raise RuleViolation(
            f"a runner '{runner.slug}' already exists in this database; import into an empty "
            "database, or remove that runner first"
        )
    runner_id = repo.add_runner(runner.slug, runner.name, created_at=runner.created_at)
    for profile in parsed.profiles:
        version = repo.save_profile(runner_id, profile.profile, created_at=profile.created_at)
        if version != profile.version:
            raise InvalidInput(
                f"export: profile {profile.version} repeats profile {version} unchanged"
            )
    screening_ids = {
        s.number: repo.add_screening(runner_id, s.screening, s.purpose, created_at=s.created_at)
        for s in parsed.screenings
    }
    for plan in parsed.plans:
        repo.add_plan(
            runner_id,
            plan.plan,
            reason=plan.reason,
            changes=plan.changes,
            profile_version=plan.profile_version,
            screening_id=screening_ids[plan.screening] if plan.screening is not None else None,
            created_at=plan.created_at,
        )
    for session in parsed.session_logs:
        repo.add_session_log(runner_id, session.log, created_at=session.created_at)
    for soreness in parsed.soreness:
        repo.add_soreness(runner_id, soreness)
    for clearance in parsed.clearances:
        repo.pain.add_clearance(runner_id, clearance, repo.clock.now())
    for run in parsed.runs:
        repo.add_run(runner_id, run)
    recorded = [
        NewRecordedRun(r.run, r.source, r.file_format, r.file_digest, r.file_run, r.created_at)
        for r in parsed.recorded_runs
    ]
    repo.recorded_runs.add(runner_id, recorded, runner.created_at)
    return runner_id


def parse_document(document: Any) -> ExportDocument:
    """The document checked whole, with one readable message for the first thing wrong."""
    if not isinstance(document, dict):
        raise InvalidInput("export: expected a JSON object")
    if document.get("format") != FORMAT:
        raise InvalidInput(
            f"export: not a glutecoach export (format {document.get('format')!r}, "
            f"expected '{FORMAT}')"
        )
    if document.get("version") != VERSION:
        raise InvalidInput(
            f"export: format version {document.get('version')!r} is not one this glutecoach "
            f"reads (it reads version {VERSION}); upgrade glutecoach"
        )
    try:
        return ExportDocument.model_validate(document)
    except ValidationError as error:
        raise InvalidInput(f"export: {first_error(error)}") from None
