"""A warehouse or store whose connections are all busy: the call answers 503 naming it after
its pool timeout (WAREHOUSE_/STORE_POOL_TIMEOUT_SECONDS) — not a 500 after half a minute — and
the next call after a connection is free answers normally."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from otelbi.domains import GATEWAY_SERVICE_NAME
from otelbi.security.internal_tokens import mint_internal_token
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings

SECRET = "pool-test-secret-of-at-least-forty-bytes!"


@pytest.fixture
def aw_service(
    monkeypatch: pytest.MonkeyPatch, generated_warehouses: Path, postgres_url: str
) -> Iterator[TestClient]:
    monkeypatch.setenv("INTERNAL_SERVICE_SHARED_SECRET", SECRET)
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    monkeypatch.setenv("JOBS_ENABLED", "false")
    monkeypatch.setenv("WAREHOUSE_POOL_SIZE", "1")
    monkeypatch.setenv("WAREHOUSE_POOL_TIMEOUT_SECONDS", "0.5")
    with TestClient(build_app(RunMode.AW, Settings(env_file=None))) as client:
        client.headers["authorization"] = "Bearer " + mint_internal_token(
            secret=SECRET, issuer=GATEWAY_SERVICE_NAME, audience="aw-service", subject="ada"
        )
        yield client


def test_a_saturated_warehouse_answers_503_naming_it_then_recovers(aw_service: TestClient) -> None:
    engine = aw_service.app.state.service.warehouse()  # type: ignore[attr-defined]
    with engine.connect():  # the pool's only connection, busy
        busy = aw_service.get("/api/aw/sales/kpis")
        assert busy.status_code == 503
        assert busy.headers["retry-after"] == "2"
        body = busy.json()
        assert body["error"] == "unavailable"
        assert "AdventureWorksDW warehouse is saturated" in body["detail"]
        assert "WAREHOUSE_POOL_SIZE" in body["detail"]
        # Health tells the truth at once, without waiting for a connection itself.
        health = aw_service.get("/api/aw/health").json()
        assert health["status"] == "degraded"
        assert health["checks"]["warehouse"] == "saturated: all 1 connections are in use"
        ready = aw_service.get("/readyz")
        assert (ready.status_code, ready.json()["failing"]) == (503, ["warehouse"])
    assert aw_service.get("/api/aw/sales/kpis").status_code == 200


@pytest.fixture
def aw_service_small_store(
    monkeypatch: pytest.MonkeyPatch, generated_warehouses: Path, postgres_url: str
) -> Iterator[TestClient]:
    monkeypatch.setenv("INTERNAL_SERVICE_SHARED_SECRET", SECRET)
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    monkeypatch.setenv("JOBS_ENABLED", "false")
    monkeypatch.setenv("STORE_POOL_SIZE", "1")
    monkeypatch.setenv("STORE_POOL_TIMEOUT_SECONDS", "0.5")
    with TestClient(build_app(RunMode.AW, Settings(env_file=None))) as client:
        client.headers["authorization"] = "Bearer " + mint_internal_token(
            secret=SECRET, issuer=GATEWAY_SERVICE_NAME, audience="aw-service", subject="ada"
        )
        yield client


def test_a_saturated_store_answers_503_naming_it_then_recovers(
    aw_service_small_store: TestClient,
) -> None:
    # The audit row cannot be written while the store's only connection is busy: fail closed,
    # promptly, saying why — and no numbers without their audit row.
    store = aw_service_small_store.app.state.service.store  # type: ignore[attr-defined]
    with store.connect():
        busy = aw_service_small_store.get("/api/aw/sales/kpis")
        assert busy.status_code == 503
        detail = busy.json()["detail"]
        assert "audit log could not be written" in detail
        assert "STORE_POOL_SIZE" in detail
        assert "revenue" not in busy.text
    assert aw_service_small_store.get("/api/aw/sales/kpis").status_code == 200
