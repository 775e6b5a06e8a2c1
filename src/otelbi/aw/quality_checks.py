"""AdventureWorks data-quality checks: row counts, keys, order lines, amounts, dates, freshness.

- Keys: every foreign key of FactInternetSales, FactResellerSales and FactSalesQuota is set
  and found in its dimension (the embedded copy holds no key constraints to rely on).
- Order lines: (SalesOrderNumber, SalesOrderLineNumber) is unique in each sales fact.
- Amounts: SalesAmount = UnitPrice × OrderQuantity − DiscountAmount within a cent.
  DiscountAmount is a float and the rest money, so all three are cast to NUMERIC(19, 4)
  first. A line with a NULL amount (FactResellerSales allows them) is not counted.
- Dates: OrderDate ≤ ShipDate ≤ DueDate. Only non-NULL dates are compared: a line without
  a ShipDate has not shipped yet, and the date keys, which are NOT NULL, are checked
  against DimDate by the key checks.
- Freshness: days from the last OrderDate of each sales fact to today (UTC); a warning past
  `freshness_max_days`.
"""

from __future__ import annotations

import sqlalchemy as sa

from otelbi.quality.checks import (
    QualityCheck,
    freshness,
    no_duplicates,
    no_null_or_orphan_key,
    row_count_above_zero,
    rows_violating,
)
from otelbi.quality.runner import QualitySuite
from otelbi.warehouse.aw_tables import (
    dim_currency,
    dim_customer,
    dim_date,
    dim_employee,
    dim_product,
    dim_promotion,
    dim_reseller,
    dim_sales_territory,
    fact_internet_sales,
    fact_reseller_sales,
    fact_sales_quota,
    metadata,
)

FRESHNESS_MAX_DAYS = 2
"""Days a sales fact may go without a new order before the freshness checks warn."""

_SALES_FACTS = (fact_internet_sales, fact_reseller_sales)
_ORDER_LINE = ("SalesOrderNumber", "SalesOrderLineNumber")
_MONEY = sa.Numeric(19, 4)

_FOREIGN_KEYS: tuple[tuple[sa.Table, str, sa.Table, str], ...] = (
    # fact, key column, dimension, dimension key
    (fact_internet_sales, "ProductKey", dim_product, "ProductKey"),
    (fact_internet_sales, "OrderDateKey", dim_date, "DateKey"),
    (fact_internet_sales, "DueDateKey", dim_date, "DateKey"),
    (fact_internet_sales, "ShipDateKey", dim_date, "DateKey"),
    (fact_internet_sales, "CustomerKey", dim_customer, "CustomerKey"),
    (fact_internet_sales, "PromotionKey", dim_promotion, "PromotionKey"),
    (fact_internet_sales, "CurrencyKey", dim_currency, "CurrencyKey"),
    (fact_internet_sales, "SalesTerritoryKey", dim_sales_territory, "SalesTerritoryKey"),
    (fact_reseller_sales, "ProductKey", dim_product, "ProductKey"),
    (fact_reseller_sales, "OrderDateKey", dim_date, "DateKey"),
    (fact_reseller_sales, "DueDateKey", dim_date, "DateKey"),
    (fact_reseller_sales, "ShipDateKey", dim_date, "DateKey"),
    (fact_reseller_sales, "ResellerKey", dim_reseller, "ResellerKey"),
    (fact_reseller_sales, "EmployeeKey", dim_employee, "EmployeeKey"),
    (fact_reseller_sales, "PromotionKey", dim_promotion, "PromotionKey"),
    (fact_reseller_sales, "CurrencyKey", dim_currency, "CurrencyKey"),
    (fact_reseller_sales, "SalesTerritoryKey", dim_sales_territory, "SalesTerritoryKey"),
    (fact_sales_quota, "EmployeeKey", dim_employee, "EmployeeKey"),
    (fact_sales_quota, "DateKey", dim_date, "DateKey"),
)


def _amount_identity(fact: sa.Table) -> QualityCheck:
    def money(column: str) -> sa.ColumnElement[object]:
        return sa.cast(fact.c[column], _MONEY)

    expected = money("UnitPrice") * fact.c.OrderQuantity - money("DiscountAmount")
    return rows_violating(
        "amount_identity",
        fact,
        sa.func.abs(money("SalesAmount") - expected) > sa.literal_column("0.01", _MONEY),
        description="SalesAmount = UnitPrice × OrderQuantity − DiscountAmount within a cent",
    )


def _date_order(fact: sa.Table) -> QualityCheck:
    order, ship, due = fact.c.OrderDate, fact.c.ShipDate, fact.c.DueDate
    return rows_violating(
        "date_order",
        fact,
        sa.or_(order > ship, ship > due, order > due),
        description="OrderDate ≤ ShipDate ≤ DueDate (NULL dates are not compared)",
    )


_STRUCTURE_CHECKS: tuple[QualityCheck, ...] = (
    *(row_count_above_zero(table) for table in metadata.tables.values()),
    *(no_null_or_orphan_key(*foreign_key) for foreign_key in _FOREIGN_KEYS),
    *(no_duplicates(fact, _ORDER_LINE, name="duplicate_order_lines") for fact in _SALES_FACTS),
    *(_amount_identity(fact) for fact in _SALES_FACTS),
    *(_date_order(fact) for fact in _SALES_FACTS),
)

FRESHNESS_CHECKS: tuple[QualityCheck, ...] = tuple(
    freshness(fact, "OrderDate", FRESHNESS_MAX_DAYS) for fact in _SALES_FACTS
)

AW_QUALITY = QualitySuite(structure=_STRUCTURE_CHECKS, freshness=FRESHNESS_CHECKS)
"""The AdventureWorks data-quality checks."""
