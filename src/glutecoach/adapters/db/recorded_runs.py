"""Recorded runs (read from FIT, GPX and TCX files): stored in bulk, listed as domain `Run`s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from glutecoach.adapters.db.tables import RecordedRunRow
from glutecoach.domain.records import StoredRun as StoredRun
from glutecoach.domain.runs import BandMetrics, Run, Sport

# The Run fields that are columns of their own (all but `bands`).
COLUMNS = tuple(name for name in Run.model_fields if name != "bands")


@dataclass(frozen=True)
class NewRecordedRun:
    run: Run
    source: str
    file_format: str
    file_digest: str
    file_run: int
    created_at: dt.datetime | None = None  # when it was first imported (an export keeps it)


class RecordedRuns:
    """The runner's recorded runs, within the caller's unit of work."""

    def __init__(self, session: Session, guard: Callable[[int], None] | None = None) -> None:
        self.session = session
        # NotFound for a runner the unit's actor may not see (Repository.guard); None: no check
        self._guard = guard

    def _check(self, runner_id: int) -> None:
        if self._guard is not None:
            self._guard(runner_id)

    def add(self, runner_id: int, items: Sequence[NewRecordedRun], now: dt.datetime) -> int:
        """One multi-row insert: an import writes hundreds of runs at a time."""
        self._check(runner_id)
        if not items:
            return 0
        rows = [
            {
                **{name: getattr(item.run, name) for name in COLUMNS},
                "sport": item.run.sport.value,
                "bands": [band.model_dump(mode="json") for band in item.run.bands],
                "runner_id": runner_id,
                "source": item.source,
                "file_format": item.file_format,
                "file_digest": item.file_digest,
                "file_run": item.file_run,
                "created_at": item.created_at or now,
            }
            for item in items
        ]
        self.session.execute(insert(RecordedRunRow), rows)
        return len(rows)

    def digests(self, runner_id: int) -> set[str]:
        self._check(runner_id)
        rows = self.session.scalars(
            select(RecordedRunRow.file_digest).where(RecordedRunRow.runner_id == runner_id)
        )
        return set(rows)

    def list(
        self, runner_id: int, since: dt.datetime | None = None, until: dt.datetime | None = None
    ) -> list[StoredRun]:
        self._check(runner_id)
        query = select(RecordedRunRow).where(RecordedRunRow.runner_id == runner_id)
        if since is not None:
            query = query.where(RecordedRunRow.started_at >= since)
        if until is not None:
            query = query.where(RecordedRunRow.started_at < until)
        rows = self.session.scalars(query.order_by(RecordedRunRow.started_at, RecordedRunRow.id))
        return [
            StoredRun(
                row.id,
                _run(row),
                row.source,
                row.file_format,
                row.file_digest,
                row.file_run,
                row.created_at,
            )
            for row in rows
        ]

    def remove(self, runner_id: int, run_id: int) -> bool:
        self._check(runner_id)
        done = self.session.execute(
            delete(RecordedRunRow).where(
                RecordedRunRow.runner_id == runner_id, RecordedRunRow.id == run_id
            )
        )
        return bool(getattr(done, "rowcount", 0))


def _run(row: RecordedRunRow) -> Run:
    values = {name: getattr(row, name) for name in COLUMNS}
    values["sport"] = Sport(row.sport)
    values["bands"] = tuple(BandMetrics.model_validate(b) for b in row.bands)
    return Run.model_validate(values)
