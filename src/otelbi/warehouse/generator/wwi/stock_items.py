"""Dimension.Stock Item: the catalog in 2-5 versions per item, and the items' tax rates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np

from otelbi.warehouse import wwi_tables as t
from otelbi.warehouse.generator.wwi.catalog import stock_item_specs
from otelbi.warehouse.generator.wwi.columns import (
    I64,
    LINEAGE,
    Columns,
    Flags,
    Moments,
    flags,
    int32,
    int64,
    texts,
)
from otelbi.warehouse.generator.wwi.connection import query
from otelbi.warehouse.generator.wwi.scd2 import (
    NA,
    Versions,
    read_versions,
    scd2_columns,
    with_unknown,
)
from otelbi.warehouse.generator.wwi.timeline import END_OF_TIME, LAST_LOAD, MINUTE, START, later

STANDARD_TAX = 15_000  # thousandths of a percent, as decimal(18,3) holds it
CHILLER_TAX = 10_000


@dataclass(frozen=True)
class StockItems:
    """One entry per stock item (business key), ordered by WWI Stock Item ID."""

    wwi_id: I64
    first_key: I64
    current_key: I64
    available_from: Moments  # day of the first version: nothing is sold before it
    name: list[str]
    selling_package: list[str]
    buying_package: list[str]
    quantity_per_outer: I64
    is_chiller: Flags
    unit_price_cents: I64
    lead_time_days: I64
    supplier_id: I64  # usual supplier's WWI Supplier ID, 0 when not known
    fast_seller: Flags  # re-bought all the time; all False when read

    def index_of(self, wwi_ids: I64) -> I64:
        return np.searchsorted(self.wwi_id, wwi_ids).astype(np.int64)


def _item_versions(
    rng: np.random.Generator, available: Moments
) -> tuple[I64, Moments, Moments, I64]:
    """Return (item index, valid from, valid to, key) of 2-5 versions per item, by key.

    The first version runs from the item's first day to the last load (2016-05-31 23:00); the
    later ones come from that load, minutes apart. Keys go to all first versions, then all
    second ones, then the rest, as the loader assigned them.
    """
    count = len(available)
    versions = rng.choice([2, 3, 4, 5], size=count, p=[0.242, 0.568, 0.181, 0.009])
    member = np.repeat(np.arange(count), versions)
    rank = np.arange(len(member)) - np.repeat(np.cumsum(versions) - versions, versions)
    minutes = np.zeros(len(member), dtype=np.int64)
    for i in range(count):
        picked = np.sort(rng.choice(np.arange(1, 13), size=versions[i] - 2, replace=False))
        minutes[np.flatnonzero(member == i)[2:]] = picked
    valid_from = np.where(rank == 0, available[member], LAST_LOAD + minutes * MINUTE)
    is_last = rank == versions[member] - 1
    valid_to = np.roll(valid_from, -1)
    valid_to[is_last] = END_OF_TIME
    key = np.zeros(len(member), dtype=np.int64)
    key[rank == 0] = 1 + rng.permutation(count)
    key[rank == 1] = 1 + count + rng.permutation(count)
    rest = np.flatnonzero(rank >= 2)
    key[rest[np.lexsort((member[rest], valid_from[rest]))]] = 1 + 2 * count + np.arange(len(rest))
    order = np.argsort(key)
    return member[order], valid_from[order], valid_to[order], key[order]


def generate_stock_items(rng: np.random.Generator) -> tuple[StockItems, Columns]:
    specs = stock_item_specs()
    count = len(specs)
    wwi_id = np.arange(1, count + 1, dtype=np.int64)
    chiller = np.array([s.chiller for s in specs])
    available = np.full(count, START)  # the chilled goods came in the first days of 2016
    available[chiller] = later(np.full(int(chiller.sum()), np.datetime64("2016-01-01")),
                                [0, 0, 1, 1, 3, 3, 4, 4][: int(chiller.sum())])  # fmt: skip
    member, valid_from, valid_to, key = _item_versions(rng, available)
    rows = member.tolist()

    price = np.array([round(s.price * 100) for s in specs], dtype=np.int64)
    rrp_factor = np.where(rng.random(count) < 0.85, 1.495, rng.uniform(1.43, 1.5, count))
    # a few colours never made it into the Color column (the name still says it)
    color = [s.color if rng.random() > 0.15 else NA for s in specs]
    barcode = [str(rng.integers(10**12, 10**13)) if s.chiller else NA for s in specs]
    per_outer = np.array([s.per_outer for s in specs], dtype=np.int64)
    lead = np.array([s.lead_days for s in specs], dtype=np.int64)
    weight = np.array([round(s.weight * 1000) for s in specs], dtype=np.int64)

    def per_row(values: Sequence[Any], unknown: Any) -> list[Any]:
        return [unknown, *(values[i] for i in rows)]

    columns = {
        "Stock Item Key": int32(with_unknown(key, 0)),
        "WWI Stock Item ID": int32(with_unknown(wwi_id[member], 0)),
        "Stock Item": texts(per_row([s.name for s in specs], "Unknown")),
        "Color": texts(per_row(color, NA)),
        "Selling Package": texts(per_row([s.selling for s in specs], NA)),
        "Buying Package": texts(per_row([s.buying for s in specs], NA)),
        "Brand": texts(per_row([s.brand for s in specs], NA)),
        "Size": texts(per_row([s.size for s in specs], NA)),
        "Lead Time Days": int32(with_unknown(lead[member], 0)),
        "Quantity Per Outer": int32(with_unknown(per_outer[member], 0)),
        "Is Chiller Stock": flags(with_unknown(chiller[member], False)),
        "Barcode": texts(per_row(barcode, NA)),
        "Tax Rate": int64(with_unknown(np.where(chiller, CHILLER_TAX, STANDARD_TAX)[member], 0)),
        "Unit Price": int64(with_unknown(price[member], 0)),
        "Recommended Retail Price": int64(with_unknown(np.round(price * rrp_factor)[member], 0)),
        "Typical Weight Per Unit": int64(with_unknown(weight[member], 0)),
        **scd2_columns(
            with_unknown(valid_from, START),
            with_unknown(valid_to, END_OF_TIME),
            [0] + [LINEAGE[t.dimension_stock_item]] * len(rows),
        ),
    }
    families = np.array([s.family for s in specs])
    fast = np.zeros(count, dtype=np.bool_)
    fast[rng.choice(np.flatnonzero(families == "t-shirt"), size=6, replace=False)] = True
    for family in ("tape", "carton", "bubble wrap"):
        fast[rng.choice(np.flatnonzero(families == family))] = True
    versions = Versions(wwi_id[member], key, valid_from)
    items = StockItems(
        wwi_id=wwi_id,
        first_key=versions.first(wwi_id),
        current_key=versions.current(wwi_id),
        available_from=available.astype("datetime64[D]"),
        name=[s.name for s in specs],
        selling_package=[s.selling for s in specs],
        buying_package=[s.buying for s in specs],
        quantity_per_outer=per_outer,
        is_chiller=chiller,
        unit_price_cents=price,
        lead_time_days=lead,
        supplier_id=np.array([s.supplier for s in specs], dtype=np.int64),
        fast_seller=fast,
    )
    return items, columns


def read_stock_items(con: duckdb.DuckDBPyConnection) -> StockItems:
    versions = read_versions(con, t.dimension_stock_item, "Stock Item Key", "WWI Stock Item ID")
    rows = query(
        con,
        'SELECT "WWI Stock Item ID" AS id, arg_min("Stock Item", "Valid From") AS name, '
        'coalesce(arg_min("Selling Package", "Valid From"), \'N/A\') AS selling, '
        'coalesce(arg_min("Buying Package", "Valid From"), \'N/A\') AS buying, '
        'arg_min("Quantity Per Outer", "Valid From") AS per_outer, '
        'arg_min("Is Chiller Stock", "Valid From") AS chiller, '
        'arg_min(CAST(round("Unit Price" * 100) AS BIGINT), "Valid From") AS price, '
        'arg_min("Lead Time Days", "Valid From") AS lead '
        'FROM "Dimension"."Stock Item" WHERE "WWI Stock Item ID" <> 0 GROUP BY 1 ORDER BY 1',
    )
    wwi_id = rows["id"].astype(np.int64)
    return StockItems(
        wwi_id=wwi_id,
        first_key=versions.first(wwi_id),
        current_key=versions.current(wwi_id),
        available_from=versions.first_valid_from(wwi_id).astype("datetime64[D]"),
        name=[str(v) for v in rows["name"]],
        selling_package=[str(v) for v in rows["selling"]],
        buying_package=[str(v) for v in rows["buying"]],
        quantity_per_outer=rows["per_outer"].astype(np.int64),
        is_chiller=rows["chiller"].astype(np.bool_),
        unit_price_cents=rows["price"].astype(np.int64),
        lead_time_days=rows["lead"].astype(np.int64),
        supplier_id=np.zeros(len(wwi_id), dtype=np.int64),
        fast_seller=np.zeros(len(wwi_id), dtype=np.bool_),
    )
