"""A query parameter an operation does not take is refused with 422, not silently ignored: a
typo like `day_back=30` must not answer the default window as if it were the thirty days."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("path", "typo", "takes"),
    [
        ("/api/aw/sales/kpis?day_back=30", "day_back", "days_back"),
        ("/api/aw/sales/history?days_back=30&grian=week", "grian", "grain"),
        ("/api/audit?limit=5&actr=me", "actr", "actor"),
        ("/api/jobs/aw?lmit=3", "lmit", "limit"),
        ("/api/health?verbose=1", "verbose", "no query parameters"),
    ],
)
def test_a_misspelt_parameter_is_422_naming_it_and_what_the_operation_takes(
    client: TestClient, path: str, typo: str, takes: str
) -> None:
    response = client.get(path)

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_input"
    assert typo in body["detail"]
    assert takes in body["detail"]
    assert response.headers["x-trace-id"]


def test_a_name_that_is_not_a_parameter_name_is_not_echoed(client: TestClient) -> None:
    response = client.get("/api/aw/sales/kpis", params={"<script>alert(1)</script>": "1"})

    assert response.status_code == 422
    assert "script" not in response.text
    assert "unknown parameter a parameter" in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/aw/sales/kpis?days_back=30",
        "/api/aw/export/sales-history?format=csv&days_back=30",
        "/api/audit?limit=5",
        "/api/health",
    ],
)
def test_the_parameters_an_operation_takes_are_answered(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200
