"""Writing a generated table into DuckDB in one INSERT, straight from numpy arrays.

A generated column is a numpy array, a masked array that is NULL where masked (`nullable`), or
a list. DuckDB scans a dict of numpy arrays in place; the INSERT converts each column to its
declared type. Decimal columns (money too) arrive as integers in units of their last decimal
place, e.g. cents for decimal(18, 2), so that the sums built from them hold exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import sqlalchemy as sa


def nullable(values: npt.ArrayLike, present: npt.ArrayLike) -> npt.NDArray[Any]:
    """Return `values` as a column that is NULL where `present` is false."""
    return np.ma.masked_array(np.asarray(values), mask=~np.asarray(present, dtype=bool))


def quote(name: str) -> str:
    """Return `name` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def qualified(table: sa.Table) -> str:
    """Return `table`'s quoted schema-qualified name (schema `main` when it has none)."""
    return f"{quote(table.schema or 'main')}.{quote(table.name)}"


def insert(con: duckdb.DuckDBPyConnection, table: sa.Table, columns: Mapping[str, Any]) -> int:
    """Append `columns` to `table` in one statement and return the row count.

    Declared columns left out become NULL.
    """
    if unknown := sorted(set(columns) - set(table.columns.keys())):
        raise ValueError(f"{table.fullname} has no columns {unknown}")
    select = []
    for column in table.columns:
        name = quote(column.name)
        if column.name not in columns:
            select.append("NULL")
        elif isinstance(column.type, sa.Numeric) and not isinstance(column.type, sa.Float):
            scale = column.type.scale or 0
            select.append(f"CAST({name} AS DECIMAL(18, 0)) * {10**-scale:.{scale}f}")
        else:
            select.append(name)
    view = f"otelbi_generated_{table.name}"
    con.register(view, {name: _scannable(values) for name, values in columns.items()})
    try:
        # The SQL is built from the names in our own table declarations, never from input.
        statement = f"INSERT INTO {qualified(table)} SELECT {', '.join(select)} FROM {quote(view)}"  # noqa: S608
        [(rows,)] = con.execute(statement).fetchall()
    finally:
        con.unregister(view)
    return int(rows)


def _scannable(values: Any) -> npt.NDArray[Any]:
    """Return `values` as an array that DuckDB reads as the SQL type it holds."""
    if not isinstance(values, np.ndarray):
        array = np.empty(len(values), dtype=object)  # np.asarray drops bytes' trailing NULs
        array[:] = values
        return array
    if values.dtype.kind == "U":  # DuckDB would first make an ENUM of a numpy string array
        return values.astype(object)
    if values.dtype.kind == "M":  # DuckDB reads datetime64 in seconds or finer, not days
        return values.astype("datetime64[us]")
    return values
