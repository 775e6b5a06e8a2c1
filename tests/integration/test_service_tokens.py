"""A domain service answers only the gateway: every route but the probes is 401 without an
internal token, and a user's own, perfectly valid OIDC token sent straight to the service is
refused too (test with a genuine token from the provider)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from otelbi.domains import GATEWAY_SERVICE_NAME
from otelbi.security.internal_tokens import mint_internal_token
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from tests.peers.oidc_provider import OidcProvider

SECRET = "service-token-test-secret-of-forty-bytes!"


@pytest.fixture
def aw_service(
    monkeypatch: pytest.MonkeyPatch, generated_warehouses: Path, postgres_url: str
) -> Iterator[TestClient]:
    monkeypatch.setenv("INTERNAL_SERVICE_SHARED_SECRET", SECRET)
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    with TestClient(build_app(RunMode.AW, Settings(env_file=None))) as client:
        yield client


def _every_route(client: TestClient) -> list[tuple[str, str]]:
    schema = client.app.openapi()  # type: ignore[attr-defined]
    return [
        (method.upper(), re.sub(r"\{[^}]+\}", "x", path))
        for path, operations in schema["paths"].items()
        for method in operations
    ]


def test_every_route_refuses_a_caller_without_an_internal_token(
    aw_service: TestClient, oidc_provider: OidcProvider
) -> None:
    user_token = oidc_provider.token("bi.read jobs.run audit.read reports.generate")
    routes = _every_route(aw_service)
    assert ("GET", "/api/aw/sales/kpis") in routes
    assert ("POST", "/api/aw/jobs/x/run") in routes
    for method, path in routes:
        for headers in ({}, {"authorization": f"Bearer {user_token}"}):
            response = aw_service.request(method, path, headers=headers)
            assert response.status_code == 401, (method, path, response.text)
            assert response.json()["error"] == "unauthenticated"
            assert user_token not in response.text


def test_the_service_publishes_no_api_description_and_only_the_probes_are_open(
    aw_service: TestClient,
) -> None:
    for path in ("/openapi.json", "/docs", "/redoc"):
        assert aw_service.get(path).status_code == 404, path
    assert aw_service.get("/livez").json() == {"status": "ok"}
    assert aw_service.get("/readyz").json() == {"status": "ready", "failing": []}


def test_the_gateways_internal_token_is_accepted(aw_service: TestClient) -> None:
    token = mint_internal_token(
        secret=SECRET, issuer=GATEWAY_SERVICE_NAME, audience="aw-service", subject="ada"
    )
    response = aw_service.get("/api/aw/sales/kpis", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
