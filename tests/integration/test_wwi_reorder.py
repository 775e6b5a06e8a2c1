"""Reorder recommendations, what-if scenarios and stored snapshots through the gateway, on
the real WideWorldImporters extract (missing facts generated) and a real PostgreSQL store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from otelbi.domains import Domain
from otelbi.errors import StoreUnavailable
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.warehouse.engines import duckdb_path
from otelbi.warehouse.importer import import_warehouse
from otelbi.wwi.reorder import ReorderRecommendations, Urgency
from otelbi.wwi.reorder_snapshots import save_recommendations
from tests.conftest import WWI_EXTRACT

RECOMMENDATIONS = "/api/wwi/stock/recommendations"
SCENARIOS = "/api/wwi/scenarios"
RECORDS = "/api/wwi/records/reorder-recommendations"
RANK = {urgency.value: urgency.rank for urgency in Urgency}


@dataclass(frozen=True)
class DroppedItem:
    """The item whose stock the fixture dropped below its reorder level."""

    wwi_stock_item_id: int
    on_hand: int
    reorder_level: int


@dataclass(frozen=True)
class Warehouse:
    data_dir: Path
    dropped: DroppedItem


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """Return a DATA_DIR with the real WWI extract in which the best-stocked item is now low."""
    data_dir = tmp_path_factory.mktemp("wwi-reorder")
    path = duckdb_path(Domain.WWI, data_dir)
    import_warehouse(Domain.WWI, path, WWI_EXTRACT, fill_missing=True)
    with duckdb.connect(str(path)) as con:
        found = con.execute(
            'SELECT s."WWI Stock Item ID", h."Stock Item Key", h."Reorder Level" '
            'FROM "Fact"."Stock Holding" h JOIN "Dimension"."Stock Item" s '
            'ON s."Stock Item Key" = h."Stock Item Key" '
            'ORDER BY h."Quantity On Hand" DESC LIMIT 1'
        ).fetchone()
        assert found is not None
        item_id, key, reorder_level = found
        con.execute(
            'UPDATE "Fact"."Stock Holding" SET "Quantity On Hand" = ? WHERE "Stock Item Key" = ?',
            [reorder_level - 1, key],
        )
    return Warehouse(data_dir, DroppedItem(item_id, reorder_level - 1, reorder_level))


@pytest.fixture
def client(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, warehouse: Warehouse
) -> Iterator[TestClient]:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(warehouse.data_dir))
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as test_client:
        yield test_client


def _recommendations(client: TestClient, **params: str) -> dict[str, Any]:
    response = client.get(RECOMMENDATIONS, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _by_id(items: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {item["wwi_stock_item_id"]: item for item in items}


def test_item_dropped_below_its_reorder_level_is_critical_with_the_reason(
    client: TestClient, warehouse: Warehouse
) -> None:
    body = _recommendations(client)
    assert body["as_of"] == "2016-05-31"
    assert body["demand_window_days"] == 90
    assert len(body["items"]) == 227
    dropped = warehouse.dropped
    item = _by_id(body["items"])[dropped.wwi_stock_item_id]
    assert item["urgency"] == "critical"
    assert item["on_hand"] == dropped.on_hand
    assert item["reason"].startswith(
        f"on hand {dropped.on_hand:,} ≤ reorder level {dropped.reorder_level:,}"
    )
    assert item["recommended_order_qty"] > 0
    assert item["recommended_order_qty"] % item["quantity_per_outer"] == 0
    assert item["recommended_order_qty"] >= item["target_level"] - dropped.on_hand


def test_urgency_filter_and_sort_order(client: TestClient, warehouse: Warehouse) -> None:
    items = _recommendations(client)["items"]
    keys = [
        (RANK[i["urgency"]], i["days_of_cover"] is None, i["days_of_cover"] or 0.0) for i in items
    ]
    assert keys == sorted(keys)
    critical = _recommendations(client, urgency="critical")["items"]
    assert [i["wwi_stock_item_id"] for i in critical] == [
        i["wwi_stock_item_id"] for i in items if i["urgency"] == "critical"
    ]
    assert warehouse.dropped.wwi_stock_item_id in {i["wwi_stock_item_id"] for i in critical}
    assert {i["urgency"] for i in critical} == {"critical"}
    wrong = client.get(RECOMMENDATIONS, params={"urgency": "panic"})
    assert wrong.status_code == 422
    assert "urgency" in wrong.json()["detail"]


def test_more_demand_never_recommends_less_than_the_baseline(client: TestClient) -> None:
    baseline = _by_id(_recommendations(client)["items"])
    response = client.post(
        SCENARIOS, json={"name": "+50% demand", "demand_change_pct": 50, "lead_time_change_days": 0}
    )
    assert response.status_code == 201, response.text
    scenario = response.json()
    assert len(scenario["items"]) == len(baseline)
    for item in scenario["items"]:
        before = baseline[item["wwi_stock_item_id"]]
        assert item["baseline_recommended_order_qty"] == before["recommended_order_qty"]
        assert item["recommended_order_qty"] >= before["recommended_order_qty"]
        assert RANK[item["urgency"]] <= RANK[before["urgency"]]
        assert item["avg_daily_demand"] == pytest.approx(before["avg_daily_demand"] * 1.5, 1e-3)
    summary = scenario["summary"]
    assert summary["baseline"]["items_needing_orders"] >= 1
    assert summary["difference"]["total_order_qty"] >= 0
    assert summary["difference"]["total_order_value"] >= 0
    assert set(summary) == {"as_of", "scenario", "baseline", "difference"}


def test_idempotency_key_returns_the_first_result_and_refuses_a_different_body(
    client: TestClient, warehouse: Warehouse
) -> None:
    body = {
        "name": "slow suppliers",
        "demand_change_pct": 0,
        "lead_time_change_days": 30,
        "stock_item_ids": [warehouse.dropped.wwi_stock_item_id],
    }
    key = {"Idempotency-Key": "order-review-1"}
    first = client.post(SCENARIOS, json=body, headers=key)
    assert first.status_code == 201, first.text
    again = client.post(SCENARIOS, json=body, headers=key)
    assert again.status_code == 200
    assert again.json() == first.json()
    different = client.post(SCENARIOS, json={**body, "lead_time_change_days": 31}, headers=key)
    assert different.status_code == 422
    assert different.json()["error"] == "invalid_input"
    assert "already used for a different scenario request" in different.json()["detail"]
    without_key = client.post(SCENARIOS, json=body)
    assert without_key.status_code == 201
    assert without_key.json()["id"] != first.json()["id"]

    listed = client.get(SCENARIOS).json()
    assert [s["id"] for s in listed["items"]] == [without_key.json()["id"], first.json()["id"]]
    header = listed["items"][1]
    assert header["created_by"] == "anonymous"
    assert header["name"] == "slow suppliers"
    assert header["stock_item_ids"] == [warehouse.dropped.wwi_stock_item_id]
    assert "items" not in header
    assert listed["limit"] == 100
    assert listed["offset"] == 0
    stored = client.get(f"{SCENARIOS}/{first.json()['id']}")
    assert stored.json() == first.json()
    assert client.get(f"{SCENARIOS}/999999").status_code == 404


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"name": "x" * 101}, "name"),
        ({"name": "  "}, "name"),
        ({"demand_change_pct": -95}, "demand_change_pct"),
        ({"lead_time_change_days": 91}, "lead_time_change_days"),
        ({"stock_item_ids": [999_999, 999_998]}, "999998, 999999"),
        ({"stock_item_ids": []}, "stock_item_ids"),
        # an unknown field is refused without its name: client text is never echoed
        ({"surprise": 1}, "holds a field this endpoint does not take"),
    ],
)
def test_invalid_scenarios_are_422_naming_the_problem(
    client: TestClient, change: dict[str, Any], named: str
) -> None:
    body = {"name": "ok", "demand_change_pct": 10, "lead_time_change_days": 0, **change}
    response = client.post(SCENARIOS, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_input"
    assert named in response.json()["detail"]
    assert client.get(SCENARIOS).json()["items"] == []


def test_records_list_saved_snapshots_newest_first(client: TestClient, postgres_url: str) -> None:
    assert client.get(RECORDS).json()["items"] == []
    recommendations = ReorderRecommendations.model_validate(_recommendations(client))
    store = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        assert save_recommendations(store, 1, recommendations) == 227
        assert save_recommendations(store, 2, recommendations) == 227
    finally:
        store.dispose()

    everything = client.get(RECORDS, params={"limit": 1000}).json()
    items = everything["items"]
    assert len(items) == 454
    assert [i["execution_id"] for i in items] == [2] * 227 + [1] * 227
    assert items[0]["computed_at"] > items[-1]["computed_at"]
    assert {i["as_of"] for i in items} == {"2016-05-31"}
    # each snapshot keeps the recommendations' order
    assert [i["wwi_stock_item_id"] for i in items[:227]] == [
        i.wwi_stock_item_id for i in recommendations.items
    ]
    first = items[0]
    assert first["urgency"] == "critical"
    assert first["reason"] == recommendations.items[0].reason

    default_page = client.get(RECORDS).json()
    assert (default_page["limit"], default_page["offset"], len(default_page["items"])) == (
        100,
        0,
        100,
    )
    page = client.get(RECORDS, params={"limit": 5, "offset": 227}).json()
    assert [i["execution_id"] for i in page["items"]] == [1] * 5
    for params in ({"limit": 0}, {"limit": 1001}, {"offset": -1}):
        assert client.get(RECORDS, params=params).status_code == 422


def test_saving_without_a_store_is_store_unavailable(client: TestClient) -> None:
    recommendations = ReorderRecommendations.model_validate(_recommendations(client))
    down = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=2")
    try:
        with pytest.raises(StoreUnavailable, match="could not be written"):
            save_recommendations(down, 1, recommendations)
    finally:
        down.dispose()
