"""What a clinician does with their runners: an overview of all of them, a runner's detail, and
edits to a runner's plan (each a new plan version with its reason).

The database handed in is the clinician's: `repo.runners()` and `choose` only return the runners
they may see, so these use cases never look at anyone else's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import sys
import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from glutecoach import __version__
from glutecoach.adapters.db.clinic_queries import ClinicQueries, SharedOverview
from glutecoach.adapters.db.errors import StorageError
from glutecoach.adapters.db.kept import Kept
from glutecoach.adapters.db.repositories import Database, RunnerRecord
from glutecoach.domain import clinic as domain_clinic
from glutecoach.domain.clinic import REGRESSIONS, RunnerOverview, flag_window
from glutecoach.domain.clinic import overview as runner_overview
from glutecoach.domain.errors import InvalidInput
from glutecoach.domain.gait.summary import GaitSummary
from glutecoach.domain.library import Library, load_library
from glutecoach.domain.library.loader import read_packaged_documents
from glutecoach.domain.planning import Plan
from glutecoach.domain.planning.edits import (
    AddNote,
    ChangeDosage,
    Guard,
    PlanEdit,
    SwapExercise,
    apply_edit,
)
from glutecoach.domain.progress import Progress
from glutecoach.domain.progression import Change
from glutecoach.domain.screening import Screening
from glutecoach.domain.validation import first_error
from glutecoach.services.history import read_progress
from glutecoach.services.retry import retry_conflicts
from glutecoach.services.training import (
    decode_changes,
    encode_changes,
    hold_of,
    snapshot,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

_log = logging.getLogger(__name__)
DayIn = Callable[[str], dt.date]  # a time zone's date: the clock's, or the day asked about
Edit = SwapExercise | ChangeDosage | AddNote
_EDIT: TypeAdapter[Edit] = TypeAdapter(PlanEdit)


@dataclass(frozen=True)
class _Kept:
    stamp: int  # the runner's (`RunnerRow.stamp`) when the overview was computed
    timezone: str
    overview: RunnerOverview

    def fits(self, stamp: int, runner: RunnerRecord, day_in: DayIn) -> bool:
        """Whether this is the runner's overview now: same stamp, name and day."""
        return (
            self.stamp == stamp
            and (self.overview.runner, self.overview.name) == (runner.slug, runner.name)
            and self.overview.as_of == day_in(self.timezone)
        )


# Overviews already computed, by database engine and runner, for as long as the process lives:
# a clinician goes back to the dashboard after each runner they open, and between two visits
# few of their runners have logged anything. An entry is only used when the runner's stamp,
# read in the same unit of work, is unchanged, and for the same day.
_KEPT: weakref.WeakKeyDictionary[Engine, Kept[int, _Kept]] = weakref.WeakKeyDictionary()
_KEPT_PER_DATABASE = 8192
_KEPT_LOCK = threading.Lock()  # for `_KEPT` itself; each database's `Kept` has its own
_WEEK_BACK = dt.timedelta(days=6)  # a week that holds a day starts at most this long before it


@cache
def _shared_format() -> str:
    """Stored with each shared overview row, so a row computed by other code is never used:
    a digest of what an overview is made by (this module and `domain.clinic`, whose rules and
    shape it follows) and from (the library's packaged data, its thresholds among them). Shared
    rows outlive a process, and during a deploy old and new processes share the table."""
    digest = hashlib.sha256(__version__.encode())
    for module in (sys.modules[__name__], domain_clinic):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(json.dumps(read_packaged_documents(), sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def _shared_stamp(stamp: int) -> str:
    return f"{_shared_format()} {stamp}"


def overview(db: Database, today: dt.date | None = None) -> list[RunnerOverview]:
    """Every runner the clinician may see, read in one unit of work and a fixed number of
    queries (however many runners). First each runner's stamp (`ClinicQueries.stamps`, changed
    by every log and plan version stored for them): a runner whose stamp has not changed since
    this process, or any other, last computed their overview (for the same day) gets that
    overview again, from this process's memory or else from the rows the processes share
    (`ClinicQueries.shared`); for the others, the plans, the recent logs and the changes are
    read, and the new rows shared in a second unit (`_share`). Of the plans only the weeks
    around today are read, and of the changes only the recent regressions are parsed
    (`domain.clinic.overview` looks at no others)."""
    library = load_library()
    day_in: DayIn = (lambda _zone: today) if today is not None else db.clock.today
    with db.unit() as repo:
        runners = repo.runners()
        queries = ClinicQueries(repo.session)
        stamps = queries.stamps([r.id for r in runners])
        with _KEPT_LOCK:
            kept = _KEPT.setdefault(db.engine, Kept(_KEPT_PER_DATABASE))
        reused = {
            r.id: k
            for r in runners
            if (k := kept.get(r.id)) is not None and k.fits(stamps[r.id], r, day_in)
        }
        shared = _shared(queries, [r for r in runners if r.id not in reused], stamps, day_in)
        ready = reused | shared
        computed = _computed(queries, [r for r in runners if r.id not in ready], library, day_in)
    for runner_id, found in shared.items():
        kept.put(runner_id, found)
    for runner_id, (timezone, view) in computed.items():
        kept.put(runner_id, _Kept(stamps[runner_id], timezone, view))
    _share(db, {i: _Kept(stamps[i], zone, view) for i, (zone, view) in computed.items()})
    return [ready[r.id].overview if r.id in ready else computed[r.id][1] for r in runners]


def _shared(
    queries: ClinicQueries,
    runners: list[RunnerRecord],
    stamps: dict[int, int],
    day_in: DayIn,
) -> dict[int, _Kept]:
    """The shared rows of `runners` that are their overview now (another release's are not)."""
    rows = queries.shared([r.id for r in runners])
    found = {}
    for runner in runners:
        row = rows.get(runner.id)
        if row is None or row.stamp != _shared_stamp(stamps[runner.id]):
            continue
        try:
            view = RunnerOverview.model_validate_json(row.data)
        except ValidationError:
            continue
        candidate = _Kept(stamps[runner.id], row.timezone, view)
        if candidate.fits(stamps[runner.id], runner, day_in):
            found[runner.id] = candidate
    return found


def _share(db: Database, computed: dict[int, _Kept]) -> None:
    """Store the rows just computed for the other processes, in a unit of its own after the
    overview's: a cache, so a failure to store (a full disk, say) is logged and the clinician
    still gets their overview. On PostgreSQL only: SQLite serves one machine, where a page that
    writes would wait behind any other write (an import, say) for nothing much."""
    if not computed or db.engine.dialect.name != "postgresql":
        return
    rows = {
        runner_id: SharedOverview(_shared_stamp(k.stamp), k.timezone, k.overview.model_dump_json())
        for runner_id, k in computed.items()
    }
    try:
        with db.unit() as repo:
            # a cache: losing the newest rows in a crash costs a recomputation, not data
            repo.session.execute(text("SET LOCAL synchronous_commit = off"))
            ClinicQueries(repo.session).share(rows)
    except (StorageError, SQLAlchemyError) as error:
        _log.warning("overview rows not shared: %s", error)


def _computed(
    queries: ClinicQueries,
    runners: list[RunnerRecord],
    library: Library,
    day_in: DayIn,
) -> dict[int, tuple[str, RunnerOverview]]:
    """The overviews of `runners`, each with the time zone its day was taken in."""
    if not runners:
        return {}
    ids = [r.id for r in runners]
    # the week `_plan_around` keeps, with a day's margin for the runners' time zones
    window = flag_window(library)
    utc_today = day_in("UTC")
    weeks = (utc_today - dt.timedelta(days=1) - _WEEK_BACK, utc_today + dt.timedelta(days=1))
    plans = queries.current_plans(ids, weeks)
    zones = {r.id: plans[r.id].plan.timezone if r.id in plans else "UTC" for r in runners}
    days = {r.id: day_in(zones[r.id]) for r in runners}
    # as `domain.clinic.overview` asks: the flag window, and back to the start of the week
    since = min(days.values(), default=utc_today) - max(dt.timedelta(days=window), _WEEK_BACK)
    logs = queries.session_logs(ids, since)
    # the earliest day any runner's flag window starts: `_recent_regressions` reads no older
    changes = queries.plan_changes(ids, mentioning=REGRESSIONS, after=since)
    last_logs = queries.last_logs(ids)
    clearances = queries.clearances(ids, since)
    result = {}
    for runner in runners:
        current = plans.get(runner.id)
        on = days[runner.id]
        view = runner_overview(
            runner.slug,
            runner.name,
            _plan_around(current.plan, on) if current else None,
            current.version if current else None,
            logs.get(runner.id, []),
            _recent_regressions(changes.get(runner.id, ()), on, window),
            library,
            on,
            last_logs.get(runner.id),
            clearances.get(runner.id, ()),
        )
        result[runner.id] = (zones[runner.id], view)
    return result


def _recent_regressions(lines: Iterable[str], today: dt.date, window: int) -> list[Change]:
    """The changes `domain.clinic` may flag as regressions on `today`, parsed; the others (most
    of a year's) are only glanced at. A line whose text does not even name a regression's action
    is passed over unread; the rest get a plain JSON parse, a fraction of the model's cost."""
    since, until = today - dt.timedelta(days=window), today + dt.timedelta(days=1)
    kept = []
    for line in lines:
        if not any(name in line for name in _REGRESSION_NAMES):
            continue
        raw = json.loads(line)
        if raw.get("action") in REGRESSIONS and (
            since < dt.date.fromisoformat(str(raw.get("effective_from"))) <= until
        ):
            kept.append(line)
    return decode_changes(tuple(kept))


_REGRESSION_NAMES = tuple(f'"{action}"' for action in REGRESSIONS)  # as JSON strings


def _plan_around(plan: Plan, today: dt.date) -> Plan:
    """The plan with only the week holding `today`, all `domain.clinic.overview` looks at (the
    database read only the weeks around it: a 24-week plan parsed whole for each of 40 runners
    would be most of the overview's time)."""
    weeks = tuple(w for w in plan.weeks if today - _WEEK_BACK <= w.start <= today)
    return plan.model_copy(update={"weeks": weeks})


def parse_edit(data: Any, label: str = "edit") -> Edit:
    """A plan edit from a mapping with its `kind`: swap, dosage or note."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{label}: expected a mapping of fields with a 'kind'")
    try:
        return _EDIT.validate_python(data)
    except ValidationError as error:
        raise InvalidInput(f"{label}: {first_error(error)}") from None


@dataclass(frozen=True)
class EditOutcome:
    runner: RunnerRecord
    plan_version: int
    plan: Plan
    changes: tuple[Change, ...]


@retry_conflicts
def edit_plan(db: Database, slug: str | None, edit: Edit, on: dt.date | None = None) -> EditOutcome:
    """Apply a clinician's edit to the runner's current plan and store it as a new version."""
    library = load_library()
    with db.unit() as repo:
        snap = snapshot(repo, slug)
        today = on or repo.clock.today(snap.profile.timezone)
        hold = hold_of(snap)
        guard = Guard(today=today, excluded=hold.stopped_areas, stopped=frozenset(hold.held))
        edited = apply_edit(snap.plan.plan, edit, library, guard)
        changes = edited.records
        version = repo.add_plan(
            snap.runner.id,
            edited.plan,
            reason=f"edited by your clinician: {_words(edit)}",
            changes=encode_changes(changes),
            profile_version=snap.plan.profile_version,
            screening_id=snap.plan.screening_id,
            based_on=snap.plan,
        )
    return EditOutcome(snap.runner, version, edited.plan, changes)


def _words(edit: Edit) -> str:
    if isinstance(edit, SwapExercise):
        return f"{edit.exercise_id} swapped for {edit.to_exercise_id}"
    if isinstance(edit, ChangeDosage):
        return f"new dose for {edit.exercise_id}"
    return "a note"


@dataclass(frozen=True)
class PlanOverview:
    version: int
    start: dt.date
    end: dt.date
    weeks: int
    week: int | None  # this week's number, None outside the plan
    phase: str | None
    strength_weekdays: tuple[str, ...]
    referrals: tuple[str, ...]
    notes: tuple[str, ...]
    reason: str  # why the current version was made


@dataclass(frozen=True)
class RunnerDetail:
    runner: RunnerRecord
    as_of: dt.date
    screening: Screening | None  # the latest
    plan: PlanOverview
    progress: Progress
    gait: GaitSummary | None  # the latest analysis


def runner_detail(db: Database, slug: str | None, on: dt.date | None = None) -> RunnerDetail:
    """What a clinician reviews: the latest screening, the plan, progress, the latest gait."""
    with db.unit() as repo:
        read = read_progress(repo, slug, on)
        gait = repo.gait_analyses.list(read.runner.id)
    runner, current, screenings, today = read.runner, read.plan, read.screenings, read.on
    plan = current.plan
    week = next((w for w in plan.weeks if any(d.date == today for d in w.days)), None)
    return RunnerDetail(
        runner=runner,
        as_of=today,
        screening=screenings[-1] if screenings else None,
        plan=PlanOverview(
            version=current.version,
            start=plan.start,
            end=plan.end,
            weeks=len(plan.weeks),
            week=week.number if week else None,
            phase=week.phase.value if week else None,
            strength_weekdays=tuple(d.value for d in plan.strength_weekdays),
            referrals=plan.referrals,
            notes=plan.notes,
            reason=current.reason,
        ),
        progress=read.progress,
        gait=gait[-1].summary if gait else None,
    )
