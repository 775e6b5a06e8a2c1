"""WideWorldImporters data-quality checks: row counts, keys, tax, receipts, freshness, stock.

- Keys: every NOT NULL foreign key of the six facts is set and found in its dimension (date
  keys in Dimension.Date([Date])); a nullable one ([Delivery Date Key], [Picked Date Key],
  [Picker Key], the customer, supplier and payment-method keys of Movement and Transaction)
  may be NULL, and is checked only where it is set. Key 0 is the dimension's "Unknown" row,
  which exists, so a 0 key passes.
- Tax: [Total Including Tax] = [Total Excluding Tax] + [Tax Amount] within a cent, in Sale,
  Order and Transaction (all three decimal(18, 2)).
- Receipts: no Purchase line received more outers than it ordered.
- Stock: every current [Stock Item] version (the open SCD2 row, key 0 left out) has a Stock
  Holding row under its key: Stock Holding is written with current version keys.
- Freshness: days from the last Sale [Invoice Date Key] and the last Purchase [Date Key] to
  today (UTC); a warning past `freshness_max_days`.
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from otelbi.quality.checks import (
    QualityCheck,
    freshness,
    no_null_or_orphan_key,
    row_count_above_zero,
    rows_violating,
)
from otelbi.quality.runner import QualitySuite
from otelbi.warehouse.wwi_tables import (
    dimension_city,
    dimension_customer,
    dimension_date,
    dimension_employee,
    dimension_payment_method,
    dimension_stock_item,
    dimension_supplier,
    dimension_transaction_type,
    fact_movement,
    fact_order,
    fact_purchase,
    fact_sale,
    fact_stock_holding,
    fact_transaction,
    metadata,
)
from otelbi.wwi.stock_levels import CURRENT_VERSION_FROM

FRESHNESS_MAX_DAYS = 2
"""Days Sale or Purchase may go without a new row before the freshness checks warn."""

_CENT = sa.literal_column("0.01", sa.Numeric(18, 2))
_UNKNOWN_KEY = sa.literal_column("0", sa.Integer())

ForeignKey = tuple[sa.Table, str, sa.Table, str]
"""A fact, its key column, the dimension and the dimension key."""

_REQUIRED_KEYS: tuple[ForeignKey, ...] = (
    (fact_sale, "City Key", dimension_city, "City Key"),
    (fact_sale, "Customer Key", dimension_customer, "Customer Key"),
    (fact_sale, "Bill To Customer Key", dimension_customer, "Customer Key"),
    (fact_sale, "Stock Item Key", dimension_stock_item, "Stock Item Key"),
    (fact_sale, "Invoice Date Key", dimension_date, "Date"),
    (fact_sale, "Salesperson Key", dimension_employee, "Employee Key"),
    (fact_order, "City Key", dimension_city, "City Key"),
    (fact_order, "Customer Key", dimension_customer, "Customer Key"),
    (fact_order, "Stock Item Key", dimension_stock_item, "Stock Item Key"),
    (fact_order, "Order Date Key", dimension_date, "Date"),
    (fact_order, "Salesperson Key", dimension_employee, "Employee Key"),
    (fact_purchase, "Date Key", dimension_date, "Date"),
    (fact_purchase, "Supplier Key", dimension_supplier, "Supplier Key"),
    (fact_purchase, "Stock Item Key", dimension_stock_item, "Stock Item Key"),
    (fact_movement, "Date Key", dimension_date, "Date"),
    (fact_movement, "Stock Item Key", dimension_stock_item, "Stock Item Key"),
    (fact_movement, "Transaction Type Key", dimension_transaction_type, "Transaction Type Key"),
    (fact_stock_holding, "Stock Item Key", dimension_stock_item, "Stock Item Key"),
    (fact_transaction, "Date Key", dimension_date, "Date"),
    (
        fact_transaction,
        "Transaction Type Key",
        dimension_transaction_type,
        "Transaction Type Key",
    ),
)

_NULLABLE_KEYS: tuple[ForeignKey, ...] = (
    (fact_sale, "Delivery Date Key", dimension_date, "Date"),
    (fact_order, "Picked Date Key", dimension_date, "Date"),
    (fact_order, "Picker Key", dimension_employee, "Employee Key"),
    (fact_movement, "Customer Key", dimension_customer, "Customer Key"),
    (fact_movement, "Supplier Key", dimension_supplier, "Supplier Key"),
    (fact_transaction, "Customer Key", dimension_customer, "Customer Key"),
    (fact_transaction, "Bill To Customer Key", dimension_customer, "Customer Key"),
    (fact_transaction, "Supplier Key", dimension_supplier, "Supplier Key"),
    (fact_transaction, "Payment Method Key", dimension_payment_method, "Payment Method Key"),
)

_TAXED_FACTS = (fact_sale, fact_order, fact_transaction)


def _orphan_key_where_set(
    fact: sa.Table, column: str, dimension: sa.Table, dimension_key: str
) -> QualityCheck:
    """Return the check that `fact.column`, where it is set, has a row in `dimension`."""
    check = no_null_or_orphan_key(
        fact, column, dimension, dimension_key, where=fact.c[column].is_not(None)
    )
    return dataclasses.replace(
        check,
        description=f"every {fact.name}.{column} that is set is found in {dimension.name} "
        "(NULL allowed)",
    )


def _tax_identity(fact: sa.Table) -> QualityCheck:
    including, excluding, tax = (
        fact.c["Total Including Tax"],
        fact.c["Total Excluding Tax"],
        fact.c["Tax Amount"],
    )
    return rows_violating(
        "tax_identity",
        fact,
        sa.func.abs(including - (excluding + tax)) > _CENT,
        description="Total Including Tax = Total Excluding Tax + Tax Amount within a cent",
    )


_RECEIVED_WITHIN_ORDERED = rows_violating(
    "received_over_ordered",
    fact_purchase,
    fact_purchase.c["Received Outers"] > fact_purchase.c["Ordered Outers"],
    description="no Purchase line received more outers than it ordered",
)


def _current_stock_items_held() -> QualityCheck:
    item = dimension_stock_item.c
    check = no_null_or_orphan_key(
        dimension_stock_item,
        "Stock Item Key",
        fact_stock_holding,
        "Stock Item Key",
        where=sa.and_(
            item["Valid To"] >= sa.bindparam("current_from", CURRENT_VERSION_FROM),
            item["Stock Item Key"] != _UNKNOWN_KEY,
        ),
        name="current_without_stock_holding",
    )
    return dataclasses.replace(
        check,
        description="every current Stock Item version (Valid To in 9999-12-31, not key 0) "
        "has a Stock Holding row under its key",
    )


_STRUCTURE_CHECKS: tuple[QualityCheck, ...] = (
    *(row_count_above_zero(table) for table in metadata.tables.values()),
    *(no_null_or_orphan_key(*foreign_key) for foreign_key in _REQUIRED_KEYS),
    *(_orphan_key_where_set(*foreign_key) for foreign_key in _NULLABLE_KEYS),
    *(_tax_identity(fact) for fact in _TAXED_FACTS),
    _RECEIVED_WITHIN_ORDERED,
    _current_stock_items_held(),
)

FRESHNESS_CHECKS: tuple[QualityCheck, ...] = (
    freshness(fact_sale, "Invoice Date Key", FRESHNESS_MAX_DAYS),
    freshness(fact_purchase, "Date Key", FRESHNESS_MAX_DAYS),
)

WWI_QUALITY = QualitySuite(structure=_STRUCTURE_CHECKS, freshness=FRESHNESS_CHECKS)
"""The WideWorldImporters data-quality checks."""
