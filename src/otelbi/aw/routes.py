"""HTTP routes of aw-service (reached through the gateway at the same paths)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from otelbi.aw.forecast_model import MAX_HORIZON_DAYS
from otelbi.aw.product_demand import ProductDemandList, product_demand
from otelbi.aw.rep_scores import RepScores, rep_scores
from otelbi.aw.sales_forecast import SalesForecast, sales_forecast
from otelbi.aw.sales_history import Grain, SalesHistory, sales_history
from otelbi.aw.sales_kpis import sales_kpis
from otelbi.aw.snapshots import (
    StoredForecast,
    StoredProductDemand,
    StoredRepScore,
    forecast_records,
    product_demand_records,
    rep_score_records,
)
from otelbi.domain_service.dependencies import Audited, StateDep
from otelbi.domain_service.parameters import DaysBack, TopN
from otelbi.domain_service.state import ServiceState
from otelbi.domain_service.views import ViewDep, ViewQuery
from otelbi.kpis import AwSalesKpis
from otelbi.paging import Page, PageLimit, PageOffset
from otelbi.web.errors import error_responses

# Every route reads the store (its audit row) and can answer 503 when it is down.
router = APIRouter(
    prefix="/api/aw", tags=["aw"], dependencies=[Audited], responses=error_responses(503)
)
NO_DATA = error_responses(404)
"""A view of the warehouse answers 404 while the warehouse holds nothing to show."""

NO_SALES = "the warehouse holds no sales yet"

HistoryGrain = Annotated[
    Grain, Query(description="Bucket length: day, week (from Monday) or month (from the 1st)")
]
HorizonDays = Annotated[
    int | None,
    Query(
        ge=1, le=MAX_HORIZON_DAYS, description="Days to forecast (default FORECAST_HORIZON_DAYS)"
    ),
]
RankingDays = Annotated[
    int | None,
    Query(ge=1, le=3650, description="Only the last N days up to as_of (all history when absent)"),
]


def sales_kpis_query(state: ServiceState, days_back: int | None) -> ViewQuery[AwSalesKpis]:
    """The KPI view with its defaults applied."""
    days = days_back or state.settings.analytics.default_history_days
    return ViewQuery(
        "aw.sales.kpis",
        {"days_back": days},
        lambda warehouse: sales_kpis(warehouse, days_back=days),
        NO_SALES,
        AwSalesKpis,
    )


def sales_history_query(
    state: ServiceState, days_back: int | None, grain: Grain
) -> ViewQuery[SalesHistory]:
    """The sales-history view with its defaults applied."""
    days = days_back or state.settings.analytics.default_history_days
    return ViewQuery(
        "aw.sales.history",
        {"days_back": days, "grain": grain.value},
        lambda warehouse: sales_history(warehouse, days_back=days, grain=grain),
        NO_SALES,
        SalesHistory,
    )


def sales_forecast_query(state: ServiceState, horizon_days: int | None) -> ViewQuery[SalesForecast]:
    """The forecast view with its defaults applied."""
    horizon = horizon_days or state.settings.analytics.forecast_horizon_days
    return ViewQuery(
        "aw.sales.forecast",
        {"horizon_days": horizon},
        lambda warehouse: sales_forecast(warehouse, horizon_days=horizon),
        NO_SALES,
        SalesForecast,
    )


def rep_scores_query(
    state: ServiceState, top_n: int | None, days_back: int | None
) -> ViewQuery[RepScores]:
    """The rep-scorecard view with its defaults applied."""
    top = top_n or state.settings.analytics.ranking_default_top_n
    return ViewQuery(
        "aw.reps.scores",
        {"top_n": top, "days_back": days_back},
        lambda warehouse: rep_scores(warehouse, top_n=top, days_back=days_back),
        NO_SALES,
        RepScores,
    )


def product_demand_query(
    state: ServiceState, top_n: int | None, days_back: int | None
) -> ViewQuery[ProductDemandList]:
    """The product-demand view with its defaults applied."""
    top = top_n or state.settings.analytics.ranking_default_top_n
    return ViewQuery(
        "aw.products.demand",
        {"top_n": top, "days_back": days_back},
        lambda warehouse: product_demand(warehouse, top_n=top, days_back=days_back),
        NO_SALES,
        ProductDemandList,
    )


@router.get("/sales/kpis", name="aw.sales.kpis", response_model=AwSalesKpis, responses=NO_DATA)
async def get_sales_kpis(state: StateDep, view: ViewDep, days_back: DaysBack = None) -> Response:
    """Return the sales KPIs of the window ending at the last sale, against a year earlier.

    Revenue, orders, average order value, units, gross margin and margin % of the `days_back`
    days ending at `as_of` (the last sales date in the warehouse), the same window a year
    earlier and the change in %, in total and per channel (internet, reseller). Answered from
    the result cache while the warehouse's data has not changed; 404 while it holds no sales.
    """
    return await view.answer(sales_kpis_query(state, days_back))


@router.get(
    "/sales/history", name="aw.sales.history", response_model=SalesHistory, responses=NO_DATA
)
async def get_sales_history(
    state: StateDep, view: ViewDep, days_back: DaysBack = None, grain: HistoryGrain = Grain.DAY
) -> Response:
    """Return revenue and orders per day, week or month of the window ending at the last sale.

    Internet and reseller revenue and orders for each bucket of the `days_back` days ending at
    the last sale; `grain` sets the bucket (`day`, `week` from Monday, `month` from the 1st).
    Buckets without sales are there with zeros, so a chart needs no gaps filled. Cached like
    every view; 404 while the warehouse holds no sales.
    """
    return await view.answer(sales_history_query(state, days_back, grain))


@router.get(
    "/sales/forecast", name="aw.sales.forecast", response_model=SalesForecast, responses=NO_DATA
)
async def get_sales_forecast(
    state: StateDep, view: ViewDep, horizon_days: HorizonDays = None
) -> Response:
    """Return the daily internet-revenue forecast after the last sale, with 80% intervals.

    One point per day for `horizon_days` days after `as_of`: the forecast and its 80% interval
    (`lower`, `upper`), from a regression on trend, weekday and yearly season re-anchored on
    the last weeks. `backtest` says how it did on past data against a seasonal-naive forecast
    (sMAPE, interval coverage), so the forecast can be trusted or not. The model is fitted
    once per data version: the answer is cached until the warehouse's data changes.
    """
    return await view.answer(sales_forecast_query(state, horizon_days))


@router.get("/reps/scores", name="aw.reps.scores", response_model=RepScores, responses=NO_DATA)
async def get_rep_scores(
    state: StateDep, view: ViewDep, top_n: TopN = None, days_back: RankingDays = None
) -> Response:
    """Return the sales reps ranked by score (revenue, quota attainment and growth).

    Each rep's reseller revenue, quota attainment and growth against a year earlier, and a
    0–100 score combining them; ranked best first, `top_n` of them. With `days_back` the
    figures cover the last `days_back` days up to `as_of`; without it the whole history. Ranks
    and scores are computed over all reps whatever `top_n` says.
    """
    return await view.answer(rep_scores_query(state, top_n, days_back))


@router.get(
    "/products/demand",
    name="aw.products.demand",
    response_model=ProductDemandList,
    responses=NO_DATA,
)
async def get_product_demand(
    state: StateDep, view: ViewDep, top_n: TopN = None, days_back: RankingDays = None
) -> Response:
    """Return the products ranked by demand score (units, revenue and 90-day trend).

    Each product sold in the window (every price version counted together): units, revenue,
    the trend of the last 90 days and a 0–100 demand score; best first, `top_n` of them. With
    `days_back` the window is the last `days_back` days up to `as_of`; without it the whole
    history.
    """
    return await view.answer(product_demand_query(state, top_n, days_back))


@router.get("/records/rep-scores", name="aw.records.rep_scores")
def get_rep_score_records(
    state: StateDep, limit: PageLimit = None, offset: PageOffset = 0
) -> Page[StoredRepScore]:
    """Return stored rep-score snapshots, newest first.

    What the daily rep-score job stored: one row per rep and run, with the scores as they were
    that day, so rankings can be compared over time. One page (`limit`, `offset`, `total`);
    the next page is `offset + limit`. Read from the write store, not the warehouse.
    """
    return rep_score_records(
        state.store, limit=limit or state.settings.analytics.storage_default_limit, offset=offset
    )


@router.get("/records/product-demand", name="aw.records.product_demand")
def get_product_demand_records(
    state: StateDep, limit: PageLimit = None, offset: PageOffset = 0
) -> Page[StoredProductDemand]:
    """Return stored product-demand snapshots, newest first.

    What the daily product-demand job stored: one row per product and run, with its demand
    score as it was that day. One page (`limit`, `offset`, `total`); the next page is
    `offset + limit`. Read from the write store, not the warehouse.
    """
    return product_demand_records(
        state.store, limit=limit or state.settings.analytics.storage_default_limit, offset=offset
    )


@router.get("/records/forecasts", name="aw.records.forecasts")
def get_forecast_records(
    state: StateDep, limit: PageLimit = None, offset: PageOffset = 0
) -> Page[StoredForecast]:
    """Return stored revenue-forecast snapshots, newest first.

    What the daily forecast job stored: one row per forecast day and run, with the forecast,
    interval and method of that day, so past forecasts can be checked against what happened. One
    page (`limit`, `offset`, `total`); the next page is `offset + limit`. Read from the write
    store, not the warehouse.
    """
    return forecast_records(
        state.store, limit=limit or state.settings.analytics.storage_default_limit, offset=offset
    )
