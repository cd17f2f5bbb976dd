"""Screening rules: signs → findings, left/right gaps, red flags → referral."""

from __future__ import annotations

import pytest

from glutecoach.domain.library import BodyArea, Library
from glutecoach.domain.screening import FindingKind, PainArea, Side
from tests.factories import make_screening


def test_no_signs_give_no_findings_and_no_referral(library: Library) -> None:
    result = make_screening(library)
    assert result.findings == ()
    assert result.referrals == ()


def test_a_left_side_plank_far_shorter_than_the_right_is_an_asymmetry_with_its_threshold(
    library: Library,
) -> None:
    result = make_screening(library, tests={"side_plank_s": {"left": 18, "right": 41}})
    gap = result.asymmetries[0]
    assert (gap.test, gap.weaker, gap.threshold_pct) == ("side_plank", Side.left, 10)
    assert gap.difference_pct == pytest.approx(56.1)
    finding = result.finding(FindingKind.hip_abductor_weakness)
    assert finding is not None
    assert finding.side == Side.left
    assert (
        finding.summary == "Side plank: your left side held 18 s vs 41 s on the right (56.1 % less)"
    )


def test_sides_within_the_threshold_are_not_an_asymmetry(library: Library) -> None:
    result = make_screening(library, tests={"side_plank_s": {"left": 60, "right": 64}})
    assert result.asymmetries == ()
    assert result.findings == ()


def test_a_side_plank_under_one_sd_of_the_norm_is_low_on_both_counts(library: Library) -> None:
    result = make_screening(library, tests={"side_plank_s": {"left": 40, "right": 40}})
    kinds = {f.kind for f in result.findings}
    assert kinds == {FindingKind.hip_abductor_weakness, FindingKind.trunk_control}
    reason = result.findings[0].reasons[0]
    assert "jsr_2003_side_bridge" in reason.sources


def test_a_clamshell_felt_in_the_side_of_the_thigh_points_to_the_hip_abductors(
    library: Library,
) -> None:
    result = make_screening(
        library, tests={"clamshell_felt": {"left": "side_of_thigh", "right": "glutes"}}
    )
    finding = result.finding(FindingKind.hip_abductor_weakness)
    assert finding is not None
    assert finding.side == Side.left
    assert "side of the thigh" in finding.summary
    assert "clamshell" in finding.exercises or "side_plank_abduction" in finding.exercises


def test_a_weak_single_leg_bridge_points_to_under_used_hip_extensors(library: Library) -> None:
    result = make_screening(library, tests={"single_leg_bridge_reps": {"left": 12, "right": 25}})
    finding = result.finding(FindingKind.hip_extensor_underuse)
    assert finding is not None
    assert finding.severity == "moderate"  # under 20 on the left, and a gap
    assert finding.side == Side.left
    assert all(
        "hip_extension" in [q.value for q in library.exercises[i].trains] for i in finding.exercises
    )


def test_severity_grows_with_the_number_of_signs(library: Library) -> None:
    one = make_screening(library, answers={"hip_drop_seen": True})
    many = make_screening(
        library,
        answers={"hip_drop_seen": True},
        tests={
            "single_leg_squat": {
                "left": {"knee_caves_in": True, "pelvis_drops": True},
                "right": {"knee_caves_in": True},
            }
        },
    )
    assert one.findings[0].severity == "mild"
    assert many.finding(FindingKind.hip_abductor_weakness).severity == "marked"  # type: ignore[union-attr]


def test_pain_at_four_out_of_ten_is_referred_and_its_area_is_left_out(library: Library) -> None:
    result = make_screening(
        library, answers={"pain": [{"area": "knee_front", "side": "right", "level": 4}]}
    )
    assert [r.area for r in result.referrals] == [PainArea.knee_front]
    assert "see a physiotherapist or doctor" in result.referrals[0].message
    assert result.excluded_areas == (BodyArea.knee,)
    assert not result.blocks_programme
    for finding in result.findings:
        assert all(BodyArea.knee not in library.exercises[i].loads for i in finding.exercises)


@pytest.mark.parametrize(
    "flag", ["sharp", "worsening", "at_night_or_rest", "swelling", "numbness_or_tingling", "limp"]
)
def test_each_red_flag_refers_even_when_the_pain_is_mild(library: Library, flag: str) -> None:
    pain = {"area": "shin", "level": 1, flag: True}
    result = make_screening(library, answers={"pain": [pain]})
    assert len(result.referrals) == 1
    assert result.excluded_areas == (BodyArea.shin,)


def test_mild_pain_without_red_flags_is_a_sign_not_a_referral(library: Library) -> None:
    pain = {"area": "knee_outside", "side": "left", "level": 3}
    result = make_screening(library, answers={"pain": [pain]})
    assert result.referrals == ()
    finding = result.finding(FindingKind.hip_abductor_weakness)
    assert finding is not None
    assert "fredericson_2000" in finding.reasons[0].sources


def test_a_red_flag_at_the_hip_blocks_the_whole_programme(library: Library) -> None:
    result = make_screening(library, answers={"pain": [{"area": "hip", "level": 6}]})
    assert result.blocks_programme


def test_a_recent_jump_in_distance_above_thirty_percent_is_a_load_finding(
    library: Library,
) -> None:
    result = make_screening(library, answers={"background": {"recent_increase_pct": 45}})
    finding = result.finding(FindingKind.running_load_spike)
    assert finding is not None
    assert "nielsen_2014_progression" in finding.reasons[0].sources
    assert (
        make_screening(library, answers={"background": {"recent_increase_pct": 25}}).findings == ()
    )


def test_the_same_answers_give_the_same_screening(library: Library) -> None:
    answers = {"hip_drop_seen": True, "quads_sorer_than_glutes": True}
    first = make_screening(library, answers=answers).model_dump_json()
    assert make_screening(library, answers=answers).model_dump_json() == first
