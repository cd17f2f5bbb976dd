"""Session logs (with their exercises and sets), soreness, and runs logged by hand."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select

from glutecoach.adapters.db.log_reads import (
    latest_per_exercise,
    read_progress_logs,
    read_session_logs,
)
from glutecoach.adapters.db.records import SessionLogRecord, exercise_values
from glutecoach.adapters.db.tables import (
    ExerciseLogRow,
    RunLogRow,
    SessionLogRow,
    SetLogRow,
    SorenessLogRow,
)
from glutecoach.adapters.db.unit_base import UnitBase
from glutecoach.domain.progress import ProgressLogs
from glutecoach.domain.progression.logs import RunLog, SessionLog, SorenessLog


class LogStore(UnitBase):
    """What a runner logs, for one unit of work (mixed into `Repository`)."""

    # logs ---------------------------------------------------------------------------------------

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
