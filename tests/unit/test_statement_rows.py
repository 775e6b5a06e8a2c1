"""Statements whose rows are read by position: their columns are the tuple's fields, in order.

The views turn these rows into named tuples with `_make` (reading a Row's columns by name cost
more than the views' own work), so a column added, dropped or moved in the statement must
show here rather than as figures in the wrong fields.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mssql

from otelbi.aw.product_demand import PRODUCT_TOTALS, _Totals
from otelbi.aw.sales_history import DAILY_TOTALS, _Day
from otelbi.warehouse.aggregates import whole_sum
from otelbi.warehouse.catalog import Statement
from otelbi.wwi.reorder import StockPosition
from otelbi.wwi.stock_levels import POSITIONS


@pytest.mark.parametrize(
    ("statement", "row"),
    [(DAILY_TOTALS, _Day), (PRODUCT_TOTALS, _Totals), (POSITIONS, StockPosition)],
    ids=lambda value: getattr(value, "name", getattr(value, "__name__", "")),
)
def test_the_statement_selects_the_fields_of_its_row_in_order(
    statement: Statement, row: type[NamedTuple]
) -> None:
    assert [column.name for column in statement.query.selected_columns] == list(row._fields)


def test_a_whole_sum_is_widened_before_and_narrowed_after_on_sql_server() -> None:
    quantity: sa.ColumnClause[Any] = sa.column("Quantity", sa.Integer)
    sql = str(whole_sum(quantity).compile(dialect=mssql.dialect()))
    assert sql == "CAST(sum(CAST([Quantity] AS BIGINT)) AS BIGINT)"


def test_a_whole_sum_comes_back_as_a_bigint_from_duckdb() -> None:
    values = sa.select(sa.literal_column("2147483647", sa.Integer).label("n")).union_all(
        sa.select(sa.literal_column("2147483647", sa.Integer))
    )
    query = sa.select(whole_sum(values.subquery().c.n).label("total"))
    engine = sa.create_engine("duckdb:///:memory:")
    sql = str(query.compile(engine))
    with engine.connect() as connection:
        total, column_type = connection.exec_driver_sql(
            f"SELECT total, typeof(total) FROM ({sql})"
        ).one()
    assert total == 2 * 2147483647  # past 2^31: SQL Server's int sum would overflow
    assert column_type == "BIGINT"  # not DuckDB's HUGEINT
