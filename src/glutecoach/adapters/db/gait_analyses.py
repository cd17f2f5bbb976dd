"""Stored gait analyses, as domain `GaitSummary`s, oldest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from glutecoach.adapters.db.tables import GaitAnalysisRow
from glutecoach.domain.gait.summary import GaitSummary


@dataclass(frozen=True)
class StoredGait:
    id: int
    created_at: dt.datetime
    summary: GaitSummary


class GaitAnalyses:
    def __init__(self, session: Session, guard: Callable[[int], None] | None = None) -> None:
        self.session = session
        # NotFound for a runner the unit's actor may not see (Repository.guard); None: no check
        self._guard = guard

    def _check(self, runner_id: int) -> None:
        if self._guard is not None:
            self._guard(runner_id)

    def add(self, runner_id: int, summary: GaitSummary, now: dt.datetime) -> int:
        self._check(runner_id)
        row = GaitAnalysisRow(
            runner_id=runner_id,
            analysed_on=summary.analysed_on,
            source=summary.source,
            view=summary.view.value,
            data=summary.model_dump(mode="json"),
            created_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def list(self, runner_id: int) -> list[StoredGait]:
        self._check(runner_id)
        rows = self.session.scalars(
            select(GaitAnalysisRow)
            .where(GaitAnalysisRow.runner_id == runner_id)
            .order_by(GaitAnalysisRow.analysed_on, GaitAnalysisRow.id)
        )
        return [
            StoredGait(row.id, row.created_at, GaitSummary.model_validate(row.data)) for row in rows
        ]
