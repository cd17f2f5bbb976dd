"""Units of work and the repository: domain models in and out, never ORM rows.

database = open_database(url, clock=SystemClock())
with database.unit() as repo:  # one transaction: all of it is saved, or none of it
    runner_id = repo.add_runner("ana", "Ana")
    repo.save_profile(runner_id, profile)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import get_args

from pydantic_core import from_json
from sqlalchemy import Engine, Text, cast, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from glutecoach.adapters.db.account_tables import RunnerClinicianRow
from glutecoach.adapters.db.accounts import Accounts
from glutecoach.adapters.db.errors import from_driver_error
from glutecoach.adapters.db.gait_analyses import GaitAnalyses
from glutecoach.adapters.db.kept import Kept
from glutecoach.adapters.db.log_reads import (
    latest_per_exercise,
    read_progress_logs,
    read_session_logs,
)
from glutecoach.adapters.db.pain import PainRecords
from glutecoach.adapters.db.plan_documents import plan_document, plan_from_document
from glutecoach.adapters.db.plan_reads import json_column, plan_day_sql
from glutecoach.adapters.db.recorded_runs import RecordedRuns
from glutecoach.adapters.db.records import (
    PlanDay,
    PlanRecord,
    PlanSummary,
    ProfileRecord,
    RunnerRecord,
    ScreeningPurpose,
    ScreeningRecord,
    SessionLogRecord,
    changes_until,
    exercise_values,
    plan_record,
    purpose,
    runner_record,
)
from glutecoach.adapters.db.tables import (
    ExerciseLogRow,
    PlanRow,
    ProfileRow,
    RunLogRow,
    RunnerRow,
    ScreeningRow,
    SessionLogRow,
    SetLogRow,
    SorenessLogRow,
)
from glutecoach.domain import access
from glutecoach.domain.access import LOCAL, Action, Actor, ActorKind, require
from glutecoach.domain.clock import Clock
from glutecoach.domain.errors import InvalidInput, NotFound, RuleViolation
from glutecoach.domain.planning import Day, Plan, RunnerProfile
from glutecoach.domain.progress import ProgressLogs
from glutecoach.domain.progression.logs import RunLog, SessionLog, SorenessLog
from glutecoach.domain.screening import Screening

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")

__all__ = [
    "Database",
    "PlanRecord",
    "PlanSummary",
    "ProfileRecord",
    "Repository",
    "RunnerRecord",
    "ScreeningPurpose",
    "ScreeningRecord",
    "SessionLogRecord",
]


class Database:
    """An open, migrated database (from `engine.open_database`). Cheap to keep for a process.

    Every unit of work acts for `actor` (LOCAL, the single-user mode, unless `for_actor` said
    otherwise): its repository only shows the runners the actor may see. `clock` is the one
    clock of the use cases run on it: what they store as "now" and ask "today" of.
    """

    def __init__(self, engine: Engine, where: str, *, clock: Clock, actor: Actor = LOCAL) -> None:
        self.engine = engine
        self.where = where  # "the SQLite database /home/ana/…/glutecoach.db", for messages
        self.clock = clock
        self.actor = actor
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=True)
        # Plan versions are never changed once stored, so a parsed plan can be kept per process:
        # a long-lived web worker then reads a 24-week plan once, not on every request.
        self._plans: Kept[tuple[int, int], Plan] = Kept(Repository.PLAN_CACHE_SIZE)

    def for_actor(self, actor: Actor) -> Database:
        """The same database (engine, sessions, plan cache) seen by `actor`. Cheap: per request."""
        seen = Database.__new__(Database)
        seen.engine, seen.where, seen.clock, seen.actor = self.engine, self.where, self.clock, actor
        seen._sessions, seen._plans = self._sessions, self._plans
        return seen

    @contextmanager
    def unit(self) -> Iterator[Repository]:
        """One transaction: committed when the block ends normally, rolled back on any exception
        (KeyboardInterrupt included), so several writes are stored all together or not at all."""
        session = self._sessions()
        try:
            repo = Repository(session, self._plans, actor=self.actor, clock=self.clock)
            yield repo
            repo.stamp_changed()
            session.commit()
            # only now: a version rolled back must never be served from the cache
            repo.remember_stored_plans()
        except DBAPIError as error:
            _rollback(session)
            raise from_driver_error(error.orig, self.where) from None
        except BaseException:
            _rollback(session)
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _rollback(session: Session) -> None:
    # if the connection is gone, the server (or SQLite) discards the transaction itself
    with contextlib.suppress(DBAPIError):
        session.rollback()


class Repository:
    """Everything glutecoach stores, bound to one unit of work (see `Database.unit`)."""

    PLAN_CACHE_SIZE = 16

    def __init__(
        self,
        session: Session,
        plans: Kept[tuple[int, int], Plan] | None = None,
        *,
        clock: Clock,
        actor: Actor = LOCAL,
    ) -> None:
        self.session = session
        self.clock = clock
        self.actor = actor
        self._plans = Kept[tuple[int, int], Plan](self.PLAN_CACHE_SIZE) if plans is None else plans
        self._clinicians_runners: set[int] | None = None  # a clinician actor's, read once
        # plans this unit stored, for the cache once (and if) the unit commits
        self.stored_plans: dict[tuple[int, int], Plan] = {}
        # runner rows this unit read, held: the session's identity map keeps only those still
        # referenced, and a use case that names a runner checks it again when it writes
        self._runner_rows: dict[int, RunnerRow] = {}
        # runners this unit stored a log or a plan version for: new stamps before it commits
        self._changed: set[int] = set()

    @property
    def recorded_runs(self) -> RecordedRuns:
        """Runs read from FIT, GPX and TCX files (their own module: a separate concern)."""
        return RecordedRuns(self.session, self.guard)

    @property
    def gait_analyses(self) -> GaitAnalyses:
        """Analysed running videos and pose files."""
        return GaitAnalyses(self.session, self.guard)

    @property
    def pain(self) -> PainRecords:
        """Painful exercise logs and the clearances that lift what they hold back."""
        return PainRecords(self.session, self.guard, self._writing)

    @property
    def accounts(self) -> Accounts:
        """Accounts, sign-in sessions and tokens, runners' clinicians, clinicians' notes."""
        return Accounts(self.session, self.guard)

    def stamp_changed(self) -> None:
        """Give each runner this unit stored a log or a plan version for a new stamp
        (`RunnerRow.stamp`): one statement, last, so their rows are locked only while it commits.
        `Database.unit` calls it; a unit rolled back changes no stamp."""
        if self._changed:
            self.session.execute(
                update(RunnerRow)
                .where(RunnerRow.id.in_(sorted(self._changed)))
                .values(stamp=secrets.randbits(62))
                .execution_options(synchronize_session=False)
            )
            self._changed.clear()

    # who may see what ---------------------------------------------------------------------------

    def _visible_ids(self) -> set[int] | None:
        """The ids of the runners the actor may see; None: every runner (the local actor)."""
        actor = self.actor
        if actor.kind is ActorKind.LOCAL:
            return None
        if actor.kind is ActorKind.RUNNER:
            return set() if actor.runner_id is None else {actor.runner_id}
        if self._clinicians_runners is None:
            self._clinicians_runners = set(
                self.session.scalars(
                    select(RunnerClinicianRow.runner_id).where(
                        RunnerClinicianRow.clinician_id == actor.account_id
                    )
                )
            )
        return self._clinicians_runners

    def can_see(self, runner_id: int) -> bool:
        """The policy's answer (`domain.access.can_see`) for this unit's actor. `_visible_ids`
        is the same rule as a set, for queries that list runners."""
        clinician = None
        if self.actor.kind is ActorKind.CLINICIAN:
            visible = self._visible_ids()
            assert visible is not None
            clinician = self.actor.account_id if runner_id in visible else None
        return access.can_see(self.actor, runner_id, clinician)

    def guard(self, runner_id: int) -> None:
        """NotFound, as if it did not exist, for a runner the actor may not see."""
        if not self.can_see(runner_id):
            raise NotFound(f"no runner with id {runner_id}")

    # runners ------------------------------------------------------------------------------------

    def slug_taken(self, slug: str) -> bool:
        """Whether any runner has `slug`, seen or not (for making a new runner's slug unique)."""
        return self.session.scalar(select(RunnerRow.id).where(RunnerRow.slug == slug)) is not None

    def add_runner(self, slug: str, name: str, *, created_at: dt.datetime | None = None) -> int:
        """A new runner; one a clinician adds is looked after by that clinician."""
        require(self.actor, Action.ADD_RUNNER)
        if not SLUG.match(slug):
            raise InvalidInput(
                f"runner '{slug}': use 1-64 lowercase letters, digits and dashes, e.g. 'ana-k'"
            )
        if not name.strip():
            raise InvalidInput(f"runner '{slug}': the name is empty")
        if self.slug_taken(slug):
            raise RuleViolation(f"a runner '{slug}' already exists; choose another name")
        row = RunnerRow(slug=slug, name=name.strip(), created_at=created_at or self.clock.now())
        self.session.add(row)
        self.session.flush()
        if self.actor.kind is ActorKind.CLINICIAN:
            assert self.actor.account_id is not None
            self.accounts.link_runner(row.id, self.actor.account_id, row.created_at)
            self._visible_ids()
            assert self._clinicians_runners is not None
            self._clinicians_runners.add(row.id)
        return row.id

    def runner(self, slug: str) -> RunnerRecord | None:
        """The runner with `slug`; None also when the actor may not see it (it reveals nothing)."""
        row = self.session.scalar(select(RunnerRow).where(RunnerRow.slug == slug))
        if row is None or not self.can_see(row.id):
            return None
        self._runner_rows[row.id] = row
        return runner_record(row)

    def runner_by_id(self, runner_id: int) -> RunnerRecord:
        return runner_record(self._runner_row(runner_id))

    def runners(self) -> list[RunnerRecord]:
        """The runners the actor may see, by slug."""
        query = select(RunnerRow).order_by(RunnerRow.slug)
        visible = self._visible_ids()
        if visible is not None:
            query = query.where(RunnerRow.id.in_(sorted(visible)))
        return [runner_record(row) for row in self.session.scalars(query)]

    def _writing(self, runner_id: int) -> None:
        """Check the runner is there for a write of their logs or plan, and note it (a new
        stamp when the unit commits)."""
        self._runner_row(runner_id)
        self._changed.add(runner_id)

    def _runner_row(self, runner_id: int) -> RunnerRow:
        row = None
        if self.can_see(runner_id):
            row = self._runner_rows.get(runner_id) or self.session.get(RunnerRow, runner_id)
        if row is None:
            raise NotFound(f"no runner with id {runner_id}")
        self._runner_rows[runner_id] = row
        return row

    # profiles -----------------------------------------------------------------------------------

    def save_profile(
        self, runner_id: int, profile: RunnerProfile, *, created_at: dt.datetime | None = None
    ) -> int:
        """Store `profile` as a new version unless it equals the latest; returns its version."""
        self._runner_row(runner_id)
        latest = self._latest_profile_row(runner_id)
        if latest is not None and RunnerProfile.model_validate(latest.data) == profile:
            return latest.version
        version = latest.version + 1 if latest else 1
        self.session.add(
            ProfileRow(
                runner_id=runner_id,
                version=version,
                data=profile.model_dump(mode="json"),
                created_at=created_at or self.clock.now(),
            )
        )
        self.session.flush()
        return version

    def latest_profile(self, runner_id: int) -> tuple[int, RunnerProfile] | None:
        row = self._latest_profile_row(runner_id)
        return (row.version, RunnerProfile.model_validate(row.data)) if row else None

    def profiles(self, runner_id: int) -> list[ProfileRecord]:
        """Every version, oldest first."""
        self.guard(runner_id)
        rows = self.session.scalars(
            select(ProfileRow).where(ProfileRow.runner_id == runner_id).order_by(ProfileRow.version)
        )
        return [
            ProfileRecord(row.version, row.created_at, RunnerProfile.model_validate(row.data))
            for row in rows
        ]

    def _latest_profile_row(self, runner_id: int) -> ProfileRow | None:
        self.guard(runner_id)
        return self.session.scalar(
            select(ProfileRow)
            .where(ProfileRow.runner_id == runner_id)
            .order_by(ProfileRow.version.desc())
            .limit(1)
        )

    # screenings ---------------------------------------------------------------------------------

    def add_screening(
        self,
        runner_id: int,
        screening: Screening,
        purpose: ScreeningPurpose,
        *,
        created_at: dt.datetime | None = None,
    ) -> int:
        if purpose not in get_args(ScreeningPurpose):
            raise InvalidInput(f"screening purpose '{purpose}': expected 'initial' or 'retest'")
        self._runner_row(runner_id)
        row = ScreeningRow(
            runner_id=runner_id,
            screened_on=screening.screened_on,
            purpose=purpose,
            data=screening.model_dump(mode="json"),
            created_at=created_at or self.clock.now(),
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def screenings(self, runner_id: int) -> list[ScreeningRecord]:
        """Every screening of the runner, oldest first (the first one is the baseline)."""
        self.guard(runner_id)
        rows = self.session.scalars(
            select(ScreeningRow)
            .where(ScreeningRow.runner_id == runner_id)
            .order_by(ScreeningRow.created_at, ScreeningRow.id)
        )
        return [_screening_record(row) for row in rows]

    def latest_screening(self, runner_id: int) -> ScreeningRecord | None:
        """The newest screening alone (a year of re-tests is not parsed to find it)."""
        self.guard(runner_id)
        row = self.session.scalar(
            select(ScreeningRow)
            .where(ScreeningRow.runner_id == runner_id)
            .order_by(ScreeningRow.created_at.desc(), ScreeningRow.id.desc())
            .limit(1)
        )
        return _screening_record(row) if row else None

    # plans --------------------------------------------------------------------------------------

    def add_plan(
        self,
        runner_id: int,
        plan: Plan,
        *,
        reason: str,
        changes: Sequence[str],
        profile_version: int,
        screening_id: int | None,
        created_at: dt.datetime | None = None,
        based_on: PlanSummary | None = None,
    ) -> int:
        """Store `plan` as the runner's next version (earlier versions are never touched).

        `based_on`: the runner's stored version `plan` was made from. If another unit of work
        stored a newer one meanwhile, this plan would silently drop that one's changes (two edits
        at once, say), so it is refused as a conflict: the use case runs again on top of the
        newer version. A plan with the same profile version and screening as `based_on` needs
        no check of them: they were checked when that version was stored."""
        self._writing(runner_id)
        if isinstance(changes, str) or not all(isinstance(c, str) for c in changes):
            raise InvalidInput("plan changes: expected a list of lines of text")
        if based_on is None or (based_on.profile_version, based_on.screening_id) != (
            profile_version,
            screening_id,
        ):
            self._check_plan_sources(runner_id, profile_version, screening_id)
        if based_on is None:
            latest = self.session.scalar(
                select(func.max(PlanRow.version)).where(PlanRow.runner_id == runner_id)
            )
            version = (latest or 0) + 1
        else:
            # If a newer version was stored meanwhile, it holds this number: the unique key
            # refuses the insert, which the unit reports as a conflict (StorageError.conflict).
            version = based_on.version + 1
        # A Core insert of the document as text: no ORM object holding it, no second
        # serialisation by json.dumps
        self.session.execute(
            insert(PlanRow).values(
                runner_id=runner_id,
                version=version,
                profile_version=profile_version,
                screening_id=screening_id,
                reason=reason,
                changes=list(changes),
                changes_until=changes_until(changes),
                data=plan_document(plan),  # engine.py's dump_json passes it on
                created_at=created_at or self.clock.now(),
            )
        )
        self.stored_plans[(runner_id, version)] = plan
        return version

    def _check_plan_sources(
        self, runner_id: int, profile_version: int, screening_id: int | None
    ) -> None:
        profile = self.session.scalar(
            select(ProfileRow.id).where(
                ProfileRow.runner_id == runner_id, ProfileRow.version == profile_version
            )
        )
        if profile is None:
            raise NotFound(f"runner {runner_id} has no profile version {profile_version}")
        if screening_id is not None:
            owner = self.session.scalar(
                select(ScreeningRow.runner_id).where(ScreeningRow.id == screening_id)
            )
            if owner != runner_id:
                raise NotFound(f"runner {runner_id} has no screening {screening_id}")

    def current_plan(self, runner_id: int) -> PlanRecord | None:
        """The newest version, its plan from the per-process cache when it is there."""
        self.guard(runner_id)
        row = self.session.execute(
            select(*_SUMMARY)
            .where(PlanRow.runner_id == runner_id)
            .order_by(PlanRow.version.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        summary = _summary(*row)
        return PlanRecord(**vars(summary), plan=self.plan(runner_id, summary.version))

    def current_plan_version(self, runner_id: int) -> int | None:
        """The newest version's number, without reading any plan."""
        self.guard(runner_id)
        latest: int | None = self.session.scalar(
            select(func.max(PlanRow.version)).where(PlanRow.runner_id == runner_id)
        )
        return latest

    def plan(self, runner_id: int, version: int) -> Plan:
        """One plan version, parsed once per process (stored versions never change)."""
        self.guard(runner_id)
        key = (runner_id, version)
        cached = self.stored_plans.get(key) or self._plans.get(key)
        if cached is not None:
            return cached
        # as text: psycopg's own parse of jsonb would be a second one
        document = self.session.scalar(
            select(cast(PlanRow.data, Text)).where(
                PlanRow.runner_id == runner_id, PlanRow.version == version
            )
        )
        if document is None:
            raise NotFound(f"no plan version {version} for this runner")
        plan = plan_from_document(document)
        self._plans.put(key, plan)  # committed: a version this unit stored came from stored_plans
        return plan

    def plan_day(self, runner_id: int, version: int, date: dt.date) -> PlanDay:
        """One day of a plan version, with the plan's dates: from the cache when the plan is
        there, else only that day is read and parsed (`plan_day_sql`), not the whole plan."""
        self.guard(runner_id)
        cached = self._plans.get((runner_id, version))
        if cached is not None:
            day = next((d for d in cached.days if d.date == date), None)
            return PlanDay(cached.start, cached.end, day)
        dialect = self.session.get_bind().dialect.name
        found = self.session.execute(
            text(plan_day_sql(dialect)),
            {"runner_id": runner_id, "version": version, "date": date.isoformat()},
        ).one_or_none()
        if found is None:
            raise NotFound(f"no plan version {version} for this runner")
        start, end, document = found
        day = None if document is None else Day.model_validate(json_column(document))
        return PlanDay(dt.date.fromisoformat(start), dt.date.fromisoformat(end), day)

    def remember_stored_plans(self) -> None:
        """Put the plans this unit stored in the cache: called once it has committed."""
        for key, plan in self.stored_plans.items():
            self._plans.put(key, plan)
        self.stored_plans.clear()

    def last_done_log_date(self, runner_id: int) -> dt.date | None:
        self.guard(runner_id)
        latest: dt.date | None = self.session.scalar(
            select(func.max(SessionLogRow.date)).where(
                SessionLogRow.runner_id == runner_id, SessionLogRow.status == "done"
            )
        )
        return latest

    def logged_sessions_on(self, runner_id: int, date: dt.date) -> list[str]:
        """The kinds of session logged (done or skipped) on a date, in the order saved."""
        self.guard(runner_id)
        return list(
            self.session.scalars(
                select(SessionLogRow.session)
                .where(SessionLogRow.runner_id == runner_id, SessionLogRow.date == date)
                .order_by(SessionLogRow.id)
            )
        )

    def plan_versions(self, runner_id: int) -> list[PlanRecord]:
        """Every version, oldest first."""
        self.guard(runner_id)
        rows = self.session.scalars(
            select(PlanRow).where(PlanRow.runner_id == runner_id).order_by(PlanRow.version)
        )
        return [plan_record(row) for row in rows]

    def plan_summaries(self, runner_id: int) -> list[PlanSummary]:
        """Every version's reason and changes, oldest first, without reading the plans at all."""
        self.guard(runner_id)
        rows = self.session.execute(
            select(*_SUMMARY).where(PlanRow.runner_id == runner_id).order_by(PlanRow.version)
        )
        return [_summary(*row) for row in rows]

    def plan_change_lines(self, runner_id: int) -> list[str]:
        """Every version's change lines, oldest first, and nothing else of the versions (the
        progression engine's history); the versions that changed nothing are not read."""
        self.guard(runner_id)
        rows = self.session.connection().execute(
            # as text: psycopg's parse of each jsonb value costs more than pydantic's of the text
            select(cast(PlanRow.changes, Text))
            .where(PlanRow.runner_id == runner_id, PlanRow.changes_until.is_not(None))
            .order_by(PlanRow.version)
        )
        return [str(line) for (lines,) in rows for line in from_json(lines)]

    # logs ---------------------------------------------------------------------------------------

    def add_session_log(
        self, runner_id: int, log: SessionLog, *, created_at: dt.datetime | None = None
    ) -> int:
        self._writing(runner_id)
        # Core inserts: the ORM's unit of work for a log, its exercises and their sets cost
        # more than the three statements themselves
        session_log_id: int = self.session.execute(
            insert(SessionLogRow)
            .values(
                runner_id=runner_id,
                date=log.date,
                session=log.session.value,
                status=log.status,
                skip_reason=log.skip_reason,
                plan_version=log.plan_version,
                created_at=created_at or self.clock.now(),
            )
            .returning(SessionLogRow.id)
        ).scalar_one()
        if not log.exercises:
            return session_log_id
        exercise_ids = self.session.scalars(
            insert(ExerciseLogRow).returning(ExerciseLogRow.id, sort_by_parameter_order=True),
            [exercise_values(session_log_id, n, e) for n, e in enumerate(log.exercises)],
        ).all()
        sets = [
            {"exercise_log_id": exercise_log_id, "set_number": n, "amount": amount}
            for exercise_log_id, e in zip(exercise_ids, log.exercises, strict=True)
            for n, amount in enumerate(e.sets, 1)
        ]
        if sets:
            self.session.execute(insert(SetLogRow), sets)
        return session_log_id

    def session_logs(self, runner_id: int, since: dt.date | None = None) -> list[SessionLog]:
        """The runner's session logs from `since` on, by date, then in the order they were saved."""
        return [record.log for record in self.session_log_records(runner_id, since)]

    def progress_logs(self, runner_id: int) -> ProgressLogs:
        """What the progress report reads of all the runner's logs (`log_reads`)."""
        self.guard(runner_id)
        return read_progress_logs(self.session, runner_id)

    def session_log_records(
        self, runner_id: int, since: dt.date | None = None
    ) -> list[SessionLogRecord]:
        self.guard(runner_id)
        chosen = [SessionLogRow.runner_id == runner_id]
        if since is not None:
            chosen.append(SessionLogRow.date >= since)
        return [record for _, record in read_session_logs(self.session, *chosen)]

    def engine_session_logs(
        self, runner_id: int, per_exercise: int, newest_days: int
    ) -> list[SessionLog]:
        """The done session logs the progression engine looks at (`log_reads.latest_per_exercise`),
        by date, then in the order saved: a few weeks' worth, however long the history."""
        self.guard(runner_id)
        chosen = latest_per_exercise(runner_id, per_exercise, newest_days)
        return [record.log for _, record in read_session_logs(self.session, chosen)]

    def add_soreness(self, runner_id: int, log: SorenessLog) -> int:
        self._writing(runner_id)
        row = SorenessLogRow(runner_id=runner_id, date=log.date, level=log.level, note=log.note)
        self.session.add(row)
        self.session.flush()
        return row.id

    def soreness(self, runner_id: int) -> list[SorenessLog]:
        self.guard(runner_id)
        rows = self.session.scalars(
            select(SorenessLogRow)
            .where(SorenessLogRow.runner_id == runner_id)
            .order_by(SorenessLogRow.date, SorenessLogRow.id)
        )
        return [SorenessLog(date=row.date, level=row.level, note=row.note) for row in rows]

    def add_run(self, runner_id: int, log: RunLog) -> int:
        self._writing(runner_id)
        row = RunLogRow(
            runner_id=runner_id,
            date=log.date,
            kind=log.kind.value,
            distance_km=log.distance_km,
            minutes=log.minutes,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def runs(self, runner_id: int) -> list[RunLog]:
        self.guard(runner_id)
        rows = self.session.scalars(
            select(RunLogRow)
            .where(RunLogRow.runner_id == runner_id)
            .order_by(RunLogRow.date, RunLogRow.id)
        )
        return [
            RunLog.model_validate(
                {
                    "date": row.date,
                    "kind": row.kind,
                    "distance_km": row.distance_km,
                    "minutes": row.minutes,
                }
            )
            for row in rows
        ]


# a plan version's columns but its document, in `_summary`'s order
_SUMMARY = (
    PlanRow.version,
    PlanRow.created_at,
    PlanRow.reason,
    PlanRow.changes,
    PlanRow.profile_version,
    PlanRow.screening_id,
)


def _summary(
    version: int,
    created_at: dt.datetime,
    reason: str,
    changes: list[object],
    profile_version: int,
    screening_id: int | None,
) -> PlanSummary:
    return PlanSummary(
        version=version,
        created_at=created_at,
        reason=reason,
        changes=tuple(str(change) for change in changes),
        profile_version=profile_version,
        screening_id=screening_id,
    )


def _screening_record(row: ScreeningRow) -> ScreeningRecord:
    return ScreeningRecord(
        row.id, purpose(row.purpose), row.created_at, Screening.model_validate(row.data)
    )
