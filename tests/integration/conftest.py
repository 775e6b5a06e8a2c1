"""Fixtures shared by the integration tests that call the product in-process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings


@pytest.fixture
def client(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path
) -> Iterator[TestClient]:
    """Yield the all-in-one product on the generated warehouses and the PostgreSQL store."""
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as test_client:
        yield test_client
