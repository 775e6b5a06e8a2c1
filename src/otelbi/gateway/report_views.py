"""The views a full report holds, read from the domain services, and the report they make.

The gateway reads every view over its service clients, exactly as a browser's request would
travel (internal token naming the user, traceparent, the services' own audit rows), all at
once. The answers are parsed into the services' own response models and turned into tables
by the per-view export code (`aw.exports`, `wwi.exports`), so a report's sheet holds what the
view's own download would; the cover's summary comes from the same answers
(`gateway.report_summary`). One view that fails fails the report: it is not written, and the
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
from otelbi.files.labels import parameter_label
from otelbi.files.report import Report, with_rows_kept
from otelbi.files.table import Chart, ChartKind, Table
from otelbi.gateway.forwarding import internal_authorization
from otelbi.gateway.report_summary import (
    forecast_summary_table,
    kpi_table,
    movers_table,
    reorder_excerpt,
    stock_table,
    worst_suppliers_table,
)
from otelbi.gateway.state import GatewayState
from otelbi.kpis import AwSalesKpis, SalesKpis
from otelbi.paging import Page
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

HISTORY_CHART = Chart(
    ChartKind.LINE,
    "Revenue, total and by channel",
    category="date",
    value="revenue",
    more=("internet_revenue", "reseller_revenue"),
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
    wwi_events: Page[BusinessEvent]


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
            TypeAdapter(Page[BusinessEvent]),
        ),
    }


class ViewFailed(Exception):
    """A view the report needs did not answer with its data."""


async def _read_view(state: GatewayState, subject: str, call: ViewCall) -> Any:
    client = state.services[call.domain].client
    headers = {"authorization": internal_authorization(state, call.domain, subject)}
    seconds = state.settings.topology.service_timeout_reports_seconds
    try:
        # Both: httpx's read timeout does not reach an in-process (all-in-one) service.
        async with asyncio.timeout(seconds):
            response = await client.get(
                call.path, params=dict(call.params), headers=headers, timeout=seconds
            )
    except (TimeoutError, httpx.TimeoutException) as error:
        raise ViewFailed(
            f"{call.domain.service_name} did not answer within {seconds:g} s "
            "(SERVICE_TIMEOUT_REPORTS_SECONDS)"
        ) from error
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


def summary_tables(views: ReportViews, *, generated_at: dt.datetime) -> list[Table]:
    """Return the cover's tables: KPIs, movers, stock to order, worst suppliers, forecast."""
    return [
        kpi_table(views.aw_kpis, views.wwi_kpis, generated_at=generated_at),
        movers_table(
            views.aw_reps, views.aw_products, top_n=REPORT_TOP_N, generated_at=generated_at
        ),
        stock_table(views.wwi_recommendations, generated_at=generated_at),
        worst_suppliers_table(views.wwi_suppliers, generated_at=generated_at),
        forecast_summary_table(views.aw_forecast, generated_at=generated_at),
    ]


def report_sections(views: ReportViews, *, events_limit: int) -> Sequence[Table]:
    """Return one table per view after the KPIs, as their per-view downloads make them (the
    sales history charted by channel)."""
    history = sales_history_table(views.aw_history)
    return [
        replace(history, chart=HISTORY_CHART),
        sales_forecast_table(views.aw_forecast),
        rep_scores_table(views.aw_reps, top_n=REPORT_TOP_N),
        product_demand_table(views.aw_products, top_n=REPORT_TOP_N),
        reorder_recommendations_table(views.wwi_recommendations, urgency=None),
        supplier_scores_table(views.wwi_suppliers, top_n=REPORT_TOP_N),
        business_events_table(
            views.wwi_events.items, limit=events_limit, event_type=None, open_only=False
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
    """Return the report of `views`: a cover that summarises, then a section per view."""
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
            (parameter_label("days_back"), days_back),
            ("AdventureWorks as of", views.aw_kpis.as_of),
            ("WideWorldImporters as of", views.wwi_kpis.as_of),
        ],
        summary=[
            with_rows_kept(table) for table in summary_tables(views, generated_at=generated_at)
        ],
        sections=sections,
        pdf_excerpts={
            "Reorder recommendations": reorder_excerpt(views.wwi_recommendations),
        },
    )


VIEW_COUNT = len(ReportViews.__dataclass_fields__)
"""How many views a report reads (the `otelbi.report.views` span attribute)."""
