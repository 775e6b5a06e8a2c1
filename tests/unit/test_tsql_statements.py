"""Every statement the product can send to SQL Server compiles, parses as T-SQL, passes the
guard and names only declared columns; the `warehouse sql` command prints them all."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa
import sqlglot
from sqlglot import exp
from sqlglot.optimizer.qualify import qualify

from otelbi.warehouse.catalog import Statement, all_statements, compiled_sql, review_dialect
from otelbi.warehouse.engines import METADATA
from otelbi.warehouse.guard import ensure_read_only

STATEMENTS = all_statements()


def _sqlglot_schema(metadata: sa.MetaData) -> dict[str, dict[str, dict[str, str]]]:
    schema: dict[str, dict[str, dict[str, str]]] = {}
    for table in metadata.tables.values():
        columns = {column.name: "VARCHAR" for column in table.columns}
        schema.setdefault(table.schema or "", {})[table.name] = columns
    return schema


def test_the_catalog_holds_the_kpi_statements_of_both_domains() -> None:
    names = {statement.name for statement in STATEMENTS}
    assert {
        "aw.sales.as_of",
        "aw.sales.kpi_window_totals",
        "wwi.sales.as_of",
        "wwi.sales.kpi_window_totals",
    } <= names


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: s.name)
def test_statement_is_valid_tsql_over_declared_columns(statement: Statement) -> None:
    sql = compiled_sql(statement, review_dialect("mssql"))
    assert "LIMIT" not in sql.upper(), "SQL Server 2022 paging, not the legacy fallback"
    parsed = sqlglot.parse(sql, read="tsql")
    assert len(parsed) == 1
    tree = parsed[0]
    assert tree is not None
    ensure_read_only(
        sql,
        "tsql",
        tables=[(t.schema or "", t.name) for t in METADATA[statement.domain].tables.values()],
    )
    # Raises if a column does not exist in the declared table it is read from.
    qualified = qualify(
        tree,
        schema=_sqlglot_schema(METADATA[statement.domain]),
        dialect="tsql",
        validate_qualify_columns=True,
        identify=False,
    )
    assert list(qualified.find_all(exp.Column))


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: s.name)
def test_statement_compiles_for_duckdb(statement: Statement) -> None:
    sql = compiled_sql(statement, review_dialect("duckdb"))
    ensure_read_only(sql, "duckdb")


def test_a_misspelt_column_would_be_caught() -> None:
    tree = sqlglot.parse_one("SELECT NoSuchColumn FROM dbo.FactInternetSales", read="tsql")
    with pytest.raises(sqlglot.errors.OptimizeError):
        qualify(
            tree,
            schema=_sqlglot_schema(METADATA[STATEMENTS[0].domain]),
            dialect="tsql",
            validate_qualify_columns=True,
        )


def test_warehouse_sql_command_prints_every_statement() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "otelbi.cli", "warehouse", "sql", "--dialect", "mssql"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    for statement in STATEMENTS:
        assert f"-- {statement.name} " in result.stdout
    assert "ApplicationIntent" not in result.stdout
    assert result.stdout.count(";\n") == len(STATEMENTS)
