"""Reading session logs as plain rows: three queries (sessions, their exercises, their sets) and
no ORM objects, which for a year of one runner's logs, or weeks of forty runners', cost several
times the queries themselves."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from glutecoach.adapters.db.records import SessionLogRecord, exercise_log, session_log_of
from glutecoach.adapters.db.tables import ExerciseLogRow, SessionLogRow, SetLogRow
from glutecoach.domain.library.models import FeltArea, range_text
from glutecoach.domain.planning.plan import SessionKind
from glutecoach.domain.progress import LoggedExercise, LoggedSession, ProgressLogs, Status
from glutecoach.domain.progression.logs import ExerciseLog, SessionLog


def read_session_logs(
    session: Session, *chosen: ColumnElement[bool]
) -> list[tuple[int, SessionLogRecord]]:
    """(runner id, record) for the session logs `chosen` picks (conditions on SessionLogRow),
    by runner, by date, then in the order saved. Through the Core connection: the ORM's result
    processing of plain column rows costs more than fetching them."""
    connection = session.connection()
    sessions = connection.execute(
        select(
            SessionLogRow.id,
            SessionLogRow.runner_id,
            SessionLogRow.created_at,
            SessionLogRow.date,
            SessionLogRow.session,
            SessionLogRow.status,
            SessionLogRow.skip_reason,
            SessionLogRow.plan_version,
        )
        .where(*chosen)
        .order_by(SessionLogRow.runner_id, SessionLogRow.date, SessionLogRow.id)
    ).all()
    if not sessions:
        return []
    # the sessions found by their ids: `chosen` may be costly (a window over a year of logs)
    ids: BindParameter[list[int]] = bindparam("ids", [row.id for row in sessions], expanding=True)
    exercises = connection.execute(
        select(
            ExerciseLogRow.id,
            ExerciseLogRow.session_log_id,
            ExerciseLogRow.exercise_id,
            ExerciseLogRow.unit,
            ExerciseLogRow.prescribed_sets,
            ExerciseLogRow.prescribed_low,
            ExerciseLogRow.prescribed_high,
            ExerciseLogRow.load,
            ExerciseLogRow.effort,
            ExerciseLogRow.felt,
            ExerciseLogRow.pain,
        )
        .where(ExerciseLogRow.session_log_id.in_(ids))
        .order_by(ExerciseLogRow.session_log_id, ExerciseLogRow.position)
    ).all()
    amounts: dict[int, list[int]] = defaultdict(list)
    for exercise_log_id, amount in connection.execute(
        select(SetLogRow.exercise_log_id, SetLogRow.amount)
        .join(ExerciseLogRow, ExerciseLogRow.id == SetLogRow.exercise_log_id)
        .where(ExerciseLogRow.session_log_id.in_(ids))
        .order_by(SetLogRow.exercise_log_id, SetLogRow.set_number)
    ):
        amounts[exercise_log_id].append(amount)
    done: dict[int, list[ExerciseLog]] = defaultdict(list)
    for e in exercises:
        done[e.session_log_id].append(exercise_log(e, amounts.get(e.id, ())))
    return [
        (row.runner_id, SessionLogRecord(row.id, row.created_at, _log(row, done)))
        for row in sessions
    ]


def _log(row: Any, done: dict[int, list[ExerciseLog]]) -> SessionLog:
    return session_log_of(row, done.get(row.id, []))


def read_progress_logs(session: Session, runner_id: int) -> ProgressLogs:
    """What the progress report reads of the runner's logs, by date then in the order saved:
    each exercise's best set found by the database, so no set row comes back."""
    connection = session.connection()
    runner = SessionLogRow.runner_id == runner_id
    sessions = connection.execute(
        select(SessionLogRow.date, SessionLogRow.session, SessionLogRow.status)
        .where(runner)
        .order_by(SessionLogRow.date, SessionLogRow.id)
    ).all()
    best = (
        select(func.max(SetLogRow.amount))
        .where(SetLogRow.exercise_log_id == ExerciseLogRow.id)
        .scalar_subquery()
    )
    exercises = connection.execute(
        select(
            SessionLogRow.date,
            SessionLogRow.session,
            ExerciseLogRow.exercise_id,
            ExerciseLogRow.prescribed_sets,
            ExerciseLogRow.prescribed_low,
            ExerciseLogRow.prescribed_high,
            func.coalesce(best, 0),
            ExerciseLogRow.unit,
            ExerciseLogRow.effort,
            ExerciseLogRow.felt,
            ExerciseLogRow.pain,
        )
        .join(SessionLogRow, SessionLogRow.id == ExerciseLogRow.session_log_id)
        .where(runner)
        .order_by(SessionLogRow.date, SessionLogRow.id, ExerciseLogRow.position)
    ).all()
    return ProgressLogs(
        # the status as SessionLog validated it when it was stored: "done" or "skipped"
        tuple(
            LoggedSession(date, SessionKind(kind), cast(Status, status))
            for date, kind, status in sessions
        ),
        tuple(
            LoggedExercise(
                date=date,
                session=SessionKind(kind),
                exercise_id=exercise_id,
                prescribed_sets=sets,
                prescribed=range_text(low, high),
                best=top,
                unit=unit,
                effort=effort,
                felt=FeltArea(felt),
                pain=pain,
            )
            for date, kind, exercise_id, sets, low, high, top, unit, effort, felt, pain in exercises
        ),
    )


def latest_per_exercise(runner_id: int, per_exercise: int, newest_days: int) -> ColumnElement[bool]:
    """The condition on SessionLogRow for the runner's done sessions holding one of the newest
    `per_exercise` logs of an exercise in its kind of session, or done on one of the
    `newest_days` newest days with a done session: what the progression engine looks at (see
    `domain.progression.logs_needed` and `AWAY_DAYS_READ`), without the rest of the year."""
    done = (SessionLogRow.runner_id == runner_id, SessionLogRow.status == "done")
    ranked = (
        select(
            SessionLogRow.id.label("session_log_id"),
            func.row_number()
            .over(
                partition_by=(SessionLogRow.session, ExerciseLogRow.exercise_id),
                order_by=(SessionLogRow.date.desc(), SessionLogRow.id.desc()),
            )
            .label("newest"),
        )
        .join(ExerciseLogRow, ExerciseLogRow.session_log_id == SessionLogRow.id)
        .where(*done)
        .subquery()
    )
    latest_dates = (
        select(SessionLogRow.date).where(*done).distinct().order_by(SessionLogRow.date.desc())
    ).limit(newest_days)
    return and_(
        *done,
        or_(
            SessionLogRow.id.in_(
                select(ranked.c.session_log_id).where(ranked.c.newest <= per_exercise)
            ),
            SessionLogRow.date.in_(latest_dates),
        ),
    )
