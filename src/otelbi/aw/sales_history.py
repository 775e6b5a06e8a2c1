"""AdventureWorks sales history: revenue and orders per day, week or month up to `as_of`.

The warehouse sums each day's internet revenue, reseller revenue, total revenue and distinct
orders. Days without sales are filled with zeros here, and days are rolled up into weeks
(starting on Monday) or months (starting on the 1st). Rolling daily sums up is exact: every
AdventureWorks order has one order date and its number is unique across both channels, so
a week's distinct orders are the sum of its days' distinct orders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from pydantic import BaseModel

from otelbi.aw.sales_kpis import AS_OF, CHANNELS, date_key, date_of_key
from otelbi.domains import Domain
from otelbi.telemetry import traced_view
from otelbi.warehouse.catalog import declare


class Grain(StrEnum):
    """The length of one history point."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


_lines = sa.union_all(
    *(
        sa.select(
            sa.literal_column(f"'{channel}'").label("channel"),
            fact.c.OrderDateKey.label("date_key"),
            fact.c.SalesOrderNumber.label("order_number"),
            fact.c.SalesAmount.label("revenue"),
        ).where(fact.c.OrderDateKey.between(sa.bindparam("start_key"), sa.bindparam("end_key")))
        for channel, fact in CHANNELS.items()
    )
).subquery("lines")


def _channel_revenue(channel: str) -> sa.ColumnElement[Decimal]:
    return sa.func.sum(
        sa.case((_lines.c.channel == sa.literal_column(f"'{channel}'"), _lines.c.revenue))
    ).label(f"{channel}_revenue")


DAILY_TOTALS = declare(
    "aw.sales.daily_totals",
    Domain.AW,
    sa.select(
        _lines.c.date_key,
        *(_channel_revenue(channel) for channel in CHANNELS),
        sa.func.sum(_lines.c.revenue).label("revenue"),
        sa.func.count(sa.distinct(_lines.c.order_number)).label("orders"),
    ).group_by(_lines.c.date_key),
)


class HistoryPoint(BaseModel):
    """Sales of one day, week or month; `date` is its first calendar day."""

    date: dt.date
    internet_revenue: float
    reseller_revenue: float
    revenue: float
    orders: int


class SalesHistory(BaseModel):
    """GET /api/aw/sales/history."""

    as_of: dt.date
    grain: Grain
    days_back: int
    points: list[HistoryPoint]


@dataclass
class _Sums:
    internet_revenue: Decimal = Decimal(0)
    reseller_revenue: Decimal = Decimal(0)
    revenue: Decimal = Decimal(0)
    orders: int = 0

    def point(self, day: dt.date) -> HistoryPoint:
        return HistoryPoint(
            date=day,
            internet_revenue=round(float(self.internet_revenue), 2),
            reseller_revenue=round(float(self.reseller_revenue), 2),
            revenue=round(float(self.revenue), 2),
            orders=self.orders,
        )


def bucket_start(day: dt.date, grain: Grain) -> dt.date:
    """Return the first day of the day, week (Monday) or month holding `day`."""
    if grain is Grain.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if grain is Grain.MONTH:
        return day.replace(day=1)
    return day


@traced_view(Domain.AW, "sales_history", rows=lambda history: len(history.points))
def sales_history(
    connection: sa.Connection, *, days_back: int, grain: Grain
) -> SalesHistory | None:
    """Return the `days_back` days ending at the last sale in `grain` buckets; None if no sales.

    The first and last week or month may be partial: they hold only the days inside the
    window but are still labelled by their Monday or 1st.
    """
    as_of_key = AS_OF.rows(connection)[0].as_of_key
    if as_of_key is None:
        return None
    as_of = date_of_key(as_of_key)
    start = as_of - dt.timedelta(days=days_back - 1)
    daily = {
        date_of_key(row.date_key): row
        for row in DAILY_TOTALS.rows(connection, start_key=date_key(start), end_key=as_of_key)
    }
    buckets: dict[dt.date, _Sums] = {}
    for offset in range(days_back):
        day = start + dt.timedelta(days=offset)
        sums = buckets.setdefault(bucket_start(day, grain), _Sums())
        row = daily.get(day)
        if row is not None:
            sums.internet_revenue += row.internet_revenue or 0
            sums.reseller_revenue += row.reseller_revenue or 0
            sums.revenue += row.revenue or 0
            sums.orders += row.orders
    return SalesHistory(
        as_of=as_of,
        grain=grain,
        days_back=days_back,
        points=[sums.point(day) for day, sums in buckets.items()],
    )
