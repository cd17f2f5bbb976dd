"""Start a runner (profile, screening, first plan) and find the runner a command is about."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from glutecoach.adapters.db.repositories import Database, PlanRecord, Repository, RunnerRecord
from glutecoach.domain.access import ActorKind
from glutecoach.domain.errors import InvalidInput, NotFound
from glutecoach.domain.library import load_library
from glutecoach.domain.planning import Plan, RunnerProfile, build_plan, safety
from glutecoach.domain.screening import Screening
from glutecoach.services import assessments


def slug_of(name: str) -> str:
    """'Sam Example' → 'sam-example': the name commands take with --runner."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    if not slug:
        raise InvalidInput(f"profile: field 'name' {name!r} has no letters or digits to name it by")
    return slug[:64].strip("-")


def choose(repo: Repository, slug: str | None) -> RunnerRecord:
    """The runner named, or the one the actor has opened, or the only one the actor may see; a
    message that helps when that is ambiguous. Runners the actor may not see do not exist here."""
    if slug is not None:
        found = repo.runner(slug)
        if found is None:
            known = ", ".join(r.slug for r in repo.runners()) or "none yet"
            raise NotFound(f"no runner '{slug}' (runners: {known})")
        return found
    if repo.actor.focus is not None and repo.can_see(repo.actor.focus):
        return repo.runner_by_id(repo.actor.focus)  # the runner a clinician has opened
    runners = repo.runners()
    if not runners:
        raise NotFound(
            "no runner yet: start with 'glutecoach start --profile runner.yaml "
            "--findings screening.json'"
        )
    if len(runners) > 1:
        names = ", ".join(r.slug for r in runners)
        raise InvalidInput(f"several runners ({names}): choose one with --runner")
    return runners[0]


def _own_runner(repo: Repository) -> RunnerRecord | None:
    """A runner account's own runner, or the runner a clinician has open: the one a profile
    from them is about, whatever name it gives (None for the local user: the name decides)."""
    actor = repo.actor
    mine = actor.runner_id if actor.kind is ActorKind.RUNNER else actor.focus
    return repo.runner_by_id(mine) if mine is not None and repo.can_see(mine) else None


@dataclass(frozen=True)
class Started:
    runner: RunnerRecord
    plan_version: int
    plan: Plan
    new_runner: bool


def start(
    db: Database, profile: RunnerProfile, screening: Screening | None, weeks: int = 8
) -> Started:
    """Store the profile and screening and make a plan the runner follows day by day.

    Starting again keeps the history: the profile, screening and plan each get a new version.
    """
    slug = slug_of(profile.name)
    library = load_library()
    with db.unit() as repo:
        existing = _own_runner(repo) or repo.runner(slug)
        runner_id = existing.id if existing else repo.add_runner(slug, profile.name)
        if screening is not None and existing is not None:
            # runs imported and gait videos analysed before the start add their findings
            today = repo.clock.today(profile.timezone)
            screening = assessments.with_assessments(repo, existing, screening, today)
        plan = build_plan(profile, screening, library, weeks)
        profile_version = repo.save_profile(runner_id, profile)
        screening_id = (
            repo.add_screening(runner_id, screening, "initial" if existing is None else "retest")
            if screening is not None
            else None
        )
        version = repo.add_plan(
            runner_id,
            plan,
            reason="plan from your profile and screening",
            changes=(),
            profile_version=profile_version,
            screening_id=screening_id,
        )
        record = repo.runner_by_id(runner_id)
    return Started(runner=record, plan_version=version, plan=plan, new_runner=existing is None)


def no_plan(runner: RunnerRecord) -> NotFound:
    return NotFound(f"runner '{runner.slug}' has no plan yet: run 'glutecoach start'")


def planned_runner(
    repo: Repository, slug: str | None
) -> tuple[RunnerRecord, PlanRecord, RunnerProfile]:
    """The runner, their current plan and profile; NotFound before 'glutecoach start'."""
    runner = choose(repo, slug)
    plan = repo.current_plan(runner.id)
    latest = repo.latest_profile(runner.id)
    if plan is None or latest is None:
        raise no_plan(runner)
    return runner, plan, latest[1]


def retest(db: Database, slug: str | None, screening: Screening) -> int:
    """Store a re-test beside the first screening, for the side-by-side in progress."""
    with db.unit() as repo:
        runner = choose(repo, slug)
        return repo.add_screening(runner.id, screening, "retest")


@dataclass(frozen=True)
class Screened:
    runner: RunnerRecord
    screening_id: int
    replanned: bool  # True when this was the first screening and the plan was rebuilt with it
    plan_version: int | None


def record_screening(
    db: Database, slug: str | None, screening: Screening, weeks: int = 8
) -> Screened:
    """A runner's screening. The first one rebuilds the plan around its findings (a new version);
    later ones are re-tests, kept for the side-by-side. Either way a red flag changes the plan
    from today: a hip (or unknown-site) red flag pauses every exercise, another area loses the
    exercises that load it. The screening is always stored."""
    library = load_library()
    with db.unit() as repo:
        runner = choose(repo, slug)
        latest = repo.latest_profile(runner.id)
        current = repo.current_plan(runner.id)
        if latest is None or current is None:
            raise no_plan(runner)
        version, profile = latest
        today = repo.clock.today(profile.timezone)
        screening = assessments.with_assessments(repo, runner, screening, today)
        first = not repo.screenings(runner.id)
        screening_id = repo.add_screening(runner.id, screening, "initial" if first else "retest")
        from_day = max(repo.clock.today(profile.timezone), current.plan.start)
        message = " ".join(r.message for r in screening.referrals)
        if screening.blocks_programme:
            plan, reason = safety.pause(current.plan, from_day, message), "paused: see a clinician"
        elif first:
            plan, reason = (
                build_plan(profile, screening, library, weeks),
                "plan rebuilt around your screening",
            )
        elif screening.excluded_areas:
            areas = frozenset(screening.excluded_areas)
            plan = safety.leave_out(current.plan, from_day, areas, library, message)
            reason = "exercises for a red-flagged area left out"
        else:
            return Screened(runner, screening_id, False, None)
        plan_version = repo.add_plan(
            runner.id,
            plan,
            reason=reason,
            changes=(),
            profile_version=version,
            screening_id=screening_id,
        )
    return Screened(runner, screening_id, True, plan_version)


def listed(db: Database) -> list[RunnerRecord]:
    """Every runner the store's actor may see, by slug."""
    with db.unit() as repo:
        return repo.runners()


def shown(db: Database, *, with_plan: bool = False) -> RunnerRecord | None:
    """The one runner the web app shows (for a clinician: the one they opened), None when there
    is none yet, or, with `with_plan`, none with a plan (a new account, or runs imported first)."""
    with db.unit() as repo:
        try:
            runner = choose(repo, None)
        except NotFound:
            return None
        if with_plan and repo.current_plan_version(runner.id) is None:
            return None
        return runner


def opened(db: Database, slug: str) -> RunnerRecord:
    """The runner `slug` names; NotFound also when the store's actor may not see them."""
    with db.unit() as repo:
        return choose(repo, slug)
