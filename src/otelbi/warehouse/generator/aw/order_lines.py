"""Order lines as both sales facts build them: products drawn into orders, and line amounts.

Products are drawn per order without replacement, weighted so that each category gets its
share of lines at its mean price. `line_columns` derives every amount from the unit price,
quantity, discount and cost, in integer ten-thousandths, so the fact identities hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from otelbi.warehouse.generator.aw.catalogue import Catalogue
from otelbi.warehouse.generator.aw.columns import MONEY, Array, Columns
from otelbi.warehouse.generator.aw.dates import date_keys


@dataclass(frozen=True)
class OrderLines:
    """Order lines of one sales fact before order numbers are assigned."""

    order_day: Array  # per order
    line_order: Array  # per line: index of its order
    columns: Columns  # per line, without SalesOrderNumber


def line_columns(
    order_day: Array, unit_price: Array, quantity: Array, discount_pct: Array, unit_cost: Array
) -> Columns:
    """Return the date and amount columns both sales facts share, one value per line."""
    extended = unit_price * quantity
    discount = np.rint(extended * discount_pct).astype(np.int64)
    sales = extended - discount
    return {
        "OrderDateKey": date_keys(order_day),
        "DueDateKey": date_keys(order_day + 12),
        "ShipDateKey": date_keys(order_day + 7),
        "RevisionNumber": np.ones(len(order_day), dtype=np.int64),
        "OrderQuantity": quantity,
        "UnitPrice": unit_price,
        "ExtendedAmount": extended,
        "UnitPriceDiscountPct": discount_pct.astype(np.float64),
        "DiscountAmount": discount / MONEY,
        "ProductStandardCost": unit_cost,
        "TotalProductCost": unit_cost * quantity,
        "SalesAmount": sales,
        "TaxAmt": (sales * 8 + 50) // 100,
        "Freight": (sales * 25 + 500) // 1000,
        "OrderDate": order_day,
        "DueDate": order_day + 12,
        "ShipDate": order_day + 7,
    }


def price_tilt(prices: Array, target: float) -> Array:
    """Return weights proportional to price**a, with `a` set so the mean price is `target`."""
    log_price = np.log(np.asarray(prices, dtype=np.float64))
    low, high = -40.0, 40.0
    weights = np.ones(len(log_price))
    for _ in range(40):
        tilt = (low + high) / 2
        weights = np.exp(tilt * (log_price - log_price.max()))
        if weights @ np.exp(log_price) / weights.sum() < target:
            low = tilt
        else:
            high = tilt
    tilted: Array = weights / weights.sum()
    return tilted


def mix_weights(
    catalogue: Catalogue,
    index: Array,
    mix: Mapping[str, tuple[float, float]],
    price: Array,
) -> Array:
    """Return weights for products `index` giving each category its share and mean price."""
    weights = np.zeros(len(index))
    for category, (share, mean_price) in mix.items():
        here = catalogue.category[index] == category
        if here.any():
            weights[here] = share * price_tilt(price[index][here] / MONEY, mean_price)
    total = weights.sum()
    return weights / total if total else weights


def pick_distinct(rng: np.random.Generator, weights: Array, counts: Array) -> tuple[Array, Array]:
    """Return (row, item) pairs: for row i, counts[i] distinct items drawn by weight.

    Gumbel top-k: ranking log-weights plus Gumbel noise samples without replacement.
    """
    counts = np.minimum(counts, np.count_nonzero(weights))
    if len(counts) == 0 or counts.max() <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    with np.errstate(divide="ignore"):
        noisy = np.log(weights)[None, :] + rng.gumbel(size=(len(counts), len(weights)))
    ranked = np.argsort(-noisy, axis=1, kind="stable")[:, : counts.max()]
    take = np.arange(ranked.shape[1])[None, :] < counts[:, None]
    rows = np.broadcast_to(np.arange(len(counts))[:, None], ranked.shape)[take]
    return rows, ranked[take]


def numbered_lines(orders: list[Array], products: list[Array]) -> tuple[Array, Array, Array]:
    """Return each line's order, product and 1-based line number, sorted by order.

    Lines keep the order they were drawn in within an order.
    """
    order = np.concatenate([np.zeros(0, np.int64), *orders])
    product = np.concatenate([np.zeros(0, np.int64), *products])
    by_order = np.argsort(order, kind="stable")
    order, product = order[by_order], product[by_order]
    number = np.arange(len(order)) - np.searchsorted(order, order, side="left") + 1
    return order, product, number
