"""/api/health tells the truth about every dependency: the identity provider, the report
directory and a warehouse file removed under a running product (all-in-one and split);
readiness counts only what takes one replica out of service (docs/deployment.md, "Probes")."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from otelbi.domains import Domain
from otelbi.security.jwks import JwksCache
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.warehouse.engines import duckdb_path
from tests.integration.served import serving
from tests.integration.test_jwks_rotation import ManualClock
from tests.integration.test_split_mode import free_port
from tests.peers.oidc_provider import API_AUDIENCE, OidcProvider, ProviderKey, running_provider

SECRET = "health-test-secret-of-at-least-forty-bytes"
JWKS_FETCH = "GET /jwks"


@pytest.fixture
def data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, generated_warehouses: Path, postgres_url: str
) -> Path:
    """A copy of the warehouses (so one can go) and the environment of every process here."""
    copy = tmp_path / "data"
    shutil.copytree(generated_warehouses, copy)
    monkeypatch.setenv("DATA_DIR", str(copy))
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("INTERNAL_SERVICE_SHARED_SECRET", SECRET)
    return copy


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[OidcProvider]:
    """A provider of this test's own: the test stops and starts it."""
    yield from running_provider(tmp_path / "oidc", [ProviderKey.generate("rs-1")])


def _health(client: TestClient, token: str | None = None) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response: httpx.Response = client.get("/api/health", headers=headers)
    return response


def test_an_unreachable_identity_provider_degrades_health_but_keeps_readiness(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, provider: OidcProvider
) -> None:
    monkeypatch.setenv("REQUIRE_FRONTEND_AUTH", "true")
    monkeypatch.setenv("FRONTEND_JWT_ISSUER_URL", provider.issuer)
    monkeypatch.setenv("FRONTEND_JWT_AUDIENCE", API_AUDIENCE)
    clock = ManualClock()
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as product:
        validator = product.app.state.gateway.user_tokens  # type: ignore[attr-defined]
        validator.keys = JwksCache(issuer=provider.issuer, clock=clock)
        token = provider.token()
        for _ in range(5):
            healthy = _health(product, token)
            assert (healthy.status_code, healthy.json()["checks"]["identity_provider"]) == (
                200,
                "ok",
            )
        assert provider.requests(JWKS_FETCH) == 1  # cached: not one fetch per health check

        provider.stop()
        clock.advance(31)
        degraded = _health(product, token)  # the cached keys still validate the token
        assert degraded.status_code == 503
        state = degraded.json()["checks"]["identity_provider"]
        assert state.startswith("unreachable: ConnectError")
        assert "keys fetched before still validate tokens" in state
        assert product.get("/readyz").json() == {"status": "ready", "failing": []}

        provider.start()  # same port, same issuer
        assert _health(product, token).status_code == 503  # not asked again within 30 s
        clock.advance(31)
        recovered = _health(product, token)
        assert (recovered.status_code, recovered.json()["checks"]["identity_provider"]) == (
            200,
            "ok",
        )


def test_without_logins_there_is_no_identity_provider_to_check(data_dir: Path) -> None:
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as product:
        health = _health(product)
    assert (health.status_code, health.json()["checks"]["identity_provider"]) == (200, None)


def test_a_report_directory_that_takes_no_file_degrades_health_until_it_does(
    data_dir: Path,
) -> None:
    reports = Path(os.environ["REPORT_OUTPUT_DIR"])
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as product:
        assert _health(product).json()["checks"]["report_directory"] == "ok"
        assert list(reports.iterdir()) == []  # the probe's file is gone again

        shutil.rmtree(reports)
        reports.write_text("a file where the share should be mounted")
        degraded = _health(product)
        assert degraded.status_code == 503
        assert degraded.json()["checks"]["report_directory"].startswith(
            f"error: {reports} cannot be written"
        )
        assert product.get("/readyz").json() == {"status": "ready", "failing": []}

        reports.unlink()
        assert _health(product).json()["checks"]["report_directory"] == "ok"


def test_all_in_one_health_sees_a_warehouse_file_removed_while_running(data_dir: Path) -> None:
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as product:
        assert _health(product).status_code == 200
        duckdb_path(Domain.AW, data_dir).unlink()
        health = _health(product)
        assert health.status_code == 503
        assert "warehouse" in health.json()["checks"]["aw_warehouse"]
        assert "is gone" in health.json()["checks"]["aw_warehouse"]
        assert health.json()["checks"]["wwi_warehouse"] == "ok"
        ready = product.get("/readyz")
        assert (ready.status_code, ready.json()["failing"]) == (503, ["aw_warehouse"])


@pytest.fixture
def aw_service(tmp_path: Path, data_dir: Path) -> Iterator[str]:
    """Run aw-service as its own process (`otelbi serve aw`); yield its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with serving(["aw"], {**os.environ, "PORT": str(port)}, url, tmp_path / "aw.log") as served:
        yield served


def test_split_gateway_health_sees_a_warehouse_file_removed_under_its_service(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, aw_service: str
) -> None:
    monkeypatch.setenv("AW_SERVICE_URL", aw_service)
    with TestClient(build_app(RunMode.GATEWAY, Settings(env_file=None))) as gateway:
        assert _health(gateway).json()["checks"]["aw_warehouse"] == "ok"
        duckdb_path(Domain.AW, data_dir).unlink()
        health = _health(gateway)
        assert health.status_code == 503
        assert "is gone" in health.json()["checks"]["aw_warehouse"]
        # The gateway stays in rotation; aw-service's own /readyz takes it out.
        assert gateway.get("/readyz").json() == {"status": "ready", "failing": []}
        assert httpx.get(f"{aw_service}/readyz").json()["failing"] == ["warehouse"]
