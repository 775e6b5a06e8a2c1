"""AdventureWorks sales history: revenue and orders per day, week or month up to `as_of`.

The warehouse sums each day's internet revenue, reseller revenue, total revenue and distinct
orders. Days without sales are filled with zeros here, and days are rolled up into weeks
(starting on Monday) or months (starting on the 1st). Rolling daily sums up is exact: every
AdventureWorks order has one order date and its number is unique across both channels, so
a week's distinct orders are the sum of its days' distinct orders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

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


class _Day(NamedTuple):
    """One row of DAILY_TOTALS, which selects these columns in this order."""

    date_key: int
    internet_revenue: Decimal | None
    reseller_revenue: Decimal | None
    revenue: Decimal | None
    orders: int


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


def _bucket_starts(first: dt.date, last: dt.date, grain: Grain) -> Iterator[dt.date]:
    """Yield the first day of every bucket holding a day from `first` to `last`, in order."""
    start = bucket_start(first, grain)
    while start <= last:
        yield start
        if grain is Grain.MONTH:
            start = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        else:
            start += dt.timedelta(days=7 if grain is Grain.WEEK else 1)


@traced_view(Domain.AW, "sales_history", rows=lambda history: len(history.points))
def sales_history(
    connection: sa.Connection, *, days_back: int, grain: Grain
) -> SalesHistory | None:
    """Return the `days_back` days ending at the last sale in `grain` buckets; None if no sales.

    The first and last week or month may be partial: they hold only the days inside the
    window but are still labelled by their Monday or 1st. Days without sales count as zeros.
    """
    as_of_key = AS_OF.rows(connection)[0].as_of_key
    if as_of_key is None:
        return None
    as_of = date_of_key(as_of_key)
    start = as_of - dt.timedelta(days=days_back - 1)
    buckets = {day: _Sums() for day in _bucket_starts(start, as_of, grain)}
    rows = DAILY_TOTALS.rows(connection, start_key=date_key(start), end_key=as_of_key)
    # Read by position: a Row's columns by name cost more than the roll-up.
    for day in map(_Day._make, rows):
        sums = buckets[bucket_start(date_of_key(day.date_key), grain)]
        sums.internet_revenue += day.internet_revenue or 0
        sums.reseller_revenue += day.reseller_revenue or 0
        sums.revenue += day.revenue or 0
        sums.orders += day.orders
    return SalesHistory(
        as_of=as_of,
        grain=grain,
        days_back=days_back,
        points=[sums.point(day) for day, sums in buckets.items()],
    )
