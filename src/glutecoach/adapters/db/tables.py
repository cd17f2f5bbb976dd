"""Stored rows: SQLAlchemy 2 typed declarative models; repositories turn them into domain models.

Whole domain documents (a profile, a screening, a plan) are kept as JSON exactly as the domain
dumps them; what is queried or aggregated (the logs, their exercises and sets) gets columns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Dialect,
    Double,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# The Alembic revision these models describe. `open_database` compares the database's revision with
# it before importing Alembic at all (start-up time); a test checks it is the migrations' head.
SCHEMA_HEAD = "0010"

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on both databases (SQLite itself keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"timestamp {value} has no time zone; glutecoach stores UTC")
        value = value.astimezone(dt.UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)
        dt.datetime: UTCDateTime(),
        dict[str, Any]: JSONDocument,
        list[Any]: JSONDocument,
        float: Double(),
    }


def _runner_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("runners.id", ondelete="CASCADE"))


class RunnerRow(Base):
    __tablename__ = "runners"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    # A new random number from each unit of work that stores a log or a plan version for the
    # runner (`Repository.stamp_changed`): what a clinician's overview of them is made from has
    # changed. Random rather than counted, so a value once used does not come back (after a
    # backup is restored, say) to match an overview computed from other data.
    stamp: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))


class ProfileRow(Base):
    __tablename__ = "profiles"
    __table_args__ = (UniqueConstraint("runner_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = _runner_fk()
    version: Mapped[int]
    data: Mapped[dict[str, Any]]  # RunnerProfile.model_dump(mode="json")
    created_at: Mapped[dt.datetime]


class ScreeningRow(Base):
    __tablename__ = "screenings"
    __table_args__ = (
        CheckConstraint("purpose IN ('initial', 'retest')", name="purpose"),
        Index(None, "runner_id", "screened_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = _runner_fk()
    screened_on: Mapped[dt.date]
    purpose: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]]  # Screening.model_dump(mode="json")
    created_at: Mapped[dt.datetime]


class PlanRow(Base):
    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint("runner_id", "version"),
        # the profile version the plan was built from: that profile row can never be dropped
        ForeignKeyConstraint(
            ["runner_id", "profile_version"], ["profiles.runner_id", "profiles.version"]
        ),
        Index(None, "screening_id"),
        Index(None, "runner_id", "changes_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = _runner_fk()
    version: Mapped[int]
    profile_version: Mapped[int]
    screening_id: Mapped[int | None] = mapped_column(ForeignKey("screenings.id"))
    reason: Mapped[str] = mapped_column(Text)
    changes: Mapped[list[Any]]  # one line per change, for `plan --changes`
    # the latest day one of those changes takes effect (None: no change; see records.py): a
    # clinician's overview reads only the versions whose changes reach its recent days
    changes_until: Mapped[dt.date | None]
    data: Mapped[dict[str, Any]]  # the plan, its sessions shared (plan_documents.py)
    created_at: Mapped[dt.datetime]


class SessionLogRow(Base):
    __tablename__ = "session_logs"
    __table_args__ = (
        CheckConstraint("status IN ('done', 'skipped')", name="status"),
        Index(None, "runner_id", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = _runner_fk()
    date: Mapped[dt.date]
    session: Mapped[str] = mapped_column(String(32))  # SessionKind
    status: Mapped[str] = mapped_column(String(16))
    skip_reason: Mapped[str | None] = mapped_column(Text)
    plan_version: Mapped[int]
    created_at: Mapped[dt.datetime]

    exercises: Mapped[list[ExerciseLogRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ExerciseLogRow.position"
    )


class ExerciseLogRow(Base):
    __tablename__ = "exercise_logs"
    __table_args__ = (UniqueConstraint("session_log_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_log_id: Mapped[int] = mapped_column(ForeignKey("session_logs.id", ondelete="CASCADE"))
    position: Mapped[int]  # order within the session, from 0
    exercise_id: Mapped[str] = mapped_column(String(80))
    unit: Mapped[str] = mapped_column(String(16))  # reps, hold_s, steps, minutes
    prescribed_sets: Mapped[int]
    prescribed_low: Mapped[int]
    prescribed_high: Mapped[int]
    load: Mapped[str | None] = mapped_column(Text)  # band colour or weight, as said
    effort: Mapped[int]  # RPE 1-10
    felt: Mapped[str] = mapped_column(String(32))  # FeltArea
    pain: Mapped[int]  # 0-10

    sets: Mapped[list[SetLogRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SetLogRow.set_number"
    )


class SetLogRow(Base):
    __tablename__ = "set_logs"
    __table_args__ = (UniqueConstraint("exercise_log_id", "set_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_log_id: Mapped[int] = mapped_column(ForeignKey("exercise_logs.id", ondelete="CASCADE"))
    set_number: Mapped[int]  # from 1
    amount: Mapped[int]  # reps, seconds, steps or minutes, as the exercise's unit says


class SorenessLogRow(Base):
    __tablename__ = "soreness_logs"
    __table_args__ = (Index(None, "runner_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = _runner_fk()
    date: Mapped[dt.date]
    level: Mapped[int]  # 0-10
    note: Mapped[str | None] = mapped_column(Text)


class ClearanceRow(Base):
    """An area reported pain-free (domain/progression/safety.py): by the runner's re-check or
    a clinician."""

    __tablename__ = "clearances"
    __table_args__ = (
        CheckConstraint("cleared_by IN ('runner', 'clinician')", name="cleared_by"),
        Index(None, "runner_id", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = _runner_fk()
    date: Mapped[dt.date]
    area: Mapped[str] = mapped_column(String(32))  # BodyArea
    cleared_by: Mapped[str] = mapped_column(String(16))  # ClearedBy
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime]


class RunLogRow(Base):
    __tablename__ = "run_logs"
    __table_args__ = (Index(None, "runner_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = _runner_fk()
    date: Mapped[dt.date]
    kind: Mapped[str] = mapped_column(String(16))  # RunKind
    distance_km: Mapped[float]  # kilometres, as the runner logged them
    minutes: Mapped[float]


class RecordedRunRow(Base):
    """A run (or another activity) read from a FIT, GPX or TCX file."""

    __tablename__ = "recorded_runs"
    __table_args__ = (
        UniqueConstraint("runner_id", "file_digest", "file_run"),
        Index(None, "runner_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = _runner_fk()
    started_at: Mapped[dt.datetime]  # UTC
    utc_offset_s: Mapped[int | None]
    sport: Mapped[str] = mapped_column(String(16))  # Sport
    sport_detail: Mapped[str | None] = mapped_column(Text)
    distance_m: Mapped[float | None] = mapped_column(Double)
    elapsed_s: Mapped[float] = mapped_column(Double)
    moving_s: Mapped[float | None] = mapped_column(Double)
    elevation_gain_m: Mapped[float | None] = mapped_column(Double)
    avg_hr: Mapped[int | None]
    max_hr: Mapped[int | None]
    cadence_spm: Mapped[float | None] = mapped_column(Double)  # steps per minute
    gct_ms: Mapped[float | None] = mapped_column(Double)
    gct_balance_left_pct: Mapped[float | None] = mapped_column(Double)
    vertical_oscillation_mm: Mapped[float | None] = mapped_column(Double)
    vertical_ratio_pct: Mapped[float | None] = mapped_column(Double)
    step_length_m: Mapped[float | None] = mapped_column(Double)
    records: Mapped[int]
    device: Mapped[str | None] = mapped_column(Text)
    bands: Mapped[list[Any]]  # BandMetrics.model_dump(mode="json") each
    source: Mapped[str] = mapped_column(Text)  # the file (and archive member) it came from
    file_format: Mapped[str] = mapped_column(String(8))  # fit, gpx, tcx
    file_digest: Mapped[str] = mapped_column(String(64))  # sha256 of the unpacked file
    file_run: Mapped[int]  # which activity of the file (a triathlon FIT holds several)
    created_at: Mapped[dt.datetime]


class GaitAnalysisRow(Base):
    """A gait video (or pose file) analysis: its summary as the domain dumps it."""

    __tablename__ = "gait_analyses"
    __table_args__ = (Index(None, "runner_id", "analysed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = _runner_fk()
    analysed_on: Mapped[dt.date]
    source: Mapped[str] = mapped_column(Text)
    view: Mapped[str] = mapped_column(String(8))
    data: Mapped[dict[str, Any]]  # GaitSummary.model_dump(mode="json")
    created_at: Mapped[dt.datetime]


class OverviewRow(Base):
    """A runner's row of the clinician's overview as last computed by any server process, with
    the stamp it was computed from (`ClinicQueries.stamps`): a process that has not computed it
    itself uses it while the stamp is unchanged. A cache: dropping every row loses nothing."""

    __tablename__ = "runner_overviews"

    runner_id: Mapped[int] = mapped_column(
        ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True
    )
    stamp: Mapped[str] = mapped_column(Text)  # the code's format, then the runner's stamp
    timezone: Mapped[str] = mapped_column(Text)  # the zone the overview's day was taken in
    data: Mapped[str] = mapped_column(Text)  # RunnerOverview as JSON, parsed by pydantic


# The account tables share this Base; imported here so Base.metadata always holds every table.
from glutecoach.adapters.db import account_tables  # noqa: E402, F401
