"""HTTP routes of wwi-service (reached through the gateway at the same paths)."""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Header, Query, Response

from otelbi.domain_service.dependencies import (
    Audited,
    CallAuditDep,
    CallerDep,
    StateDep,
    WarehouseDep,
)
from otelbi.domain_service.parameters import DaysBack, RowId, TopN
from otelbi.domain_service.state import ServiceState
from otelbi.domain_service.views import ViewDep, ViewQuery
from otelbi.kpis import SalesKpis
from otelbi.paging import Page, PageLimit, PageOffset
from otelbi.web.errors import error_responses
from otelbi.wwi.reorder import ReorderRecommendations, Urgency
from otelbi.wwi.reorder_snapshots import (
    ReorderRecommendationRecords,
    reorder_recommendation_records,
)
from otelbi.wwi.sales_kpis import sales_kpis
from otelbi.wwi.scenarios import (
    Scenario,
    ScenarioHeader,
    ScenarioRequest,
    create_scenario,
    get_scenario,
    key_digest,
    list_scenarios,
)
from otelbi.wwi.stock_events import BusinessEvent, EventType, recent_events
from otelbi.wwi.stock_levels import reorder_recommendations
from otelbi.wwi.supplier_scores import SupplierScores, supplier_scores
from otelbi.wwi.supplier_snapshots import SupplierScoreRecords, supplier_score_records

# Every route reads the store (its audit row) and can answer 503 when it is down.
router = APIRouter(
    prefix="/api/wwi", tags=["wwi"], dependencies=[Audited], responses=error_responses(503)
)
NO_DATA = error_responses(404)
"""A view of the warehouse answers 404 while the warehouse holds nothing to show."""


def sales_kpis_query(state: ServiceState, days_back: int | None) -> ViewQuery[SalesKpis]:
    """The KPI view with its defaults applied."""
    days = days_back or state.settings.analytics.default_history_days
    return ViewQuery(
        "wwi.sales.kpis",
        {"days_back": days},
        lambda warehouse: sales_kpis(warehouse, days_back=days),
        "the warehouse holds no sales yet",
        SalesKpis,
    )


def supplier_scores_query(state: ServiceState, top_n: int | None) -> ViewQuery[SupplierScores]:
    """The supplier-scorecard view with its defaults applied."""
    top = top_n or state.settings.analytics.ranking_default_top_n
    return ViewQuery(
        "wwi.suppliers.scores",
        {"top_n": top},
        lambda warehouse: supplier_scores(warehouse, top_n=top),
        "the warehouse holds no purchases yet",
        SupplierScores,
    )


def reorder_recommendations_query(urgency: Urgency | None) -> ViewQuery[ReorderRecommendations]:
    """The reorder-recommendation view, of one urgency or all."""

    def compute(warehouse: sa.Connection) -> ReorderRecommendations | None:
        recommendations = reorder_recommendations(warehouse)
        if recommendations is not None and urgency is not None:
            recommendations.items = [i for i in recommendations.items if i.urgency is urgency]
        return recommendations

    return ViewQuery(
        "wwi.stock.recommendations",
        {"urgency": urgency.value if urgency else None},
        compute,
        "the warehouse holds no stock movements yet",
        ReorderRecommendations,
    )


@router.get("/sales/kpis", name="wwi.sales.kpis", response_model=SalesKpis, responses=NO_DATA)
async def get_sales_kpis(state: StateDep, view: ViewDep, days_back: DaysBack = None) -> Response:
    """Return the sales KPIs of the window ending at the last sale, against a year earlier.

    Revenue, orders, average order value, units, gross margin and margin % of the `days_back`
    days ending at `as_of` (the last invoice date in the warehouse), the same window a year
    earlier and the change in %. Answered from the result cache while the warehouse's data has
    not changed; 404 while it holds no sales.
    """
    return await view.answer(sales_kpis_query(state, days_back))


@router.get(
    "/suppliers/scores",
    name="wwi.suppliers.scores",
    response_model=SupplierScores,
    responses=NO_DATA,
)
async def get_supplier_scores(state: StateDep, view: ViewDep, top_n: TopN = None) -> Response:
    """Return the best-scoring suppliers (fill rate, on-time delivery, delay), ranked.

    Over the whole purchase history: each supplier's purchase orders, fill rate, on-time
    delivery rate, average delay and a 0–100 score combining them; best first, `top_n` of them.
    Suppliers without purchases are left out. Cached until the warehouse's data changes.
    """
    return await view.answer(supplier_scores_query(state, top_n))


@router.get("/records/supplier-scores", name="wwi.records.supplier_scores")
def get_supplier_score_records(
    state: StateDep,
    limit: PageLimit = None,
    offset: PageOffset = 0,
) -> SupplierScoreRecords:
    """Return stored supplier-score snapshots, newest first.

    What the daily supplier-score job stored: one row per supplier and run, with the scores as
    they were that day. One page (`limit`, `offset`, `total`); the next page is
    `offset + limit`. Read from the write store, not the warehouse.
    """
    return supplier_score_records(
        state.store,
        limit=limit or state.settings.analytics.storage_default_limit,
        offset=offset,
    )


@router.get(
    "/stock/recommendations",
    name="wwi.stock.recommendations",
    response_model=ReorderRecommendations,
    responses=NO_DATA,
)
async def get_reorder_recommendations(
    view: ViewDep,
    urgency: Annotated[Urgency | None, Query(description="Only items of this urgency")] = None,
) -> Response:
    """Return every held item's reorder recommendation, by urgency then days of cover.

    For each stock item with a holding: on hand, 90-day demand, days of cover, open purchase
    orders, the recommended order in whole outers, an urgency (`critical`, `high`, `normal`,
    `none`) and the reason in words. `urgency` keeps only items of that urgency. This is the
    list to order from; cached until the warehouse's data changes.
    """
    return await view.answer(reorder_recommendations_query(urgency))


@router.get("/scenarios", name="wwi.scenarios.list")
def get_scenarios(
    state: StateDep, limit: PageLimit = None, offset: PageOffset = 0
) -> Page[ScenarioHeader]:
    """Return stored what-if scenarios of every user, newest first, without their items.

    Each scenario's id, name, assumptions (demand change %, lead-time change, the items it
    covers), who made it, when, and its summary against the baseline;
    GET /api/wwi/scenarios/{scenario_id} gives its items. One page (`limit`, `offset`,
    `total`); the next page is `offset + limit`.
    """
    return list_scenarios(
        state.store, limit=limit or state.settings.analytics.storage_default_limit, offset=offset
    )


@router.post(
    "/scenarios",
    name="wwi.scenarios.create",
    status_code=201,
    response_description="The scenario, stored",
    responses={
        200: {
            "model": Scenario,
            "description": "The scenario first stored under this Idempotency-Key, same body",
        },
        **NO_DATA,
    },
)
def post_scenario(
    body: ScenarioRequest,
    response: Response,
    state: StateDep,
    warehouse: WarehouseDep,
    caller: CallerDep,
    call: CallAuditDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=200,
            description="Repeat it with the same body to get the first result back (200)",
        ),
    ] = None,
) -> Scenario:
    """Return the recommendations under the scenario against the baseline, stored (201).

    A repeated Idempotency-Key with the same body returns the first result (200). The
    scenario and the call's audit row are stored together, or neither is.
    """
    if idempotency_key is not None:
        call.add_parameters({"idempotency_key_sha256": key_digest(idempotency_key)})
    scenario, created = create_scenario(
        state.store,
        warehouse,
        body,
        created_by=caller.subject,
        idempotency_key=idempotency_key,
        audit_row=lambda: call.finished("ok", 201),
    )
    call.written = created
    if not created:
        response.status_code = 200
    return scenario


@router.get("/scenarios/{scenario_id}", name="wwi.scenarios.get", responses=error_responses(404))
def get_stored_scenario(state: StateDep, scenario_id: RowId) -> Scenario:
    """Return one stored scenario with every item's recommendation.

    The scenario as POST /api/wwi/scenarios answered it when it was made: its assumptions,
    summary (scenario, baseline and difference) and each item's recommendation beside the
    baseline's. 404 if there is no scenario with that id.
    """
    return get_scenario(state.store, scenario_id)


@router.get("/records/reorder-recommendations", name="wwi.records.reorder_recommendations")
def get_reorder_recommendation_records(
    state: StateDep, limit: PageLimit = None, offset: PageOffset = 0
) -> ReorderRecommendationRecords:
    """Return stored reorder-recommendation snapshots, newest first.

    What the daily reorder job stored: one row per stock item and run, with its recommended
    order and urgency as they were that day. One page (`limit`, `offset`, `total`); the next
    page is `offset + limit`. Read from the write store, not the warehouse.
    """
    return reorder_recommendation_records(
        state.store, limit=limit or state.settings.analytics.storage_default_limit, offset=offset
    )


@router.get("/events", name="wwi.events")
def get_events(
    state: StateDep,
    limit: PageLimit = None,
    offset: PageOffset = 0,
    event_type: Annotated[EventType | None, Query(description="Only events of this type")] = None,
    open_only: Annotated[bool, Query(alias="open", description="Only unresolved events")] = False,
) -> Page[BusinessEvent]:
    """Return stock-level business events, newest first.

    Events the stock-event job raised when an item's stock crossed a level
    (`below_reorder_level`, `stockout`, `overstock`, `recovered`), each with the item, the
    value observed against its threshold, when it was detected and, once stock recovered, when
    it was resolved. `event_type` and `open` (only unresolved
    events) narrow the list. One page (`limit`, `offset`, `total`); the next page is
    `offset + limit`.
    """
    return recent_events(
        state.store,
        limit=limit or state.settings.analytics.storage_default_limit,
        offset=offset,
        open_only=open_only,
        event_type=event_type,
    )
