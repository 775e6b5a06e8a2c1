"""AdventureWorks sales KPIs, computed in the warehouse.

Revenue is SalesAmount, orders are distinct SalesOrderNumber, gross margin is
SalesAmount − TotalProductCost, units are OrderQuantity; internet and reseller sales are
the two channels, and the total is rolled up in SQL over both (not added up in Python).
An order number is unique across both sales facts (they come from one order header table),
so the total's orders are the sum of the channels' distinct orders.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.kpis import EMPTY_BLOCK, AwSalesKpis, KpiBlock, KpiComparison, KpiWindows
from otelbi.telemetry import traced_view
from otelbi.warehouse.aw_tables import fact_internet_sales, fact_reseller_sales
from otelbi.warehouse.catalog import declare

CHANNELS = {"internet": fact_internet_sales, "reseller": fact_reseller_sales}


def date_key(day: dt.date) -> int:
    """Return the AdventureWorks integer date key (yyyymmdd) of `day`."""
    return day.year * 10000 + day.month * 100 + day.day


def date_of_key(key: int) -> dt.date:
    """Return the date of an AdventureWorks integer date key."""
    return dt.date(key // 10000, key // 100 % 100, key % 100)


_last_dates = sa.union_all(
    *(sa.select(sa.func.max(fact.c.OrderDateKey).label("date_key")) for fact in CHANNELS.values())
).subquery("last_dates")

AS_OF = declare(
    "aw.sales.as_of",
    Domain.AW,
    sa.select(sa.func.max(_last_dates.c.date_key).label("as_of_key")),
)


def _window_totals(period: str, channel: str, fact: sa.Table) -> sa.Select[Any]:
    """One channel's sums and distinct orders in one window (no lines: orders 0).

    Each window reads its own date range, so windows that overlap (days_back > 365) both
    count the lines they share.
    """
    columns: list[sa.Label[Any]] = [
        sa.literal_column(f"'{period}'").label("period"),
        sa.literal_column(f"'{channel}'").label("channel"),
        sa.func.sum(fact.c.SalesAmount).label("revenue"),
        sa.func.count(sa.distinct(fact.c.SalesOrderNumber)).label("orders"),
        sa.func.sum(fact.c.OrderQuantity).label("units"),
        sa.func.sum(fact.c.SalesAmount - fact.c.TotalProductCost).label("gross_margin"),
    ]
    return sa.select(*columns).where(
        fact.c.OrderDateKey.between(sa.bindparam(f"{period}_start"), sa.bindparam(f"{period}_end"))
    )


# A plain COUNT(DISTINCT) per window and channel is one hash set over that window's order
# numbers; counting distinct orders per (window, channel) group over all lines, with a ROLLUP
# on top, hashed every (group, order) pair once per grouping set. The ROLLUP now adds up
# four rows: the total's orders are the channels' sum, as an order number is unique across
# both facts (one order header table). A window or channel without lines has no row.
_windows = sa.union_all(
    *(
        _window_totals(period, channel, fact)
        for period in ("current", "previous")
        for channel, fact in CHANNELS.items()
    )
).subquery("windows")

WINDOW_TOTALS = declare(
    "aw.sales.kpi_window_totals",
    Domain.AW,
    sa.select(
        _windows.c.period,
        _windows.c.channel,
        sa.func.sum(_windows.c.revenue).label("revenue"),
        sa.func.sum(_windows.c.orders).label("orders"),
        sa.func.sum(_windows.c.units).label("units"),
        sa.func.sum(_windows.c.gross_margin).label("gross_margin"),
    )
    .where(_windows.c.orders > sa.literal_column("0"))
    .group_by(_windows.c.period, sa.func.rollup(_windows.c.channel)),
)


@traced_view(Domain.AW, "sales_kpis")
def sales_kpis(connection: sa.Connection, *, days_back: int) -> AwSalesKpis | None:
    """Return the KPIs of the `days_back` days ending at the last sale, or None if no sales."""
    as_of_key = AS_OF.rows(connection)[0].as_of_key
    if as_of_key is None:
        return None
    windows = KpiWindows(as_of=date_of_key(as_of_key), days=days_back)
    rows = WINDOW_TOTALS.rows(
        connection,
        current_start=date_key(windows.current_start),
        current_end=date_key(windows.as_of),
        previous_start=date_key(windows.previous_start),
        previous_end=date_key(windows.previous_end),
    )
    blocks = {(row.period, row.channel): KpiBlock.from_totals(row) for row in rows}

    def comparison(channel: str | None) -> KpiComparison:
        return KpiComparison.of(
            blocks.get(("current", channel), EMPTY_BLOCK),
            blocks.get(("previous", channel), EMPTY_BLOCK),
        )

    return AwSalesKpis(
        as_of=windows.as_of,
        window_days=days_back,
        **dict(comparison(None)),
        channels={channel: comparison(channel) for channel in CHANNELS},
    )
