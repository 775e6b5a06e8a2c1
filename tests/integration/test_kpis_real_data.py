"""The KPIs on the real AdventureWorks extract equal plain SQL over its Parquet files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from tests.conftest import AW_EXTRACT

PLAIN_SQL = """
WITH lines AS (
    SELECT 'internet' AS channel, OrderDate::DATE AS day, SalesOrderNumber, SalesAmount,
           TotalProductCost, OrderQuantity
    FROM read_parquet('{dir}/FactInternetSales.parquet')
    UNION ALL
    SELECT 'reseller', OrderDate::DATE, SalesOrderNumber, SalesAmount, TotalProductCost,
           OrderQuantity
    FROM read_parquet('{dir}/FactResellerSales.parquet')
)
SELECT channel, sum(SalesAmount), count(DISTINCT SalesOrderNumber), sum(OrderQuantity),
       sum(SalesAmount - TotalProductCost)
FROM lines WHERE day BETWEEN ? AND ? GROUP BY ROLLUP(channel)
"""


@pytest.fixture(scope="module")
def kpis_client(real_aw_warehouse: Path) -> Iterator[TestClient]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATA_DIR", str(real_aw_warehouse))
        patch.setenv("OTEL_TRACES_EXPORTER", "none")
        patch.setenv("REQUIRE_FRONTEND_AUTH", "false")
        patch.setenv("JOBS_ENABLED", "false")
        with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
            yield client


def _plain(start: dt.date, end: dt.date) -> dict[str | None, tuple[float, int, int, float]]:
    with duckdb.connect() as con:
        rows = con.execute(PLAIN_SQL.format(dir=AW_EXTRACT), [start, end]).fetchall()
    return {row[0]: (float(row[1]), row[2], int(row[3]), float(row[4])) for row in rows}


@pytest.mark.parametrize("days_back", [30, 365, 1200])
def test_aw_kpis_match_plain_sql_over_the_parquet_files(
    kpis_client: TestClient, days_back: int
) -> None:
    body = kpis_client.get("/api/aw/sales/kpis", params={"days_back": days_back}).json()
    as_of = dt.date.fromisoformat(body["as_of"])
    assert as_of == dt.date(2014, 1, 28)
    current = _plain(as_of - dt.timedelta(days=days_back - 1), as_of)
    previous_end = dt.date(2013, 1, 28)
    previous = _plain(previous_end - dt.timedelta(days=days_back - 1), previous_end)
    blocks = [
        (body["total"], current[None]),
        (body["previous"], previous[None]),
        (body["channels"]["internet"]["total"], current["internet"]),
        (body["channels"]["reseller"]["previous"], previous["reseller"]),
    ]
    for block, (revenue, orders, units, margin) in blocks:
        assert block["revenue"] == pytest.approx(revenue, abs=0.01)
        assert block["orders"] == orders
        assert block["units"] == units
        assert block["gross_margin"] == pytest.approx(margin, abs=0.01)
        assert block["average_order_value"] == pytest.approx(revenue / orders, abs=0.01)
        assert block["gross_margin_pct"] == pytest.approx(100 * margin / revenue, abs=0.01)
    assert body["change_pct"]["revenue"] == pytest.approx(
        100 * (current[None][0] - previous[None][0]) / previous[None][0], abs=0.01
    )


def test_real_extract_known_figures(kpis_client: TestClient) -> None:
    """The whole history: 29.36M internet revenue at a 41.1% margin (reference figures)."""
    body = kpis_client.get("/api/aw/sales/kpis", params={"days_back": 3650}).json()
    internet = body["channels"]["internet"]["total"]
    assert internet["revenue"] == pytest.approx(29_358_677, rel=1e-3)
    assert internet["gross_margin_pct"] == pytest.approx(41.1, abs=0.1)
    assert internet["orders"] == 27_659
    assert body["channels"]["reseller"]["total"]["orders"] == 3_796
