"""Supplier scores on the real WideWorldImporters extract (missing tables generated), through
the gateway: purchase figures equal plain SQL over the CSV files, on-time figures equal plain
SQL over the generated receipts, and stored snapshots list newest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from otelbi.domains import Domain
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.warehouse.engines import duckdb_path
from otelbi.warehouse.importer import import_warehouse
from otelbi.wwi.supplier_scores import SupplierScores
from otelbi.wwi.supplier_snapshots import save_supplier_scores
from tests.conftest import WWI_EXTRACT

SCORES = "/api/wwi/suppliers/scores"
RECORDS = "/api/wwi/records/supplier-scores"
DEFAULT_TOP_N = 5


def _csv(name: str) -> str:
    return f"read_csv('{WWI_EXTRACT}/{name}.csv', delim='|', header=true)"


PURCHASES_PER_SUPPLIER = f"""
SELECT s."WWI Supplier ID",
       count(DISTINCT p."WWI Purchase Order ID"),
       count(*),
       100.0 * sum(p."Received Outers") FILTER (WHERE p."Is Order Finalized")
             / sum(p."Ordered Outers") FILTER (WHERE p."Is Order Finalized"),
       count(*) FILTER (WHERE NOT p."Is Order Finalized")
FROM {_csv("fact_purchase")} AS p
JOIN {_csv("dimension_supplier")} AS s ON s."Supplier Key" = p."Supplier Key"
WHERE s."WWI Supplier ID" <> 0
GROUP BY s."WWI Supplier ID"
"""

# Receipts exist only in the generated Fact.Movement, so these read the warehouse file.
ON_TIME_PER_SUPPLIER = f"""
WITH item AS (SELECT * FROM {_csv("dimension_stock_item")}),
lead AS (
    SELECT "WWI Stock Item ID" AS item_id, "Lead Time Days" AS lead_days
    FROM item WHERE year("Valid To") = 9999
),
receipt AS (
    SELECT m."WWI Purchase Order ID" AS po, i."WWI Stock Item ID" AS item_id,
           min(m."Date Key") AS received
    FROM "Fact"."Movement" AS m JOIN item AS i ON i."Stock Item Key" = m."Stock Item Key"
    WHERE m."Quantity" > 0 AND m."WWI Purchase Order ID" IS NOT NULL
    GROUP BY ALL
),
line AS (
    SELECT s."WWI Supplier ID" AS supplier_id,
           r.received - (p."Date Key" + CAST(l.lead_days AS INTEGER)) AS late_by
    FROM {_csv("fact_purchase")} AS p
    JOIN {_csv("dimension_supplier")} AS s ON s."Supplier Key" = p."Supplier Key"
    JOIN item AS i ON i."Stock Item Key" = p."Stock Item Key"
    JOIN lead AS l ON l.item_id = i."WWI Stock Item ID"
    JOIN receipt AS r ON r.po = p."WWI Purchase Order ID" AND r.item_id = i."WWI Stock Item ID"
    WHERE s."WWI Supplier ID" <> 0
)
SELECT supplier_id, 100.0 * count(*) FILTER (WHERE late_by <= 0) / count(*),
       avg(greatest(late_by, 0))
FROM line GROUP BY supplier_id
"""


@dataclass(frozen=True)
class Expected:
    """Figures computed without the product's SQL, per WWI Supplier ID."""

    purchases: dict[int, tuple[int, int, float, int]]
    on_time: dict[int, tuple[float, float]]
    as_of: dt.date


@pytest.fixture(scope="module")
def real_wwi(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Expected]:
    """Return a DATA_DIR with the real WWI extract (missing tables generated) and its figures."""
    data_dir = tmp_path_factory.mktemp("real_wwi")
    path = duckdb_path(Domain.WWI, data_dir)
    report = import_warehouse(Domain.WWI, path, WWI_EXTRACT, fill_missing=True, scale=0.05)
    assert "Fact.Movement" in report.generated
    with duckdb.connect(str(path), read_only=True) as con:
        purchases = {row[0]: row[1:] for row in con.execute(PURCHASES_PER_SUPPLIER).fetchall()}
        on_time = {row[0]: row[1:] for row in con.execute(ON_TIME_PER_SUPPLIER).fetchall()}
        as_of = con.execute(f'SELECT max("Date Key") FROM {_csv("fact_purchase")}').fetchone()
    assert as_of is not None
    return data_dir, Expected(purchases, on_time, as_of[0])


@pytest.fixture(scope="module")
def client(real_wwi: tuple[Path, Expected]) -> Iterator[TestClient]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATA_DIR", str(real_wwi[0]))
        patch.setenv("RANKING_DEFAULT_TOP_N", str(DEFAULT_TOP_N))
        patch.setenv("OTEL_TRACES_EXPORTER", "none")
        patch.setenv("REQUIRE_FRONTEND_AUTH", "false")
        patch.setenv("JOBS_ENABLED", "false")
        with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as test_client:
            yield test_client


def _all_scores(client: TestClient) -> dict[str, Any]:
    response = client.get(SCORES, params={"top_n": 1000})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_purchase_figures_equal_plain_sql_over_the_csv_files(
    client: TestClient, real_wwi: tuple[Path, Expected]
) -> None:
    expected = real_wwi[1]
    body = _all_scores(client)
    assert dt.date.fromisoformat(body["as_of"]) == expected.as_of == dt.date(2016, 5, 31)
    by_id = {row["wwi_supplier_id"]: row for row in body["suppliers"]}
    assert set(by_id) == set(expected.purchases)
    assert len(by_id) == 7
    for supplier_id, (orders, lines, fill_rate, open_lines) in expected.purchases.items():
        row = by_id[supplier_id]
        assert (row["purchase_orders"], row["lines"]) == (orders, lines)
        assert row["fill_rate_pct"] == pytest.approx(fill_rate, abs=0.005)
        assert row["open_lines"] == open_lines
    fabrikam = next(row for row in body["suppliers"] if row["supplier"] == "Fabrikam, Inc.")
    assert (fabrikam["lines"], fabrikam["purchase_orders"], fabrikam["open_lines"]) == (
        5802,
        1055,
        6,
    )


def test_on_time_and_delay_equal_plain_sql_over_the_receipts(
    client: TestClient, real_wwi: tuple[Path, Expected]
) -> None:
    expected = real_wwi[1].on_time
    for row in _all_scores(client)["suppliers"]:
        on_time_pct, avg_delay = expected[row["wwi_supplier_id"]]
        assert row["on_time_pct"] == pytest.approx(on_time_pct, abs=0.005)
        assert row["avg_delay_days"] == pytest.approx(avg_delay, abs=0.005)


def test_scores_are_the_documented_blend_and_ranks_follow_them(client: TestClient) -> None:
    suppliers = _all_scores(client)["suppliers"]
    assert [row["rank"] for row in suppliers] == list(range(1, len(suppliers) + 1))
    assert [(-row["score"], row["supplier"]) for row in suppliers] == sorted(
        (-row["score"], row["supplier"]) for row in suppliers
    )
    for row in suppliers:
        assert 0 <= row["score"] <= 100
        delay_part = 100 * max(0.0, 1 - row["avg_delay_days"] / 14)
        blend = 0.5 * row["on_time_pct"] + 0.3 * min(row["fill_rate_pct"], 100) + 0.2 * delay_part
        assert row["score"] == pytest.approx(blend, abs=0.05)
    assert "Unknown" not in {row["supplier"] for row in suppliers}


def test_top_n_defaults_to_ranking_default_top_n(client: TestClient) -> None:
    everyone = _all_scores(client)["suppliers"]
    default = client.get(SCORES).json()["suppliers"]
    assert default == everyone[:DEFAULT_TOP_N]
    assert client.get(SCORES, params={"top_n": 2}).json()["suppliers"] == everyone[:2]


@pytest.mark.parametrize("top_n", ["0", "1001", "many"])
def test_out_of_range_top_n_is_a_422(client: TestClient, top_n: str) -> None:
    response = client.get(SCORES, params={"top_n": top_n})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input"
    assert "top_n" in body["detail"]


def test_stored_snapshots_list_newest_first(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, real_wwi: tuple[Path, Expected]
) -> None:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(real_wwi[0]))
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as gateway:
        assert gateway.get(RECORDS).json() == {"items": [], "limit": 100, "offset": 0, "total": 0}
        scores = SupplierScores.model_validate(gateway.get(SCORES, params={"top_n": 1000}).json())
        store = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
        try:
            assert save_supplier_scores(store, 1, scores) == 7
            top_three = scores.model_copy(update={"suppliers": scores.suppliers[:3]})
            assert save_supplier_scores(store, 2, top_three) == 3
        finally:
            store.dispose()

        body = gateway.get(RECORDS).json()
        assert (body["limit"], body["offset"]) == (100, 0)
        items = body["items"]
        assert [(i["execution_id"], i["rank"]) for i in items] == [(2, r) for r in (1, 2, 3)] + [
            (1, r) for r in range(1, 8)
        ]
        assert items[0]["computed_at"] > items[-1]["computed_at"]
        first = items[3]
        assert first["as_of"] == scores.as_of.isoformat()
        best = scores.suppliers[0]
        assert {k: first[k] for k in type(best).model_fields} == best.model_dump()

        page = gateway.get(RECORDS, params={"limit": 4, "offset": 2}).json()
        assert (page["limit"], page["offset"]) == (4, 2)
        assert [(i["execution_id"], i["rank"]) for i in page["items"]] == [
            (2, 3),
            (1, 1),
            (1, 2),
            (1, 3),
        ]
        for params in ({"limit": 0}, {"limit": 1001}, {"offset": -1}):
            assert gateway.get(RECORDS, params=params).status_code == 422
