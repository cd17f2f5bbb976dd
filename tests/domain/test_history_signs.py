"""Run-history signs in a screening, and a spiking week's lighter strength: pure functions."""

from __future__ import annotations

import datetime as dt

from glutecoach.domain.library import Library
from glutecoach.domain.planning import RunnerProfile, SessionKind, build_plan
from glutecoach.domain.progression.running_load import lighter_after_spike, spike_key
from glutecoach.domain.screening import FindingKind, RunHistorySigns, screen, with_history
from glutecoach.services import screening as screening_service
from tests.conftest import EXAMPLES


def example_screening(library: Library):  # type: ignore[no-untyped-def]
    data = screening_service.read_input(EXAMPLES / "answers.yaml")
    return screen(data, library, dt.date(2026, 11, 20))


def test_history_signs_add_findings_and_merge_into_existing_ones(library: Library) -> None:
    first = example_screening(library)
    signs = RunHistorySigns(
        spike="Weekly running rose 45 % in the week of 09 Nov (30 → 44 km)",
        spike_source="nielsen_2014_progression",
        imbalance="your left foot spends 53.0 % of ground contact time",
    )
    found = with_history(first, signs, library)
    spike = found.finding(FindingKind.running_load_spike)
    imbalance = found.finding(FindingKind.contact_time_imbalance)
    assert spike is not None and any(r.text == signs.spike for r in spike.reasons)
    assert any("nielsen_2014_progression" in r.sources for r in spike.reasons)
    assert imbalance is not None and imbalance.reasons[0].kind == "asymmetry"
    assert imbalance.exercises
    others = {f.kind: f for f in first.findings}
    for f in found.findings:  # what the questionnaire found is still there, reasons and all
        if f.kind in others:
            assert set(others[f.kind].reasons) <= set(f.reasons)
    assert with_history(found, signs, library) == found  # the same signs never add twice
    assert with_history(first, RunHistorySigns(), library) is first


def test_a_spike_lightens_the_rest_of_its_week_only(library: Library) -> None:
    profile = RunnerProfile(
        name="Ana",
        start_date=dt.date(2026, 1, 5),
        run_days=("tue", "thu", "sat", "sun"),  # type: ignore[arg-type]
        long_run_day="sun",  # type: ignore[arg-type]
        weekly_km=30,
    )
    plan = build_plan(profile, None, library, 4)
    monday = plan.weeks[1].start
    today = monday + dt.timedelta(days=1)
    lighter, changes = lighter_after_spike(plan, monday, today, 0.7, "spike")
    (change,) = changes
    assert change.key == spike_key(monday) and change.action == "lighter"
    for old_week, new_week in zip(plan.weeks, lighter.weeks, strict=True):
        for old, new in zip(old_week.days, new_week.days, strict=True):
            a, b = old.session(SessionKind.strength), new.session(SessionKind.strength)
            if a is None or b is None:
                assert old == new
                continue
            sets = (sum(p.sets for p in a.prescriptions), sum(p.sets for p in b.prescriptions))
            if new_week is lighter.weeks[1] and new.date >= today:
                assert sets[1] < sets[0]
                assert [p.exercise_id for p in a.prescriptions] == [
                    p.exercise_id for p in b.prescriptions
                ]
            else:
                assert sets[1] == sets[0]
    assert lighter_after_spike(lighter, monday, today, 0.7, "spike", {change.key}) == (lighter, [])
