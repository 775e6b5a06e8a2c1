"""Writing generated columns into the DuckDB connection and reading arrays back out of it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import sqlalchemy as sa

from otelbi.warehouse.generator.wwi.columns import Column, Moments


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def qualified(table: sa.Table) -> str:
    return f"{quote(table.schema or 'main')}.{quote(table.name)}"


# The SQL below is built from the names in our own table declarations, never from input.


def insert(con: duckdb.DuckDBPyConnection, table: sa.Table, columns: Mapping[str, Column]) -> int:
    """Insert the columns (named as in `table`) into `table`; return the row count."""
    names = [column.name for column in table.columns]
    if set(columns) != set(names):
        raise ValueError(f"{table.fullname}: columns {sorted(set(columns) ^ set(names))} differ")
    data = pa.table([columns[name] for name in names], names=names)
    view = "otelbi_wwi_generated"
    con.register(view, data)
    try:
        listed = ", ".join(quote(name) for name in names)
        statement = f"INSERT INTO {qualified(table)} ({listed}) SELECT {listed} FROM {view}"  # noqa: S608
        con.execute(statement).fetchall()
    finally:
        con.unregister(view)
    return data.num_rows


def query(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, npt.NDArray[Any]]:
    return {name: np.asarray(values) for name, values in con.sql(sql).fetchnumpy().items()}


def require_rows(con: duckdb.DuckDBPyConnection, table: sa.Table) -> None:
    [(rows,)] = con.execute(f"SELECT count(*) FROM {qualified(table)}").fetchall()  # noqa: S608
    if rows == 0:
        raise ValueError(
            f"{table.fullname} is empty: load it first or include it in `only` to generate it"
        )


def as_days(values: npt.NDArray[Any]) -> Moments:
    return values.astype(np.int64).astype("datetime64[D]")
