"""A warehouse or store whose connections are all busy: the call answers 503 naming it after
its pool timeout (WAREHOUSE_/STORE_POOL_TIMEOUT_SECONDS) — not a 500 after half a minute — and
the next call after a connection is free answers normally."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from otelbi.domains import GATEWAY_SERVICE_NAME
from otelbi.security.internal_tokens import mint_internal_token
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings

SECRET = "pool-test-secret-of-at-least-forty-bytes!"


StartService = Callable[[str], TestClient]


@pytest.fixture
def start_aw_service(
    monkeypatch: pytest.MonkeyPatch, generated_warehouses: Path, postgres_url: str
) -> Iterator[StartService]:
    """Yield a function that starts aw-service with a pool of one connection (with a 0.5 s
    wait) for `pool`: WAREHOUSE or STORE."""
    monkeypatch.setenv("INTERNAL_SERVICE_SHARED_SECRET", SECRET)
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    monkeypatch.setenv("JOBS_ENABLED", "false")
    with ExitStack() as stack:

        def start(pool: str) -> TestClient:
            monkeypatch.setenv(f"{pool}_POOL_SIZE", "1")
            monkeypatch.setenv(f"{pool}_POOL_TIMEOUT_SECONDS", "0.5")
            app = build_app(RunMode.AW, Settings(env_file=None))
            client = stack.enter_context(TestClient(app))
            client.headers["authorization"] = "Bearer " + mint_internal_token(
                secret=SECRET, issuer=GATEWAY_SERVICE_NAME, audience="aw-service", subject="ada"
            )
            return client

        yield start


def test_a_saturated_warehouse_answers_503_naming_it_then_recovers(
    start_aw_service: StartService,
) -> None:
    aw_service = start_aw_service("WAREHOUSE")
    engine = aw_service.app.state.service.warehouse.engine()  # type: ignore[attr-defined]
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


def test_a_saturated_store_answers_503_naming_it_then_recovers(
    start_aw_service: StartService,
) -> None:
    aw_service_small_store = start_aw_service("STORE")
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
