"""The read-only guard every warehouse statement passes before it reaches a connection.

An allow-list: the text must parse (sqlglot) as exactly one SELECT or set operation of
SELECTs, whose every row source is a declared warehouse table, a subquery or a CTE, and
which holds no INTO, no EXEC, no data-modifying or schema-changing clause anywhere and no
call to a function that reaches outside the database (xp_cmdshell, OPENROWSET, read_csv …). Text
that does not parse is rejected: what cannot be checked does not run.

`install_guard(engine)` hooks it into the engine's `before_cursor_execute` event, so no
code path can send an unchecked statement.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError


class ReadOnlyViolation(Exception):
    """A statement that is not a single, side-effect-free SELECT."""


_ALLOWED_ROOTS = (exp.Select, exp.SetOperation)

# Statement-level and side-effect nodes. `exp.Into` covers SELECT … INTO.
_FORBIDDEN_NODES: tuple[type[exp.Expr], ...] = (
    exp.Into,
    exp.DML,
    exp.DDL,
    exp.Command,
    exp.Execute,
    exp.Set,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Use,
    exp.Pragma,
    exp.Drop,
    exp.Alter,
    exp.Grant,
    exp.Copy,
    exp.LoadData,
    exp.Returning,
    exp.Lock,
)

_OUTSIDE_FUNCTION = re.compile(
    r"^(xp_|sp_|open(rowset|query|datasource|json|xml)$|read_|parquet_|glob$|sniff_|query(_table)?$)",
    re.IGNORECASE,
)

_PYFORMAT_PLACEHOLDER = re.compile(r"%\((\w+)\)s")

_SQLGLOT_DIALECT = {"mssql": "tsql", "tsql": "tsql", "duckdb": "duckdb", "postgresql": "postgres"}


TableName = tuple[str, str]
"""(schema, table), compared case-insensitively."""


def ensure_read_only(
    sql: str, dialect: str, *, tables: Collection[TableName] | None = None
) -> None:
    """Return None if `sql` is one read-only SELECT in `dialect`, else raise ReadOnlyViolation.

    With `tables`, every table the statement reads must be one of them (or a CTE of its own):
    DuckDB would otherwise treat an unknown quoted name as a file to scan.
    """
    read = _SQLGLOT_DIALECT.get(dialect)
    if read is None:
        raise ReadOnlyViolation(f"no read-only rules for dialect {dialect!r}")
    text = _PYFORMAT_PLACEHOLDER.sub(r"@\1", sql).replace("%%", "%")
    try:
        statements = [s for s in sqlglot.parse(text, read=read) if s is not None]
    except SqlglotError as error:
        first_line = str(error).splitlines()[0]
        raise ReadOnlyViolation(f"statement does not parse as {read}: {first_line}") from None
    if len(statements) != 1:
        raise ReadOnlyViolation(f"expected exactly one statement, got {len(statements)}")
    root = statements[0]
    if not isinstance(root, _ALLOWED_ROOTS):
        raise ReadOnlyViolation(f"only SELECT is allowed, got {root.key.upper()}")
    allowed = None if tables is None else {(s.lower(), t.lower()) for s, t in tables}
    ctes = {cte.alias_or_name.lower() for cte in root.find_all(exp.CTE)}
    for node in root.walk():
        _check_node(node)
        if allowed is not None and isinstance(node, exp.Table):
            _check_table(node, allowed, ctes)


def _check_table(table: exp.Table, allowed: set[TableName], ctes: set[str]) -> None:
    name = table.name.lower()
    if not table.db and name in ctes:
        return
    if (table.db.lower(), name) not in allowed:
        shown = f"{table.db}.{table.name}" if table.db else table.name
        raise ReadOnlyViolation(f"table {shown} is not a declared warehouse table")


def _check_node(node: exp.Expr) -> None:
    if isinstance(node, _FORBIDDEN_NODES):
        raise ReadOnlyViolation(f"{node.key.upper()} is not allowed in a read-only query")
    if isinstance(node, exp.Table) and not isinstance(node.this, exp.Identifier):
        raise ReadOnlyViolation("row sources must be named tables, subqueries or CTEs")
    if isinstance(node, exp.Func) and not isinstance(node, exp.AggFunc):
        name = node.name if isinstance(node, exp.Anonymous) else node.sql_name()
        if _OUTSIDE_FUNCTION.match(name):
            raise ReadOnlyViolation(f"function {name} reaches outside the warehouse")


def install_guard(engine: sa.Engine, metadata: sa.MetaData) -> None:
    """Make every statement sent through `engine` pass `ensure_read_only` first.

    Only the tables declared in `metadata` may be read.
    """
    dialect = engine.dialect.name
    tables = [(table.schema or "", table.name) for table in metadata.tables.values()]

    def guard(
        conn: sa.Connection,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        ensure_read_only(statement, dialect, tables=tables)

    sa.event.listen(engine, "before_cursor_execute", guard)
