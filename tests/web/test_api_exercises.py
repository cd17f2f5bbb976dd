"""GET /api/v1/exercises and /api/v1/exercises/{id}: the library, searched and filtered."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from glutecoach.domain.library import Library
from tests.web.conftest import API


def test_the_list_holds_the_whole_library_with_the_best_glute_activation_first(
    library_client: TestClient, library: Library
) -> None:
    response = library_client.get(f"{API}/exercises")
    assert response.status_code == 200
    found = response.json()
    assert {e["id"] for e in found} == set(library.exercises)
    ranked = [e["glute_activation_pct"] for e in found if e["glute_activation_pct"] is not None]
    assert len(ranked) > 10
    assert ranked == sorted(ranked, reverse=True)
    clamshell = next(e for e in found if e["id"] == "clamshell")
    assert clamshell["name"] == "Clamshell"
    assert clamshell["dosage"]["sets"] >= 1


def test_muscle_category_and_difficulty_filters_narrow_the_list(
    library_client: TestClient, library: Library
) -> None:
    response = library_client.get(
        f"{API}/exercises",
        params={"muscle": "glute_med", "category": "activation", "max_difficulty": 2},
    )
    assert response.status_code == 200
    found = response.json()
    assert found
    assert len(found) < len(library.exercises)
    for item in found:
        exercise = library.exercises[item["id"]]
        assert item["category"] == "activation"
        assert item["difficulty"] <= 2
        assert "glute_med" in (*exercise.primary_muscles, *exercise.secondary_muscles)


def test_equipment_none_leaves_only_exercises_that_need_nothing(
    library_client: TestClient,
) -> None:
    nothing = library_client.get(f"{API}/exercises", params={"equipment": "none"}).json()
    assert nothing
    assert all(e["equipment"] == [] for e in nothing)
    band = library_client.get(
        f"{API}/exercises", params=[("equipment", "mini_band"), ("equipment", "none")]
    ).json()
    assert len(band) > len(nothing)
    assert all(set(e["equipment"]) <= {"mini_band"} for e in band)
    assert any(e["equipment"] == ["mini_band"] for e in band)


def test_sort_by_name_and_by_difficulty(library_client: TestClient) -> None:
    by_name = library_client.get(f"{API}/exercises", params={"sort": "name"}).json()
    names = [e["name"].casefold() for e in by_name]
    assert names == sorted(names)
    by_level = library_client.get(f"{API}/exercises", params={"sort": "difficulty"}).json()
    levels = [e["difficulty"] for e in by_level]
    assert levels == sorted(levels)
    assert levels[0] == 1


def test_text_search_finds_names_and_aliases_in_any_case(library_client: TestClient) -> None:
    found = library_client.get(f"{API}/exercises", params={"q": "CLAM"}).json()
    ids = {e["id"] for e in found}
    assert "clamshell" in ids
    assert all(
        "clam" in " ".join([e["name"], *e["aliases"], e["id"].replace("_", " ")]).casefold()
        for e in found
    )
    by_alias = library_client.get(f"{API}/exercises", params={"q": "side-lying clam"}).json()
    assert [e["id"] for e in by_alias] == ["clamshell"]
    assert library_client.get(f"{API}/exercises", params={"q": "zumba"}).json() == []


def test_one_exercise_has_its_cues_evidence_and_neighbours(
    library_client: TestClient, library: Library
) -> None:
    response = library_client.get(f"{API}/exercises/clamshell")
    assert response.status_code == 200
    clamshell = response.json()
    assert clamshell["cues"] and clamshell["feel_it"]
    assert clamshell["emg"]
    cited = {figure["source"] for figure in clamshell["emg"]}
    assert cited <= {source["id"] for source in clamshell["sources"]}
    assert all(source["authors"] and source["year"] for source in clamshell["sources"])
    assert clamshell["harder"] == [e.id for e in library.harder("clamshell")]
    assert clamshell["harder"]
    assert clamshell["easier"] == [e.id for e in library.easier("clamshell")]


def test_an_exercise_can_be_asked_for_by_its_name(library_client: TestClient) -> None:
    response = library_client.get(f"{API}/exercises/Side-lying clam")
    assert response.status_code == 200
    assert response.json()["id"] == "clamshell"


def test_an_unknown_exercise_is_404_with_a_suggestion(library_client: TestClient) -> None:
    response = library_client.get(f"{API}/exercises/clamshel")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "not_found"
    assert "unknown exercise id 'clamshel'" in body["message"]
    assert "Did you mean: clamshell" in body["message"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"max_difficulty": "9"}, "max_difficulty"),
        ({"min_difficulty": "0"}, "min_difficulty"),
        ({"equipment": "rope"}, "equipment"),
        ({"sort": "random"}, "sort"),
        ({"muscle": "biceps"}, "muscle"),
        ({"category": "yoga"}, "category"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_a_bad_filter_is_422_naming_it(
    library_client: TestClient, params: dict[str, str], field: str
) -> None:
    response = library_client.get(f"{API}/exercises", params=params)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"
    assert response.json()["message"].startswith(f"field '{field}' ")
