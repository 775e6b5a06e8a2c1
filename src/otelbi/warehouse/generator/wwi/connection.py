"""Reading arrays back out of the DuckDB connection the generator writes to."""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

from otelbi.warehouse.generator.insert import qualified
from otelbi.warehouse.generator.wwi.columns import Moments


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
