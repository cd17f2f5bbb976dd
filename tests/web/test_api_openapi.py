"""The OpenAPI document FastAPI generates: every use case is there, summarised."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import API_OPERATIONS


def operations(document: dict[str, object]) -> dict[tuple[str, str], dict[str, object]]:
    paths = document["paths"]
    assert isinstance(paths, dict)
    return {
        (method, path): operation
        for path, methods in paths.items()
        if path.startswith("/api/")
        for method, operation in methods.items()
    }


def test_every_use_case_is_documented_with_a_summary(library_client: TestClient) -> None:
    response = library_client.get("/openapi.json")
    assert response.status_code == 200
    found = operations(response.json())
    assert set(found) == API_OPERATIONS
    assert all(operation.get("summary") for operation in found.values())


def test_errors_are_documented_with_the_error_shape(library_client: TestClient) -> None:
    document = library_client.get("/openapi.json").json()
    assert document["components"]["schemas"]["ErrorOut"]["required"] == ["error", "message"]
    for (_, path), operation in operations(document).items():
        responses = operation["responses"]
        assert isinstance(responses, dict)
        if path != "/api/v1/hello":
            assert responses["422"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }


def test_the_profile_is_documented_with_its_fields(library_client: TestClient) -> None:
    schemas = library_client.get("/openapi.json").json()["components"]["schemas"]
    profile = schemas["StartRequest"]["properties"]["profile"]
    assert {"name", "run_days", "weekly_km", "race", "timezone"} <= set(profile["properties"])
    assert "start_date" not in profile["required"]
    assert "$ref" not in str(profile)
