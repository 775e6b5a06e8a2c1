"""Data-quality checks: each one a name, a severity and one declared SQL query.

A check's query is a catalog statement that returns one row with one number, `observed`;
the check passes when `observed <comparison> threshold` holds. The constructors build the
shapes that recur, from the table declarations, so a domain's checks read as a list:

    row_count_above_zero(table)                    rows                         >= 1
    no_null_or_orphan_key(fact, col, dim, key)     rows whose key is NULL or    <= 0
                                                   has no dimension row
    no_duplicates(table, columns)                  rows beyond the first of     <= 0
                                                   each key
    rows_violating(name, table, condition)         rows where condition holds   <= 0
    freshness(table, date_column, max_days)        days from the last date      <= max_days
                                                   to today (UTC); a warning

Any other shape is `declare_check(domain, name, query, …)` with a SELECT of its own.

Names: the check `<namespace>.<table>.<what>` runs the statement
`<namespace>.quality.<table>.<what>`; the namespace is the table's domain (`aw`, `wwi`)
unless a caller names another one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.warehouse.catalog import Statement, declare
from otelbi.warehouse.date_functions import DaysBetween
from otelbi.warehouse.engines import METADATA

Number = int | float


class Severity(StrEnum):
    """What a failed check means: the data is wrong (error) or only worth a look (warning)."""

    ERROR = "error"
    WARNING = "warning"


class Comparison(StrEnum):
    """How the observed number must relate to the threshold for a check to pass."""

    AT_MOST = "<="
    AT_LEAST = ">="
    EQUAL = "=="

    def holds(self, observed: Number, threshold: Number) -> bool:
        """Return whether `observed` passes against `threshold`."""
        if self is Comparison.AT_MOST:
            return observed <= threshold
        if self is Comparison.AT_LEAST:
            return observed >= threshold
        return observed == threshold


def no_parameters(today: dt.date) -> Mapping[str, Any]:
    """Return no bound parameters: the query needs none."""
    return {}


def today_parameter(today: dt.date) -> Mapping[str, Any]:
    """Return the run's UTC date as the bound parameter `today`."""
    return {"today": today}


@dataclass(frozen=True)
class QualityCheck:
    """One declared data-quality check."""

    name: str
    severity: Severity
    statement: Statement
    """Returns one row with one number, `observed`."""
    threshold: Number
    comparison: Comparison
    description: str
    parameters: Callable[[dt.date], Mapping[str, Any]] = no_parameters
    """The statement's bound parameters, given the run's UTC date."""


def declare_check(
    domain: Domain,
    name: str,
    query: sa.Select[Any],
    *,
    description: str,
    severity: Severity = Severity.ERROR,
    comparison: Comparison = Comparison.AT_MOST,
    threshold: Number = 0,
    parameters: Callable[[dt.date], Mapping[str, Any]] = no_parameters,
) -> QualityCheck:
    """Return the check `name` of `query`, whose statement is declared in the catalog.

    `query` must select one column labelled `observed`; `name` is `<namespace>.<rest>` and
    the statement is `<namespace>.quality.<rest>`.
    """
    selected = list(query.selected_columns.keys())
    if selected != ["observed"]:
        raise ValueError(f"check {name!r} must select one column `observed`, not {selected}")
    namespace, _, rest = name.partition(".")
    if not rest:
        raise ValueError(f"check name {name!r} needs a namespace: <namespace>.<table>.<what>")
    statement = declare(f"{namespace}.quality.{rest}", domain, query)
    return QualityCheck(
        name=name,
        severity=severity,
        statement=statement,
        threshold=threshold,
        comparison=comparison,
        description=description,
        parameters=parameters,
    )


def row_count_above_zero(table: sa.Table, *, namespace: str | None = None) -> QualityCheck:
    """Return the check that `table` holds at least one row.

    Counts the values of the table's first key column, which is NOT NULL: the same number
    as COUNT(*), with a column the T-SQL review can resolve.
    """
    query = sa.select(sa.func.count(_not_null_column(table)).label("observed"))
    return _table_check(
        table,
        "row_count",
        query,
        namespace=namespace,
        description=f"{table.name} holds at least one row",
        comparison=Comparison.AT_LEAST,
        threshold=1,
    )


def no_null_or_orphan_key(
    fact: sa.Table,
    column: str,
    dimension: sa.Table,
    dimension_key: str,
    *,
    where: sa.ColumnElement[bool] | None = None,
    parameters: Callable[[dt.date], Mapping[str, Any]] = no_parameters,
    name: str | None = None,
    namespace: str | None = None,
) -> QualityCheck:
    """Return the check that every `fact.column` is set and has a row in `dimension`.

    Observes the rows of `fact` (only those matching `where`, if given, with `parameters`
    bound) whose key is NULL or matches no `dimension_key`: one LEFT JOIN … IS NULL, which
    counts both.
    """
    parent = dimension.alias("parent") if dimension is fact else dimension
    parent_key = parent.c[dimension_key]
    query = (
        sa.select(sa.func.count().label("observed"))
        .select_from(fact.outerjoin(parent, fact.c[column] == parent_key))
        .where(parent_key.is_(None))
    )
    if where is not None:
        query = query.where(where)
    return _table_check(
        fact,
        name or f"orphan_{_snake(column)}",
        query,
        namespace=namespace,
        description=f"every {fact.name}.{column} is set and found in {dimension.name}",
        parameters=parameters,
    )


def no_duplicates(
    table: sa.Table,
    columns: Sequence[str],
    *,
    name: str | None = None,
    namespace: str | None = None,
) -> QualityCheck:
    """Return the check that no two rows of `table` share the values of `columns`.

    Observes the rows beyond the first of each key (rows − distinct keys).
    """
    copies = (
        sa.select(sa.func.count().label("copies"))
        .select_from(table)
        .group_by(*(table.c[column] for column in columns))
        .having(sa.func.count() > _number(1))
        .subquery("duplicate_keys")
    )
    query = sa.select(
        sa.func.coalesce(sa.func.sum(copies.c.copies - _number(1)), _number(0)).label("observed")
    )
    return _table_check(
        table,
        name or "duplicate_" + "_".join(_snake(column) for column in columns),
        query,
        namespace=namespace,
        description=f"no two {table.name} rows share ({', '.join(columns)})",
    )


def rows_violating(
    name: str,
    table: sa.Table,
    condition: sa.ColumnElement[bool],
    *,
    description: str,
    severity: Severity = Severity.ERROR,
    parameters: Callable[[dt.date], Mapping[str, Any]] = no_parameters,
    namespace: str | None = None,
) -> QualityCheck:
    """Return the check that no row of `table` satisfies `condition` (a violation).

    Rows where `condition` is unknown (a NULL operand) are not counted; `parameters` binds
    any parameter the condition names.
    """
    query = sa.select(sa.func.count().label("observed")).select_from(table).where(condition)
    return _table_check(
        table,
        name,
        query,
        namespace=namespace,
        description=description,
        severity=severity,
        parameters=parameters,
    )


def freshness(
    table: sa.Table, date_column: str, max_days: int, *, namespace: str | None = None
) -> QualityCheck:
    """Return the warning that the last `date_column` of `table` is over `max_days` old.

    Observes the days from that date to today; today is the run's UTC date, bound as a
    parameter so no dialect's clock function is needed. An empty table observes nothing
    and fails.
    """
    last = sa.func.max(table.c[date_column])
    query = sa.select(
        DaysBetween(last, sa.bindparam("today", type_=sa.Date())).label("observed")
    ).select_from(table)
    return _table_check(
        table,
        "freshness",
        query,
        namespace=namespace,
        description=f"days from the last {table.name}.{date_column} to today (UTC)",
        severity=Severity.WARNING,
        threshold=max_days,
        parameters=today_parameter,
    )


def _table_check(
    table: sa.Table,
    what: str,
    query: sa.Select[Any],
    *,
    namespace: str | None,
    description: str,
    severity: Severity = Severity.ERROR,
    comparison: Comparison = Comparison.AT_MOST,
    threshold: Number = 0,
    parameters: Callable[[dt.date], Mapping[str, Any]] = no_parameters,
) -> QualityCheck:
    domain = _domain_of(table)
    return declare_check(
        domain,
        f"{namespace or domain.value}.{_snake(table.name)}.{what}",
        query,
        description=description,
        severity=severity,
        comparison=comparison,
        threshold=threshold,
        parameters=parameters,
    )


def _domain_of(table: sa.Table) -> Domain:
    for domain, metadata in METADATA.items():
        if metadata.tables.get(table.key) is table:
            return domain
    raise ValueError(f"{table.fullname} is not a declared warehouse table")


def _not_null_column(table: sa.Table) -> sa.Column[Any]:
    candidates: list[sa.Column[Any]] = [
        *table.primary_key.columns,
        *(column for column in table.columns if not column.nullable),
    ]
    if not candidates:
        raise ValueError(f"{table.fullname} has no NOT NULL column to count rows by")
    return candidates[0]


def _number(value: int) -> sa.ColumnElement[int]:
    """A constant written into the SQL, not bound: the reviewed text reads as the check."""
    return sa.literal_column(str(value), sa.Integer())


_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^0-9A-Za-z]+")


def _snake(name: str) -> str:
    """FactInternetSales -> fact_internet_sales; [Stock Item Key] -> stock_item_key."""
    return _NOT_WORD.sub("_", _WORD_BOUNDARY.sub("_", name)).strip("_").lower()
