"""`otelbi warehouse grants`: SELECT on exactly the tables the product's statements read."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlglot
from sqlglot import exp

from otelbi.domains import Domain
from otelbi.warehouse.catalog import all_statements, compiled_sql, review_dialect
from otelbi.warehouse.grants import select_grants


def _granted(statements: list[str]) -> set[tuple[str, str]]:
    granted = set()
    for statement in statements[1:]:
        on = statement.split(" ON ", 1)[1].split(" TO ", 1)[0]
        schema, table = (part.strip("[]") for part in on.split("].["))
        granted.add((schema.lower(), table.lower()))
    return granted


def _read_by_the_product(domain: Domain) -> set[tuple[str, str]]:
    dialect = review_dialect("mssql")
    read = set()
    for statement in all_statements():
        if statement.domain is not domain:
            continue
        tree = sqlglot.parse_one(compiled_sql(statement, dialect), read="tsql")
        ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
        read |= {
            (table.db.lower(), table.name.lower())
            for table in tree.find_all(exp.Table)
            if table.name.lower() not in ctes
        }
    return read


@pytest.mark.parametrize("domain", list(Domain))
def test_every_table_a_statement_reads_is_granted_and_parses_as_tsql(domain: Domain) -> None:
    statements = select_grants(domain, "otelbi_reader")
    assert statements[0] == "CREATE USER [otelbi_reader] FOR LOGIN [otelbi_reader];"
    for statement in statements:
        sqlglot.parse_one(statement, read="tsql")
    read = _read_by_the_product(domain)
    assert read, "no statement was read"
    assert read <= _granted(statements)
    assert all(statement.startswith(("CREATE USER", "GRANT SELECT ON")) for statement in statements)


def test_a_name_that_is_not_plain_is_refused_in_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "otelbi.cli", "warehouse", "grants", "aw", "--user", "a];DROP"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "not a plain SQL Server user name" in result.stderr
