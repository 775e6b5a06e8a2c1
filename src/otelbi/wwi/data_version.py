"""The WideWorldImporters data version: what the result cache keys every WWI view by."""

from __future__ import annotations

import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.warehouse.catalog import declare
from otelbi.warehouse.fingerprint import fingerprint_query
from otelbi.warehouse.wwi_tables import (
    dimension_stock_item,
    dimension_supplier,
    fact_movement,
    fact_purchase,
    fact_sale,
    fact_stock_holding,
)

DATA_VERSION = declare(
    "wwi.data_version",
    Domain.WWI,
    fingerprint_query(
        {
            fact_sale: (
                sa.func.max(fact_sale.c["Invoice Date Key"]),
                sa.func.sum(fact_sale.c["Total Excluding Tax"]),
            ),
            fact_purchase: (
                sa.func.max(fact_purchase.c["Date Key"]),
                sa.func.sum(fact_purchase.c["Ordered Outers"]),
            ),
            fact_movement: (
                sa.func.max(fact_movement.c["Date Key"]),
                sa.func.sum(fact_movement.c["Quantity"]),
            ),
            fact_stock_holding: (sa.func.sum(fact_stock_holding.c["Quantity On Hand"]),),
            # Type-2 dimensions: a changed item or supplier is a new row.
            dimension_stock_item: (sa.func.max(dimension_stock_item.c["Stock Item Key"]),),
            dimension_supplier: (sa.func.max(dimension_supplier.c["Supplier Key"]),),
        }
    ),
)
