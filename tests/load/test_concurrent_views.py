"""Many browsers at once on the dashboards: a mix of every view from concurrent clients
against a real `otelbi serve`, with the PostgreSQL and with the SQLite store. Not a timing:
it fails on any 5xx, and on any answered call without its audit row."""

from __future__ import annotations

import asyncio
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import Product, start_product

VIEWS = (
    "/api/aw/sales/kpis",
    "/api/wwi/sales/kpis",
    "/api/aw/sales/history?grain=week&days_back=365",
    "/api/aw/sales/forecast",
    "/api/aw/reps/scores",
    "/api/aw/products/demand",
    "/api/wwi/stock/recommendations",
    "/api/wwi/suppliers/scores",
    "/api/wwi/events?open=true",
)
CLIENTS = 40
CALLS_PER_CLIENT = 12


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def product(
    request: pytest.FixtureRequest,
    generated_warehouses: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Product]:
    work_dir = tmp_path_factory.mktemp(f"load-{request.param}")
    data_dir = work_dir / "data"
    shutil.copytree(generated_warehouses, data_dir)
    settings = {"JOBS_ENABLED": "false"}
    if request.param == "sqlite":
        settings["POSTGRES_URL"] = ""
    with ExitStack() as stack:
        yield start_product(stack, data_dir, work_dir, **settings)


async def _client(url: str, index: int, statuses: Counter[int]) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        for call in range(CALLS_PER_CLIENT):
            response = await client.get(VIEWS[(index + call) % len(VIEWS)])
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                print(response.status_code, response.request.url, response.text[:300])


async def _burst(url: str) -> Counter[int]:
    statuses: Counter[int] = Counter()
    await asyncio.gather(*(_client(url, index, statuses) for index in range(CLIENTS)))
    return statuses


async def _impatient_client(url: str, index: int) -> None:
    """A browser tab closed mid-call: gives up on each call after a few milliseconds."""
    async with httpx.AsyncClient(base_url=url, timeout=0.02) as client:
        for call in range(CALLS_PER_CLIENT):
            with suppress(httpx.TimeoutException):
                await client.get(VIEWS[(index + call) % len(VIEWS)])


def test_clients_that_go_away_mid_call_leave_nothing_broken(product: Product) -> None:
    async def both() -> Counter[int]:
        impatient = [_impatient_client(product.url, index) for index in range(CLIENTS)]
        statuses, *_ = await asyncio.gather(_burst(product.url), *impatient)
        return statuses

    statuses = asyncio.run(both())
    assert statuses == Counter({200: CLIENTS * CALLS_PER_CLIENT}), (
        statuses,
        product.log.read_text()[-3000:],
    )


def test_concurrent_clients_over_every_view_get_no_server_error(product: Product) -> None:
    statuses = asyncio.run(_burst(product.url))
    assert sum(statuses.values()) == CLIENTS * CALLS_PER_CLIENT
    assert statuses == Counter({200: CLIENTS * CALLS_PER_CLIENT}), (
        statuses,
        product.log.read_text()[-3000:],
    )
