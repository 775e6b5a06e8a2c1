"""AdventureWorks product demand: units, revenue, orders and trend per product, both channels.

DimProduct is SCD2: one product has a row per price version, and the facts point at the
version sold. Sales are therefore summed per ProductAlternateKey over all its versions; the
name, subcategory and category come from the newest version (latest StartDate).

- trend_pct: units of the 90 days ending at `as_of` against the 90 days before. Reseller
  sales arrive in monthly batches, so each 90-day window holds two to four batches.
- demand_score: see `demand_score()` and docs/analytics.md.
"""

from __future__ import annotations

import datetime as dt
import heapq
from decimal import Decimal
from typing import Any, NamedTuple

import sqlalchemy as sa
from pydantic import BaseModel

from otelbi.aw.sales_kpis import AS_OF, CHANNELS, date_key, date_of_key
from otelbi.domains import Domain
from otelbi.telemetry import traced_view
from otelbi.warehouse.aggregates import whole_sum
from otelbi.warehouse.aw_tables import dim_product, dim_product_category, dim_product_subcategory
from otelbi.warehouse.catalog import declare

WEIGHTS = {"units": 0.4, "revenue": 0.4, "trend": 0.2}
"""Weights of the demand score's components; a null trend is left out (see demand_score)."""
TREND_DAYS = 90

_lines = sa.union_all(
    *(
        sa.select(
            fact.c.ProductKey,
            fact.c.OrderDateKey,
            fact.c.SalesOrderNumber,
            fact.c.OrderQuantity,
            fact.c.SalesAmount,
        ).where(fact.c.OrderDateKey.between(sa.bindparam("scan_start"), sa.bindparam("end_key")))
        for fact in CHANNELS.values()
    )
).subquery("lines")

_product = dim_product
_in_window = _lines.c.OrderDateKey.between(sa.bindparam("start_key"), sa.bindparam("end_key"))


def _units_between(start: str, end: str, label: str) -> sa.Label[Any]:
    between = _lines.c.OrderDateKey.between(sa.bindparam(start), sa.bindparam(end))
    return whole_sum(sa.case((between, _lines.c.OrderQuantity))).label(label)


_orders = sa.func.count(sa.distinct(sa.case((_in_window, _lines.c.SalesOrderNumber))))
_sold = (
    sa.select(
        _product.c.ProductAlternateKey,
        whole_sum(sa.case((_in_window, _lines.c.OrderQuantity))).label("units"),
        sa.func.sum(sa.case((_in_window, _lines.c.SalesAmount))).label("revenue"),
        _orders.label("orders"),
        _units_between("recent_start", "end_key", "recent_units"),
        _units_between("earlier_start", "earlier_end", "earlier_units"),
    )
    .select_from(_lines.join(_product, _product.c.ProductKey == _lines.c.ProductKey))
    .group_by(_product.c.ProductAlternateKey)
    .having(_orders > sa.literal_column("0"))
    .subquery("sold")
)

_subcategory = dim_product_subcategory
_category = dim_product_category
_versions = (
    sa.select(
        _product.c.ProductAlternateKey,
        _product.c.EnglishProductName,
        _subcategory.c.EnglishProductSubcategoryName,
        _category.c.EnglishProductCategoryName,
        sa.func.row_number()
        .over(
            partition_by=_product.c.ProductAlternateKey,
            order_by=(_product.c.StartDate.desc(), _product.c.ProductKey.desc()),
        )
        .label("newness"),
    )
    .select_from(
        _product.outerjoin(
            _subcategory,
            _subcategory.c.ProductSubcategoryKey == _product.c.ProductSubcategoryKey,
        ).outerjoin(_category, _category.c.ProductCategoryKey == _subcategory.c.ProductCategoryKey)
    )
    .subquery("versions")
)


class _Totals(NamedTuple):
    """One row of PRODUCT_TOTALS, which selects these columns in this order."""

    product_alternate_key: str
    product: str
    category: str | None
    subcategory: str | None
    units: int | None
    revenue: Decimal | None
    orders: int
    recent_units: int | None
    earlier_units: int | None


_totals_columns: dict[str, sa.ColumnElement[Any]] = {
    "product_alternate_key": _sold.c.ProductAlternateKey,
    "product": _versions.c.EnglishProductName,
    "category": _versions.c.EnglishProductCategoryName,
    "subcategory": _versions.c.EnglishProductSubcategoryName,
    "units": _sold.c.units,
    "revenue": _sold.c.revenue,
    "orders": _sold.c.orders,
    "recent_units": _sold.c.recent_units,
    "earlier_units": _sold.c.earlier_units,
}
PRODUCT_TOTALS = declare(
    "aw.products.demand_totals",
    Domain.AW,
    sa.select(*(_totals_columns[name].label(name) for name in _Totals._fields)).select_from(
        _sold.join(
            _versions,
            sa.and_(
                _versions.c.ProductAlternateKey == _sold.c.ProductAlternateKey,
                _versions.c.newness == sa.literal_column("1"),
            ),
        )
    ),
)


class ProductDemand(BaseModel):
    """One product's demand figures, score and rank (also the stored snapshot row)."""

    product: str
    product_alternate_key: str
    category: str | None
    subcategory: str | None
    units: int
    revenue: float
    orders: int
    trend_pct: float | None
    demand_score: float
    rank: int


class ProductDemandList(BaseModel):
    """GET /api/aw/products/demand: top products by demand; `days_back` null means all history."""

    as_of: dt.date
    days_back: int | None
    products: list[ProductDemand]


def demand_score(
    *, units: float, top_units: float, revenue: float, top_revenue: float, trend_pct: float | None
) -> float:
    """Return the 0–100 weighted blend of the units, revenue and trend indices.

    units index = 100 × units ÷ the top product's units; revenue index likewise; trend
    index = 50 + clamp(trend_pct, −100, 100) ÷ 2. A null trend (no units in the earlier 90
    days) is left out and the other two weights are scaled up to sum to 1.
    """
    units_index = 100 * units / top_units if top_units > 0 else 0.0
    revenue_index = 100 * max(revenue, 0.0) / top_revenue if top_revenue > 0 else 0.0
    weighted = WEIGHTS["units"] * units_index + WEIGHTS["revenue"] * revenue_index
    weight = WEIGHTS["units"] + WEIGHTS["revenue"]
    if trend_pct is not None:
        weighted += WEIGHTS["trend"] * (50 + max(-100.0, min(trend_pct, 100.0)) / 2)
        weight += WEIGHTS["trend"]
    return weighted / weight


def _trend_pct(recent: Decimal | int | None, earlier: Decimal | int | None) -> float | None:
    if not earlier:
        return None
    return 100 * (float(recent or 0) - float(earlier)) / float(earlier)


class _Scored(NamedTuple):
    """A product's row with its rounded score and revenue, before it is ranked."""

    score: float
    revenue: float
    trend: float | None
    row: _Totals

    def rank_key(self) -> tuple[float, float, str]:
        """Highest score first, then highest revenue, then the alternate key."""
        return (-self.score, -self.revenue, self.row.product_alternate_key)


@traced_view(Domain.AW, "product_demand", rows=lambda demand: len(demand.products))
def product_demand(
    connection: sa.Connection, *, top_n: int, days_back: int | None
) -> ProductDemandList | None:
    """Return the `top_n` products by demand over `days_back` days (all history if None).

    Only products sold in the window are listed. None when the warehouse holds no sales.
    """
    as_of_key = AS_OF.rows(connection)[0].as_of_key
    if as_of_key is None:
        return None
    as_of = date_of_key(as_of_key)
    start_key = date_key(as_of - dt.timedelta(days=days_back - 1)) if days_back else 0
    recent_start = as_of - dt.timedelta(days=TREND_DAYS - 1)
    earlier_start = recent_start - dt.timedelta(days=TREND_DAYS)
    rows = PRODUCT_TOTALS.rows(
        connection,
        scan_start=min(start_key, date_key(earlier_start)),
        start_key=start_key,
        end_key=as_of_key,
        recent_start=date_key(recent_start),
        earlier_start=date_key(earlier_start),
        earlier_end=date_key(recent_start - dt.timedelta(days=1)),
    )
    # Read by position once: a Row's columns by name cost more than the scoring.
    totals = list(map(_Totals._make, rows))
    top_units = max((float(row.units or 0) for row in totals), default=0.0)
    top_revenue = max((float(row.revenue or 0) for row in totals), default=0.0)
    scored = []
    for row in totals:
        trend = _trend_pct(row.recent_units, row.earlier_units)
        score = demand_score(
            units=float(row.units or 0),
            top_units=top_units,
            revenue=float(row.revenue or 0),
            top_revenue=top_revenue,
            trend_pct=trend,
        )
        scored.append(_Scored(round(score, 2), round(float(row.revenue or 0), 2), trend, row))
    # Only the models returned are built: ranking needs nothing but the sort key.
    ranked = [
        ProductDemand(
            product=entry.row.product,
            product_alternate_key=entry.row.product_alternate_key,
            category=entry.row.category,
            subcategory=entry.row.subcategory,
            units=int(entry.row.units or 0),
            revenue=entry.revenue,
            orders=entry.row.orders,
            trend_pct=None if entry.trend is None else round(entry.trend, 2),
            demand_score=entry.score,
            rank=place,
        )
        for place, entry in enumerate(heapq.nsmallest(top_n, scored, key=_Scored.rank_key), 1)
    ]
    return ProductDemandList(as_of=as_of, days_back=days_back, products=ranked)
