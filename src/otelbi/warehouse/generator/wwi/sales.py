"""Fact.Order and Fact.Sale: orders placed against the demand the stock can meet, picked
(with backorders for what could not be), and invoiced on their picking day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import numpy as np

from otelbi.warehouse import wwi_tables as t
from otelbi.warehouse.generator.wwi.activity import scaled, trading_days
from otelbi.warehouse.generator.wwi.cities import Cities
from otelbi.warehouse.generator.wwi.columns import (
    F64,
    I64,
    LINEAGE,
    Columns,
    Flags,
    Moments,
    dates,
    int32,
    int64,
    take_texts,
)
from otelbi.warehouse.generator.wwi.connection import as_days, query, require_rows
from otelbi.warehouse.generator.wwi.customers import Customers
from otelbi.warehouse.generator.wwi.employees import Employees
from otelbi.warehouse.generator.wwi.purchases import Purchases
from otelbi.warehouse.generator.wwi.stock_holdings import Holdings
from otelbi.warehouse.generator.wwi.stock_items import CHILLER_TAX, STANDARD_TAX, StockItems
from otelbi.warehouse.generator.wwi.timeline import CUTOFF_DAY, later, noon, open_day

# 65.2k orders of 1-6 lines (3.55 on average) at scale 1; backorders take some lines over,
# which ends at about 231k order lines in 73.6k orders
_BASE_ORDERS_AT_SCALE_1 = 65_200
_LINES_PER_ORDER = (np.arange(1, 7), np.array([0.12, 0.17, 0.20, 0.20, 0.17, 0.14]))
_BACKORDER_SHARE = 0.147
_CUSTOMERS_OUTSIDE_DIMENSION = 0.28


@dataclass(frozen=True)
class Orders:
    """Orders (base orders first, then their backorders) and their lines."""

    day: Moments
    pick_day: Moments
    picked: Flags
    customer_key: I64
    bill_to_key: I64
    city_id: I64
    salesperson_id: I64
    picker_id: I64
    wwi_order_id: I64
    backorder: I64  # index of the order's backorder, -1 when none
    line_order: I64  # per line: index of its order
    item: I64  # per line: index into StockItems
    quantity: I64


def _sample_items(rng: np.random.Generator, items: StockItems, weights: F64, days: Moments) -> I64:
    """Pick an item per line, by weight, among the items already sold on that day."""
    order = np.argsort(items.available_from, kind="stable")
    cumulative = np.cumsum(weights[order])
    available = np.searchsorted(items.available_from[order], days, side="right")
    available = np.clip(available, 1, len(order))
    draw = rng.random(len(days)) * cumulative[available - 1]
    pick = np.minimum(np.searchsorted(cumulative, draw, side="right"), available - 1)
    return order[pick].astype(np.int64)


def demand_weights(
    items: StockItems, holdings: Holdings, purchases: Purchases, lines: int, days: int
) -> F64:
    """Return each item's share of sale lines: even, but an item whose stock plus open orders
    cannot cover twice its expected sales over its lead time is sold less, in proportion."""
    count = len(items.wwi_id)
    still_open = ~purchases.finalized
    on_order = np.bincount(
        purchases.item[still_open],
        weights=purchases.quantity[still_open].astype(np.float64),
        minlength=count,
    )[:count]
    per_line = np.maximum(items.quantity_per_outer, 1) * 5.5
    need = lines / max(days, 1) / count * per_line * np.maximum(items.lead_time_days, 1)
    return np.asarray(np.clip((holdings.on_hand + on_order) / (2.0 * need), 0.05, 1.0))


def place_orders(
    rng: np.random.Generator,
    scale: float,
    items: StockItems,
    weights: Callable[[int], F64],
    customers: Customers,
    employees: Employees,
    cities: Cities,
) -> Orders:
    """Return the orders: picked the next working day mostly, and a backorder raised at
    picking for about one order in seven, taking over its last lines."""
    days, share = trading_days()
    base = scaled(_BASE_ORDERS_AT_SCALE_1, scale, 10)
    day = np.sort(rng.choice(days, size=base, p=share))
    line_count = rng.choice(_LINES_PER_ORDER[0], size=base, p=_LINES_PER_ORDER[1])
    outside = rng.random(base) < _CUSTOMERS_OUTSIDE_DIMENSION
    member = rng.integers(0, len(customers.key), base)
    salespeople = employees.salespeople if len(employees.salespeople) else employees.others
    pickers = employees.others if len(employees.others) else employees.salespeople
    pick_day = open_day(later(day, rng.choice([0, 1, 2], size=base, p=[0.05, 0.85, 0.1])))
    backordered = (line_count >= 2) & (pick_day <= CUTOFF_DAY)
    backordered &= rng.random(base) < _BACKORDER_SHARE
    moved = np.minimum(1 + rng.binomial(np.maximum(line_count - 2, 0), 0.25), line_count - 1)
    moved = np.where(backordered, moved, 0)
    parents = np.flatnonzero(backordered)
    count = base + len(parents)
    # backorders go to the parent's customer and salesperson, raised on its picking day
    parent_of = np.concatenate([np.arange(base), parents])
    bo_pick = open_day(later(pick_day[parents], rng.integers(2, 15, len(parents))))
    all_day = np.concatenate([day, pick_day[parents]])
    all_pick = np.concatenate([pick_day, bo_pick])
    backorder = np.full(count, -1, dtype=np.int64)
    backorder[parents] = base + np.arange(len(parents))
    wwi_order_id = np.empty(count, dtype=np.int64)
    wwi_order_id[np.lexsort((np.arange(count), all_day))] = np.arange(1, count + 1)
    # lines of the base orders; the moved ones belong to the backorder
    line_parent = np.repeat(np.arange(base), line_count)
    position = np.arange(len(line_parent)) - np.repeat(
        np.cumsum(line_count) - line_count, line_count
    )
    is_moved = position >= (line_count - moved)[line_parent]
    lines = len(line_parent)
    item = _sample_items(rng, items, weights(lines), day[line_parent])
    per_outer = np.maximum(items.quantity_per_outer[item], 1)
    city_id = np.where(outside, rng.choice(cities.ids, size=base), customers.city_id[member])
    return Orders(
        day=all_day,
        pick_day=all_pick,
        picked=all_pick <= CUTOFF_DAY,
        customer_key=np.where(outside, 0, customers.key[member])[parent_of],
        bill_to_key=np.where(outside, 0, customers.bill_to_key[member])[parent_of],
        city_id=city_id[parent_of],
        salesperson_id=rng.choice(salespeople, size=base)[parent_of],
        picker_id=rng.choice(pickers, size=count),
        wwi_order_id=wwi_order_id,
        backorder=backorder,
        line_order=np.where(is_moved, backorder[line_parent], line_parent),
        item=item,
        quantity=np.clip(per_outer * rng.integers(1, 11, lines), 1, 360).astype(np.int64),
    )


def _money(quantity: I64, price: I64, chiller: Flags) -> tuple[I64, I64, I64, I64]:
    """Return (tax rate in thousandths, excl, tax, incl) in cents, tax rounded half up."""
    rate = np.where(chiller, CHILLER_TAX, STANDARD_TAX).astype(np.int64)
    excluding = quantity * price
    tax = (excluding * rate + 50_000) // 100_000
    return rate, excluding, tax, excluding + tax


def order_columns(
    orders: Orders, items: StockItems, employees: Employees, cities: Cities
) -> Columns:
    line = np.lexsort((np.arange(len(orders.line_order)), orders.wwi_order_id[orders.line_order]))
    o = orders.line_order[line]
    item = orders.item[line]
    quantity = orders.quantity[line]
    price = items.unit_price_cents[item]
    rate, excluding, tax, including = _money(quantity, price, items.is_chiller[item])
    day, pick_day, picked = orders.day[o], orders.pick_day[o], orders.picked[o]
    has_backorder = orders.backorder[o] >= 0
    picker = employees.versions.at(orders.picker_id[o], noon(pick_day))
    rows = len(o)
    return {
        "Order Key": int64(np.arange(1, rows + 1)),
        "City Key": int32(cities.versions.at(orders.city_id[o], noon(day))),
        "Customer Key": int32(orders.customer_key[o]),
        "Stock Item Key": int32(items.first_key[item]),
        "Order Date Key": dates(day),
        "Picked Date Key": dates(pick_day, null=~picked),
        "Salesperson Key": int32(employees.versions.at(orders.salesperson_id[o], noon(day))),
        "Picker Key": int32(np.where(picked, picker, 0)),
        "WWI Order ID": int32(orders.wwi_order_id[o]),
        "WWI Backorder ID": int32(
            orders.wwi_order_id[np.maximum(orders.backorder[o], 0)], null=~has_backorder
        ),
        "Description": take_texts(items.name, item),
        "Package": take_texts(items.selling_package, item),
        "Quantity": int32(quantity),
        "Unit Price": int64(price),
        "Tax Rate": int64(rate),
        "Total Excluding Tax": int64(excluding),
        "Tax Amount": int64(tax),
        "Total Including Tax": int64(including),
        "Lineage Key": int32(np.full(rows, LINEAGE[t.fact_order])),
    }


@dataclass(frozen=True)
class SaleLines:
    """Invoice lines, ordered by [Sale Key]."""

    invoice_id: I64
    invoice_day: Moments
    customer_key: I64
    bill_to_key: I64
    item_key: I64
    quantity: I64
    excluding_tax: I64  # cents
    tax: I64
    including_tax: I64


def invoice_orders(
    rng: np.random.Generator,
    orders: Orders,
    items: StockItems,
    holdings: Holdings,
    employees: Employees,
    cities: Cities,
) -> tuple[SaleLines, Columns]:
    """Return the sale lines: every picked order is invoiced on its picking day and delivered
    one or two working days later."""
    picked = np.flatnonzero(orders.picked)
    invoice_id = np.zeros(len(orders.day), dtype=np.int64)
    sequence = np.lexsort((orders.wwi_order_id[picked], orders.pick_day[picked]))
    invoice_id[picked[sequence]] = np.arange(1, len(picked) + 1)
    delivery = open_day(
        later(orders.pick_day, rng.choice([1, 2], size=len(orders.day), p=[0.9, 0.1]))
    )
    sold = np.flatnonzero(orders.picked[orders.line_order])
    sold = sold[np.lexsort((sold, invoice_id[orders.line_order[sold]]))]
    o = orders.line_order[sold]
    item = orders.item[sold]
    quantity = orders.quantity[sold]
    price = items.unit_price_cents[item]
    chiller = items.is_chiller[item]
    rate, excluding, tax, including = _money(quantity, price, chiller)
    day = orders.pick_day[o]
    delivered = delivery[o] <= CUTOFF_DAY
    sales = SaleLines(
        invoice_id=invoice_id[o],
        invoice_day=day,
        customer_key=orders.customer_key[o],
        bill_to_key=orders.bill_to_key[o],
        item_key=items.first_key[item],
        quantity=quantity,
        excluding_tax=excluding,
        tax=tax,
        including_tax=including,
    )
    rows = len(sold)
    columns = {
        "Sale Key": int64(np.arange(1, rows + 1)),
        "City Key": int32(cities.versions.at(orders.city_id[o], noon(day))),
        "Customer Key": int32(sales.customer_key),
        "Bill To Customer Key": int32(sales.bill_to_key),
        "Stock Item Key": int32(sales.item_key),
        "Invoice Date Key": dates(day),
        "Delivery Date Key": dates(delivery[o], null=~delivered),
        "Salesperson Key": int32(employees.versions.at(orders.salesperson_id[o], noon(day))),
        "WWI Invoice ID": int32(sales.invoice_id),
        "Description": take_texts(items.name, item),
        "Package": take_texts(items.selling_package, item),
        "Quantity": int32(quantity),
        "Unit Price": int64(price),
        "Tax Rate": int64(rate),
        "Total Excluding Tax": int64(excluding),
        "Tax Amount": int64(tax),
        "Profit": int64(quantity * (price - holdings.cost_cents[item])),
        "Total Including Tax": int64(including),
        "Total Dry Items": int32(np.where(chiller, 0, quantity)),
        "Total Chiller Items": int32(np.where(chiller, quantity, 0)),
        "Lineage Key": int32(np.full(rows, LINEAGE[t.fact_sale])),
    }
    return sales, columns


def read_sale_lines(con: duckdb.DuckDBPyConnection) -> SaleLines:
    require_rows(con, t.fact_sale)
    rows = query(
        con,
        'SELECT "WWI Invoice ID" AS invoice, '
        "\"Invoice Date Key\" - DATE '1970-01-01' AS day, "
        '"Customer Key" AS customer, "Bill To Customer Key" AS bill_to, '
        '"Stock Item Key" AS k, "Quantity" AS quantity, '
        'CAST(round("Total Excluding Tax" * 100) AS BIGINT) AS excl, '
        'CAST(round("Tax Amount" * 100) AS BIGINT) AS tax, '
        'CAST(round("Total Including Tax" * 100) AS BIGINT) AS incl '
        'FROM "Fact"."Sale" ORDER BY "Sale Key"',
    )
    return SaleLines(
        invoice_id=rows["invoice"].astype(np.int64),
        invoice_day=as_days(rows["day"]),
        customer_key=rows["customer"].astype(np.int64),
        bill_to_key=rows["bill_to"].astype(np.int64),
        item_key=rows["k"].astype(np.int64),
        quantity=rows["quantity"].astype(np.int64),
        excluding_tax=rows["excl"].astype(np.int64),
        tax=rows["tax"].astype(np.int64),
        including_tax=rows["incl"].astype(np.int64),
    )
