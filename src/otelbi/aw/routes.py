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
from otelbi.domain_service.parameters import DaysBack, StorageLimit, StorageOffset, TopN
from otelbi.domain_service.state import ServiceState
from otelbi.domain_service.views import ViewDep, ViewQuery
from otelbi.kpis import AwSalesKpis
from otelbi.store.snapshots import RecordPage
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
    """Return the sales KPIs of the window ending at the last sale, against a year earlier."""
    return await view.answer(sales_kpis_query(state, days_back))


@router.get(
    "/sales/history", name="aw.sales.history", response_model=SalesHistory, responses=NO_DATA
)
async def get_sales_history(
    state: StateDep, view: ViewDep, days_back: DaysBack = None, grain: HistoryGrain = Grain.DAY
) -> Response:
    """Return revenue and orders per day, week or month of the window ending at the last sale."""
    return await view.answer(sales_history_query(state, days_back, grain))


@router.get(
    "/sales/forecast", name="aw.sales.forecast", response_model=SalesForecast, responses=NO_DATA
)
async def get_sales_forecast(
    state: StateDep, view: ViewDep, horizon_days: HorizonDays = None
) -> Response:
    """Return the daily internet-revenue forecast after the last sale, with 80% intervals."""
    return await view.answer(sales_forecast_query(state, horizon_days))


@router.get("/reps/scores", name="aw.reps.scores", response_model=RepScores, responses=NO_DATA)
async def get_rep_scores(
    state: StateDep, view: ViewDep, top_n: TopN = None, days_back: RankingDays = None
) -> Response:
    """Return the sales reps ranked by score (revenue, quota attainment and growth)."""
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
    """Return the products ranked by demand score (units, revenue and 90-day trend)."""
    return await view.answer(product_demand_query(state, top_n, days_back))


@router.get("/records/rep-scores", name="aw.records.rep_scores")
def get_rep_score_records(
    state: StateDep, limit: StorageLimit = None, offset: StorageOffset = 0
) -> RecordPage[StoredRepScore]:
    """Return stored rep-score snapshots, newest first."""
    return rep_score_records(
        state.store, limit=limit or state.settings.analytics.storage_default_limit, offset=offset
    )


@router.get("/records/product-demand", name="aw.records.product_demand")
def get_product_demand_records(
    state: StateDep, limit: StorageLimit = None, offset: StorageOffset = 0
) -> RecordPage[StoredProductDemand]:
    """Return stored product-demand snapshots, newest first."""
    return product_demand_records(
        state.store, limit=limit or state.settings.analytics.storage_default_limit, offset=offset
    )


@router.get("/records/forecasts", name="aw.records.forecasts")
def get_forecast_records(
    state: StateDep, limit: StorageLimit = None, offset: StorageOffset = 0
) -> RecordPage[StoredForecast]:
    """Return stored revenue-forecast snapshots, newest first."""
    return forecast_records(
        state.store, limit=limit or state.settings.analytics.storage_default_limit, offset=offset
    )
