"""HTTP routes of aw-service (reached through the gateway at the same paths)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

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
from otelbi.domain_service.dependencies import Audited, StateDep, WarehouseDep
from otelbi.domain_service.parameters import DaysBack, StorageLimit, StorageOffset, TopN
from otelbi.errors import NotFound
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
RankingDays = Annotated[
    int | None,
    Query(ge=1, le=3650, description="Only the last N days up to as_of (all history when absent)"),
]


@router.get("/sales/kpis", name="aw.sales.kpis", responses=NO_DATA)
def get_sales_kpis(
    state: StateDep, warehouse: WarehouseDep, days_back: DaysBack = None
) -> AwSalesKpis:
    """Return the sales KPIs of the window ending at the last sale, against a year earlier."""
    kpis = sales_kpis(
        warehouse, days_back=days_back or state.settings.analytics.default_history_days
    )
    if kpis is None:
        raise NotFound(NO_SALES)
    return kpis


@router.get("/sales/history", name="aw.sales.history", responses=NO_DATA)
def get_sales_history(
    state: StateDep,
    warehouse: WarehouseDep,
    days_back: DaysBack = None,
    grain: HistoryGrain = Grain.DAY,
) -> SalesHistory:
    """Return revenue and orders per day, week or month of the window ending at the last sale."""
    history = sales_history(
        warehouse,
        days_back=days_back or state.settings.analytics.default_history_days,
        grain=grain,
    )
    if history is None:
        raise NotFound(NO_SALES)
    return history


@router.get("/sales/forecast", name="aw.sales.forecast", responses=NO_DATA)
def get_sales_forecast(
    state: StateDep,
    warehouse: WarehouseDep,
    horizon_days: Annotated[
        int | None,
        Query(ge=1, le=365, description="Days to forecast (default FORECAST_HORIZON_DAYS)"),
    ] = None,
) -> SalesForecast:
    """Return the daily internet-revenue forecast after the last sale, with 80% intervals."""
    forecast = sales_forecast(
        warehouse, horizon_days=horizon_days or state.settings.analytics.forecast_horizon_days
    )
    if forecast is None:
        raise NotFound(NO_SALES)
    return forecast


@router.get("/reps/scores", name="aw.reps.scores", responses=NO_DATA)
def get_rep_scores(
    state: StateDep, warehouse: WarehouseDep, top_n: TopN = None, days_back: RankingDays = None
) -> RepScores:
    """Return the sales reps ranked by score (revenue, quota attainment and growth)."""
    scores = rep_scores(
        warehouse,
        top_n=top_n or state.settings.analytics.ranking_default_top_n,
        days_back=days_back,
    )
    if scores is None:
        raise NotFound(NO_SALES)
    return scores


@router.get("/products/demand", name="aw.products.demand", responses=NO_DATA)
def get_product_demand(
    state: StateDep, warehouse: WarehouseDep, top_n: TopN = None, days_back: RankingDays = None
) -> ProductDemandList:
    """Return the products ranked by demand score (units, revenue and 90-day trend)."""
    demand = product_demand(
        warehouse,
        top_n=top_n or state.settings.analytics.ranking_default_top_n,
        days_back=days_back,
    )
    if demand is None:
        raise NotFound(NO_SALES)
    return demand


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
