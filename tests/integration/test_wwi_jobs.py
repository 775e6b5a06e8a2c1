"""The WideWorldImporters jobs on the real extract (missing facts generated): snapshots
stored, and a stock event that opens once when an item drops below its reorder level and
resolves when its stock recovers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from otelbi.domains import Domain
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.warehouse.engines import duckdb_path
from otelbi.warehouse.importer import import_warehouse
from tests.conftest import WWI_EXTRACT
from tests.integration.job_runs import run_job_to_end


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("wwi-jobs")
    import_warehouse(
        Domain.WWI, duckdb_path(Domain.WWI, directory), WWI_EXTRACT, fill_missing=True, scale=0.05
    )
    return directory


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch, postgres_url: str, data_dir: Path) -> Iterator[object]:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(data_dir))

    @contextmanager
    def serving() -> Iterator[TestClient]:
        with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
            yield client

    return serving


def _set_on_hand(data_dir: Path, wwi_stock_item_id: int, quantity: int | None) -> tuple[int, int]:
    """Set the item's on-hand (None: leave it); return (previous on-hand, reorder level)."""
    with duckdb.connect(str(duckdb_path(Domain.WWI, data_dir))) as con:
        found = con.execute(
            'SELECT h."Stock Item Key", h."Quantity On Hand", h."Reorder Level" '
            'FROM "Fact"."Stock Holding" h JOIN "Dimension"."Stock Item" s '
            'ON s."Stock Item Key" = h."Stock Item Key" WHERE s."WWI Stock Item ID" = ?',
            [wwi_stock_item_id],
        ).fetchall()
        key, on_hand, reorder_level = found[0]
        if quantity is not None:
            con.execute(
                'UPDATE "Fact"."Stock Holding" SET "Quantity On Hand" = ? '
                'WHERE "Stock Item Key" = ?',
                [quantity, key],
            ).fetchall()
    return int(on_hand), int(reorder_level)


def test_snapshot_jobs_store_what_the_views_show(serve: object) -> None:
    with serve() as client:  # type: ignore[operator]
        for job_id in ("wwi.hourly.reorder", "wwi.daily.supplier_scores", "wwi.daily.data_quality"):
            execution = run_job_to_end(client, "wwi", job_id)
            assert execution["status"] == "succeeded", execution
        view = client.get("/api/wwi/stock/recommendations").json()
        stored = client.get(
            "/api/wwi/records/reorder-recommendations", params={"limit": 1000}
        ).json()["items"]
        assert len(stored) == len(view["items"]) == 227
        suppliers = client.get("/api/wwi/records/supplier-scores").json()["items"]
        assert {s["supplier"] for s in suppliers} >= {"Fabrikam, Inc.", "Litware, Inc."}


def test_stock_event_opens_once_and_resolves_on_recovery(serve: object, data_dir: Path) -> None:
    item = 150
    healthy, reorder_level = _set_on_hand(data_dir, item, None)
    assert healthy >= reorder_level
    _set_on_hand(data_dir, item, reorder_level - 1)
    with serve() as client:  # type: ignore[operator]
        recommendations = client.get(
            "/api/wwi/stock/recommendations", params={"urgency": "critical"}
        ).json()["items"]
        assert item in {r["wwi_stock_item_id"] for r in recommendations}
        for _ in range(2):
            assert run_job_to_end(client, "wwi", "wwi.hourly.events")["status"] == "succeeded"
        low = client.get(
            "/api/wwi/events", params={"open": "true", "event_type": "below_reorder_level"}
        ).json()["items"]
        assert [e["wwi_stock_item_id"] for e in low].count(item) == 1
        (event,) = [e for e in low if e["wwi_stock_item_id"] == item]
        assert event["observed"] == reorder_level - 1
        assert event["threshold"] == reorder_level
    _set_on_hand(data_dir, item, healthy)
    with serve() as client:  # type: ignore[operator]
        run = run_job_to_end(client, "wwi", "wwi.hourly.events")
        assert run["details"]["resolved"] >= 1
        open_now = client.get("/api/wwi/events", params={"open": "true"}).json()["items"]
        assert item not in {
            e["wwi_stock_item_id"] for e in open_now if e["event_type"] == "below_reorder_level"
        }
        history = client.get("/api/wwi/events", params={"limit": 1000}).json()["items"]
        mine = [e for e in history if e["wwi_stock_item_id"] == item]
        (low_event,) = [e for e in mine if e["event_type"] == "below_reorder_level"]
        assert low_event["resolved_at"] is not None
        recovered = [
            e for e in mine if e["event_type"] == "recovered" and e["threshold"] == reorder_level
        ]
        assert len(recovered) == 1
        assert recovered[0]["observed"] == healthy
