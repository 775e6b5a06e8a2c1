"""Shared test fixtures: real PostgreSQL databases, real DuckDB warehouses, the app."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from otelbi.domains import Domain
from otelbi.warehouse.builder import generate_warehouse
from otelbi.warehouse.engines import duckdb_path
from otelbi.warehouse.importer import import_warehouse

# A real OIDC provider (npm oidc-provider) for the `oidc_provider` fixture; a real OTLP/HTTP
# receiver for the `otlp_receiver` fixture.
pytest_plugins = ["tests.peers.oidc_provider", "tests.peers.otlp_receiver"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
AW_EXTRACT = SHARED_DATA / "adventureworks-dw"
WWI_EXTRACT = SHARED_DATA / "wideworldimporters-dw"
POSTGRES_ADMIN_URL = os.environ.get(
    "OTELBI_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep every test away from a developer's .env and from a live collector."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(
            (
                "AW_",
                "WWI_",
                "POSTGRES_",
                "FRONTEND_",
                "INTERNAL_SERVICE_",
                "OIDC_",
                "AUDIT_",
                "OTEL_",
                "REDIS_",
                "RESULT_CACHE_",
            )
        ):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "none")
    monkeypatch.setenv("OTEL_METRICS_EXPORTER", "none")
    monkeypatch.setenv("REQUIRE_FRONTEND_AUTH", "false")
    monkeypatch.setenv("JOBS_ENABLED", "false")
    monkeypatch.setenv("REPORT_OUTPUT_DIR", str(tmp_path / "reports"))


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """Yield the URL of a fresh PostgreSQL database, dropped afterwards."""
    name = f"otelbi_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def generated_warehouses(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a DATA_DIR holding small generated AW and WWI warehouses (built once)."""

    data_dir = tmp_path_factory.mktemp("generated")
    for domain in Domain:
        generate_warehouse(domain, duckdb_path(domain, data_dir), scale=0.05, seed=11)
    return data_dir


@pytest.fixture(scope="session")
def real_aw_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a DATA_DIR whose AW warehouse is the real extract in ../shared/data."""

    data_dir = tmp_path_factory.mktemp("real")
    report = import_warehouse(Domain.AW, duckdb_path(Domain.AW, data_dir), AW_EXTRACT)
    assert report.missing == []
    return data_dir
