"""The safety rules as properties over 1,000 generated runners and weeks of their logs, skips,
soreness and clearances, in every kind of session (safety_histories.py).

The oracles here are worked out from the logs and clearances alone, not from the engine's own
hold, so a fault in how the engine reads them shows as a failure, not as agreement.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from hypothesis import HealthCheck, given, seed, settings

from glutecoach.domain.library.models import BodyArea
from glutecoach.domain.planning import Plan, RunKind, SessionKind
from glutecoach.domain.progression import Action
from glutecoach.domain.progression.safety import ClearedBy, areas_of
from tests.domain.safety_histories import LIBRARY, Done, Spec, simulate, specs

STOP_AT = int(LIBRARY.threshold("pain_referral_level").value)
FLAG_AT = int(LIBRARY.threshold("pain_flag_level").value)
SEE_CLINICIAN = "see a physiotherapist or doctor"
_SETTINGS = settings(
    max_examples=1000,
    deadline=None,
    database=None,  # with the one seed below: the same histories on every run and machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def PROPERTY(test):  # type: ignore[no-untyped-def]  # noqa: N802
    """1,000 histories, the same for every rule (so each is simulated once, not once a rule)
    and on every run: a failure in CI replays here."""
    return seed(19)(_SETTINGS(test))


def _after(plan: Plan, today: dt.date) -> Iterator[tuple[dt.date, SessionKind, str]]:
    for day in plan.days:
        if day.date > today:
            for session in day.sessions:
                for p in session.prescriptions:
                    yield day.date, session.kind, p.exercise_id


def _pain(done: Done, at_least: int) -> dict[str, dt.date]:
    """Each exercise's latest day logged at `at_least` or more, up to this step."""
    latest: dict[str, dt.date] = {}
    for log in done.logs:
        for e in log.exercises:
            if e.pain >= at_least:
                latest[e.exercise_id] = max(latest.get(e.exercise_id, log.date), log.date)
    return latest


def _cleared_since(done: Done, date: dt.date, area: BodyArea | None = None, by=None) -> bool:  # type: ignore[no-untyped-def]
    return any(
        c.date >= date and (area is None or c.area == area) and (by is None or c.by == by)
        for c in done.clearances
    )


def _stopped(done: Done, spec: Spec) -> set[BodyArea]:
    """Areas two or more exercises that hurt at the stop level load, no clinician clearing
    the area since, and the red-flagged ones."""
    hurt_in: dict[BodyArea, set[str]] = defaultdict(set)
    for log in done.logs:
        for e in log.exercises:
            if e.pain < STOP_AT:
                continue
            for area in areas_of(LIBRARY.exercises[e.exercise_id]):
                if not _cleared_since(done, log.date, area, ClearedBy.clinician):
                    hurt_in[area].add(e.exercise_id)
    return {a for a, ids in hurt_in.items() if len(ids) >= 2} | set(spec.red_flags)


@PROPERTY
@given(specs())
def test_what_hurt_is_in_no_session_of_any_kind_until_cleared(spec: Spec) -> None:
    _, steps = simulate(spec)
    for done in steps:
        plan = done.result.plan
        later = {e for _, _, e in _after(plan, done.today)}
        before = {e for _, _, e in _after(done.before, done.today)}
        reasons = {c.exercise_id: c.reason for c in done.result.changes}
        for exercise_id, date in _pain(done, STOP_AT).items():
            if exercise_id in later:
                # only back once each area it loads was cleared after the pain
                for area in areas_of(LIBRARY.exercises[exercise_id]):
                    assert _cleared_since(done, date, area), (exercise_id, area, done.today)
            elif exercise_id in before and not _cleared_since(done, date):
                # it went now: the plan says why, and what brings it back
                assert "comes back" in reasons.get(exercise_id, ""), exercise_id
        for day in plan.days:
            if day.date > done.today:
                for session in day.sessions:
                    for held in session.held:
                        assert held.reason and "comes back" in held.reason


@PROPERTY
@given(specs())
def test_an_alternative_never_hurt_never_loads_the_same_way_and_never_swaps_two_that_hurt(
    spec: Spec,
) -> None:
    _, steps = simulate(spec)
    for done in steps:
        hurt = {e for e, date in _pain(done, FLAG_AT).items() if not _cleared_since(done, date)}
        stopped = _stopped(done, spec)
        swaps = [
            (d.exercise_id, d.to_exercise_id)
            for d in done.result.decisions
            if d.action == Action.stop and d.to_exercise_id
        ] + [
            # the alternatives chosen now (one chosen before that hurt since is held in turn)
            (c.exercise_id, c.to_exercise_id)
            for c in done.result.changes
            if c.action == "stop" and c.to_exercise_id
        ]
        for old, new in swaps:
            assert old is not None and new is not None
            assert new not in hurt, (old, new)
            assert LIBRARY.family[new] != LIBRARY.family[old], (old, new)
            assert not set(LIBRARY.exercises[new].loads) & stopped, (old, new, stopped)


@PROPERTY
@given(specs())
def test_two_that_hurt_in_one_area_or_a_red_flag_stop_the_area_and_say_see_a_clinician(
    spec: Spec,
) -> None:
    _, steps = simulate(spec)
    was: set[BodyArea] = set()
    for done in steps:
        stopped = _stopped(done, spec)
        for _, _, exercise_id in _after(done.result.plan, done.today):
            loads = set(LIBRARY.exercises[exercise_id].loads)
            assert not loads & stopped, (exercise_id, loads & stopped, done.today)
        if stopped - was and any(
            set(LIBRARY.exercises[e].loads) & (stopped - was)
            for _, _, e in _after(done.before, done.today)
        ):
            said = [c.reason for c in done.result.changes] + [
                d.reason for d in done.result.decisions
            ]
            assert any(SEE_CLINICIAN in r.lower() for r in said), stopped - was
        was = stopped


@PROPERTY
@given(specs(steady=True))
def test_nothing_moves_on_after_a_log_with_pain_at_the_flag_level(spec: Spec) -> None:
    _, steps = simulate(spec)
    for done in steps:
        for decision in done.result.decisions:
            if decision.action != Action.progress:
                continue
            newest = max(
                (
                    log
                    for log in done.logs
                    if log.session == decision.session
                    and any(e.exercise_id == decision.logged for e in log.exercises)
                ),
                key=lambda log: log.date,
            )
            assert max(e.pain for e in newest.exercises) < FLAG_AT, decision


@PROPERTY
@given(specs())
def test_a_log_always_says_what_happens_next_for_every_exercise_logged(spec: Spec) -> None:
    _, steps = simulate(spec)
    for done in steps:
        if done.log is None or done.log.status != "done":
            continue
        said = {(d.session, d.logged): d.reason for d in done.result.decisions}
        for e in done.log.exercises:
            assert said.get((done.log.session, e.exercise_id)), e.exercise_id


def _run_kinds(plan: Plan) -> dict[dt.date, RunKind]:
    return {d.date: d.run for d in plan.days}


@PROPERTY
@given(specs())
def test_a_plan_changed_by_logs_keeps_every_placement_rule(spec: Spec) -> None:
    first, steps = simulate(spec)
    runs = _run_kinds(first)
    shape = [(w.number, w.start, w.kind, w.phase, w.volume_factor) for w in first.weeks]
    for done in steps:
        plan = done.result.plan
        assert [(w.number, w.start, w.kind, w.phase, w.volume_factor) for w in plan.weeks] == shape
        for old, new in zip(first.days, plan.days, strict=True):
            assert (old.date, old.run) == (new.date, new.run)
            kinds = [s.kind for s in new.sessions]
            assert kinds == [s.kind for s in old.sessions]  # sessions never added or moved
            assert len(kinds) == len(set(kinds))  # one of each kind a day at most
            following = runs.get(new.date + dt.timedelta(days=1))
            if following in (RunKind.long, RunKind.race):
                strength = new.session(SessionKind.strength)
                assert strength is None or not strength.prescriptions, new.date
            if new.date <= done.today:
                assert new == next(d for d in done.before.days if d.date == new.date)
