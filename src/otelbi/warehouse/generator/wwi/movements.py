"""Fact.Movement: stock receipts per received purchase line, issues per sale line, and
stocktake adjustments.
"""

from __future__ import annotations

import numpy as np

from otelbi.warehouse import wwi_tables as t
from otelbi.warehouse.generator.wwi.activity import scaled, trading_days
from otelbi.warehouse.generator.wwi.columns import LINEAGE, Columns, Moments, dates, int32, int64
from otelbi.warehouse.generator.wwi.purchases import Purchases
from otelbi.warehouse.generator.wwi.sales import SaleLines
from otelbi.warehouse.generator.wwi.small_dimensions import Kinds
from otelbi.warehouse.generator.wwi.stock_items import StockItems

_STOCKTAKES_AT_SCALE_1 = 44


def movement_columns(
    rng: np.random.Generator,
    scale: float,
    items: StockItems,
    sales: SaleLines,
    purchases: Purchases,
    receipts: Moments,
    kinds: Kinds,
) -> Columns:
    """Return receipts (per received purchase line), issues (per sale line) and stocktakes."""
    received = purchases.finalized & (purchases.received_outers > 0)
    per_outer = purchases.quantity // np.maximum(purchases.outers, 1)
    stocktakes = scaled(_STOCKTAKES_AT_SCALE_1, scale, 1)
    days, share = trading_days()
    counted = rng.integers(0, len(items.wwi_id), stocktakes)
    counted_day = np.maximum(
        rng.choice(days, size=stocktakes, p=share), items.available_from[counted]
    )
    n_receipt, n_issue = int(received.sum()), len(sales.invoice_id)
    kind = np.repeat([0, 1, 2], [n_receipt, n_issue, stocktakes])  # receipt, issue, stocktake
    day = np.concatenate([receipts[received], sales.invoice_day, counted_day]).astype("M8[D]")
    reference = np.concatenate(
        [purchases.order_id[received], sales.invoice_id, np.zeros(stocktakes, dtype=np.int64)]
    )
    order = np.lexsort((np.arange(len(kind)), reference, kind, day))
    type_key = np.array(
        [kinds.type_key(name) for name in ("Stock Receipt", "Stock Issue",
                                           "Stock Adjustment at Stocktake")]
    )  # fmt: skip
    item_key = np.concatenate(
        [purchases.item_key[received], sales.item_key, items.first_key[counted]]
    )
    nobody = np.zeros(n_receipt + n_issue + stocktakes, dtype=np.int64)
    customer = np.concatenate([nobody[:n_receipt], sales.customer_key, nobody[:stocktakes]])
    supplier = np.concatenate([purchases.supplier_key[received], nobody[: n_issue + stocktakes]])
    quantity = np.concatenate(
        [
            purchases.received_outers[received] * per_outer[received],
            -sales.quantity,
            rng.integers(1, 60, stocktakes) * rng.choice([-1, 1], size=stocktakes),
        ]
    )
    rows = len(kind)
    identity = np.arange(1, rows + 1)
    return {
        "Movement Key": int64(identity),
        "Date Key": dates(day[order]),
        "Stock Item Key": int32(item_key[order]),
        "Customer Key": int32(customer[order]),
        "Supplier Key": int32(supplier[order]),
        "Transaction Type Key": int32(type_key[kind[order]]),
        "WWI Stock Item Transaction ID": int32(identity),
        "WWI Invoice ID": int32(reference[order], null=kind[order] != 1),
        "WWI Purchase Order ID": int32(reference[order], null=kind[order] != 0),
        "Quantity": int32(quantity[order]),
        "Lineage Key": int32(np.full(rows, LINEAGE[t.fact_movement])),
    }
