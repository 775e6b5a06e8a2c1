"""The quantities on hand of Fact.Stock Holding, placed against each item's sales.

The real warehouse holds nearly every item far above its target (median about 1,756 x), so
its reorder view shows nothing to do. The generator keeps that shape for most items but, once
the sales are known, moves about a third of them to positions that need attention, measured
against each item's own issues over the reorder view's demand window (docs/warehouses.md).
"""

from __future__ import annotations

import numpy as np

from otelbi.warehouse.generator.wwi.columns import F64, I64, Columns, int32
from otelbi.warehouse.generator.wwi.purchases import Purchases
from otelbi.warehouse.generator.wwi.sales import SaleLines
from otelbi.warehouse.generator.wwi.stock_items import StockItems
from otelbi.warehouse.generator.wwi.timeline import CUTOFF_DAY
from otelbi.wwi.stock_levels import DEMAND_WINDOW_DAYS

# share of items per position, by how the reorder view sees them: out of stock, below the
# reorder level, under its lead-time demand, within the reorder level of it, within target of
# it; the rest keep the real warehouse's overstock
_POSITIONS = (0.01, 0.04, 0.06, 0.07, 0.12)


def _index_by_key(item_keys: I64, keys: I64) -> I64:
    """Return the index into `item_keys` (one key per item) of each of `keys`."""
    by_key = np.argsort(item_keys, kind="stable")
    at = np.searchsorted(item_keys, keys, sorter=by_key)
    return np.asarray(by_key[np.clip(at, 0, len(item_keys) - 1)])


def _daily_issues(items: StockItems, sales: SaleLines) -> F64:
    """Return each item's units invoiced per day over the demand window ending at the cut-off."""
    count = len(items.wwi_id)
    item = _index_by_key(items.first_key, sales.item_key)
    recent = (items.first_key[item] == sales.item_key) & (
        sales.invoice_day.astype("datetime64[D]") > CUTOFF_DAY - DEMAND_WINDOW_DAYS
    )
    issued = np.bincount(item[recent], weights=sales.quantity[recent], minlength=count)
    return np.asarray(issued[:count] / DEMAND_WINDOW_DAYS)


def positioned_on_hand(
    rng: np.random.Generator,
    columns: Columns,
    items: StockItems,
    sales: SaleLines,
    purchases: Purchases,
) -> Columns:
    """Return the holding columns with a third of the items (those without open purchase
    orders, and selling) moved to positions from out of stock to just above target."""
    at = _index_by_key(items.current_key, columns["Stock Item Key"].astype(np.int64))
    reorder = columns["Reorder Level"].astype(np.float64)
    target = columns["Target Stock Level"].astype(np.float64)
    lead_demand = (_daily_issues(items, sales) * np.maximum(items.lead_time_days, 1))[at]
    on_order = np.bincount(purchases.item[~purchases.finalized], minlength=len(items.wwi_id))
    free = np.flatnonzero((on_order[at] == 0) & (lead_demand >= 1))
    bounds = np.cumsum((0.0, *_POSITIONS)) * len(at)
    chosen = rng.permutation(free)[: int(bounds[-1])]
    position = np.searchsorted(bounds[1:], np.arange(len(chosen)), side="right")
    low = np.select(
        [position == 0, position == 1, position == 2, position == 3],
        [0.0, 1.0, reorder[chosen], lead_demand[chosen] + 1],
        lead_demand[chosen] + reorder[chosen] + 1,
    )
    high = np.select(
        [position == 0, position == 1, position == 2, position == 3],
        [0.0, reorder[chosen] - 1, lead_demand[chosen] - 1, lead_demand[chosen] + reorder[chosen]],
        lead_demand[chosen] + target[chosen],
    )
    on_hand = columns["Quantity On Hand"].astype(np.int64)
    on_hand[chosen] = np.floor(rng.uniform(low, np.maximum(low, high) + 1)).astype(np.int64)
    stocktake = np.round(on_hand * rng.uniform(0.9, 1.05, len(on_hand)))
    return {
        **columns,
        "Quantity On Hand": int32(on_hand),
        "Last Stocktake Quantity": int32(stocktake),
    }
