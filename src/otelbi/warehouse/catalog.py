"""Every statement the product can send to a warehouse, by name.

Analytics modules declare their queries here (`declare(...)`) and run them only through
`Statement.rows`, so `otelbi warehouse sql` can print the complete list for a DBA to review
and the tests can compile and parse every one of them as T-SQL — and so every query's
duration is measured in one place (`otelbi.warehouse.query.duration`, by statement and view).
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mssql
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError

from otelbi.domains import Domain
from otelbi.errors import WarehouseUnavailable
from otelbi.telemetry import current_telemetry, current_view
from otelbi.warehouse.engines import SQL_SERVER_VERSION


@dataclass(frozen=True)
class Statement:
    """One named warehouse query with named bind parameters."""

    name: str
    domain: Domain
    query: sa.Select[Any] | sa.CompoundSelect[Any]

    def rows(self, connection: sa.Connection, **parameters: Any) -> Sequence[sa.Row[Any]]:
        """Return the query's rows; raise WarehouseUnavailable if the warehouse fails."""
        started, ok = time.perf_counter(), False
        try:
            rows = connection.execute(self.query, parameters).all()
            ok = True
        except DBAPIError as error:
            raise WarehouseUnavailable(
                f"the {self.domain.display_name} warehouse failed on {self.name}: {error.orig}"
            ) from error
        finally:
            current_telemetry().metrics.warehouse_query(
                domain=self.domain.value,
                statement=self.name,
                view=current_view(),
                ok=ok,
                seconds=time.perf_counter() - started,
            )
        return rows


_STATEMENTS: dict[str, Statement] = {}


def declare(name: str, domain: Domain, query: sa.Select[Any] | sa.CompoundSelect[Any]) -> Statement:
    """Return `query` as a named Statement, recorded in the catalog."""
    if name in _STATEMENTS:
        raise ValueError(f"warehouse statement {name!r} is declared twice")
    statement = Statement(name, domain, query)
    _STATEMENTS[name] = statement
    return statement


def all_statements() -> list[Statement]:
    """Return every declared statement, sorted by name.

    Imports every module of the domain packages first: the catalog fills as they load.
    """
    for domain in Domain:
        package = importlib.import_module(f"otelbi.{domain.value}")
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    return sorted(_STATEMENTS.values(), key=lambda s: s.name)


def review_dialect(name: str) -> Dialect:
    """Return the dialect `warehouse sql` compiles for (SQL Server pinned to 2022)."""
    if name == "mssql":
        dialect: Dialect = mssql.dialect(paramstyle="named")  # type: ignore[no-untyped-call]
        dialect.server_version_info = SQL_SERVER_VERSION
        return dialect
    if name == "duckdb":
        from duckdb_engine import Dialect as DuckDBDialect  # noqa: PLC0415

        duckdb_dialect: Dialect = DuckDBDialect(paramstyle="named")
        return duckdb_dialect
    raise ValueError(f"unknown dialect {name!r}: use mssql or duckdb")


def compiled_sql(statement: Statement, dialect: Dialect) -> str:
    """Return the statement's SQL text for `dialect`, with `:name` placeholders."""
    return str(
        statement.query.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    )
