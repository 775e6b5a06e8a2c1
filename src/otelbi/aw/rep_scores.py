"""AdventureWorks sales-rep scorecard: revenue, quota attainment, growth, a score and a rank.

A rep is a DimEmployee row with SalesPersonFlag = 1 (CurrentFlag is 1 on every row, so it
says nothing; a departed rep keeps their row and their sales, and stays in the list). Reps
sell through resellers only, so every figure comes from FactResellerSales by EmployeeKey.

- territory: the DimSalesTerritory region holding most of the rep's reseller revenue in the
  window (FactResellerSales.SalesTerritoryKey). DimEmployee.SalesTerritoryKey is not used: it
  is not where reps sell (managers carry 11 "NA").
- quota periods: a FactSalesQuota row starts a period on its DateKey that runs until the
  rep's next quota row or for three months, whichever comes first. CalendarYear and
  CalendarQuarter are not used: in 2011 they read Q3 twice (07-01 and 09-29) and never Q2.
  With `days_back`, only periods starting inside the window count.
- attainment_pct = 100 × Σ revenue of sales inside counted periods ÷ Σ their quotas.
- growth_pct: revenue of the 12 months ending at `as_of` against the 12 months before.
- score: see `score()` and docs/analytics.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel

from otelbi.aw.sales_kpis import AS_OF, date_key, date_of_key
from otelbi.domains import Domain
from otelbi.telemetry import traced_view
from otelbi.warehouse.aw_tables import (
    dim_employee,
    dim_sales_territory,
    fact_reseller_sales,
    fact_sales_quota,
)
from otelbi.warehouse.catalog import declare

WEIGHTS = {"attainment": 0.4, "revenue": 0.4, "growth": 0.2}
"""Weights of the score's components; a component that is null is left out (see score)."""
ATTAINMENT_CAP_PCT = 150.0

_sales = fact_reseller_sales
_in_window = _sales.c.OrderDateKey.between(sa.bindparam("start_key"), sa.bindparam("end_key"))


def _revenue_between(start: str, end: str, label: str) -> sa.Label[Any]:
    between = _sales.c.OrderDateKey.between(sa.bindparam(start), sa.bindparam(end))
    return sa.func.sum(sa.case((between, _sales.c.SalesAmount))).label(label)


_rep_totals = (
    sa.select(
        _sales.c.EmployeeKey,
        sa.func.sum(sa.case((_in_window, _sales.c.SalesAmount))).label("revenue"),
        sa.func.count(sa.distinct(sa.case((_in_window, _sales.c.SalesOrderNumber)))).label(
            "orders"
        ),
        _revenue_between("recent_start", "end_key", "recent_revenue"),
        _revenue_between("earlier_start", "earlier_end", "earlier_revenue"),
    )
    .group_by(_sales.c.EmployeeKey)
    .subquery("rep_totals")
)

_territory_revenue = (
    sa.select(
        _sales.c.EmployeeKey,
        _sales.c.SalesTerritoryKey,
        sa.func.row_number()
        .over(
            partition_by=_sales.c.EmployeeKey,
            order_by=(sa.func.sum(_sales.c.SalesAmount).desc(), _sales.c.SalesTerritoryKey),
        )
        .label("place"),
    )
    .where(_in_window)
    .group_by(_sales.c.EmployeeKey, _sales.c.SalesTerritoryKey)
    .subquery("territory_revenue")
)

_employee = dim_employee
_territory = dim_sales_territory

REP_TOTALS = declare(
    "aw.reps.totals",
    Domain.AW,
    sa.select(
        _employee.c.EmployeeKey.label("employee_key"),
        _employee.c.FirstName.label("first_name"),
        _employee.c.LastName.label("last_name"),
        _employee.c.Title.label("title"),
        _territory.c.SalesTerritoryRegion.label("territory"),
        _rep_totals.c.revenue,
        _rep_totals.c.orders,
        _rep_totals.c.recent_revenue,
        _rep_totals.c.earlier_revenue,
    )
    .select_from(
        _employee.outerjoin(_rep_totals, _rep_totals.c.EmployeeKey == _employee.c.EmployeeKey)
        .outerjoin(
            _territory_revenue,
            sa.and_(
                _territory_revenue.c.EmployeeKey == _employee.c.EmployeeKey,
                _territory_revenue.c.place == sa.literal_column("1"),
            ),
        )
        .outerjoin(
            _territory,
            _territory.c.SalesTerritoryKey == _territory_revenue.c.SalesTerritoryKey,
        )
    )
    .where(_employee.c.SalesPersonFlag == sa.true()),
)

_quota = fact_sales_quota
# DateKey is yyyymmdd: three months later is +300, or +9100 from October on (next year).
_three_months_later = _quota.c.DateKey + sa.case(
    (
        _quota.c.DateKey % sa.literal_column("10000") < sa.literal_column("1000"),
        sa.literal_column("300"),
    ),
    else_=sa.literal_column("9100"),
)
_quota_rows = sa.select(
    _quota.c.SalesQuotaKey,
    _quota.c.EmployeeKey,
    _quota.c.DateKey,
    _quota.c.SalesAmountQuota,
    sa.func.lead(_quota.c.DateKey)
    .over(partition_by=_quota.c.EmployeeKey, order_by=_quota.c.DateKey)
    .label("next_key"),
    _three_months_later.label("cap_key"),
).subquery("quota_rows")

_periods = (
    sa.select(
        _quota_rows.c.SalesQuotaKey,
        _quota_rows.c.EmployeeKey,
        _quota_rows.c.SalesAmountQuota,
        _quota_rows.c.DateKey.label("first_key"),
        sa.case(
            (_quota_rows.c.next_key < _quota_rows.c.cap_key, _quota_rows.c.next_key),
            else_=_quota_rows.c.cap_key,
        ).label("stop_key"),
    )
    .where(_quota_rows.c.DateKey.between(sa.bindparam("start_key"), sa.bindparam("end_key")))
    .cte("quota_periods")
)

# Sales summed per rep and day before they meet the periods: the range join then matches a
# few thousand day rows instead of every sale line against each of its rep's periods.
_daily_sales = (
    sa.select(
        _sales.c.EmployeeKey,
        _sales.c.OrderDateKey,
        sa.func.sum(_sales.c.SalesAmount).label("revenue"),
    )
    .where(_sales.c.OrderDateKey >= sa.bindparam("start_key"))  # no counted period starts earlier
    .group_by(_sales.c.EmployeeKey, _sales.c.OrderDateKey)
    .subquery("daily_sales")
)

_period_revenue = (
    sa.select(
        _periods.c.SalesQuotaKey,
        sa.func.sum(_daily_sales.c.revenue).label("revenue"),
    )
    .select_from(
        _periods.join(
            _daily_sales,
            sa.and_(
                _daily_sales.c.EmployeeKey == _periods.c.EmployeeKey,
                _daily_sales.c.OrderDateKey >= _periods.c.first_key,
                _daily_sales.c.OrderDateKey < _periods.c.stop_key,
            ),
        )
    )
    .group_by(_periods.c.SalesQuotaKey)
    .subquery("period_revenue")
)

REP_QUOTAS = declare(
    "aw.reps.quota_attainment",
    Domain.AW,
    sa.select(
        _periods.c.EmployeeKey.label("employee_key"),
        sa.func.sum(_periods.c.SalesAmountQuota).label("quota"),
        sa.func.sum(_period_revenue.c.revenue).label("quota_revenue"),
    )
    .select_from(
        _periods.outerjoin(
            _period_revenue, _period_revenue.c.SalesQuotaKey == _periods.c.SalesQuotaKey
        )
    )
    .group_by(_periods.c.EmployeeKey),
)


class RepScore(BaseModel):
    """One sales rep's figures, score and rank (also the stored snapshot row)."""

    employee_key: int
    name: str
    title: str | None
    territory: str | None
    revenue: float
    orders: int
    quota: float | None
    attainment_pct: float | None
    growth_pct: float | None
    score: float
    rank: int


class RepScores(BaseModel):
    """GET /api/aw/reps/scores: the top reps by score; `days_back` null means all history."""

    as_of: dt.date
    days_back: int | None
    reps: list[RepScore]


def year_earlier(day: dt.date) -> dt.date:
    """Return `day` one calendar year earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def pct_change(current: Decimal | float, previous: Decimal | float) -> float | None:
    """Return 100 × (current − previous) ÷ previous; None when previous is 0."""
    if not previous:
        return None
    return 100 * (float(current) - float(previous)) / float(previous)


def score(
    *, revenue: float, top_revenue: float, attainment_pct: float | None, growth_pct: float | None
) -> float:
    """Return the 0–100 weighted blend of the attainment, revenue and growth indices.

    attainment index = min(attainment_pct, 150) ÷ 150 × 100; revenue index = 100 × revenue
    ÷ the top rep's revenue; growth index = 50 + clamp(growth_pct, −100, 100) ÷ 2. A null
    component is left out and the remaining weights are scaled up to sum to 1.
    """
    indices: dict[str, float | None] = {
        "revenue": 100 * revenue / top_revenue if top_revenue > 0 else 0.0,
        "attainment": None
        if attainment_pct is None
        else 100 * min(max(attainment_pct, 0.0), ATTAINMENT_CAP_PCT) / ATTAINMENT_CAP_PCT,
        "growth": None if growth_pct is None else 50 + max(-100.0, min(growth_pct, 100.0)) / 2,
    }
    known = {name: index for name, index in indices.items() if index is not None}
    weight = sum(WEIGHTS[name] for name in known)
    return sum(WEIGHTS[name] * index for name, index in known.items()) / weight


@traced_view(Domain.AW, "rep_scores", rows=lambda scores: len(scores.reps))
def rep_scores(connection: sa.Connection, *, top_n: int, days_back: int | None) -> RepScores | None:
    """Return the `top_n` reps by score over `days_back` days (all history if None).

    None when the warehouse holds no sales.
    """
    as_of_key = AS_OF.rows(connection)[0].as_of_key
    if as_of_key is None:
        return None
    as_of = date_of_key(as_of_key)
    start_key = date_key(as_of - dt.timedelta(days=days_back - 1)) if days_back else 0
    earlier_end = year_earlier(as_of)
    totals = REP_TOTALS.rows(
        connection,
        start_key=start_key,
        end_key=as_of_key,
        recent_start=date_key(earlier_end + dt.timedelta(days=1)),
        earlier_start=date_key(year_earlier(earlier_end) + dt.timedelta(days=1)),
        earlier_end=date_key(earlier_end),
    )
    quotas = {
        row.employee_key: row
        for row in REP_QUOTAS.rows(connection, start_key=start_key, end_key=as_of_key)
    }
    top_revenue = max((float(row.revenue or 0) for row in totals), default=0.0)
    unranked = []
    for row in totals:
        revenue = float(row.revenue or 0)
        quota_row = quotas.get(row.employee_key)
        quota = float(quota_row.quota) if quota_row is not None else None
        attainment = (
            100 * float(quota_row.quota_revenue or 0) / quota
            if quota_row is not None and quota
            else None
        )
        growth = pct_change(row.recent_revenue or 0, row.earlier_revenue or 0)
        unranked.append(
            RepScore(
                employee_key=row.employee_key,
                name=f"{row.first_name} {row.last_name}",
                title=row.title,
                territory=row.territory,
                revenue=round(revenue, 2),
                orders=row.orders or 0,
                quota=None if quota is None else round(quota, 2),
                attainment_pct=None if attainment is None else round(attainment, 2),
                growth_pct=None if growth is None else round(growth, 2),
                score=round(
                    score(
                        revenue=revenue,
                        top_revenue=top_revenue,
                        attainment_pct=attainment,
                        growth_pct=growth,
                    ),
                    2,
                ),
                rank=0,
            )
        )
    unranked.sort(key=lambda rep: (-rep.score, -rep.revenue, rep.employee_key))
    ranked = [rep.model_copy(update={"rank": place}) for place, rep in enumerate(unranked, 1)]
    return RepScores(as_of=as_of, days_back=days_back, reps=ranked[:top_n])
