"""Fact.Purchase: every item bought once when first stocked, fast sellers re-bought in large
lots from the two big suppliers, and the day each purchase line was received.

Suppliers differ in reliability (docs/warehouses.md): each has its own share of short
deliveries and of late orders, so supplier scores spread out as they do in practice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb
import numpy as np

from otelbi.warehouse import wwi_tables as t
from otelbi.warehouse.generator.wwi.activity import scaled
from otelbi.warehouse.generator.wwi.columns import (
    F64,
    I64,
    LINEAGE,
    Columns,
    Flags,
    Moments,
    dates,
    flags,
    int32,
    int64,
    take_texts,
)
from otelbi.warehouse.generator.wwi.connection import as_days, query, require_rows
from otelbi.warehouse.generator.wwi.stock_items import StockItems
from otelbi.warehouse.generator.wwi.suppliers import Suppliers
from otelbi.warehouse.generator.wwi.timeline import (
    CUTOFF_DAY,
    FIRST_DAY,
    later,
    noon,
    open_day,
    weekday,
)


@dataclass(frozen=True)
class Purchases:
    """Purchase order lines, ordered by [Purchase Key]."""

    order_id: I64
    day: Moments
    supplier_key: I64
    item: I64  # index into StockItems
    item_key: I64
    outers: I64
    quantity: I64
    received_outers: I64
    finalized: Flags


class _PurchaseBook:
    """Collects purchase orders as they are placed, then numbers them by day."""

    def __init__(self) -> None:
        self.days: list[np.datetime64] = []
        self.suppliers: list[int] = []
        self.items: list[I64] = []  # item indexes of each order's lines
        self.outers: list[I64] = []
        self.open: list[bool] = []

    def place(
        self, day: np.datetime64, supplier: int, items: I64, outers: I64, *, is_open: bool = False
    ) -> None:
        self.days.append(day)
        self.suppliers.append(supplier)
        self.items.append(items)
        self.outers.append(outers)
        self.open.append(is_open)

    def lines(self, items: StockItems, suppliers: Suppliers) -> Purchases:
        days = np.array(self.days, dtype="datetime64[D]")
        sequence = np.lexsort((np.arange(len(days)), np.array(self.suppliers), days))
        order_id = np.empty(len(days), dtype=np.int64)
        order_id[sequence] = np.arange(1, len(days) + 1)
        line_order = np.concatenate([np.full(len(self.items[i]), i) for i in sequence.tolist()])
        item = np.concatenate([self.items[i] for i in sequence.tolist()]).astype(np.int64)
        outers = np.concatenate([self.outers[i] for i in sequence.tolist()]).astype(np.int64)
        is_open = np.array(self.open)[line_order]
        supplier_ids = np.array(self.suppliers, dtype=np.int64)[line_order]
        return Purchases(
            order_id=order_id[line_order],
            day=days[line_order],
            supplier_key=suppliers.versions.at(supplier_ids, noon(days[line_order])),
            item=item,
            item_key=items.first_key[item],
            outers=outers,
            quantity=outers * np.maximum(items.quantity_per_outer[item], 1),
            received_outers=np.where(is_open, 0, outers),
            finalized=~is_open,
        )


# about 2,074 purchase orders at scale 1, nearly all from two suppliers re-stocking fast sellers
_BIG_SUPPLIER_ORDERS = (1_048, 980)


def _lot_sizes(rng: np.random.Generator, count: int) -> I64:
    """Return re-stocking lots in outers: median about 1,300, at most 3,768."""
    return np.clip(np.exp(rng.normal(np.log(1300), 0.55, count)), 1, 3768).astype(np.int64)


def _first_stocking(
    rng: np.random.Generator, book: _PurchaseBook, items: StockItems, supplier: I64, big: I64
) -> None:
    """Buy every item once: in January 2013 (the first orders on New Year's Day, large ones
    from the big suppliers), or on the day an item added later first appears."""
    january = np.arange(FIRST_DAY, FIRST_DAY + 26, dtype="datetime64[D]")
    january = january[weekday(january) < 6]
    for s in np.unique(supplier).tolist():
        stocked = np.flatnonzero(supplier == s)
        added = stocked[items.available_from[stocked] > FIRST_DAY]
        for day in np.unique(items.available_from[added]):
            batch = added[items.available_from[added] == day]
            book.place(day, s, batch, rng.integers(5, 60, len(batch)))
        remaining = rng.permutation(stocked[items.available_from[stocked] <= FIRST_DAY])
        largest = 35 if s in big else 7
        day = FIRST_DAY
        while len(remaining):
            size = int(rng.integers(1, largest))
            batch, remaining = remaining[:size], remaining[size:]
            book.place(day, s, np.sort(batch), rng.integers(5, 40, len(batch)))
            day = rng.choice(january)


def _restocking(
    rng: np.random.Generator,
    book: _PurchaseBook,
    scale: float,
    fast: Flags,
    supplier: I64,
    big: I64,
) -> None:
    """Re-buy the fast sellers from the big suppliers about once a working day each; the last
    order of each is still open at the cut-off."""
    trading = np.arange(FIRST_DAY + 6, CUTOFF_DAY, dtype="datetime64[D]")
    trading = trading[weekday(trading) < 6]
    for s, per_scale, keep in zip(big.tolist(), _BIG_SUPPLIER_ORDERS, (0.93, 0.8), strict=False):
        restocked = np.flatnonzero(fast & (supplier == s))
        if not len(restocked):
            continue
        for day in np.sort(rng.choice(trading, size=scaled(per_scale, scale, 2))):
            chosen = restocked[rng.random(len(restocked)) < keep]
            chosen = chosen if len(chosen) else restocked[:1]
            book.place(day, s, chosen, _lot_sizes(rng, len(chosen)))
        book.place(CUTOFF_DAY, s, restocked, _lot_sizes(rng, len(restocked)), is_open=True)


def _per_supplier(rng: np.random.Generator, supplier_key: I64, a: float, b: float) -> F64:
    """Return, per line, its supplier's Beta(a, b) draw (one draw per supplier key)."""
    keys, at = np.unique(supplier_key, return_inverse=True)
    return np.asarray(rng.beta(a, b, len(keys))[at])


def _short_deliveries(rng: np.random.Generator, purchases: Purchases) -> Purchases:
    """Return the purchases with some finalized lines received short (60-95 % of the outers):
    each supplier delivers short on its own share of lines, about 2 % on average."""
    short = rng.random(len(purchases.item)) < _per_supplier(rng, purchases.supplier_key, 1, 50)
    short &= purchases.finalized & (purchases.outers > 1)
    part = np.floor(purchases.outers * rng.uniform(0.6, 0.95, len(short))).astype(np.int64)
    received = np.where(short, np.maximum(part, 1), purchases.received_outers)
    return replace(purchases, received_outers=received)


def generate_purchases(
    rng: np.random.Generator, scale: float, items: StockItems, suppliers: Suppliers
) -> tuple[Purchases, Columns]:
    supplier = items.supplier_id.copy()
    unknown = supplier == 0
    if unknown.any():  # items read from the warehouse: any known supplier will do
        supplier[unknown] = rng.choice(suppliers.versions.ids(), size=int(unknown.sum()))
    ranked, stocked = np.unique(supplier, return_counts=True)
    big = ranked[np.argsort(-stocked, kind="stable")][:2]
    fast = items.fast_seller.copy()
    if not fast.any():
        for s, n in zip(big.tolist(), (6, 3), strict=False):
            candidates = np.flatnonzero(supplier == s)
            fast[rng.choice(candidates, size=min(n, len(candidates)), replace=False)] = True
    book = _PurchaseBook()
    _first_stocking(rng, book, items, supplier, big)
    _restocking(rng, book, scale, fast, supplier, big)
    purchases = _short_deliveries(rng, book.lines(items, suppliers))
    rows = len(purchases.item)
    columns = {
        "Purchase Key": int64(np.arange(1, rows + 1)),
        "Date Key": dates(purchases.day),
        "Supplier Key": int32(purchases.supplier_key),
        "Stock Item Key": int32(purchases.item_key),
        "WWI Purchase Order ID": int32(purchases.order_id),
        "Ordered Outers": int32(purchases.outers),
        "Ordered Quantity": int32(purchases.quantity),
        "Received Outers": int32(purchases.received_outers),
        "Package": take_texts(items.buying_package, purchases.item),
        "Is Order Finalized": flags(purchases.finalized),
        "Lineage Key": int32(np.full(rows, LINEAGE[t.fact_purchase])),
    }
    return purchases, columns


def read_purchases(con: duckdb.DuckDBPyConnection, items: StockItems) -> Purchases:
    require_rows(con, t.fact_purchase)
    rows = query(
        con,
        'SELECT coalesce(p."WWI Purchase Order ID", 0) AS po, '
        "p.\"Date Key\" - DATE '1970-01-01' AS day, "
        'p."Supplier Key" AS supplier, p."Stock Item Key" AS k, '
        'coalesce(s."WWI Stock Item ID", 0) AS id, p."Ordered Outers" AS outers, '
        'p."Ordered Quantity" AS quantity, p."Received Outers" AS received, '
        'p."Is Order Finalized" AS finalized FROM "Fact"."Purchase" AS p '
        'LEFT JOIN "Dimension"."Stock Item" AS s ON s."Stock Item Key" = p."Stock Item Key" '
        'ORDER BY p."Purchase Key"',
    )
    item = np.clip(items.index_of(rows["id"].astype(np.int64)), 0, len(items.wwi_id) - 1)
    return Purchases(
        order_id=rows["po"].astype(np.int64),
        day=as_days(rows["day"]),
        supplier_key=rows["supplier"].astype(np.int64),
        item=item,
        item_key=rows["k"].astype(np.int64),
        outers=rows["outers"].astype(np.int64),
        quantity=rows["quantity"].astype(np.int64),
        received_outers=rows["received"].astype(np.int64),
        finalized=rows["finalized"].astype(np.bool_),
    )


def receipt_days(rng: np.random.Generator, purchases: Purchases, items: StockItems) -> Moments:
    """Return the day each purchase line was received, by the cut-off: within the shortest
    lead time of its order's items, or for a late order (each supplier has its own share of
    them, 15 % on average) 1-12 days after it."""
    orders, first_line = np.unique(purchases.order_id, return_index=True)
    lead = np.full(len(orders), np.iinfo(np.int64).max)
    np.minimum.at(
        lead, np.searchsorted(orders, purchases.order_id), items.lead_time_days[purchases.item]
    )
    lead = np.maximum(lead, 1)
    late = rng.random(len(orders)) < _per_supplier(rng, purchases.supplier_key[first_line], 2, 11)
    on_time = np.minimum(rng.integers(1, 5, len(orders)), lead)
    delay = np.where(late, lead + rng.integers(1, 13, len(orders)), on_time)
    received = np.minimum(open_day(later(purchases.day[first_line], delay)), CUTOFF_DAY)
    return received[np.searchsorted(orders, purchases.order_id)]
