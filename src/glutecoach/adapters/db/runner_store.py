"""Runners, their profile versions and their screenings."""

from __future__ import annotations

import datetime as dt
import re
from typing import get_args

from sqlalchemy import select

from glutecoach.adapters.db.records import (
    ProfileRecord,
    RunnerRecord,
    ScreeningPurpose,
    ScreeningRecord,
    purpose,
    runner_record,
)
from glutecoach.adapters.db.tables import ProfileRow, RunnerRow, ScreeningRow
from glutecoach.adapters.db.unit_base import UnitBase
from glutecoach.domain.access import Action, ActorKind, require
from glutecoach.domain.errors import InvalidInput, RuleViolation
from glutecoach.domain.planning import RunnerProfile
from glutecoach.domain.screening import Screening

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


class RunnerStore(UnitBase):
    """Runners, profiles and screenings, for one unit of work (mixed into `Repository`)."""

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


def _screening_record(row: ScreeningRow) -> ScreeningRecord:
    return ScreeningRecord(
        row.id, purpose(row.purpose), row.created_at, Screening.model_validate(row.data)
    )
