"""WideWorldImporters sales KPIs, computed in the warehouse from Fact.Sale.

Revenue is [Total Excluding Tax], gross margin is [Profit], units are [Quantity] and
orders are distinct [WWI Invoice ID], over [Invoice Date Key].
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.kpis import EMPTY_BLOCK, KpiBlock, KpiComparison, KpiWindows, SalesKpis
from otelbi.telemetry import traced_view
from otelbi.warehouse.catalog import declare
from otelbi.warehouse.wwi_tables import fact_sale

_invoice_date = fact_sale.c["Invoice Date Key"]

AS_OF = declare("wwi.sales.as_of", Domain.WWI, sa.select(sa.func.max(_invoice_date).label("as_of")))


def _window_totals(period: str) -> sa.Select[Any]:
    """One window's sums and distinct invoices; no row when the window holds no sale line.

    Each window is read and counted on its own, so windows that overlap (days_back > 365)
    both count the lines they share.
    """
    columns: list[sa.Label[Any]] = [
        sa.literal_column(f"'{period}'").label("period"),
        sa.func.sum(fact_sale.c["Total Excluding Tax"]).label("revenue"),
        sa.func.count(sa.distinct(fact_sale.c["WWI Invoice ID"])).label("orders"),
        sa.func.sum(fact_sale.c["Quantity"]).label("units"),
        sa.func.sum(fact_sale.c["Profit"]).label("gross_margin"),
    ]
    return (
        sa.select(*columns)
        .where(
            _invoice_date.between(sa.bindparam(f"{period}_start"), sa.bindparam(f"{period}_end"))
        )
        .having(sa.func.count() > sa.literal_column("0"))
    )


# Fact.Sale is a clustered columnstore partitioned by [Invoice Date Key] on SQL Server: each
# window's filter reads only its own row groups, and a plain COUNT(DISTINCT) per window is
# one hash aggregate (one per window) instead of one over (window, invoice) pairs.
WINDOW_TOTALS = declare(
    "wwi.sales.kpi_window_totals",
    Domain.WWI,
    sa.union_all(_window_totals("current"), _window_totals("previous")),
)


@traced_view(Domain.WWI, "sales_kpis")
def sales_kpis(connection: sa.Connection, *, days_back: int) -> SalesKpis | None:
    """Return the KPIs of the `days_back` days ending at the last invoice, or None if no sales."""
    as_of = AS_OF.rows(connection)[0].as_of
    if as_of is None:
        return None
    windows = KpiWindows(as_of=as_of, days=days_back)
    rows = WINDOW_TOTALS.rows(
        connection,
        current_start=windows.current_start,
        current_end=windows.as_of,
        previous_start=windows.previous_start,
        previous_end=windows.previous_end,
    )
    blocks = {row.period: KpiBlock.from_totals(row) for row in rows}
    comparison = KpiComparison.of(
        blocks.get("current", EMPTY_BLOCK), blocks.get("previous", EMPTY_BLOCK)
    )
    return SalesKpis(as_of=windows.as_of, window_days=days_back, **dict(comparison))
