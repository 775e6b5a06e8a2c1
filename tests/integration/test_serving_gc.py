"""A server process settles its garbage collector once start-up is done (web/serving_gc.py):
start-up's objects frozen out of every later collection, the young generation collected
less often. An application built for a test leaves the collector as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from otelbi.service_layout import build_app, serving_app
from otelbi.settings import RunMode, Settings
from otelbi.web.serving_gc import YOUNG_GENERATION_THRESHOLD


@pytest.fixture
def collector() -> Iterator[None]:
    """Give the collector back to the test process as it was."""
    threshold = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch, generated_warehouses: Path) -> Settings:
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    return Settings(env_file=None)


@pytest.mark.usefixtures("collector")
def test_the_served_app_freezes_start_up_and_collects_the_young_less_often(
    settings: Settings,
) -> None:
    app = serving_app(RunMode.ALL_IN_ONE, settings)
    assert gc.get_freeze_count() == 0  # built, not started
    with TestClient(app) as client:
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold()[0] == YOUNG_GENERATION_THRESHOLD
        assert client.get("/api/aw/sales/kpis").status_code == 200


@pytest.mark.usefixtures("collector")
def test_an_app_built_for_a_test_leaves_the_collector_alone(settings: Settings) -> None:
    threshold = gc.get_threshold()
    with TestClient(build_app(RunMode.ALL_IN_ONE, settings)) as client:
        assert client.get("/api/wwi/sales/kpis").status_code == 200
        assert (gc.get_freeze_count(), gc.get_threshold()) == (0, threshold)
