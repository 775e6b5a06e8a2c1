"""Fact.Stock Holding: stock on hand and last cost price per stock item.
The quantities on hand written are those of `stock_positions.positioned_on_hand`.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np

from otelbi.warehouse import wwi_tables as t
from otelbi.warehouse.generator.wwi.columns import (
    I64,
    LINEAGE,
    Columns,
    int32,
    int64,
    texts,
)
from otelbi.warehouse.generator.wwi.connection import query, require_rows
from otelbi.warehouse.generator.wwi.purchases import Purchases
from otelbi.warehouse.generator.wwi.stock_items import StockItems


@dataclass(frozen=True)
class Holdings:
    """What the later facts need of the stock holdings, per item, aligned with StockItems."""

    on_hand: I64
    cost_cents: I64


def _stock_levels(rng: np.random.Generator, items: StockItems) -> tuple[I64, I64]:
    """Return (reorder level 1-240, target level 2-500), medians about 15 and 40."""
    count = len(items.wwi_id)
    reorder = rng.choice(
        [2, 5, 10, 12, 15, 20, 50], size=count, p=[0.03, 0.25, 0.15, 0.04, 0.2, 0.25, 0.08]
    )
    multiple = rng.choice(
        [2.0, 2.5, 3.0, 4.0, 5.0, 10.0], size=count, p=[0.3, 0.25, 0.15, 0.1, 0.1, 0.1]
    )
    target = np.clip(np.round(reorder * multiple), 2, 500)
    chilled = rng.choice([120, 240], size=count)  # chocolates sell by the hundred
    reorder = np.where(items.is_chiller, chilled, reorder).astype(np.int64)
    target = np.where(items.is_chiller, np.where(chilled == 240, 500, 250), target)
    return reorder, target.astype(np.int64)


def generate_holdings(
    rng: np.random.Generator, items: StockItems, purchases: Purchases
) -> tuple[Holdings, Columns]:
    """Return one holding per item, far above target (median about 1,756 x), but for the nine
    items bought most often, which are low, yet above their reorder level."""
    count = len(items.wwi_id)
    reorder, target = _stock_levels(rng, items)
    ratio = np.exp(rng.normal(np.log(1756), 0.9, count))
    on_hand = np.clip(target * ratio, reorder + 1, 1_100_000).astype(np.int64)
    fast = np.argsort(-np.bincount(purchases.item, minlength=count), kind="stable")[:9]
    reorder[fast] = np.maximum(reorder[fast], 5)
    target[fast] = np.maximum(target[fast], 2 * reorder[fast])
    # above the reorder level: they have purchase orders open, so ordering more is no answer
    on_hand[fast] = rng.integers(reorder[fast] + 1, 3 * target[fast] + 1)
    # cost 25-50% of the price, more on what sells for much per outer, so sales keep about a
    # 50% margin; one item is sold below cost (the warehouse has negative profits)
    price = items.unit_price_cents
    dear = price * np.maximum(items.quantity_per_outer, 1) >= 10_000
    cost_ratio = rng.uniform(0.25, 0.5, count) + 0.15 * dear
    cost_ratio[rng.integers(0, count)] = 1.05
    cost = np.round(price * cost_ratio)
    cost = np.where(price >= 300, np.round(cost / 100) * 100, cost).astype(np.int64)
    letters = np.array(["D", "J", "K", "L"])[rng.integers(0, 4, count)]
    bins = [
        f"CH-{n}" if chiller else f"{letter}-{n}"
        for chiller, letter, n in zip(
            items.is_chiller.tolist(), letters.tolist(), rng.integers(1, 15, count).tolist(),
            strict=True,
        )
    ]  # fmt: skip
    stocktake = np.round(on_hand * rng.uniform(0.9, 1.05, count))
    order = rng.permutation(count)
    columns = {
        "Stock Holding Key": int64(np.arange(1, count + 1)),
        "Stock Item Key": int32(items.current_key[order]),
        "Quantity On Hand": int32(on_hand[order]),
        "Bin Location": texts([bins[i] for i in order.tolist()]),
        "Last Stocktake Quantity": int32(stocktake[order]),
        "Last Cost Price": int64(cost[order]),
        "Reorder Level": int32(reorder[order]),
        "Target Stock Level": int32(target[order]),
        "Lineage Key": int32(np.full(count, LINEAGE[t.fact_stock_holding])),
    }
    return Holdings(on_hand, cost), columns


def read_holdings(con: duckdb.DuckDBPyConnection, items: StockItems) -> Holdings:
    require_rows(con, t.fact_stock_holding)
    rows = query(
        con,
        'SELECT s."WWI Stock Item ID" AS id, h."Quantity On Hand" AS on_hand, '
        'CAST(round(h."Last Cost Price" * 100) AS BIGINT) AS cost '
        'FROM "Fact"."Stock Holding" AS h JOIN "Dimension"."Stock Item" AS s '
        'ON s."Stock Item Key" = h."Stock Item Key" ORDER BY h."Stock Holding Key"',
    )
    count = len(items.wwi_id)
    at = items.index_of(rows["id"].astype(np.int64))
    known = at < count
    # an item without a holding: assume it is well stocked and costs 40% of its price
    holdings = Holdings(
        on_hand=np.full(count, 1_000_000, dtype=np.int64),
        cost_cents=np.round(items.unit_price_cents * 0.4).astype(np.int64),
    )
    holdings.on_hand[at[known]] = rows["on_hand"][known]
    holdings.cost_cents[at[known]] = rows["cost"][known]
    return holdings
