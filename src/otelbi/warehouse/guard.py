"""The read-only guard every warehouse statement passes before it reaches a connection.

An allow-list: the text must parse (sqlglot) as exactly one SELECT or set operation of
SELECTs, whose every row source is a declared warehouse table, a subquery or a CTE, and
which holds no INTO, no EXEC, no data-modifying or schema-changing clause anywhere and no
call to a function that reaches outside the database (xp_cmdshell, OPENROWSET, read_csv …). Text
that does not parse is rejected: what cannot be checked does not run.

A bare name counts as a CTE only where that CTE is in scope; elsewhere it is a table of the
default schema (in DuckDB possibly a file), so it must be declared. A table in another
database (`db.schema.table`) is never declared. In T-SQL, statements need no separator: SQL
Server reads `SELECT 1 DELETE FROM t` as two statements where sqlglot sees an alias, so an
unquoted T-SQL reserved word anywhere a name goes is refused.

`install_guard(engine)` hooks it into the engine's `before_cursor_execute` event, so no
code path can send an unchecked statement.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
import sqlglot
from sqlalchemy.dialects.mssql.base import RESERVED_WORDS as TSQL_RESERVED_WORDS
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

GUARD_VERDICTS_KEPT = 1024
"""Statement texts remembered as read-only (the catalog holds a few dozen; IN lists vary)."""


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
    for node in root.walk():
        _check_node(node)
        if read == "tsql":
            _check_tsql_name(node)
        if allowed is not None and isinstance(node, exp.Table):
            _check_table(node, allowed, read)


def _check_table(table: exp.Table, allowed: set[TableName], read: str) -> None:
    if table.catalog:
        shown = ".".join(part.name for part in table.parts)
        raise ReadOnlyViolation(f"table {shown} is in another database")
    if not table.db and _names_a_cte_in_scope(table, read):
        return
    if (table.db.lower(), table.name.lower()) not in allowed:
        shown = f"{table.db}.{table.name}" if table.db else table.name
        raise ReadOnlyViolation(f"table {shown} is not a declared warehouse table")


def _names_a_cte_in_scope(table: exp.Table, read: str) -> bool:
    """Return True if the bare name `table` refers to a CTE visible where it stands."""
    name = table.name.lower()
    child: exp.Expr = table
    parent = table.parent
    while parent is not None:
        if isinstance(parent, exp.With):
            # Inside a CTE's body: the CTEs before it are visible; itself too in T-SQL
            # (recursion needs no keyword there); all of them WITH RECURSIVE.
            ctes = parent.expressions
            position = next((i for i, cte in enumerate(ctes) if cte is child), None)
            if position is None:
                ctes = []
            elif not parent.args.get("recursive"):
                ctes = ctes[: position + 1 if read == "tsql" else position]
        else:
            with_ = parent.args.get("with_")
            ctes = with_.expressions if isinstance(with_, exp.With) and with_ is not child else []
        if any(cte.alias_or_name.lower() == name for cte in ctes):
            return True
        child, parent = parent, parent.parent
    return False


def _check_tsql_name(node: exp.Expr) -> None:
    if (
        isinstance(node, exp.Identifier)
        and not node.quoted
        and node.name.lower() in TSQL_RESERVED_WORDS
    ):
        raise ReadOnlyViolation(
            f"{node.name} is a T-SQL reserved word where a name goes: SQL Server would read "
            "it as a keyword (quote it if it is a name)"
        )


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
    tables = frozenset((table.schema or "", table.name) for table in metadata.tables.values())

    def guard(
        conn: sa.Connection,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        _passed_before(statement, dialect, tables)

    sa.event.listen(engine, "before_cursor_execute", guard)


@functools.lru_cache(maxsize=GUARD_VERDICTS_KEPT)
def _passed_before(sql: str, dialect: str, tables: frozenset[TableName]) -> None:
    """`ensure_read_only`, remembered for SQL text that passed it.

    The verdict depends on nothing but the text, the dialect and the allowed tables (the bind
    values travel apart from the text), and the product sends the same few dozen texts over
    and over: parsing each one at every execution was a third of a view's time in the
    warehouse. A text that fails raises, and a raise is never remembered.
    """
    ensure_read_only(sql, dialect, tables=tables)
