"""Array types and the Arrow columns they become, in the warehouse's column types.

Every generated table is a mapping of column name to Arrow column; `LINEAGE` is the
Lineage Key its rows carry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from otelbi.warehouse import wwi_tables as t

I64: TypeAlias = npt.NDArray[np.int64]
F64: TypeAlias = npt.NDArray[np.float64]
Flags: TypeAlias = npt.NDArray[np.bool_]
# datetime64 arrays ([D] days or [us] moments); numpy's stubs type their arithmetic loosely
Moments: TypeAlias = npt.NDArray[Any]
Column: TypeAlias = "pa.Array[Any]"
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
    return pa.array(np.asarray(values, dtype=np.int32), type=pa.int32(), mask=null)


def int64(values: npt.ArrayLike) -> Column:
    return pa.array(np.asarray(values, dtype=np.int64), type=pa.int64())


def flags(values: npt.ArrayLike) -> Column:
    return pa.array(np.asarray(values, dtype=np.bool_), type=pa.bool_())


def dates(values: Moments, null: Flags | None = None) -> Column:
    return pa.array(values.astype("datetime64[D]"), type=pa.date32(), mask=null)


def timestamps(values: Moments) -> Column:
    return pa.array(values.astype("datetime64[us]"), type=pa.timestamp("us"))


def texts(values: Sequence[str | None]) -> Column:
    return pa.array(list(values), type=pa.string())


def take_texts(values: Sequence[str], index: I64) -> Column:
    return pa.array(list(values), type=pa.string()).take(pa.array(index, type=pa.int64()))


def no_photos(count: int) -> Column:
    return pa.nulls(count, type=pa.binary())


def decimal(scaled: npt.ArrayLike, scale: int) -> Column:
    """Return a decimal(18, scale) column from integers already multiplied by 10**scale."""
    values = np.asarray(scaled, dtype=np.int64)
    words = np.empty((len(values), 2), dtype=np.int64)
    words[:, 0] = values
    words[:, 1] = values >> 63  # two's complement high word
    return pa.Array.from_buffers(
        pa.decimal128(18, scale), len(values), [None, pa.py_buffer(words.tobytes())]
    )
