"""The shape of a data-version fingerprint statement (one per warehouse, in its domain).

One row of scalar subqueries: each table's row count, plus the aggregates the domain names
for it (latest date key, exact-decimal or integer totals). Appended rows change a count or a
latest key, a corrected amount changes a total, a reloaded table usually all three. Only
exact types are summed: a floating-point sum can differ in its last bits from one run to the
next and would make the version flap. On SQL Server each aggregate is one scan of the table
or of a narrower index covering the column, once per RESULT_CACHE_FRESHNESS_SECONDS.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa


def fingerprint_query(
    aggregates: Mapping[sa.Table, Sequence[sa.ColumnElement[Any]]],
) -> sa.Select[Any]:
    """Return SELECT (SELECT COUNT(*) FROM t) AS t0_rows, (SELECT agg FROM t) AS t0_a0, …"""
    columns: list[sa.Label[Any]] = []
    for position, (table, table_aggregates) in enumerate(aggregates.items()):
        columns.append(
            sa.select(sa.func.count())
            .select_from(table)
            .scalar_subquery()
            .label(f"t{position}_rows")
        )
        columns.extend(
            sa.select(aggregate).select_from(table).scalar_subquery().label(f"t{position}_a{i}")
            for i, aggregate in enumerate(table_aggregates)
        )
    return sa.select(*columns)
