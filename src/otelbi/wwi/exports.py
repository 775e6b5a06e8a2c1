"""WideWorldImporters views as downloadable tables: GET /api/wwi/export/<view>?format=….

Each export takes the same parameters as its view and reads the view through its route
function, so a file always holds exactly what the JSON view answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated

from fastapi import Query
from fastapi.responses import StreamingResponse

from otelbi.domain_service.dependencies import StateDep
from otelbi.domain_service.exports import ExportDep, FormatQuery, export_router
from otelbi.domain_service.parameters import TopN
from otelbi.domain_service.views import ViewDep
from otelbi.files.table import Chart, ChartKind, Column, Table, attribute_rows
from otelbi.files.table import ColumnKind as Kind
from otelbi.paging import PageLimit
from otelbi.web.errors import error_responses
from otelbi.wwi.reorder import ReorderRecommendations, Urgency
from otelbi.wwi.routes import get_events, reorder_recommendations_query, supplier_scores_query
from otelbi.wwi.stock_events import BusinessEvent, EventType
from otelbi.wwi.supplier_scores import SupplierScores

router = export_router("/api/wwi/export")
NO_DATA = error_responses(404)
"""An export of a view answers 404 when the view would."""

ALL = "all"

RECOMMENDATION_COLUMNS = (
    Column("wwi_stock_item_id", "Stock item ID", Kind.INTEGER),
    Column("stock_item", "Stock item"),
    Column("urgency", "Urgency"),
    Column("on_hand", "On hand", Kind.INTEGER),
    Column("reorder_level", "Reorder level", Kind.INTEGER),
    Column("target_level", "Target level", Kind.INTEGER),
    Column("lead_time_days", "Lead time (days)", Kind.INTEGER),
    Column("avg_daily_demand", "Avg daily demand", Kind.DECIMAL, decimals=3),
    Column("days_of_cover", "Days of cover", Kind.DECIMAL, decimals=1),
    Column("projected_on_hand_at_lead_time", "Projected at lead time", Kind.DECIMAL, decimals=1),
    Column("open_po_qty", "On open orders", Kind.INTEGER),
    Column("recommended_order_qty", "Order qty", Kind.INTEGER),
    Column("quantity_per_outer", "Per outer", Kind.INTEGER),
    Column("last_cost_price", "Last cost price", Kind.MONEY),
    Column("order_value", "Order value", Kind.MONEY),
    Column("reason", "Reason"),
)
SUPPLIER_COLUMNS = (
    Column("rank", "Rank", Kind.INTEGER),
    Column("supplier", "Supplier"),
    Column("wwi_supplier_id", "Supplier ID", Kind.INTEGER),
    Column("category", "Category"),
    Column("purchase_orders", "Purchase orders", Kind.INTEGER),
    Column("lines", "Lines", Kind.INTEGER),
    Column("fill_rate_pct", "Fill rate %", Kind.PERCENT),
    Column("open_lines", "Open lines", Kind.INTEGER),
    Column("on_time_pct", "On time %", Kind.PERCENT),
    Column("avg_delay_days", "Avg delay (days)", Kind.DECIMAL),
    Column("score", "Score", Kind.DECIMAL),
)
EVENT_COLUMNS = (
    Column("id", "Event ID", Kind.INTEGER),
    Column("event_type", "Event"),
    Column("wwi_stock_item_id", "Stock item ID", Kind.INTEGER),
    Column("stock_item", "Stock item"),
    Column("observed", "Observed", Kind.DECIMAL, decimals=0),
    Column("threshold", "Threshold", Kind.DECIMAL, decimals=0),
    Column("detected_at", "Detected at (UTC)", Kind.DATETIME),
    Column("resolved_at", "Resolved at (UTC)", Kind.DATETIME),
)

UrgencyFilter = Annotated[Urgency | None, Query(description="Only items of this urgency")]
EventTypeFilter = Annotated[EventType | None, Query(description="Only events of this type")]
OpenOnly = Annotated[bool, Query(alias="open", description="Only unresolved events")]


def reorder_recommendations_table(
    recommendations: ReorderRecommendations, *, urgency: Urgency | None
) -> Table:
    """Return the reorder recommendations as a table (no chart: a list to act on)."""
    return Table(
        title="WideWorldImporters reorder recommendations",
        columns=RECOMMENDATION_COLUMNS,
        rows=attribute_rows(recommendations.items, RECOMMENDATION_COLUMNS),
        as_of=recommendations.as_of,
        parameters={"urgency": urgency.value if urgency else ALL},
        details={"demand_window_days": recommendations.demand_window_days},
        sheet_name="Reorder recommendations",
    )


def supplier_scores_table(scores: SupplierScores, *, top_n: int) -> Table:
    """Return the supplier scores as a table, charted as bars of the top suppliers' scores."""
    return Table(
        title="WideWorldImporters supplier scores",
        columns=SUPPLIER_COLUMNS,
        rows=attribute_rows(scores.suppliers, SUPPLIER_COLUMNS),
        as_of=scores.as_of,
        parameters={"top_n": top_n},
        chart=Chart(
            ChartKind.BAR, "Score of the top suppliers", category="supplier", value="score"
        ),
        sheet_name="Supplier scores",
    )


def business_events_table(
    events: Sequence[BusinessEvent],
    *,
    limit: int,
    event_type: EventType | None,
    open_only: bool,
) -> Table:
    """Return stock-level events as a table; as of the day it is made (events are live)."""
    generated_at = dt.datetime.now(dt.UTC)
    return Table(
        title="WideWorldImporters stock-level events",
        columns=EVENT_COLUMNS,
        rows=attribute_rows(events, EVENT_COLUMNS),
        as_of=generated_at.date(),
        generated_at=generated_at,
        parameters={
            "limit": limit,
            "event_type": event_type.value if event_type else ALL,
            "open": open_only,
        },
        sheet_name="Business events",
    )


@router.get("/stock-recommendations", name="wwi.export.stock_recommendations", responses=NO_DATA)
def export_stock_recommendations(
    export: ExportDep,
    view: ViewDep,
    file_format: FormatQuery,
    urgency: UrgencyFilter = None,
) -> StreamingResponse:
    """Download the reorder recommendations (as GET /api/wwi/stock/recommendations).

    Same `urgency` filter; one row per stock item, the list to order from (no chart).

    `format` is `csv`, `xlsx` or `pdf` (a PDF stops at PDF_MAX_ROWS rows and says so). The
    file holds exactly what the view answers for the same parameters, streamed as it is
    written, named `{domain}-{view}-{as_of}.{ext}`; every download leaves an export record and
    an audit row with the file's size and SHA-256.
    """
    recommendations = view.result(reorder_recommendations_query(urgency))
    table = reorder_recommendations_table(recommendations, urgency=urgency)
    return export.download(table, file_format, view="stock-recommendations")


@router.get("/supplier-scores", name="wwi.export.supplier_scores", responses=NO_DATA)
def export_supplier_scores(
    export: ExportDep,
    state: StateDep,
    view: ViewDep,
    file_format: FormatQuery,
    top_n: TopN = None,
) -> StreamingResponse:
    """Download the supplier scores (same parameters as GET /api/wwi/suppliers/scores).

    One row per supplier with every figure of the scorecard, charted as bars of the top scores.

    `format` is `csv`, `xlsx` or `pdf` (a PDF stops at PDF_MAX_ROWS rows and says so). The
    file holds exactly what the view answers for the same parameters, streamed as it is
    written, named `{domain}-{view}-{as_of}.{ext}`; every download leaves an export record and
    an audit row with the file's size and SHA-256.
    """
    scores = view.result(supplier_scores_query(state, top_n))
    table = supplier_scores_table(
        scores, top_n=top_n or state.settings.analytics.ranking_default_top_n
    )
    return export.download(table, file_format, view="supplier-scores")


@router.get("/business-events", name="wwi.export.business_events")
def export_business_events(
    export: ExportDep,
    state: StateDep,
    file_format: FormatQuery,
    limit: PageLimit = None,
    event_type: EventTypeFilter = None,
    open_only: OpenOnly = False,
) -> StreamingResponse:
    """Download stock-level events (same parameters as GET /api/wwi/events).

    The newest `limit` events (no offset), filtered as the list is; dated the day it is made.

    `format` is `csv`, `xlsx` or `pdf` (a PDF stops at PDF_MAX_ROWS rows and says so). The
    file holds exactly what the view answers for the same parameters, streamed as it is
    written, named `{domain}-{view}-{as_of}.{ext}`; every download leaves an export record and
    an audit row with the file's size and SHA-256.
    """
    events = get_events(state, limit=limit, offset=0, event_type=event_type, open_only=open_only)
    table = business_events_table(
        events.items,
        limit=limit or state.settings.analytics.storage_default_limit,
        event_type=event_type,
        open_only=open_only,
    )
    return export.download(table, file_format, view="business-events")
