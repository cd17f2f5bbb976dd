"""What every store of a unit of work shares: its session, who it may see, whom it changed."""

from __future__ import annotations

import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from glutecoach.adapters.db.account_tables import RunnerClinicianRow
from glutecoach.adapters.db.accounts import Accounts
from glutecoach.adapters.db.gait_analyses import GaitAnalyses
from glutecoach.adapters.db.kept import Kept
from glutecoach.adapters.db.pain import PainRecords
from glutecoach.adapters.db.recorded_runs import RecordedRuns
from glutecoach.adapters.db.tables import RunnerRow
from glutecoach.domain import access
from glutecoach.domain.access import LOCAL, Actor, ActorKind
from glutecoach.domain.clock import Clock
from glutecoach.domain.errors import NotFound
from glutecoach.domain.planning import Plan


class UnitBase:
    """The state of one unit of work the stores (`runner_store`, `plan_store`, `log_store`) are
    mixed in over: `repositories.Repository` is all of them together."""

    PLAN_CACHE_SIZE = 16

    def __init__(
        self,
        session: Session,
        plans: Kept[tuple[int, int], Plan] | None = None,
        *,
        clock: Clock,
        actor: Actor = LOCAL,
    ) -> None:
        self.session = session
        self.clock = clock
        self.actor = actor
        self._plans = Kept[tuple[int, int], Plan](self.PLAN_CACHE_SIZE) if plans is None else plans
        self._clinicians_runners: set[int] | None = None  # a clinician actor's, read once
        # plans this unit stored, for the cache once (and if) the unit commits
        self.stored_plans: dict[tuple[int, int], Plan] = {}
        # runner rows this unit read, held: the session's identity map keeps only those still
        # referenced, and a use case that names a runner checks it again when it writes
        self._runner_rows: dict[int, RunnerRow] = {}
        # runners this unit stored a log or a plan version for: new stamps before it commits
        self._changed: set[int] = set()

    @property
    def recorded_runs(self) -> RecordedRuns:
        """Runs read from FIT, GPX and TCX files (their own module: a separate concern)."""
        return RecordedRuns(self.session, self.guard)

    @property
    def gait_analyses(self) -> GaitAnalyses:
        """Analysed running videos and pose files."""
        return GaitAnalyses(self.session, self.guard)

    @property
    def pain(self) -> PainRecords:
        """Painful exercise logs and the clearances that lift what they hold back."""
        return PainRecords(self.session, self.guard, self._writing)

    @property
    def accounts(self) -> Accounts:
        """Accounts, sign-in sessions and tokens, runners' clinicians, clinicians' notes."""
        return Accounts(self.session, self.guard)

    def stamp_changed(self) -> None:
        """Give each runner this unit stored a log or a plan version for a new stamp
        (`RunnerRow.stamp`): one statement, last, so their rows are locked only while it commits.
        `Database.unit` calls it; a unit rolled back changes no stamp."""
        if self._changed:
            self.session.execute(
                update(RunnerRow)
                .where(RunnerRow.id.in_(sorted(self._changed)))
                .values(stamp=secrets.randbits(62))
                .execution_options(synchronize_session=False)
            )
            self._changed.clear()

    # who may see what ---------------------------------------------------------------------------

    def _visible_ids(self) -> set[int] | None:
        """The ids of the runners the actor may see; None: every runner (the local actor)."""
        actor = self.actor
        if actor.kind is ActorKind.LOCAL:
            return None
        if actor.kind is ActorKind.RUNNER:
            return set() if actor.runner_id is None else {actor.runner_id}
        if self._clinicians_runners is None:
            self._clinicians_runners = set(
                self.session.scalars(
                    select(RunnerClinicianRow.runner_id).where(
                        RunnerClinicianRow.clinician_id == actor.account_id
                    )
                )
            )
        return self._clinicians_runners

    def can_see(self, runner_id: int) -> bool:
        """The policy's answer (`domain.access.can_see`) for this unit's actor. `_visible_ids`
        is the same rule as a set, for queries that list runners."""
        clinician = None
        if self.actor.kind is ActorKind.CLINICIAN:
            visible = self._visible_ids()
            assert visible is not None
            clinician = self.actor.account_id if runner_id in visible else None
        return access.can_see(self.actor, runner_id, clinician)

    def guard(self, runner_id: int) -> None:
        """NotFound, as if it did not exist, for a runner the actor may not see."""
        if not self.can_see(runner_id):
            raise NotFound(f"no runner with id {runner_id}")

    def _writing(self, runner_id: int) -> None:
        """Check the runner is there for a write of their logs or plan, and note it (a new
        stamp when the unit commits)."""
        self._runner_row(runner_id)
        self._changed.add(runner_id)

    def _runner_row(self, runner_id: int) -> RunnerRow:
        row = None
        if self.can_see(runner_id):
            row = self._runner_rows.get(runner_id) or self.session.get(RunnerRow, runner_id)
        if row is None:
            raise NotFound(f"no runner with id {runner_id}")
        self._runner_rows[runner_id] = row
        return row
