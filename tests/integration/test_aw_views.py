"""The AdventureWorks history, rep-score and product-demand views and their stored records.

On the real extract the figures are checked against plain SQL over its Parquet files,
written independently of the product's statements; the parameters and the records are
checked through the gateway on a generated warehouse and a real PostgreSQL store.
"""

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

from otelbi.aw.product_demand import ProductDemandList
from otelbi.aw.rep_scores import RepScores
from otelbi.aw.snapshots import save_forecast, save_product_demand, save_rep_scores
from otelbi.errors import StoreUnavailable
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from tests.conftest import AW_EXTRACT, POSTGRES_ADMIN_URL

AS_OF = dt.date(2014, 1, 28)


def _parquet(sql: str, *parameters: object) -> list[tuple[Any, ...]]:
    """Run `sql` with each {Table} replaced by a read of its Parquet file."""
    tables = {
        name: f"read_parquet('{AW_EXTRACT}/{name}.parquet')"
        for name in (
            "FactInternetSales",
            "FactResellerSales",
            "FactSalesQuota",
            "DimEmployee",
            "DimProduct",
            "DimSalesTerritory",
        )
    }
    with duckdb.connect() as con:
        return con.execute(sql.format(**tables), list(parameters)).fetchall()


@pytest.fixture(scope="module")
def real_client(real_aw_warehouse: Path) -> Iterator[TestClient]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATA_DIR", str(real_aw_warehouse))
        patch.setenv("OTEL_TRACES_EXPORTER", "none")
        patch.setenv("REQUIRE_FRONTEND_AUTH", "false")
        patch.setenv("JOBS_ENABLED", "false")
        with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
            yield client


def _get(client: TestClient, path: str, **params: object) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


# --- sales history on the real extract ---------------------------------------------------

DAILY_SQL = """
SELECT day, sum(internet), sum(reseller), count(DISTINCT SalesOrderNumber) FROM (
    SELECT OrderDate::DATE AS day, SalesAmount AS internet, 0 AS reseller, SalesOrderNumber
    FROM {FactInternetSales}
    UNION ALL
    SELECT OrderDate::DATE, 0, SalesAmount, SalesOrderNumber FROM {FactResellerSales}
) WHERE day BETWEEN ? AND ? GROUP BY day
"""


def test_daily_history_is_zero_filled_and_equals_plain_sql(real_client: TestClient) -> None:
    body = _get(real_client, "/api/aw/sales/history", days_back=1200, grain="day")
    start = AS_OF - dt.timedelta(days=1199)
    assert body["as_of"] == AS_OF.isoformat()
    assert body["grain"] == "day"
    points = body["points"]
    assert [p["date"] for p in points] == [
        (start + dt.timedelta(days=n)).isoformat() for n in range(1200)
    ]
    plain = {row[0]: row[1:] for row in _parquet(DAILY_SQL, start, AS_OF)}
    zero_days = 0
    for point in points:
        internet, reseller, orders = plain.get(dt.date.fromisoformat(point["date"]), (0, 0, 0))
        zero_days += orders == 0
        assert point["internet_revenue"] == pytest.approx(float(internet), abs=0.01)
        assert point["reseller_revenue"] == pytest.approx(float(reseller), abs=0.01)
        assert point["revenue"] == pytest.approx(float(internet + reseller), abs=0.01)
        assert point["orders"] == orders
    assert zero_days > 60  # the window opens ten weeks before the first sale
    total = sum(float(internet + reseller) for internet, reseller, _ in plain.values())
    assert sum(p["revenue"] for p in points) == pytest.approx(total, abs=1)


@pytest.mark.parametrize(("grain", "weekday_or_day"), [("week", 0), ("month", 1)])
def test_weeks_and_months_add_up_to_the_days(
    real_client: TestClient, grain: str, weekday_or_day: int
) -> None:
    days = _get(real_client, "/api/aw/sales/history", days_back=400, grain="day")["points"]
    buckets = _get(real_client, "/api/aw/sales/history", days_back=400, grain=grain)["points"]
    labels = [dt.date.fromisoformat(p["date"]) for p in buckets]
    if grain == "week":
        assert {label.weekday() for label in labels} == {weekday_or_day}
        assert len(labels) in (58, 59)
    else:
        assert {label.day for label in labels} == {weekday_or_day}
        assert labels[-1] == dt.date(2014, 1, 1)
    assert labels == sorted(labels)
    assert labels[0] <= dt.date.fromisoformat(days[0]["date"]) < labels[1]
    for field in ("internet_revenue", "reseller_revenue", "revenue"):
        assert sum(p[field] for p in buckets) == pytest.approx(sum(p[field] for p in days), abs=1)
    assert sum(p["orders"] for p in buckets) == sum(p["orders"] for p in days)
    first_bucket = [p for p in days if dt.date.fromisoformat(p["date"]) < labels[1]]
    assert buckets[0]["revenue"] == pytest.approx(sum(p["revenue"] for p in first_bucket), abs=0.05)


# --- rep scores on the real extract ------------------------------------------------------

REP_SQL = """
SELECT e.EmployeeKey, e.FirstName || ' ' || e.LastName,
       coalesce(sum(f.SalesAmount), 0), count(DISTINCT f.SalesOrderNumber)
FROM {DimEmployee} e
LEFT JOIN {FactResellerSales} f
       ON f.EmployeeKey = e.EmployeeKey AND f.OrderDate::DATE BETWEEN ? AND ?
WHERE e.SalesPersonFlag
GROUP BY ALL
"""

# A quota row covers the sales from its date until the rep's next quota date, at most three
# months: the ASOF join finds the latest quota date on or before each sale.
QUOTA_SQL = """
WITH quota AS (
    SELECT EmployeeKey, "Date"::DATE AS starts, SalesAmountQuota FROM {FactSalesQuota}
    WHERE "Date"::DATE BETWEEN ? AND ?
), sales AS (
    SELECT EmployeeKey, OrderDate::DATE AS day, SalesAmount FROM {FactResellerSales}
), covered AS (
    SELECT s.EmployeeKey, sum(s.SalesAmount) AS revenue
    FROM sales s ASOF JOIN quota q ON s.EmployeeKey = q.EmployeeKey AND s.day >= q.starts
    WHERE s.day < q.starts + INTERVAL 3 MONTH
    GROUP BY ALL
)
SELECT q.EmployeeKey, sum(q.SalesAmountQuota), any_value(c.revenue)
FROM quota q LEFT JOIN covered c USING (EmployeeKey) GROUP BY ALL
"""

TERRITORY_SQL = """
SELECT EmployeeKey, arg_max(t.SalesTerritoryRegion, revenue) FROM (
    SELECT EmployeeKey, SalesTerritoryKey, sum(SalesAmount) AS revenue
    FROM {FactResellerSales} GROUP BY ALL
) JOIN {DimSalesTerritory} t USING (SalesTerritoryKey) GROUP BY ALL
"""

GROWTH_SQL = """
SELECT EmployeeKey,
       sum(SalesAmount) FILTER (WHERE OrderDate::DATE > DATE '2013-01-28'),
       sum(SalesAmount) FILTER (WHERE OrderDate::DATE <= DATE '2013-01-28')
FROM {FactResellerSales}
WHERE OrderDate::DATE BETWEEN DATE '2012-01-29' AND DATE '2014-01-28'
GROUP BY ALL
"""


@pytest.mark.parametrize("days_back", [None, 365])
def test_rep_revenue_and_quota_equal_plain_sql(
    real_client: TestClient, days_back: int | None
) -> None:
    params: dict[str, object] = {"top_n": 1000}
    start = dt.date(2000, 1, 1)
    if days_back is not None:
        params["days_back"] = days_back
        start = AS_OF - dt.timedelta(days=days_back - 1)
    body = _get(real_client, "/api/aw/reps/scores", **params)
    assert body["as_of"] == AS_OF.isoformat()
    assert body["days_back"] == days_back
    reps = {rep["employee_key"]: rep for rep in body["reps"]}
    plain = {row[0]: row[1:] for row in _parquet(REP_SQL, start, AS_OF)}
    quotas = {row[0]: row[1:] for row in _parquet(QUOTA_SQL, start, AS_OF)}
    assert len(plain) == 17
    assert set(reps) == set(plain)
    for key, (name, revenue, orders) in plain.items():
        assert reps[key]["name"] == name
        assert reps[key]["revenue"] == pytest.approx(float(revenue), abs=0.01)
        assert reps[key]["orders"] == orders
        quota, covered = quotas.get(key, (None, None))
        if quota is None:
            assert reps[key]["quota"] is None
            assert reps[key]["attainment_pct"] is None
        else:
            assert reps[key]["quota"] == pytest.approx(float(quota), abs=0.01)
            attainment = 100 * float(covered or 0) / float(quota)
            assert reps[key]["attainment_pct"] == pytest.approx(attainment, abs=0.01)
    if days_back is None:  # over all history, every rep has quotas and sells within them
        assert all(rep["attainment_pct"] > 50 for rep in reps.values())


def test_rep_territory_growth_ranks_and_scores(real_client: TestClient) -> None:
    reps = _get(real_client, "/api/aw/reps/scores", top_n=1000)["reps"]
    assert [rep["rank"] for rep in reps] == list(range(1, 18))
    scores = [rep["score"] for rep in reps]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= score <= 100 for score in scores)
    assert len(set(scores)) > 10
    by_key = {rep["employee_key"]: rep for rep in reps}
    for key, region in _parquet(TERRITORY_SQL):
        assert by_key[key]["territory"] == region
    # Jae Pak's DimEmployee territory is the United Kingdom, but he sells in Canada.
    assert by_key[291]["territory"] == "Canada"
    for key, recent, earlier in _parquet(GROWTH_SQL):
        expected = None if not earlier else 100 * float((recent or 0) - earlier) / float(earlier)
        assert by_key[key]["growth_pct"] == pytest.approx(expected, abs=0.01)
    top = _get(real_client, "/api/aw/reps/scores", top_n=3)["reps"]
    assert top == reps[:3]


# --- product demand on the real extract --------------------------------------------------

PRODUCT_SQL = """
SELECT p.ProductAlternateKey, sum(f.OrderQuantity), sum(f.SalesAmount),
       count(DISTINCT f.SalesOrderNumber),
       sum(f.OrderQuantity) FILTER (WHERE f.OrderDate::DATE > DATE '2014-01-28' - 90),
       sum(f.OrderQuantity) FILTER (WHERE f.OrderDate::DATE BETWEEN DATE '2014-01-28' - 179
                                                               AND DATE '2014-01-28' - 90)
FROM (
    SELECT ProductKey, OrderQuantity, SalesAmount, SalesOrderNumber, OrderDate
    FROM {FactInternetSales}
    UNION ALL
    SELECT ProductKey, OrderQuantity, SalesAmount, SalesOrderNumber, OrderDate
    FROM {FactResellerSales}
) f JOIN {DimProduct} p USING (ProductKey)
GROUP BY ALL
"""


def test_product_demand_totals_equal_both_facts(real_client: TestClient) -> None:
    body = _get(real_client, "/api/aw/products/demand", top_n=1000)
    products = body["products"]
    plain = {row[0]: row[1:] for row in _parquet(PRODUCT_SQL)}
    assert len(products) == len(plain) == 266
    ((units, revenue),) = _parquet(
        "SELECT sum(OrderQuantity), sum(SalesAmount) FROM ("
        "SELECT OrderQuantity, SalesAmount FROM {FactInternetSales} UNION ALL "
        "SELECT OrderQuantity, SalesAmount FROM {FactResellerSales})"
    )
    assert sum(p["units"] for p in products) == units
    assert sum(p["revenue"] for p in products) == pytest.approx(float(revenue), abs=2)
    for product in products:
        p_units, p_revenue, orders, recent, earlier = plain[product["product_alternate_key"]]
        assert product["units"] == p_units
        assert product["revenue"] == pytest.approx(float(p_revenue), abs=0.01)
        assert product["orders"] == orders
        trend = None if not earlier else 100 * ((recent or 0) - earlier) / earlier
        assert product["trend_pct"] == pytest.approx(trend, abs=0.01)
    assert [p["rank"] for p in products] == list(range(1, len(products) + 1))
    scores = [p["demand_score"] for p in products]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= score <= 100 for score in scores)


def test_product_demand_groups_scd2_versions_and_names_the_newest(
    real_client: TestClient,
) -> None:
    products = _get(real_client, "/api/aw/products/demand", top_n=1000)["products"]
    keys = [p["product_alternate_key"] for p in products]
    assert len(keys) == len(set(keys))
    helmet = next(p for p in products if p["product_alternate_key"] == "HL-U509-R")
    assert helmet["product"] == "Sport-100 Helmet, Red"
    assert (helmet["category"], helmet["subcategory"]) == ("Accessories", "Helmets")
    window = _get(real_client, "/api/aw/products/demand", top_n=1000, days_back=90)
    assert window["days_back"] == 90
    assert 0 < len(window["products"]) < len(products)
    assert sum(p["units"] for p in window["products"]) < sum(p["units"] for p in products)


# --- through the gateway, on a generated warehouse and PostgreSQL -----------------------


@pytest.fixture
def store(client: TestClient, postgres_url: str) -> Iterator[sa.Engine]:
    """The store the running app migrated."""
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    yield engine
    engine.dispose()


def test_views_answer_with_their_defaults(client: TestClient) -> None:
    history = _get(client, "/api/aw/sales/history")
    assert history["grain"] == "day"
    assert len(history["points"]) == 365
    assert history["points"][-1]["date"] == history["as_of"]
    reps = _get(client, "/api/aw/reps/scores")
    assert reps["days_back"] is None
    assert [rep["rank"] for rep in reps["reps"]] == list(range(1, 11))
    products = _get(client, "/api/aw/products/demand", top_n=5, days_back=365)
    assert [p["rank"] for p in products["products"]] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        ("/api/aw/sales/history", {"grain": "year"}, "grain"),
        ("/api/aw/sales/history", {"days_back": 0}, "days_back"),
        ("/api/aw/sales/history", {"days_back": 3651}, "days_back"),
        ("/api/aw/reps/scores", {"top_n": 0}, "top_n"),
        ("/api/aw/reps/scores", {"top_n": 1001}, "top_n"),
        ("/api/aw/reps/scores", {"days_back": "a year"}, "days_back"),
        ("/api/aw/products/demand", {"top_n": "ten"}, "top_n"),
        ("/api/aw/products/demand", {"days_back": -1}, "days_back"),
        ("/api/aw/records/rep-scores", {"limit": 0}, "limit"),
        ("/api/aw/records/product-demand", {"limit": 1001}, "limit"),
        ("/api/aw/records/forecasts", {"offset": -1}, "offset"),
        ("/api/aw/records/forecasts", {"offset": "next"}, "offset"),
    ],
)
def test_bad_parameters_are_a_422_with_the_error_shape(
    client: TestClient, path: str, params: dict[str, object], named: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input"
    assert named in body["detail"]


def test_rep_score_records_list_snapshots_newest_first(
    client: TestClient, store: sa.Engine
) -> None:
    assert _get(client, "/api/aw/records/rep-scores") == {
        "items": [],
        "limit": 100,
        "offset": 0,
        "total": 0,
    }
    older = RepScores.model_validate(_get(client, "/api/aw/reps/scores", top_n=3))
    newer = RepScores.model_validate(_get(client, "/api/aw/reps/scores", top_n=5))
    assert save_rep_scores(store, 41, older) == 3
    assert save_rep_scores(store, 42, newer) == 5
    items = _get(client, "/api/aw/records/rep-scores")["items"]
    assert [(item["execution_id"], item["rank"]) for item in items] == [
        *((42, rank) for rank in range(1, 6)),
        *((41, rank) for rank in range(1, 4)),
    ]
    assert items[0]["employee_key"] == newer.reps[0].employee_key
    assert items[0]["revenue"] == pytest.approx(newer.reps[0].revenue, abs=0.01)
    assert items[0]["as_of"] == newer.as_of.isoformat()
    assert items[0]["computed_at"] > items[-1]["computed_at"]
    page = _get(client, "/api/aw/records/rep-scores", limit=3, offset=4)
    assert (page["limit"], page["offset"]) == (3, 4)
    assert [item["id"] for item in page["items"]] == [item["id"] for item in items[4:7]]


def test_product_demand_records_page_through_snapshots(
    client: TestClient, store: sa.Engine
) -> None:
    for execution_id in (7, 8):
        demand = ProductDemandList.model_validate(_get(client, "/api/aw/products/demand", top_n=4))
        assert save_product_demand(store, execution_id, demand) == 4
    items = _get(client, "/api/aw/records/product-demand", limit=6)["items"]
    assert [(item["execution_id"], item["rank"]) for item in items] == [
        (8, 1), (8, 2), (8, 3), (8, 4), (7, 1), (7, 2),
    ]  # fmt: skip
    assert items[0]["product_alternate_key"] == demand.products[0].product_alternate_key
    assert _get(client, "/api/aw/records/product-demand", offset=8)["items"] == []


@dataclass(frozen=True)
class _Point:
    date: dt.date
    forecast: float
    lower: float
    upper: float


def test_forecast_records_list_snapshots_newest_first(client: TestClient, store: sa.Engine) -> None:
    days = [dt.date(2014, 1, 29) + dt.timedelta(days=n) for n in range(3)]
    for execution_id, level in ((1, 1000.0), (2, 2000.0)):
        points = [_Point(day, level + n, level - 100, level + 100) for n, day in enumerate(days)]
        written = save_forecast(
            store, execution_id, points, as_of=AS_OF, method="test method", window_days=90
        )
        assert written == 3
    items = _get(client, "/api/aw/records/forecasts")["items"]
    assert [(item["execution_id"], item["forecast_date"]) for item in items] == [
        (execution_id, day.isoformat()) for execution_id in (2, 1) for day in days
    ]
    assert items[0]["forecast"] == 2000.0
    assert items[0]["lower"] == 1900.0
    assert items[0]["method"] == "test method"
    assert items[0]["window_days"] == 90
    page = _get(client, "/api/aw/records/forecasts", limit=2, offset=2)
    assert [(item["execution_id"], item["forecast"]) for item in page["items"]] == [
        (2, 2002.0),
        (1, 1000.0),
    ]


def test_records_calls_are_audited(client: TestClient) -> None:
    client.get("/api/aw/records/forecasts", params={"limit": 5})
    client.get("/api/aw/records/forecasts", params={"limit": 0})
    rows = client.get("/api/audit", params={"domain": "aw", "limit": 2}).json()["items"]
    assert [(row["action"], row["status_code"]) for row in rows] == [
        ("aw.records.forecasts", 422),
        ("aw.records.forecasts", 200),
    ]


def test_a_store_that_does_not_answer_is_store_unavailable() -> None:
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/otelbi_no_such_database"
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with pytest.raises(StoreUnavailable, match="aw_forecasts"):
            save_forecast(
                engine, 1, [_Point(AS_OF, 1, 0, 2)], as_of=AS_OF, method="m", window_days=1
            )
    finally:
        engine.dispose()
