"""Reads for a clinician's overview of many runners: a few queries for all of them, never one
(or several) per runner. Each takes the runner ids the caller may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from glutecoach.adapters.db.records import session_log
from glutecoach.adapters.db.tables import (
    ExerciseLogRow,
    PlanRow,
    RunLogRow,
    SessionLogRow,
    SorenessLogRow,
)
from glutecoach.domain.progression.logs import SessionLog


@dataclass(frozen=True)
class CurrentPlan:
    version: int
    document: Mapping[str, Any]  # the stored Plan, as dumped; the caller parses what it needs


class ClinicQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def current_plans(self, runner_ids: Collection[int]) -> dict[int, CurrentPlan]:
        """Each runner's newest plan version (runners without a plan are left out)."""
        if not runner_ids:
            return {}
        newest = (
            select(PlanRow.runner_id, func.max(PlanRow.version).label("version"))
            .where(PlanRow.runner_id.in_(runner_ids))
            .group_by(PlanRow.runner_id)
            .subquery()
        )
        rows = self.session.execute(
            select(PlanRow.runner_id, PlanRow.version, PlanRow.data).join(
                newest,
                (PlanRow.runner_id == newest.c.runner_id) & (PlanRow.version == newest.c.version),
            )
        )
        return {runner_id: CurrentPlan(version, data) for runner_id, version, data in rows}

    def session_logs(
        self, runner_ids: Collection[int], since: dt.date
    ) -> dict[int, list[SessionLog]]:
        """Session logs from `since` on, by runner, by date then in the order saved."""
        if not runner_ids:
            return {}
        rows = self.session.scalars(
            select(SessionLogRow)
            .where(SessionLogRow.runner_id.in_(runner_ids), SessionLogRow.date >= since)
            .order_by(SessionLogRow.runner_id, SessionLogRow.date, SessionLogRow.id)
            .options(selectinload(SessionLogRow.exercises).selectinload(ExerciseLogRow.sets))
        )
        logs: dict[int, list[SessionLog]] = defaultdict(list)
        for row in rows:
            logs[row.runner_id].append(session_log(row))
        return dict(logs)

    def plan_changes(self, runner_ids: Collection[int]) -> dict[int, list[str]]:
        """Every plan version's change lines, by runner, oldest first (no plan is read)."""
        if not runner_ids:
            return {}
        rows = self.session.execute(
            select(PlanRow.runner_id, PlanRow.changes)
            .where(PlanRow.runner_id.in_(runner_ids))
            .order_by(PlanRow.runner_id, PlanRow.version)
        )
        changes: dict[int, list[str]] = defaultdict(list)
        for runner_id, lines in rows:
            changes[runner_id].extend(str(line) for line in lines)
        return dict(changes)

    def last_log_dates(self, runner_ids: Collection[int]) -> dict[int, dt.date]:
        """The newest date of any log (a session, soreness, a run), by runner."""
        if not runner_ids:
            return {}
        newest: dict[int, dt.date] = {}
        for table in (SessionLogRow, SorenessLogRow, RunLogRow):
            rows = self.session.execute(
                select(table.runner_id, func.max(table.date))
                .where(table.runner_id.in_(runner_ids))
                .group_by(table.runner_id)
            )
            for runner_id, date in rows:
                if date is not None and (runner_id not in newest or date > newest[runner_id]):
                    newest[runner_id] = date
        return newest
