"""One generator run: the connection, the scale, per-table random streams and the insert.

Each table draws from its own random stream, seeded by (seed, table name), so filling one
table never shifts another table's numbers. Generated columns reach DuckDB as one Arrow
table per warehouse table, in one INSERT.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import sqlalchemy as sa

from otelbi.warehouse.column_types import Money
from otelbi.warehouse.generator.aw.columns import Array, Columns


@dataclass(frozen=True)
class Run:
    """What every table builder gets: the connection to read back from, scale and seed."""

    con: duckdb.DuckDBPyConnection
    scale: float
    seed: int

    def rng(self, table: sa.Table) -> np.random.Generator:
        """Return `table`'s own random stream, seeded by (seed, table name)."""
        return np.random.default_rng([self.seed, zlib.crc32(table.name.encode())])

    def scaled(self, real_rows: int) -> int:
        """Return the row count for a table that has `real_rows` in the real warehouse."""
        return max(1, round(real_rows * self.scale))

    def query(self, sql: str) -> dict[str, Array]:
        """Return the result of `sql` as one numpy array per column."""
        result = self.con.execute(sql).fetchnumpy()
        return {name: np.asarray(values) for name, values in result.items()}


def insert(con: duckdb.DuckDBPyConnection, table: sa.Table, columns: Columns) -> int:
    """Append `columns` to `table` in one statement and return the row count.

    Money columns arrive as integer ten-thousandths; declared columns left out become NULL.
    """
    if unknown := sorted(set(columns) - set(table.columns.keys())):
        raise ValueError(f"{table.fullname} has no columns {unknown}")
    data = pa.table({name: _arrow(values) for name, values in columns.items()})
    select = []
    for column in table.columns:
        name = f'"{column.name}"'
        if column.name not in columns:
            select.append("NULL")
        elif isinstance(column.type, Money):
            select.append(f"CAST({name} AS DECIMAL(18, 0)) * 0.0001")
        elif isinstance(column.type, sa.DateTime):
            select.append(f"CAST({name} AS TIMESTAMP)")
        else:
            select.append(name)
    view = f"aw_generator_{table.name}"
    con.register(view, data)
    try:
        # Only declared identifiers are interpolated.
        con.execute(f"INSERT INTO {sql_name(table)} SELECT {', '.join(select)} FROM {view}")  # noqa: S608
    finally:
        con.unregister(view)
    return data.num_rows


def sql_name(table: sa.Table) -> str:
    return f'"{table.schema}"."{table.name}"'


def _arrow(values: Any) -> pa.Array[Any] | pa.ChunkedArray[Any]:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values
    array: pa.Array[Any] = pa.array(values)
    return array
