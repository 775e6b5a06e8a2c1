"""Array types and the columns they become, in the warehouse's column types.

Every generated table is a mapping of column name to numpy column, written by
`generator.insert`: decimals as integers in units of their last place (cents for
decimal(18, 2)), a photo column left out to be NULL. `LINEAGE` is the Lineage Key its rows
carry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from otelbi.warehouse import wwi_tables as t
from otelbi.warehouse.generator.insert import nullable

I64: TypeAlias = npt.NDArray[np.int64]
F64: TypeAlias = npt.NDArray[np.float64]
Flags: TypeAlias = npt.NDArray[np.bool_]
# datetime64 arrays ([D] days or [us] moments); numpy's stubs type their arithmetic loosely
Moments: TypeAlias = npt.NDArray[Any]
Column: TypeAlias = npt.NDArray[Any]
Columns: TypeAlias = dict[str, Column]


# One Integration.Lineage row per loaded table, as in the released database.
LINEAGE = {
    t.dimension_city: 1,
    t.dimension_customer: 2,
    t.dimension_employee: 3,
    t.dimension_payment_method: 4,
    t.dimension_stock_item: 5,
    t.dimension_supplier: 6,
    t.dimension_transaction_type: 7,
    t.fact_movement: 8,
    t.fact_order: 9,
    t.fact_purchase: 10,
    t.fact_sale: 11,
    t.fact_stock_holding: 12,
    t.fact_transaction: 13,
}


def int32(values: npt.ArrayLike, null: Flags | None = None) -> Column:
    array = np.asarray(values, dtype=np.int32)
    return array if null is None else nullable(array, ~null)


def int64(values: npt.ArrayLike) -> Column:
    return np.asarray(values, dtype=np.int64)


def flags(values: npt.ArrayLike) -> Column:
    return np.asarray(values, dtype=np.bool_)


def dates(values: Moments, null: Flags | None = None) -> Column:
    days = values.astype("datetime64[D]")
    return days if null is None else nullable(days, ~null)


def timestamps(values: Moments) -> Column:
    return values.astype("datetime64[us]")


def texts(values: Sequence[str | None]) -> Column:
    return np.array(values, dtype=object)


def take_texts(values: Sequence[str], index: I64) -> Column:
    return texts(values)[index]
