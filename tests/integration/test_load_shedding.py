"""Past MAX_REQUESTS_IN_FLIGHT calls at once the gateway turns the next one away at once — 503
with Retry-After — instead of queueing it, and serves the admitted ones normally.

One event loop drives the all-in-one app (its lifespan included) through httpx's ASGI
transport, so the admitted calls are real concurrent requests without a client per thread.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from otelbi.aw.service import create_app as create_aw_app
from otelbi.domains import GATEWAY_SERVICE_NAME, Domain
from otelbi.gateway.app import create_gateway_app
from otelbi.settings import Settings
from otelbi.telemetry.providers import disabled_telemetry
from otelbi.wwi.service import create_app as create_wwi_app

LIMIT = 2


async def _saturate_and_release(settings: Settings) -> tuple[httpx.Response, list[int], int]:
    aw = create_aw_app(settings, disabled_telemetry(Domain.AW.service_name))
    wwi = create_wwi_app(settings, disabled_telemetry(Domain.WWI.service_name))
    gateway = create_gateway_app(
        settings, disabled_telemetry(GATEWAY_SERVICE_NAME), {Domain.AW: aw, Domain.WWI: wwi}
    )
    async with gateway.router.lifespan_context(gateway):
        transport = httpx.ASGITransport(app=gateway)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            engine = aw.state.service.warehouse.engine()
            busy = engine.connect()  # aw's only warehouse connection: admitted calls wait
            try:
                admitted = [
                    asyncio.create_task(client.get("/api/aw/sales/kpis")) for _ in range(LIMIT)
                ]
                turned_away = None
                for _ in range(300):  # until both admitted calls are in flight
                    await asyncio.sleep(0.1)
                    turned_away = await client.get("/api/wwi/sales/kpis")
                    if turned_away.status_code == 503:
                        break
                config = (await client.get("/api/config")).status_code
            finally:
                busy.close()
            answers = [response.status_code for response in await asyncio.gather(*admitted)]
            assert turned_away is not None
            room_again = (await client.get("/api/wwi/sales/kpis")).status_code
            return turned_away, [*answers, config], room_again


def test_the_call_past_the_limit_is_turned_away_and_the_admitted_ones_are_served(
    monkeypatch: pytest.MonkeyPatch, generated_warehouses: Path, postgres_url: str
) -> None:
    for name, value in {
        "POSTGRES_URL": postgres_url,
        "DATA_DIR": str(generated_warehouses),
        "REQUIRE_FRONTEND_AUTH": "false",
        "JOBS_ENABLED": "false",
        "FRONTEND_DIST_DIR": "",
        "MAX_REQUESTS_IN_FLIGHT": str(LIMIT),
        "WAREHOUSE_POOL_SIZE": "1",
        "WAREHOUSE_POOL_TIMEOUT_SECONDS": "60",
    }.items():
        monkeypatch.setenv(name, value)
    turned_away, served, room_again = asyncio.run(_saturate_and_release(Settings(env_file=None)))
    assert turned_away.status_code == 503, turned_away.text
    assert turned_away.headers["retry-after"] == "1"
    assert turned_away.json()["error"] == "unavailable"
    assert f"limit of {LIMIT} calls" in turned_away.json()["detail"]
    assert served == [200] * LIMIT + [200]  # the admitted calls, and /api/config throughout
    assert room_again == 200
