"""The packaged library: every exercise the issue names is there, every figure has a source."""

from __future__ import annotations

import copy
from itertools import pairwise
from typing import Any

import pytest

from glutecoach.domain.errors import DataError, NotFound
from glutecoach.domain.library import Category, Library, parse_library
from glutecoach.domain.library.graph import find_cycle
from glutecoach.domain.library.loader import read_packaged_documents

# The source articles' exercises and the EMG literature's highest-ranked ones (issue #2).
REQUIRED = [
    "glute_bridge",
    "single_leg_bridge",
    "clamshell",
    "banded_clamshell",
    "clamshell_hip_flexed_60",
    "banded_side_steps",
    "monster_walk",
    "side_lying_hip_abduction",
    "side_plank_knees",
    "side_plank_toes",
    "side_plank_abduction",
    "side_plank_clamshell",
    "copenhagen_side_plank",
    "standing_leg_lift_hip_rotation",
    "heel_rocker_pronation_drill",
    "lateral_hip_shift_step",
    "kickstand_hinge",
    "co_contraction_box",
    "foam_roll_front",
    "foam_roll_back",
    "single_leg_squat",
    "single_leg_deadlift",
    "lateral_step_up",
    "forward_step_up",
    "hip_thrust",
    "quadruped_hip_extension",
    "front_plank_hip_extension",
    "skater_squat",
    "bulgarian_split_squat",
    "hip_hike",
    "walking_lunge",
    "leg_swing_front_back",
    "a_skip",
]


def test_every_exercise_the_issue_names_is_in_the_library(library: Library) -> None:
    missing = [i for i in REQUIRED if i not in library.exercises]
    assert missing == []
    assert len(library.exercises) >= 40


def test_the_library_has_post_run_stretches_and_a_dynamic_warm_up(library: Library) -> None:
    categories = [e.category for e in library.exercises.values()]
    assert categories.count(Category.warm_up) >= 4
    stretches = [e for e in library.exercises.values() if "stretch" in e.id]
    assert len(stretches) >= 3


def test_every_emg_and_gta_figure_names_a_source_in_the_evidence_table(library: Library) -> None:
    figures = [f for e in library.exercises.values() for f in (*e.emg, *e.gta)]
    assert len(figures) >= 30
    assert all(f.source in library.sources for f in figures)


def test_every_published_threshold_names_its_source(library: Library) -> None:
    for threshold in library.thresholds.values():
        if threshold.basis == "published":
            assert threshold.source in library.sources, threshold.id


def test_exercises_without_a_figure_say_why(library: Library) -> None:
    for exercise in library.exercises.values():
        assert exercise.emg or exercise.evidence_note, exercise.id


def test_harder_steps_are_never_easier_than_the_step_before(library: Library) -> None:
    for exercise in library.exercises.values():
        for harder in library.harder(exercise.id):
            assert harder.difficulty >= exercise.difficulty, (exercise.id, harder.id)


def test_the_clamshell_ladder_leads_to_the_side_plank_with_abduction(library: Library) -> None:
    path = ["clamshell", "banded_clamshell", "side_lying_hip_abduction", "side_plank_knees"]
    for easier, harder in pairwise(path):
        assert harder in [e.id for e in library.harder(easier)]
    assert "side_plank_abduction" in [e.id for e in library.harder("side_plank_toes")]


def test_an_exercise_is_found_by_alias_and_an_unknown_id_suggests_close_ones(
    library: Library,
) -> None:
    assert library.exercise("Clamshell").id == "clamshell"
    with pytest.raises(NotFound, match=r"clamshel.*Did you mean: clamshell"):
        library.exercise("clamshel")


def _documents() -> dict[str, Any]:
    return copy.deepcopy(read_packaged_documents())


def _first_exercise(documents: dict[str, Any]) -> dict[str, Any]:
    first: dict[str, Any] = documents["exercises/activation.yaml"][0]
    return first


def test_a_wrong_field_in_the_data_names_the_file_the_exercise_and_the_field() -> None:
    documents = _documents()
    _first_exercise(documents)["dosage"]["reps"] = [20, 15]
    with pytest.raises(DataError) as error:
        parse_library(documents)
    assert "exercises/activation.yaml" in error.value.message
    assert "exercise 'clamshell'" in error.value.message
    assert "field 'dosage.reps'" in error.value.message


def test_a_figure_without_a_known_source_fails_the_data() -> None:
    documents = _documents()
    _first_exercise(documents)["emg"][0]["source"] = "nobody_2020"
    with pytest.raises(DataError, match=r"field 'emg\.0\.source': 'nobody_2020' is not in"):
        parse_library(documents)


def test_an_unconfirmed_figure_cannot_be_shipped() -> None:
    documents = _documents()
    _first_exercise(documents)["emg"][0]["status"] = "unconfirmed"
    with pytest.raises(DataError, match=r"field 'emg\.0\.status'"):
        parse_library(documents)


def test_a_progression_that_points_nowhere_fails_the_data() -> None:
    documents = _documents()
    _first_exercise(documents)["progressions"] = ["flying_clamshell"]
    with pytest.raises(DataError, match="'flying_clamshell' is not an exercise"):
        parse_library(documents)


def test_a_cycle_in_the_progression_graph_fails_the_data() -> None:
    documents = _documents()
    side_plank = next(
        e for e in documents["exercises/side_plank.yaml"] if e["id"] == "side_plank_abduction"
    )
    side_plank["progressions"] = ["clamshell"]
    with pytest.raises(DataError, match=r"cycle: .*clamshell"):
        parse_library(documents)


def test_an_exercise_defined_twice_fails_the_data() -> None:
    documents = _documents()
    documents["exercises/zz_extra.yaml"] = [copy.deepcopy(_first_exercise(documents))]
    with pytest.raises(DataError, match="'clamshell' is defined twice"):
        parse_library(documents)


def test_find_cycle_returns_the_loop_and_nothing_for_a_tree() -> None:
    assert find_cycle({("a", "b"), ("b", "c"), ("c", "a")}) == ["a", "b", "c", "a"]
    assert find_cycle({("a", "b"), ("a", "c"), ("b", "d")}) == []


def test_figures_measured_under_a_10rm_load_are_marked_loaded(library: Library) -> None:
    for exercise in library.exercises.values():
        for figure in exercise.emg:
            if "10RM" in figure.condition or "repetition-maximum" in figure.condition:
                assert figure.load == "loaded", exercise.id


def test_bodyweight_evidence_ranks_before_a_loaded_figure(library: Library) -> None:
    abduction = library.exercises["side_lying_hip_abduction"]
    best = abduction.best_emg("glute_med")
    assert best is not None
    assert best.load == "bodyweight"
    assert best.source == "distefano_2009"
