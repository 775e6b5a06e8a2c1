"""Warehouse SQL: each dashboard view's statements as the product runs them on DuckDB, against
the fastest correct query for the same answer written by hand for DuckDB.

Generates the AW and WWI warehouses at each scale (into a temporary directory, once per run),
runs every view once to capture the statements it sends and the parameters it sends them with
(the views' default arguments, plus the KPI windows at days_back=1200, where the current and
the previous window overlap), then for each statement:

- checks that the product's statement and the hand-written query return the same rows (same
  column names, numbers equal to 1e-9 relative); where no one hand query was the fastest at
  every scale there are several candidates, and each must agree. A mismatch is printed and
  the run exits non-zero;
- times them on the same connection, through the same SQLAlchemy execution path (the
  product's Core statement compiled for duckdb exactly as `Statement.rows` runs it, the hand
  queries as text): the median of at least `--runs` runs after a warm-up (statements faster
  than that run until each side has had about half a second, up to 200 runs), each side
  leading in turn so that the noise of a shared machine hits all of them;
- prints scale, statement, product ms, hand ms (the fastest candidate), product ÷ hand,
  PASS/FAIL against 1.5x, and how much of product ms is SQLAlchemy compiling the statement:
  duckdb-engine turns SQLAlchemy's statement cache off, so the product compiles every
  statement at every execution.

Only ratios within one run mean anything: absolute times move with the machine's load.

    .venv/bin/python bench/warehouse_sql.py                     # scales 1, 10 and 100
    .venv/bin/python bench/warehouse_sql.py --scales 1,10 --runs 15
    .venv/bin/python bench/warehouse_sql.py --data-dir /tmp/wh   # generate once, keep there

"Correct" for a hand query means exact on any warehouse that meets the declared keys and the
fact of the AdventureWorks order model the product relies on: a SalesOrderNumber is unique
across both sales facts (both come from one order header table; true on the real extract),
so a total's distinct orders are the sum of the channels'. Counting orders as lines with
SalesOrderLineNumber = 1 needs no hashing (84 ms instead of 280 ms for the KPI windows at
scale 100), but it is wrong on the real extract (seven reseller orders have no line 1), so
no query here uses it.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from otelbi.aw.product_demand import product_demand
from otelbi.aw.rep_scores import rep_scores
from otelbi.aw.sales_forecast import internet_revenue_series
from otelbi.aw.sales_history import Grain, sales_history
from otelbi.aw.sales_kpis import sales_kpis as aw_sales_kpis
from otelbi.domains import Domain
from otelbi.settings import AnalyticsSettings
from otelbi.warehouse.builder import generate_warehouse
from otelbi.warehouse.catalog import Statement, all_statements
from otelbi.warehouse.engines import duckdb_path
from otelbi.wwi.sales_kpis import sales_kpis as wwi_sales_kpis
from otelbi.wwi.stock_levels import stock_levels
from otelbi.wwi.supplier_scores import supplier_scores

THRESHOLD = 1.5
SECONDS_PER_SIDE = 0.5
"""Statements faster than this over `--runs` runs are run more often, up to MAX_RUNS."""
MAX_RUNS = 200
RELATIVE_TOLERANCE = 1e-9
DAYS_BACK: int = AnalyticsSettings.model_fields["default_history_days"].default
TOP_N: int = AnalyticsSettings.model_fields["ranking_default_top_n"].default
OVERLAPPING_DAYS = 1200
"""A KPI window longer than a year: the current and the previous window share days."""


@dataclass(frozen=True)
class View:
    """One view call whose statements are benchmarked; `note` labels its non-default rows."""

    domain: Domain
    call: Callable[[sa.Connection], object]
    note: str = ""


VIEWS = (
    View(Domain.AW, lambda c: aw_sales_kpis(c, days_back=DAYS_BACK)),
    View(Domain.AW, lambda c: aw_sales_kpis(c, days_back=OVERLAPPING_DAYS), "days_back=1200"),
    View(Domain.AW, lambda c: sales_history(c, days_back=DAYS_BACK, grain=Grain.DAY)),
    View(Domain.AW, internet_revenue_series),  # the forecast's series (the fit is not SQL)
    View(Domain.AW, lambda c: rep_scores(c, top_n=TOP_N, days_back=None)),
    View(Domain.AW, lambda c: product_demand(c, top_n=TOP_N, days_back=None)),
    View(Domain.WWI, lambda c: wwi_sales_kpis(c, days_back=DAYS_BACK)),
    View(Domain.WWI, lambda c: wwi_sales_kpis(c, days_back=OVERLAPPING_DAYS), "days_back=1200"),
    View(Domain.WWI, stock_levels),  # the reorder recommendations read the same statements
    View(Domain.WWI, lambda c: supplier_scores(c, top_n=TOP_N)),
)

# The hand-written queries, by statement name: one or more candidates (where none was the
# fastest at every scale), each reading the parameters the view sends.
HAND_SQL: dict[str, tuple[str, ...]] = {}

HAND_SQL["aw.sales.as_of"] = (
    """
SELECT greatest((SELECT max(OrderDateKey) FROM dbo.FactInternetSales),
                (SELECT max(OrderDateKey) FROM dbo.FactResellerSales)) AS as_of_key
""",
)

# One filtered scan per window and fact, each with an ungrouped count(DISTINCT): DuckDB
# counts that with one hash set, where a grouped or FILTERed distinct becomes a hash
# aggregate over (group, order number) pairs. The total adds the channels' orders.
_AW_WINDOW = """
SELECT '{period}' AS period, '{channel}' AS channel, sum(SalesAmount) AS revenue,
       count(DISTINCT SalesOrderNumber) AS orders, sum(OrderQuantity) AS units,
       sum(SalesAmount - TotalProductCost) AS gross_margin
FROM dbo.{table} WHERE OrderDateKey BETWEEN :{period}_start AND :{period}_end"""
_AW_WINDOWS = " UNION ALL ".join(
    _AW_WINDOW.format(period=period, channel=channel, table=table)
    for period in ("current", "previous")
    for channel, table in (("internet", "FactInternetSales"), ("reseller", "FactResellerSales"))
)
HAND_SQL["aw.sales.kpi_window_totals"] = (
    f"""
WITH windows AS ({_AW_WINDOWS})
SELECT period, channel, sum(revenue) AS revenue, sum(orders) AS orders, sum(units) AS units,
       sum(gross_margin) AS gross_margin
FROM windows WHERE orders > 0 GROUP BY period, ROLLUP(channel)
""",
)

HAND_SQL["aw.sales.daily_totals"] = (
    """
WITH days AS (
  SELECT OrderDateKey AS date_key, sum(SalesAmount) AS internet_revenue,
         CAST(NULL AS DECIMAL(38, 4)) AS reseller_revenue,
         count(DISTINCT SalesOrderNumber) AS orders
  FROM dbo.FactInternetSales WHERE OrderDateKey BETWEEN :start_key AND :end_key
  GROUP BY OrderDateKey
  UNION ALL
  SELECT OrderDateKey, NULL, sum(SalesAmount), count(DISTINCT SalesOrderNumber)
  FROM dbo.FactResellerSales WHERE OrderDateKey BETWEEN :start_key AND :end_key
  GROUP BY OrderDateKey
)
SELECT date_key, sum(internet_revenue) AS internet_revenue,
       sum(reseller_revenue) AS reseller_revenue,
       coalesce(sum(internet_revenue), 0) + coalesce(sum(reseller_revenue), 0) AS revenue,
       sum(orders) AS orders
FROM days GROUP BY date_key
""",
)

HAND_SQL["aw.sales.internet_daily_revenue"] = (
    """
SELECT OrderDateKey AS date_key, CAST(sum(SalesAmount) AS DOUBLE) AS internet_revenue
FROM dbo.FactInternetSales WHERE OrderDateKey BETWEEN :start_key AND :end_key
GROUP BY OrderDateKey
""",
)

HAND_SQL["aw.reps.totals"] = (
    """
WITH by_territory AS (
  SELECT EmployeeKey, SalesTerritoryKey,
         sum(SalesAmount) FILTER (WHERE OrderDateKey BETWEEN :start_key AND :end_key) AS revenue,
         sum(SalesAmount) FILTER (WHERE OrderDateKey BETWEEN :recent_start AND :end_key)
           AS recent_revenue,
         sum(SalesAmount) FILTER (WHERE OrderDateKey BETWEEN :earlier_start AND :earlier_end)
           AS earlier_revenue,
         count(*) FILTER (WHERE OrderDateKey BETWEEN :start_key AND :end_key) AS lines
  FROM dbo.FactResellerSales GROUP BY EmployeeKey, SalesTerritoryKey
), reps AS (
  SELECT EmployeeKey, sum(revenue) AS revenue, sum(recent_revenue) AS recent_revenue,
         sum(earlier_revenue) AS earlier_revenue,
         arg_max(SalesTerritoryKey, (revenue, -SalesTerritoryKey)) FILTER (WHERE lines > 0)
           AS territory_key
  FROM by_territory GROUP BY EmployeeKey
), orders AS (
  SELECT EmployeeKey, count(DISTINCT SalesOrderNumber) AS orders FROM dbo.FactResellerSales
  WHERE OrderDateKey BETWEEN :start_key AND :end_key GROUP BY EmployeeKey
)
SELECT e.EmployeeKey AS employee_key, e.FirstName AS first_name, e.LastName AS last_name,
       e.Title AS title, t.SalesTerritoryRegion AS territory, r.revenue,
       coalesce(o.orders, CASE WHEN r.EmployeeKey IS NOT NULL THEN 0 END) AS orders,
       r.recent_revenue, r.earlier_revenue
FROM dbo.DimEmployee e
LEFT JOIN reps r ON r.EmployeeKey = e.EmployeeKey
LEFT JOIN orders o ON o.EmployeeKey = e.EmployeeKey
LEFT JOIN dbo.DimSalesTerritory t ON t.SalesTerritoryKey = r.territory_key
WHERE e.SalesPersonFlag
""",
)

# Sales summed per rep and day first (a few thousand rows), then matched to quota periods.
HAND_SQL["aw.reps.quota_attainment"] = (
    """
WITH periods AS (
  SELECT SalesQuotaKey, EmployeeKey, SalesAmountQuota, DateKey AS first_key,
         least(coalesce(lead(DateKey) OVER (PARTITION BY EmployeeKey ORDER BY DateKey),
                        99999999),
               DateKey + CASE WHEN DateKey % 10000 < 1000 THEN 300 ELSE 9100 END) AS stop_key
  FROM dbo.FactSalesQuota
), counted AS (
  SELECT * FROM periods WHERE first_key BETWEEN :start_key AND :end_key
), daily AS (
  SELECT EmployeeKey, OrderDateKey, sum(SalesAmount) AS revenue FROM dbo.FactResellerSales
  GROUP BY EmployeeKey, OrderDateKey
), period_revenue AS (
  SELECT c.SalesQuotaKey, sum(d.revenue) AS revenue
  FROM counted c JOIN daily d ON d.EmployeeKey = c.EmployeeKey
   AND d.OrderDateKey >= c.first_key AND d.OrderDateKey < c.stop_key
  GROUP BY c.SalesQuotaKey
)
SELECT c.EmployeeKey AS employee_key, sum(c.SalesAmountQuota) AS quota,
       sum(pr.revenue) AS quota_revenue
FROM counted c LEFT JOIN period_revenue pr ON pr.SalesQuotaKey = c.SalesQuotaKey
GROUP BY c.EmployeeKey
""",
)

HAND_SQL["aw.products.demand_totals"] = (
    """
WITH versions AS (
  SELECT p.ProductKey, p.ProductAlternateKey,
         first_value(p.ProductKey) OVER newest AS newest_key,
         first_value(p.EnglishProductName) OVER newest AS product,
         first_value(c.EnglishProductCategoryName) OVER newest AS category,
         first_value(s.EnglishProductSubcategoryName) OVER newest AS subcategory
  FROM dbo.DimProduct p
  LEFT JOIN dbo.DimProductSubcategory s ON s.ProductSubcategoryKey = p.ProductSubcategoryKey
  LEFT JOIN dbo.DimProductCategory c ON c.ProductCategoryKey = s.ProductCategoryKey
  WINDOW newest AS (PARTITION BY p.ProductAlternateKey ORDER BY p.StartDate DESC,
                    p.ProductKey DESC)
), lines AS (
  SELECT ProductKey, OrderDateKey, SalesOrderNumber, OrderQuantity, SalesAmount
  FROM dbo.FactInternetSales WHERE OrderDateKey BETWEEN :scan_start AND :end_key
  UNION ALL
  SELECT ProductKey, OrderDateKey, SalesOrderNumber, OrderQuantity, SalesAmount
  FROM dbo.FactResellerSales WHERE OrderDateKey BETWEEN :scan_start AND :end_key
), sold AS (
  SELECT v.newest_key,
         CAST(sum(OrderQuantity) FILTER (WHERE OrderDateKey >= :start_key) AS BIGINT) AS units,
         sum(SalesAmount) FILTER (WHERE OrderDateKey >= :start_key) AS revenue,
         count(DISTINCT SalesOrderNumber) FILTER (WHERE OrderDateKey >= :start_key) AS orders,
         CAST(sum(OrderQuantity) FILTER (WHERE OrderDateKey BETWEEN :recent_start AND :end_key)
           AS BIGINT) AS recent_units,
         CAST(sum(OrderQuantity) FILTER (WHERE OrderDateKey BETWEEN :earlier_start AND :earlier_end)
           AS BIGINT) AS earlier_units
  FROM lines JOIN versions v USING (ProductKey)
  GROUP BY v.newest_key
)
SELECT v.ProductAlternateKey AS product_alternate_key, v.product, v.category, v.subcategory,
       s.units, s.revenue, s.orders, s.recent_units, s.earlier_units
FROM sold s JOIN versions v ON v.ProductKey = s.newest_key
WHERE s.orders > 0
""",
)

HAND_SQL["wwi.sales.as_of"] = ('SELECT max("Invoice Date Key") AS as_of FROM "Fact"."Sale"',)

_WWI_WINDOW = """
SELECT '{period}' AS period, sum("Total Excluding Tax") AS revenue,
       count(DISTINCT "WWI Invoice ID") AS orders, sum("Quantity") AS units,
       sum("Profit") AS gross_margin
FROM "Fact"."Sale" WHERE "Invoice Date Key" BETWEEN :{period}_start AND :{period}_end
HAVING count(*) > 0"""
HAND_SQL["wwi.sales.kpi_window_totals"] = (
    " UNION ALL ".join(_WWI_WINDOW.format(period=period) for period in ("current", "previous")),
)

HAND_SQL["wwi.stock_levels.as_of"] = ('SELECT max("Date Key") AS as_of FROM "Fact"."Movement"',)

HAND_SQL["wwi.stock_levels.positions"] = (
    """
WITH items AS (
  SELECT "Stock Item Key" AS item_key, "WWI Stock Item ID" AS item_id
  FROM "Dimension"."Stock Item"
), issues AS (
  SELECT i.item_id, CAST(-sum(m.quantity) AS BIGINT) AS issued_qty
  FROM (SELECT "Stock Item Key" AS item_key, sum(CAST("Quantity" AS BIGINT)) AS quantity
        FROM "Fact"."Movement"
        WHERE "Date Key" BETWEEN :demand_start AND :demand_end
          AND "WWI Invoice ID" IS NOT NULL AND "Quantity" < 0
        GROUP BY "Stock Item Key") AS m
  JOIN items i USING (item_key) GROUP BY i.item_id
), open_orders AS (
  SELECT i.item_id, CAST(sum(p.quantity) AS BIGINT) AS open_qty
  FROM (SELECT "Stock Item Key" AS item_key, sum(CAST("Ordered Quantity" AS BIGINT)) AS quantity
        FROM "Fact"."Purchase" WHERE NOT "Is Order Finalized"
        GROUP BY "Stock Item Key") AS p
  JOIN items i USING (item_key) GROUP BY i.item_id
)
SELECT c."WWI Stock Item ID" AS wwi_stock_item_id, c."Stock Item" AS stock_item,
       h."Quantity On Hand" AS on_hand, h."Reorder Level" AS reorder_level,
       h."Target Stock Level" AS target_level, c."Lead Time Days" AS lead_time_days,
       c."Quantity Per Outer" AS quantity_per_outer, h."Last Cost Price" AS last_cost_price,
       coalesce(iss.issued_qty, 0) AS issued_qty, coalesce(oo.open_qty, 0) AS open_po_qty
FROM "Fact"."Stock Holding" h
JOIN items held ON held.item_key = h."Stock Item Key"
JOIN "Dimension"."Stock Item" c
  ON c."WWI Stock Item ID" = held.item_id AND c."Valid To" >= TIMESTAMP '9999-12-31'
LEFT JOIN issues iss ON iss.item_id = held.item_id
LEFT JOIN open_orders oo ON oo.item_id = held.item_id
WHERE h."Stock Item Key" <> 0
ORDER BY c."WWI Stock Item ID"
""",
)

HAND_SQL["wwi.suppliers.as_of"] = ('SELECT max("Date Key") AS as_of FROM "Fact"."Purchase"',)

# Movements brought to (purchase order, stock item key) before the item lookup: the fastest
# on small warehouses.
_SUPPLIERS_PREAGGREGATED = """
WITH items AS (
  SELECT "Stock Item Key" AS item_key, "WWI Stock Item ID" AS item_id,
         first_value("Lead Time Days") OVER (PARTITION BY "WWI Stock Item ID"
           ORDER BY "Valid From" DESC, "Stock Item Key" DESC) AS lead_time_days
  FROM "Dimension"."Stock Item"
), suppliers AS (
  SELECT "Supplier Key" AS supplier_key, "WWI Supplier ID" AS supplier_id,
         first_value("Supplier") OVER newest AS supplier,
         first_value("Category") OVER newest AS category
  FROM "Dimension"."Supplier"
  WINDOW newest AS (PARTITION BY "WWI Supplier ID" ORDER BY "Valid From" DESC,
                    "Supplier Key" DESC)
), receipts AS (
  SELECT m.po_id, i.item_id, min(m.received_on) AS received_on
  FROM (SELECT "WWI Purchase Order ID" AS po_id, "Stock Item Key" AS item_key,
               min("Date Key") AS received_on
        FROM "Fact"."Movement" WHERE "WWI Purchase Order ID" IS NOT NULL AND "Quantity" > 0
        GROUP BY 1, 2) AS m
  JOIN items i USING (item_key) GROUP BY m.po_id, i.item_id
), lines AS (
  SELECT s.supplier_id, s.supplier, s.category, p."WWI Purchase Order ID" AS po_id,
         p."Is Order Finalized" AS finalized, p."Ordered Outers" AS ordered_outers,
         p."Received Outers" AS received_outers, i.lead_time_days,
         date_diff('day', p."Date Key", r.received_on) AS days_to_receipt
  FROM "Fact"."Purchase" p
  JOIN suppliers s ON s.supplier_key = p."Supplier Key"
  JOIN items i ON i.item_key = p."Stock Item Key"
  LEFT JOIN receipts r ON r.po_id = p."WWI Purchase Order ID" AND r.item_id = i.item_id
  WHERE s.supplier_id <> 0
)
SELECT supplier_id AS wwi_supplier_id, any_value(supplier) AS supplier,
       any_value(category) AS category, count(DISTINCT po_id) AS purchase_orders,
       count(*) AS lines,
       sum(CASE WHEN finalized THEN ordered_outers ELSE 0 END) AS finalized_ordered_outers,
       sum(CASE WHEN finalized THEN received_outers ELSE 0 END) AS finalized_received_outers,
       sum(CASE WHEN NOT finalized THEN 1 ELSE 0 END) AS open_lines,
       count(days_to_receipt) AS received_lines,
       sum(CASE WHEN days_to_receipt <= lead_time_days THEN 1 ELSE 0 END) AS on_time_lines,
       sum(CASE WHEN days_to_receipt > lead_time_days THEN days_to_receipt - lead_time_days
                ELSE 0 END) AS late_days
FROM lines GROUP BY supplier_id
"""

# Movements joined to the item first, grouped once: the fastest on large ones.
_SUPPLIERS_JOINED = """
WITH current_items AS (
  SELECT "WWI Stock Item ID" AS item_id, "Lead Time Days" AS lead_time_days
  FROM "Dimension"."Stock Item"
  QUALIFY row_number() OVER (PARTITION BY "WWI Stock Item ID"
                             ORDER BY "Valid From" DESC, "Stock Item Key" DESC) = 1
), current_suppliers AS (
  SELECT "WWI Supplier ID" AS supplier_id, "Supplier" AS supplier, "Category" AS category
  FROM "Dimension"."Supplier"
  QUALIFY row_number() OVER (PARTITION BY "WWI Supplier ID"
                             ORDER BY "Valid From" DESC, "Supplier Key" DESC) = 1
), receipts AS (
  SELECT m."WWI Purchase Order ID" AS po_id, i."WWI Stock Item ID" AS item_id,
         min(m."Date Key") AS received_on
  FROM "Fact"."Movement" m
  JOIN "Dimension"."Stock Item" i ON i."Stock Item Key" = m."Stock Item Key"
  WHERE m."WWI Purchase Order ID" IS NOT NULL AND m."Quantity" > 0
  GROUP BY m."WWI Purchase Order ID", i."WWI Stock Item ID"
), lines AS (
  SELECT s."WWI Supplier ID" AS supplier_id, p."WWI Purchase Order ID" AS po_id,
         p."Is Order Finalized" AS finalized, p."Ordered Outers" AS ordered_outers,
         p."Received Outers" AS received_outers, ci.lead_time_days,
         date_diff('day', p."Date Key", r.received_on) AS days_to_receipt
  FROM "Fact"."Purchase" p
  JOIN "Dimension"."Supplier" s ON s."Supplier Key" = p."Supplier Key"
  JOIN "Dimension"."Stock Item" i ON i."Stock Item Key" = p."Stock Item Key"
  JOIN current_items ci ON ci.item_id = i."WWI Stock Item ID"
  LEFT JOIN receipts r
    ON r.po_id = p."WWI Purchase Order ID" AND r.item_id = i."WWI Stock Item ID"
  WHERE s."WWI Supplier ID" <> 0
)
SELECT l.supplier_id AS wwi_supplier_id, cs.supplier, cs.category,
       count(DISTINCT po_id) AS purchase_orders, count(*) AS lines,
       sum(CASE WHEN finalized THEN ordered_outers ELSE 0 END) AS finalized_ordered_outers,
       sum(CASE WHEN finalized THEN received_outers ELSE 0 END) AS finalized_received_outers,
       sum(CASE WHEN NOT finalized THEN 1 ELSE 0 END) AS open_lines,
       count(days_to_receipt) AS received_lines,
       sum(CASE WHEN days_to_receipt <= lead_time_days THEN 1 ELSE 0 END) AS on_time_lines,
       sum(CASE WHEN days_to_receipt > lead_time_days THEN days_to_receipt - lead_time_days
                ELSE 0 END) AS late_days
FROM lines l JOIN current_suppliers cs ON cs.supplier_id = l.supplier_id
GROUP BY l.supplier_id, cs.supplier, cs.category
"""
HAND_SQL["wwi.suppliers.score_totals"] = (_SUPPLIERS_PREAGGREGATED, _SUPPLIERS_JOINED)


@dataclass(frozen=True)
class Case:
    """One statement with the parameters a view sent it, and its hand-written rivals."""

    label: str
    domain: Domain
    statement: Statement
    parameters: dict[str, Any]
    hands: tuple[sa.TextClause, ...]


@dataclass(frozen=True)
class Figures:
    """One case's timings (median seconds) or the reason it was not timed."""

    case: Case
    product_s: float = math.nan
    hand_s: float = math.nan
    compile_s: float = math.nan
    mismatch: str = ""

    @property
    def ratio(self) -> float:
        """Return product time ÷ hand time."""
        return self.product_s / self.hand_s


def _captured_cases(domain: Domain, engine: sa.Engine) -> list[Case]:
    """Return the statements the domain's views send, with their parameters, in call order."""
    statements = {id(statement.query): statement for statement in all_statements()}
    calls: list[tuple[Statement, dict[str, Any], str]] = []
    note = ""

    def record(
        connection: sa.Connection,
        clause: object,
        multiparams: Sequence[dict[str, Any]],
        parameters: dict[str, Any],
        options: object,
    ) -> None:
        statement = statements.get(id(clause))
        if statement is not None:
            calls.append((statement, dict(parameters), note))

    sa.event.listen(engine, "before_execute", record)
    try:
        with engine.connect() as connection:
            for view in VIEWS:
                if view.domain is domain:
                    note = view.note
                    view.call(connection)
    finally:
        sa.event.remove(engine, "before_execute", record)
    cases: list[Case] = []
    seen: set[tuple[str, str]] = set()
    for statement, parameters, call_note in calls:
        key = (statement.name, repr(sorted(parameters.items())))
        if key in seen:
            continue
        seen.add(key)
        label = f"{statement.name} {call_note}".strip()
        hands = tuple(sa.text(sql) for sql in HAND_SQL[statement.name])
        cases.append(Case(label, domain, statement, parameters, hands))
    return cases


def _normalised(value: object) -> object:
    if isinstance(value, Decimal | float) or (
        isinstance(value, int) and not isinstance(value, bool)
    ):
        return float(value)
    return value


def _sort_key(row: tuple[object, ...]) -> tuple[tuple[int, str], ...]:
    return tuple((0, "") if value is None else (1, repr(value)) for value in row)


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE)
    return a == b


Rows = tuple[list[str], list[tuple[object, ...]]]
"""A result's column names and rows."""


def _fetched(result: sa.Result[Any]) -> Rows:
    return list(result.keys()), [tuple(row) for row in result.all()]


def _difference(product: Rows, hand: Rows) -> str:
    """Return how the two results differ, or "" when they hold the same rows."""
    (product_columns, product_all), (hand_columns, hand_all) = product, hand
    if product_columns != hand_columns:
        return f"columns {product_columns} != {hand_columns}"
    product_rows = sorted((tuple(map(_normalised, row)) for row in product_all), key=_sort_key)
    hand_rows = sorted((tuple(map(_normalised, row)) for row in hand_all), key=_sort_key)
    if len(product_rows) != len(hand_rows):
        return f"{len(product_rows)} rows != {len(hand_rows)} rows"
    for product_row, hand_row in zip(product_rows, hand_rows, strict=True):
        if not all(map(_same, product_row, hand_row)):
            return f"row {product_row} != {hand_row}"
    return ""


def _measure(connection: sa.Connection, case: Case, runs: int) -> Figures:
    """Return the case's median timings after checking every side gives the same rows.

    The hand time is the fastest hand-written candidate's median.
    """

    def side(query: sa.Executable) -> Callable[[], Rows]:
        return lambda: _fetched(connection.execute(query, case.parameters))

    sides = [side(case.statement.query), *map(side, case.hands)]
    started = time.perf_counter()
    product_rows = sides[0]()  # with the checks below, also the warm-up
    for number, hand in enumerate(sides[1:], 1):
        mismatch = _difference(product_rows, hand())
        if mismatch:
            return Figures(case, mismatch=f"hand query {number}: {mismatch}")
    # Fast statements run more often: a median over a few sub-millisecond runs is noise.
    warm_up = time.perf_counter() - started
    runs = max(runs, min(MAX_RUNS, math.ceil(len(sides) * SECONDS_PER_SIDE / warm_up)))
    timings: list[list[float]] = [[] for _ in sides]
    for run in range(runs):
        first = run % len(sides)  # each side leads in turn
        for number in [*range(first, len(sides)), *range(first)]:
            started = time.perf_counter()
            sides[number]()
            timings[number].append(time.perf_counter() - started)
    medians = [statistics.median(times) for times in timings]
    return Figures(
        case,
        product_s=medians[0],
        hand_s=min(medians[1:]),
        compile_s=_compile_seconds(case.statement, connection.dialect),
    )


def _compile_seconds(statement: Statement, dialect: sa.Dialect) -> float:
    """Return the median time SQLAlchemy takes to compile the statement for `dialect`.

    duckdb-engine turns SQLAlchemy's statement cache off, so the product pays this on every
    execution; it is part of "product ms".
    """
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        statement.query.compile(dialect=dialect)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _bench_scale(scale: float, data_dir: Path, runs: int) -> list[Figures]:
    started = time.perf_counter()
    missing = [d for d in Domain if not duckdb_path(d, data_dir).exists()]
    for domain in missing:
        generate_warehouse(domain, duckdb_path(domain, data_dir), scale=scale, seed=7)
    if missing:
        print(f"scale {scale:g}: warehouses generated in {time.perf_counter() - started:.0f} s")
    figures: list[Figures] = []
    for domain in Domain:
        engine = sa.create_engine(
            f"duckdb:///{duckdb_path(domain, data_dir)}", connect_args={"read_only": True}
        )
        try:
            cases = _captured_cases(domain, engine)
            with engine.connect() as connection:
                figures.extend(_measure(connection, case, runs) for case in cases)
        finally:
            engine.dispose()
    return figures


def _print_table(figures: Sequence[tuple[float, Figures]]) -> None:
    header = (
        f"{'scale':>5}  {'statement':<44}{'product ms':>11}{'hand ms':>10}{'ratio':>7}  "
        f"verdict  {'of which compile ms':>19}"
    )
    print(header)
    print("-" * len(header))
    for scale, f in figures:
        name = f"{f.case.label:<44}"
        if f.mismatch:
            print(f"{scale:>5g}  {name}{'':>28}  MISMATCH: {f.mismatch}")
            continue
        verdict = "PASS" if f.ratio <= THRESHOLD else "FAIL"
        print(
            f"{scale:>5g}  {name}{f.product_s * 1000:>11.1f}{f.hand_s * 1000:>10.1f}"
            f"{f.ratio:>7.2f}  {verdict:<7}  {f.compile_s * 1000:>19.2f}"
        )


def main() -> None:
    """Benchmark every view statement at each scale and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scales",
        default="1,10,100",
        type=lambda text: [float(s) for s in text.split(",")],
        help="comma-separated warehouse scales (default 1,10,100)",
    )
    parser.add_argument("--runs", type=int, default=9, help="timed runs per side (default 9)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="keep the generated warehouses here (scale-<n>/) and reuse them in later runs",
    )
    arguments = parser.parse_args()
    results: list[tuple[float, Figures]] = []
    with tempfile.TemporaryDirectory(prefix="otelbi-warehouse-sql-") as scratch:
        root = arguments.data_dir or Path(scratch)
        for scale in arguments.scales:
            data_dir = root / f"scale-{scale:g}"
            results.extend((scale, f) for f in _bench_scale(scale, data_dir, arguments.runs))
    print(
        f"\nmedian of at least {arguments.runs} runs per side (statements under "
        f"{SECONDS_PER_SIDE * 1000 / arguments.runs:.0f} ms: more, up to {MAX_RUNS}); "
        f"threshold {THRESHOLD}x product ÷ hand"
    )
    _print_table(results)
    failed = [f for _, f in results if not f.mismatch and f.ratio > THRESHOLD]
    mismatched = [f for _, f in results if f.mismatch]
    print(
        f"\n{len(results) - len(failed) - len(mismatched)} of {len(results)} within "
        f"{THRESHOLD}x; {len(failed)} slower; {len(mismatched)} with different results"
    )
    if mismatched:
        sys.exit(1)


if __name__ == "__main__":
    main()
