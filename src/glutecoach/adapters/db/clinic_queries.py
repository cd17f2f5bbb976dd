"""Reads for a clinician's overview of many runners: a few queries for all of them, never one
(or several) per runner. Each takes the runner ids the caller may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, bindparam, cast, func, or_, select, text, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from glutecoach.adapters.db.log_reads import read_session_logs
from glutecoach.adapters.db.plan_documents import plan_from_document
from glutecoach.adapters.db.plan_reads import json_column, plan_document_sql
from glutecoach.adapters.db.tables import (
    ClearanceRow,
    OverviewRow,
    PlanRow,
    RunLogRow,
    RunnerRow,
    SessionLogRow,
    SorenessLogRow,
)
from glutecoach.domain.library.models import BodyArea
from glutecoach.domain.planning import Plan
from glutecoach.domain.progression.logs import SessionLog
from glutecoach.domain.progression.safety import Clearance, ClearedBy


@dataclass(frozen=True)
class CurrentPlan:
    version: int
    plan: Plan  # with only the weeks asked for, when the read was trimmed


@dataclass(frozen=True)
class SharedOverview:
    """A runner's overview row as some server process stored it (`ClinicQueries.share`)."""

    stamp: str  # the code's format, then the runner's stamp it was computed from
    timezone: str
    data: str  # the RunnerOverview as JSON


class ClinicQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def current_plans(
        self, runner_ids: Collection[int], weeks: tuple[dt.date, dt.date] | None = None
    ) -> dict[int, CurrentPlan]:
        """Each runner's newest plan version (runners without a plan are left out). With
        `weeks` (first, last), the document holds only the weeks that start between those days
        and the shared sessions their days use, trimmed by the database: most of a 24-week plan
        is weeks an overview never looks at."""
        if not runner_ids:
            return {}
        document = plan_document_sql(self.session.get_bind().dialect.name, weeks is not None)
        query = text(
            f"SELECT p.runner_id, p.version, {document} AS data FROM plans p JOIN "
            "(SELECT runner_id, max(version) AS version FROM plans WHERE runner_id IN :ids "
            "GROUP BY runner_id) newest "
            "ON p.runner_id = newest.runner_id AND p.version = newest.version"
        ).bindparams(bindparam("ids", expanding=True))
        values: dict[str, Any] = {"ids": sorted(runner_ids)}
        if weeks is not None:
            values["weeks_from"], values["weeks_to"] = (day.isoformat() for day in weeks)
        rows = self.session.execute(query, values)
        return {
            int(runner_id): CurrentPlan(int(version), plan_from_document(json_column(data)))
            for runner_id, version, data in rows
        }

    def session_logs(
        self, runner_ids: Collection[int], since: dt.date
    ) -> dict[int, list[SessionLog]]:
        """Session logs from `since` on, by runner, by date then in the order saved."""
        if not runner_ids:
            return {}
        logs: dict[int, list[SessionLog]] = defaultdict(list)
        chosen = (SessionLogRow.runner_id.in_(runner_ids), SessionLogRow.date >= since)
        for runner_id, record in read_session_logs(self.session, *chosen):
            logs[runner_id].append(record.log)
        return dict(logs)

    def plan_changes(
        self,
        runner_ids: Collection[int],
        mentioning: Collection[str] = (),
        after: dt.date | None = None,
    ) -> dict[int, list[str]]:
        """Every plan version's change lines, by runner, oldest first (no plan is read). With
        `mentioning`, only the versions whose lines hold one of those words somewhere (found by
        the database in the text: the caller still reads each line it gets); with `after`, only
        the versions with a change taking effect after that day (not a year of them)."""
        if not runner_ids:
            return {}
        query = (
            select(PlanRow.runner_id, PlanRow.changes)
            .where(PlanRow.runner_id.in_(runner_ids))
            .order_by(PlanRow.runner_id, PlanRow.version)
        )
        if after is not None:
            query = query.where(PlanRow.changes_until > after)
        if mentioning:
            lines = cast(PlanRow.changes, Text)
            query = query.where(or_(*(lines.contains(word) for word in mentioning)))
        changes: dict[int, list[str]] = defaultdict(list)
        for runner_id, lines in self.session.execute(query):
            changes[runner_id].extend(str(line) for line in lines)
        return dict(changes)

    def stamps(self, runner_ids: Collection[int]) -> dict[int, int]:
        """Each runner's stamp (`RunnerRow.stamp`), which every stored log or plan version
        changes: an overview computed from the same stamp (and for the same day) is the same."""
        if not runner_ids:
            return {}
        rows = self.session.execute(
            select(RunnerRow.id, RunnerRow.stamp).where(RunnerRow.id.in_(runner_ids))
        )
        return {runner_id: int(stamp) for runner_id, stamp in rows}

    def last_logs(self, runner_ids: Collection[int]) -> dict[int, dt.date]:
        """The newest date of any log (a session, soreness, a run), by runner (those with no log
        are left out)."""
        if not runner_ids:
            return {}
        dates = union_all(
            *(
                select(table.runner_id, table.date).where(table.runner_id.in_(runner_ids))
                for table in (SessionLogRow, SorenessLogRow, RunLogRow)
            )
        ).subquery()
        newest = select(dates.c.runner_id, func.max(dates.c.date)).group_by(dates.c.runner_id)
        return dict(self.session.execute(newest).all())

    def clearances(self, runner_ids: Collection[int], since: dt.date) -> dict[int, list[Clearance]]:
        """The areas cleared of pain from `since` on, by runner, oldest first."""
        found: dict[int, list[Clearance]] = defaultdict(list)
        if not runner_ids:
            return found
        rows = self.session.execute(
            select(
                ClearanceRow.runner_id,
                ClearanceRow.date,
                ClearanceRow.area,
                ClearanceRow.cleared_by,
            )
            .where(ClearanceRow.runner_id.in_(runner_ids), ClearanceRow.date >= since)
            .order_by(ClearanceRow.runner_id, ClearanceRow.date, ClearanceRow.id)
        )
        for runner_id, date, area, by in rows:
            found[runner_id].append(Clearance(date=date, area=BodyArea(area), by=ClearedBy(by)))
        return found

    def shared(self, runner_ids: Collection[int]) -> dict[int, SharedOverview]:
        """The overview rows stored for these runners, whatever their stamps."""
        if not runner_ids:
            return {}
        rows = self.session.execute(
            select(
                OverviewRow.runner_id, OverviewRow.stamp, OverviewRow.timezone, OverviewRow.data
            ).where(OverviewRow.runner_id.in_(runner_ids))
        )
        return {
            runner_id: SharedOverview(stamp, timezone, data)
            for runner_id, stamp, timezone, data in rows
        }

    def share(self, rows: Mapping[int, SharedOverview]) -> None:
        """Store (or replace) these runners' overview rows. In runner order, so two processes
        storing overlapping rows at once wait for each other instead of deadlocking."""
        if not rows:
            return
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        query = insert(OverviewRow)
        query = query.on_conflict_do_update(
            index_elements=[OverviewRow.runner_id],
            set_={
                "stamp": query.excluded.stamp,
                "timezone": query.excluded.timezone,
                "data": query.excluded.data,
            },
        )
        values = [
            {"runner_id": runner_id, "stamp": r.stamp, "timezone": r.timezone, "data": r.data}
            for runner_id, r in sorted(rows.items())
        ]
        self.session.execute(query, values)
