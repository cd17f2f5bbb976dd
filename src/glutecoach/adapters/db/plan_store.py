"""Plan versions: the plans themselves, one day of one, their summaries and change lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic_core import from_json
from sqlalchemy import Text, cast, func, insert, select, text

from glutecoach.adapters.db.plan_documents import plan_document, plan_from_document
from glutecoach.adapters.db.plan_reads import json_column, plan_day_sql
from glutecoach.adapters.db.records import (
    PlanDay,
    PlanRecord,
    PlanSummary,
    changes_until,
    plan_record,
)
from glutecoach.adapters.db.tables import PlanRow, ProfileRow, ScreeningRow
from glutecoach.adapters.db.unit_base import UnitBase
from glutecoach.domain.errors import InvalidInput, NotFound
from glutecoach.domain.planning import Day, Plan


class PlanStore(UnitBase):
    """Plan versions, for one unit of work (mixed into `Repository`)."""

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
