"""Past MAX_REQUESTS_IN_FLIGHT calls at once the gateway turns the next one away at once — 503
with Retry-After — instead of queueing it, and serves the admitted ones normally."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from otelbi.aw.service import create_app as create_aw_app
from otelbi.domains import GATEWAY_SERVICE_NAME, Domain
from otelbi.gateway.app import create_gateway_app
from otelbi.settings import Settings
from otelbi.telemetry.providers import disabled_telemetry
from otelbi.wwi.service import create_app as create_wwi_app

LIMIT = 2


@pytest.fixture
def product(
    monkeypatch: pytest.MonkeyPatch, generated_warehouses: Path, postgres_url: str
) -> Iterator[tuple[TestClient, object]]:
    """The all-in-one product with room for LIMIT calls, and aw-service's warehouse engine."""
    for name, value in {
        "POSTGRES_URL": postgres_url,
        "DATA_DIR": str(generated_warehouses),
        "REQUIRE_FRONTEND_AUTH": "false",
        "JOBS_ENABLED": "false",
        "MAX_REQUESTS_IN_FLIGHT": str(LIMIT),
        "WAREHOUSE_POOL_SIZE": "1",
        "WAREHOUSE_POOL_TIMEOUT_SECONDS": "60",
    }.items():
        monkeypatch.setenv(name, value)
    settings = Settings(env_file=None)
    aw = create_aw_app(settings, disabled_telemetry(Domain.AW.service_name))
    wwi = create_wwi_app(settings, disabled_telemetry(Domain.WWI.service_name))
    gateway = create_gateway_app(
        settings, disabled_telemetry(GATEWAY_SERVICE_NAME), {Domain.AW: aw, Domain.WWI: wwi}
    )
    with TestClient(gateway) as client:
        yield client, aw


def test_the_call_past_the_limit_is_turned_away_and_the_admitted_ones_are_served(
    product: tuple[TestClient, object],
) -> None:
    client, aw = product
    engine = aw.state.service.warehouse()  # type: ignore[attr-defined]
    answers: list[httpx.Response] = []
    busy = engine.connect()  # aw's only warehouse connection: admitted calls wait for it
    admitted = [
        threading.Thread(target=lambda: answers.append(client.get("/api/aw/sales/kpis")))
        for _ in range(LIMIT)
    ]
    for thread in admitted:
        thread.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # until both admitted calls are in flight
        turned_away = client.get("/api/wwi/sales/kpis")
        if turned_away.status_code == 503:
            break
        time.sleep(0.1)
    assert turned_away.status_code == 503, turned_away.text
    assert turned_away.headers["retry-after"] == "1"
    assert turned_away.json()["error"] == "unavailable"
    assert f"limit of {LIMIT} calls" in turned_away.json()["detail"]
    assert client.get("/api/config").status_code == 200  # never turned away
    busy.close()
    for thread in admitted:
        thread.join(timeout=60)
    assert [answer.status_code for answer in answers] == [200] * LIMIT
    assert client.get("/api/wwi/sales/kpis").status_code == 200  # room again
