"""What pain keeps out of a runner's plan: the painful exercise logs, and the clearances since."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from glutecoach.adapters.db.tables import ClearanceRow, ExerciseLogRow, SessionLogRow
from glutecoach.domain.library.models import BodyArea
from glutecoach.domain.planning.plan import SessionKind
from glutecoach.domain.progression.safety import Clearance, ClearedBy, PainEvent


class PainRecords:
    def __init__(
        self, session: Session, guard: Callable[[int], None], writing: Callable[[int], None]
    ) -> None:
        self.session = session
        self._guard = guard  # NotFound for a runner the unit's actor may not see
        self._writing = writing  # the same, and the runner's stamp changes when the unit commits

    def events(self, runner_id: int, at_least: int) -> list[PainEvent]:
        """Every exercise the runner logged with pain of `at_least` or more, oldest first."""
        self._guard(runner_id)
        rows = self.session.execute(
            select(
                SessionLogRow.date,
                ExerciseLogRow.exercise_id,
                SessionLogRow.session,
                ExerciseLogRow.pain,
            )
            .join(SessionLogRow, SessionLogRow.id == ExerciseLogRow.session_log_id)
            .where(SessionLogRow.runner_id == runner_id, ExerciseLogRow.pain >= at_least)
            .order_by(SessionLogRow.date, SessionLogRow.id, ExerciseLogRow.position)
        )
        return [
            PainEvent(date=date, exercise_id=exercise_id, session=SessionKind(kind), pain=pain)
            for date, exercise_id, kind, pain in rows
        ]

    def clearances(self, runner_id: int) -> list[Clearance]:
        self._guard(runner_id)
        rows = self.session.scalars(
            select(ClearanceRow)
            .where(ClearanceRow.runner_id == runner_id)
            .order_by(ClearanceRow.date, ClearanceRow.id)
        )
        return [
            Clearance(
                date=row.date,
                area=BodyArea(row.area),
                by=ClearedBy(row.cleared_by),
                note=row.note,
            )
            for row in rows
        ]

    def add_clearance(self, runner_id: int, clearance: Clearance, now: dt.datetime) -> int:
        self._writing(runner_id)
        row = ClearanceRow(
            runner_id=runner_id,
            date=clearance.date,
            area=clearance.area.value,
            cleared_by=clearance.by.value,
            note=clearance.note,
            created_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return row.id
