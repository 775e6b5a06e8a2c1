"""One generator run: the connection, the scale and per-table random streams.

Each table draws from its own random stream, seeded by (seed, table name), so filling one
table never shifts another table's numbers.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import duckdb
import numpy as np
import sqlalchemy as sa

from otelbi.warehouse.generator.aw.columns import Array


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
