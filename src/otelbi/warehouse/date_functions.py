"""Date arithmetic that SQL Server and DuckDB spell differently.

`DaysBetween(a, b)`: whole days from date `a` to date `b` (day boundaries crossed, negative
when `b` is earlier) — DATEDIFF(day, a, b) on SQL Server, date_diff('day', a, b) on DuckDB.
No spelling reads on both, so each dialect gets its own; any other dialect is an error
rather than a silently different meaning.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class DaysBetween(FunctionElement[int]):
    """Whole days from the first date to the second."""

    type = sa.Integer()
    name = "days_between"
    inherit_cache = True


@compiles(DaysBetween, "mssql")
def _days_between_mssql(element: DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    return f"DATEDIFF(day, {compiler.process(element.clauses, **kw)})"


@compiles(DaysBetween, "duckdb")
def _days_between_duckdb(element: DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date_diff('day', {compiler.process(element.clauses, **kw)})"


@compiles(DaysBetween)
def _days_between_other(element: DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    raise CompileError(f"DaysBetween has no rendering for {compiler.dialect.name}")
