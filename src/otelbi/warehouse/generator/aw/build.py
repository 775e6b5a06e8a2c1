"""`generate_aw`: fills the tables asked for in dependency order, reading back the others.

Both sales facts are built before either is written, so that their SalesOrderNumbers are
chronological and unique across the two, and never collide with numbers already loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

import duckdb
import numpy as np
import sqlalchemy as sa

from otelbi.warehouse import aw_tables
from otelbi.warehouse.generator.aw.columns import Array, Columns, concat
from otelbi.warehouse.generator.aw.currencies import currency_columns
from otelbi.warehouse.generator.aw.customers import customer_columns, reseller_columns
from otelbi.warehouse.generator.aw.dates import date_columns
from otelbi.warehouse.generator.aw.employees import employee_columns
from otelbi.warehouse.generator.aw.internet_sales import internet_sales
from otelbi.warehouse.generator.aw.order_lines import OrderLines
from otelbi.warehouse.generator.aw.places import geography_columns, territory_columns
from otelbi.warehouse.generator.aw.product_categories import category_columns, subcategory_columns
from otelbi.warehouse.generator.aw.products import product_columns
from otelbi.warehouse.generator.aw.promotions import promotion_columns
from otelbi.warehouse.generator.aw.quotas import quota_columns
from otelbi.warehouse.generator.aw.reseller_sales import reseller_sales
from otelbi.warehouse.generator.aw.run import Run
from otelbi.warehouse.generator.insert import insert, qualified

_FIRST_ORDER_NUMBER = 43_659

# Dimensions in the order they are filled: each reads only tables filled before it.
_DIMENSIONS: tuple[tuple[sa.Table, Callable[[Run], Columns]], ...] = (
    (aw_tables.dim_date, date_columns),
    (aw_tables.dim_sales_territory, territory_columns),
    (aw_tables.dim_currency, currency_columns),
    (aw_tables.dim_promotion, promotion_columns),
    (aw_tables.dim_product_category, category_columns),
    (aw_tables.dim_product_subcategory, subcategory_columns),
    (aw_tables.dim_product, product_columns),
    (aw_tables.dim_geography, geography_columns),
    (aw_tables.dim_customer, customer_columns),
    (aw_tables.dim_reseller, reseller_columns),
    (aw_tables.dim_employee, employee_columns),
)


def generate_aw(
    con: duckdb.DuckDBPyConnection,
    *,
    scale: float = 1.0,
    seed: int = 7,
    only: Collection[str] | None = None,
) -> dict[str, int]:
    """Return rows written per table (keys are Table.fullname, e.g. "dbo.FactInternetSales").

    The tables must exist (see `duckdb_file.create_tables`) and the ones filled be empty.
    `only` names the tables to fill; the others are read for the keys the new rows refer to.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    known = {table.fullname for table in aw_tables.metadata.tables.values()}
    wanted = set(known if only is None else only)
    if unknown := sorted(wanted - known):
        raise ValueError(f"not AdventureWorksDW tables: {', '.join(unknown)}")

    run = Run(con, scale, seed)
    written: dict[str, int] = {}
    for table, build in _DIMENSIONS:
        if table.fullname in wanted:
            written[table.fullname] = insert(con, table, build(run))
    sales_facts = (aw_tables.fact_internet_sales, aw_tables.fact_reseller_sales)
    if facts := [table for table in sales_facts if table.fullname in wanted]:
        written.update(_write_sales(run, facts))
    quota = aw_tables.fact_sales_quota
    if quota.fullname in wanted:  # after the reseller sales: quotas follow what reps sold
        written[quota.fullname] = insert(con, quota, quota_columns(run))
    return written


def _write_sales(run: Run, tables: list[sa.Table]) -> dict[str, int]:
    """Return rows written per sales fact, after building both and numbering their orders."""
    sales = {}  # on a shared day, reseller orders take the lower numbers, as in the real data
    if aw_tables.fact_reseller_sales in tables:
        sales[aw_tables.fact_reseller_sales] = reseller_sales(run)
    if aw_tables.fact_internet_sales in tables:
        sales[aw_tables.fact_internet_sales] = internet_sales(run)
    numbers = _order_numbers(run, sales)
    written = {}
    for table, lines in sales.items():
        written[table.fullname] = 0
        if lines.columns:
            lines.columns["SalesOrderNumber"] = concat("SO", numbers[table])[lines.line_order]
            written[table.fullname] = insert(run.con, table, lines.columns)
    return written


def _order_numbers(run: Run, sales: Mapping[sa.Table, OrderLines]) -> dict[sa.Table, Array]:
    """Return SalesOrderNumber digits per order: chronological, unique across both facts."""
    taken = [np.zeros(0, dtype=np.int64)]
    for table in (aw_tables.fact_internet_sales, aw_tables.fact_reseller_sales):
        if table not in sales:
            taken.append(
                run.query(
                    "SELECT DISTINCT TRY_CAST(substr(SalesOrderNumber, 3) AS BIGINT) AS n"  # noqa: S608
                    f" FROM {qualified(table)} WHERE SalesOrderNumber LIKE 'SO%'"
                )["n"]
            )
    used = np.concatenate(taken).astype(np.int64)
    days = np.concatenate([s.order_day.astype(np.int64) for s in sales.values()])
    channel = np.concatenate([np.full(len(s.order_day), i) for i, s in enumerate(sales.values())])
    sequence = np.concatenate([np.arange(len(s.order_day)) for s in sales.values()])
    free = np.arange(_FIRST_ORDER_NUMBER, _FIRST_ORDER_NUMBER + len(days) + len(used))
    numbers = np.empty(len(days), dtype=np.int64)
    numbers[np.lexsort((sequence, channel, days))] = np.setdiff1d(free, used)[: len(days)]
    bounds = np.cumsum([0, *(len(s.order_day) for s in sales.values())])
    return {t: numbers[a:b] for t, a, b in zip(sales, bounds[:-1], bounds[1:], strict=True)}
