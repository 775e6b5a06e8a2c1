"""How the gateway passes a service's answer on: a view's JSON (sized) whole, as one message
with its length; an export (unsized) streamed as it comes; and the service's URL of a
forwarded path built as the service client builds it, `..` resolved, remembered a bounded
number of times."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from otelbi.gateway.state import URLS_KEPT, ServiceConnection


def test_a_view_is_passed_on_whole_with_its_length(client: TestClient) -> None:
    response = client.get("/api/aw/sales/kpis")
    assert response.status_code == 200
    assert response.headers["content-length"] == str(len(response.content))
    assert response.json()["total"]["revenue"] > 0


def test_a_missing_view_keeps_its_status_and_problem(client: TestClient) -> None:
    response = client.get("/api/aw/no-such-view")
    assert response.status_code == 404
    assert response.headers["content-length"] == str(len(response.content))


def test_an_export_streams_through_without_a_length(client: TestClient) -> None:
    response = client.get("/api/aw/export/sales-history", params={"format": "csv"})
    assert response.status_code == 200
    assert "content-length" not in response.headers
    assert response.headers["content-type"].startswith("text/csv")
    assert len(response.text.splitlines()) > 300  # a year of days, and the header


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/aw/sales/kpis", "days_back=365"),
        ("/api/aw/sales/%2E%2E/jobs/j/run", ""),
        ("/api/aw/x/../jobs/j/run", "a=1&a=2"),
        ("/api/wwi/stock/recommendations", "q=%C3%A9%20x"),
    ],
)
def test_a_forwarded_url_is_the_one_the_client_builds(path: str, query: str) -> None:
    client = httpx.AsyncClient(base_url="http://aw-service:8001")
    service = ServiceConnection(client=client, transport=httpx.AsyncHTTPTransport())
    built = client.build_request("GET", path, params=query).url
    assert service.url(path, query) == built
    assert service.url(path, query) is service.url(path, query)  # remembered


def test_remembered_urls_are_bounded() -> None:
    client = httpx.AsyncClient(base_url="http://aw-service:8001")
    service = ServiceConnection(client=client, transport=httpx.AsyncHTTPTransport())
    first = service.url("/api/aw/sales/kpis", "days_back=0")
    for days in range(1, URLS_KEPT + 1):
        service.url("/api/aw/sales/kpis", f"days_back={days}")
    assert service.url("/api/aw/sales/kpis", "days_back=0") is not first  # forgotten, rebuilt
    assert service.url("/api/aw/sales/kpis", "days_back=0") == first
