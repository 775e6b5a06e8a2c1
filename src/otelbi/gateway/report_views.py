"""The views a full report holds, read from the domain services, and the report they make.

The gateway reads every view over its service clients, exactly as a browser's request would
travel (internal token naming the user, traceparent, the services' own audit rows), all at
once. The answers are parsed into the services' own response models and turned into tables
by the per-view export code (`aw.exports`, `wwi.exports`), so a report's sheet holds what the
view's own download would. One view that fails fails the report: it is not written, and the
503 names every view that failed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import httpx
from pydantic import TypeAdapter

from otelbi.aw.exports import (
    product_demand_table,
    rep_scores_table,
    sales_forecast_table,
    sales_history_table,
)
from otelbi.aw.product_demand import ProductDemandList
from otelbi.aw.rep_scores import RepScores
from otelbi.aw.sales_forecast import SalesForecast
from otelbi.aw.sales_history import Grain, SalesHistory
from otelbi.domains import Domain
from otelbi.errors import DependencyUnavailable
from otelbi.files.report import Report, with_rows_kept
from otelbi.files.table import Column, Row, Table
from otelbi.files.table import ColumnKind as Kind
from otelbi.gateway.forwarding import internal_authorization
from otelbi.gateway.state import GatewayState
from otelbi.kpis import AwSalesKpis, KpiComparison, SalesKpis
from otelbi.wwi.exports import (
    business_events_table,
    reorder_recommendations_table,
    supplier_scores_table,
)
from otelbi.wwi.reorder import ReorderRecommendations
from otelbi.wwi.stock_events import BusinessEvent
from otelbi.wwi.supplier_scores import SupplierScores

REPORT_TOP_N = 25
"""Rows of each ranking in a report (reps, products, suppliers)."""
WEEKLY_GRAIN_UP_TO_DAYS = 371
"""Sales history by week up to 53 weeks back, by month beyond."""

KPI_COLUMNS = (
    Column("warehouse", "Warehouse"),
    Column("scope", "Scope"),
    Column("as_of", "As of", Kind.DATE),
    Column("window_days", "Days", Kind.INTEGER),
    Column("revenue", "Revenue", Kind.MONEY),
    Column("previous_revenue", "Revenue a year earlier", Kind.MONEY),
    Column("revenue_change_pct", "Revenue change %", Kind.PERCENT),
    Column("orders", "Orders", Kind.INTEGER),
    Column("orders_change_pct", "Orders change %", Kind.PERCENT),
    Column("average_order_value", "Average order value", Kind.MONEY),
    Column("units", "Units", Kind.INTEGER),
    Column("gross_margin", "Gross margin", Kind.MONEY),
    Column("gross_margin_pct", "Gross margin %", Kind.PERCENT),
)


@dataclass(frozen=True)
class ViewCall:
    """One view a report reads: its service, path, parameters and response model."""

    title: str
    domain: Domain
    path: str
    params: Mapping[str, str | int]
    model: TypeAdapter[Any]


@dataclass(frozen=True)
class ReportViews:
    """Every view of a report, as the services answered."""

    aw_kpis: AwSalesKpis
    aw_history: SalesHistory
    aw_forecast: SalesForecast
    aw_reps: RepScores
    aw_products: ProductDemandList
    wwi_kpis: SalesKpis
    wwi_recommendations: ReorderRecommendations
    wwi_suppliers: SupplierScores
    wwi_events: list[BusinessEvent]


def history_grain(days_back: int) -> Grain:
    """Return the sales-history bucket of a report over `days_back` days."""
    return Grain.WEEK if days_back <= WEEKLY_GRAIN_UP_TO_DAYS else Grain.MONTH


def view_calls(days_back: int, *, events_limit: int) -> dict[str, ViewCall]:
    """Return the calls for each field of ReportViews."""
    aw, wwi = Domain.AW, Domain.WWI
    window = {"days_back": days_back}
    ranking = {"top_n": REPORT_TOP_N, "days_back": days_back}
    return {
        "aw_kpis": ViewCall(
            "AdventureWorks sales KPIs", aw, "/api/aw/sales/kpis", window, TypeAdapter(AwSalesKpis)
        ),
        "aw_history": ViewCall(
            "AdventureWorks sales history",
            aw,
            "/api/aw/sales/history",
            {**window, "grain": history_grain(days_back).value},
            TypeAdapter(SalesHistory),
        ),
        "aw_forecast": ViewCall(
            "AdventureWorks sales forecast",
            aw,
            "/api/aw/sales/forecast",
            {},
            TypeAdapter(SalesForecast),
        ),
        "aw_reps": ViewCall(
            "AdventureWorks rep scores", aw, "/api/aw/reps/scores", ranking, TypeAdapter(RepScores)
        ),
        "aw_products": ViewCall(
            "AdventureWorks product demand",
            aw,
            "/api/aw/products/demand",
            ranking,
            TypeAdapter(ProductDemandList),
        ),
        "wwi_kpis": ViewCall(
            "WideWorldImporters sales KPIs",
            wwi,
            "/api/wwi/sales/kpis",
            window,
            TypeAdapter(SalesKpis),
        ),
        "wwi_recommendations": ViewCall(
            "WideWorldImporters reorder recommendations",
            wwi,
            "/api/wwi/stock/recommendations",
            {},
            TypeAdapter(ReorderRecommendations),
        ),
        "wwi_suppliers": ViewCall(
            "WideWorldImporters supplier scores",
            wwi,
            "/api/wwi/suppliers/scores",
            {"top_n": REPORT_TOP_N},
            TypeAdapter(SupplierScores),
        ),
        "wwi_events": ViewCall(
            "WideWorldImporters stock-level events",
            wwi,
            "/api/wwi/events",
            {"limit": events_limit},
            TypeAdapter(list[BusinessEvent]),
        ),
    }


class ViewFailed(Exception):
    """A view the report needs did not answer with its data."""


async def _read_view(state: GatewayState, subject: str, call: ViewCall) -> Any:
    client = state.services[call.domain]
    headers = {"authorization": internal_authorization(state, call.domain, subject)}
    try:
        response = await client.get(call.path, params=dict(call.params), headers=headers)
    except httpx.HTTPError as error:
        raise ViewFailed(f"{call.domain.service_name} is not reachable: {error}") from error
    if response.status_code != 200:
        try:
            detail = str(response.json().get("detail", ""))
        except ValueError:
            detail = response.text[:200]
        raise ViewFailed(f"{call.domain.service_name} answered {response.status_code}: {detail}")
    return call.model.validate_json(response.content)


async def read_views(state: GatewayState, subject: str, days_back: int) -> ReportViews:
    """Return every view of a report, read at once; 503 naming the views that failed."""
    calls = view_calls(days_back, events_limit=state.settings.analytics.storage_default_limit)
    answers = await asyncio.gather(
        *(_read_view(state, subject, call) for call in calls.values()), return_exceptions=True
    )
    failures = [
        f"{call.title} ({answer if isinstance(answer, ViewFailed) else repr(answer)})"
        for call, answer in zip(calls.values(), answers, strict=True)
        if isinstance(answer, BaseException)
    ]
    if failures:
        raise DependencyUnavailable(
            "a report needs every view and these did not answer, so no report was written: "
            + "; ".join(failures)
        )
    parsed: dict[str, Any] = dict(zip(calls, answers, strict=True))
    return ReportViews(**parsed)


def _kpi_row(warehouse: str, scope: str, kpis: SalesKpis, comparison: KpiComparison) -> Row:
    total, previous, change = comparison.total, comparison.previous, comparison.change_pct
    return (
        warehouse,
        scope,
        kpis.as_of,
        kpis.window_days,
        total.revenue,
        previous.revenue,
        change.get("revenue"),
        total.orders,
        change.get("orders"),
        total.average_order_value,
        total.units,
        total.gross_margin,
        total.gross_margin_pct,
    )


def kpi_table(aw: AwSalesKpis, wwi: SalesKpis, *, generated_at: dt.datetime) -> Table:
    """Return both warehouses' KPIs (AdventureWorks also per channel) as one table."""
    rows = [_kpi_row("AdventureWorks", "Total", aw, aw)]
    rows += [
        _kpi_row("AdventureWorks", channel.capitalize(), aw, comparison)
        for channel, comparison in aw.channels.items()
    ]
    rows.append(_kpi_row("WideWorldImporters", "Total", wwi, wwi))
    return Table(
        title="Sales KPIs (against the same days a year earlier)",
        columns=KPI_COLUMNS,
        rows=rows,
        as_of=max(aw.as_of, wwi.as_of),
        generated_at=generated_at,
        parameters={"days_back": aw.window_days},
        sheet_name="KPIs",
    )


def report_sections(views: ReportViews, *, events_limit: int) -> Sequence[Table]:
    """Return one table per view after the KPIs, as their per-view downloads make them."""
    return [
        sales_history_table(views.aw_history),
        sales_forecast_table(views.aw_forecast),
        rep_scores_table(views.aw_reps, top_n=REPORT_TOP_N),
        product_demand_table(views.aw_products, top_n=REPORT_TOP_N),
        reorder_recommendations_table(views.wwi_recommendations, urgency=None),
        supplier_scores_table(views.wwi_suppliers, top_n=REPORT_TOP_N),
        business_events_table(
            views.wwi_events, limit=events_limit, event_type=None, open_only=False
        ),
    ]


def report_document(
    views: ReportViews,
    *,
    report_id: str,
    title: str,
    created_by: str,
    days_back: int,
    events_limit: int,
    generated_at: dt.datetime,
) -> Report:
    """Return the report of `views`: a cover with the KPIs, then a section per view."""
    sections = [
        with_rows_kept(replace(table, generated_at=generated_at))
        for table in report_sections(views, events_limit=events_limit)
    ]
    return Report(
        title=title,
        generated_at=generated_at,
        facts=[
            ("Report id", report_id),
            ("Generated at (UTC)", generated_at),
            ("Requested by", created_by),
            ("Window (days back)", days_back),
            ("AdventureWorks as of", views.aw_kpis.as_of),
            ("WideWorldImporters as of", views.wwi_kpis.as_of),
        ],
        summary=[
            with_rows_kept(kpi_table(views.aw_kpis, views.wwi_kpis, generated_at=generated_at))
        ],
        sections=sections,
    )


VIEW_COUNT = len(ReportViews.__dataclass_fields__)
"""How many views a report reads (the `otelbi.report.views` span attribute)."""
