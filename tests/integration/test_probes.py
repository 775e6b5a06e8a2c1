"""/livez and /readyz on every process: liveness depends on nothing, readiness on the store and
the warehouses the process serves, and neither needs a token nor says more than check names."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from otelbi.domains import Domain
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.warehouse.engines import duckdb_path
from tests.conftest import POSTGRES_ADMIN_URL

SECRET = "probe-test-secret-of-at-least-forty-bytes"
Start = Callable[[RunMode], TestClient]


@pytest.fixture
def start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, generated_warehouses: Path, postgres_url: str
) -> Iterator[Start]:
    """Start a process of the given layout on a copy of the warehouses (so one can go)."""
    data_dir = tmp_path / "data"
    shutil.copytree(generated_warehouses, data_dir)
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("INTERNAL_SERVICE_SHARED_SECRET", SECRET)
    monkeypatch.setenv("REQUIRE_FRONTEND_AUTH", "false")
    monkeypatch.setenv("JOBS_ENABLED", "false")
    monkeypatch.setenv("AW_SERVICE_URL", "http://127.0.0.1:9")  # split gateway: nothing there
    with ExitStack() as stack:
        yield lambda mode: stack.enter_context(TestClient(build_app(mode, Settings(env_file=None))))


def _without_warehouse(domain: Domain) -> None:
    duckdb_path(domain, Path(os.environ["DATA_DIR"])).unlink()


def test_a_ready_service_answers_both_probes_without_a_token(start: Start) -> None:
    service = start(RunMode.AW)
    assert service.get("/livez").json() == {"status": "ok"}
    ready = service.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready", "failing": []})


def test_a_service_without_its_warehouse_is_alive_but_not_ready(start: Start) -> None:
    _without_warehouse(Domain.WWI)
    service = start(RunMode.WWI)
    assert service.get("/livez").status_code == 200
    ready = service.get("/readyz")
    assert (ready.status_code, ready.json()) == (
        503,
        {"status": "not ready", "failing": ["warehouse"]},
    )
    assert "duckdb" not in ready.text  # names, not details: those need a token (/api/wwi/health)


def test_a_service_whose_store_goes_away_stops_being_ready(start: Start, postgres_url: str) -> None:
    service = start(RunMode.AW)
    assert service.get("/readyz").status_code == 200
    database = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (database,),
        )
    try:
        ready = service.get("/readyz")
        assert (ready.status_code, ready.json()["failing"]) == (503, ["store"])
        assert service.get("/livez").status_code == 200  # no restart asked for
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS true')


def test_a_split_gateway_is_ready_on_its_store_alone(start: Start) -> None:
    # aw-service is unreachable: the gateway still serves wwi and its own routes, so it stays
    # in the load balancer; /api/health names the missing service.
    gateway = start(RunMode.GATEWAY)
    assert gateway.get("/readyz").json() == {"status": "ready", "failing": []}
    health = gateway.get("/api/health")
    assert health.status_code == 503
    assert "aw-service unreachable" in health.json()["checks"]["aw_warehouse"]


def test_all_in_one_readiness_includes_each_warehouse(start: Start) -> None:
    _without_warehouse(Domain.AW)
    product = start(RunMode.ALL_IN_ONE)
    assert product.get("/livez").status_code == 200
    ready = product.get("/readyz")
    assert (ready.status_code, ready.json()["failing"]) == (503, ["aw_warehouse"])
