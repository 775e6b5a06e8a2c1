"""The first page of a report: the figures a reader acts on, as small tables made from the
views (KPIs with their change against the prior year, the reps and products that moved most,
the stock to order now, the worst suppliers, the forecast's next 30 days), and the PDF's
excerpt of the reorder list (the rows worth acting on, the rest counted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from otelbi.aw.product_demand import ProductDemandList
from otelbi.aw.rep_scores import RepScores
from otelbi.aw.sales_forecast import SalesForecast
from otelbi.files.report import Excerpt
from otelbi.files.table import Column, Row, Table, attribute_rows
from otelbi.files.table import ColumnKind as Kind
from otelbi.kpis import AwSalesKpis, KpiComparison, SalesKpis
from otelbi.wwi.exports import RECOMMENDATION_COLUMNS, SUPPLIER_COLUMNS
from otelbi.wwi.reorder import ReorderRecommendations, Urgency
from otelbi.wwi.supplier_scores import SupplierScores

KPI_COLUMNS = (
    Column("warehouse", "Warehouse"),
    Column("scope", "Scope"),
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
MOVERS_PER_SIDE = 2
"""Largest rises and largest falls shown, each, for reps and for products."""
WORST_SUPPLIERS = 3
FORECAST_SUMMARY_DAYS = 30
ACTIONABLE = (Urgency.CRITICAL, Urgency.HIGH)
"""The reorder urgencies a PDF lists and the cover counts; the XLSX holds every item."""
MOVER_COLUMNS = (
    Column("who", "Who"),
    Column("name", "Name"),
    Column("direction", "Move"),
    Column("change_pct", "Change %", Kind.PERCENT, decimals=1),
    Column("measure", "Measured as"),
    Column("revenue", "Revenue in the window", Kind.MONEY),
)
STOCK_COLUMNS = (
    Column("urgency", "Urgency"),
    Column("items", "Items", Kind.INTEGER),
    Column("order_qty", "Units to order", Kind.INTEGER),
    Column("order_value", "Order value", Kind.MONEY),
)
WORST_SUPPLIER_COLUMNS = tuple(
    column
    for column in SUPPLIER_COLUMNS
    if column.key in ("rank", "supplier", "score", "fill_rate_pct", "on_time_pct", "avg_delay_days")
)
FORECAST_SUMMARY_COLUMNS = (
    Column("first", "From", Kind.DATE),
    Column("last", "To", Kind.DATE),
    Column("forecast", "Forecast revenue", Kind.MONEY),
    Column("lower", "Lower (80%)", Kind.MONEY),
    Column("upper", "Upper (80%)", Kind.MONEY),
    Column("smape", "Backtest sMAPE %", Kind.PERCENT, decimals=1),
    Column("backtest", "Backtest"),
)


def _kpi_row(warehouse: str, scope: str, comparison: KpiComparison) -> Row:
    total, previous, change = comparison.total, comparison.previous, comparison.change_pct
    return (
        warehouse,
        scope,
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
    rows = [_kpi_row("AdventureWorks", "Total", aw)]
    rows += [
        _kpi_row("AdventureWorks", channel.capitalize(), comparison)
        for channel, comparison in aw.channels.items()
    ]
    rows.append(_kpi_row("WideWorldImporters", "Total", wwi))
    return Table(
        title="Headline sales KPIs (change against the same days a year earlier)",
        columns=KPI_COLUMNS,
        rows=rows,
        as_of=max(aw.as_of, wwi.as_of),
        generated_at=generated_at,
        parameters={"days_back": aw.window_days},
        sheet_name="KPIs",
    )


def _movers(who: str, measure: str, items: Sequence[tuple[str, float | None, float]]) -> list[Row]:
    """Return the largest rises then the largest falls of (name, change %, revenue) items."""
    moved = sorted((item for item in items if item[1] is not None), key=lambda item: item[1] or 0)
    rises = [item for item in reversed(moved) if (item[1] or 0) > 0][:MOVERS_PER_SIDE]
    falls = [item for item in moved if (item[1] or 0) < 0][:MOVERS_PER_SIDE]
    return [
        (who, name, direction, change, measure, revenue)
        for direction, side in (("Rise", rises), ("Fall", falls))
        for name, change, revenue in side
    ]


def movers_table(
    reps: RepScores, products: ProductDemandList, *, top_n: int, generated_at: dt.datetime
) -> Table:
    """Return the reps and products that rose and fell the most."""
    rows = _movers(
        "Sales rep",
        "Revenue, last 12 months against the 12 before",
        [(rep.name, rep.growth_pct, rep.revenue) for rep in reps.reps],
    )
    rows += _movers(
        "Product",
        "90-day demand trend",
        [(p.product, p.trend_pct, p.revenue) for p in products.products],
    )
    return Table(
        title=f"Top and bottom movers (of the top {top_n} reps and products)",
        columns=MOVER_COLUMNS,
        rows=rows,
        as_of=reps.as_of,
        generated_at=generated_at,
        sheet_name="Movers",
    )


def stock_table(recommendations: ReorderRecommendations, *, generated_at: dt.datetime) -> Table:
    """Return how many items need ordering at each actionable urgency, and their value."""
    rows: list[Row] = []
    for urgency in ACTIONABLE:
        items = [item for item in recommendations.items if item.urgency is urgency]
        rows.append(
            (
                urgency.value.capitalize(),
                len(items),
                sum(item.recommended_order_qty for item in items),
                round(sum(item.order_value for item in items), 2),
            )
        )
    return Table(
        title="Stock to order now (WideWorldImporters)",
        columns=STOCK_COLUMNS,
        rows=rows,
        as_of=recommendations.as_of,
        generated_at=generated_at,
        sheet_name="Stock",
    )


def worst_suppliers_table(scores: SupplierScores, *, generated_at: dt.datetime) -> Table:
    """Return the lowest-scoring suppliers, worst first."""
    worst = sorted(scores.suppliers, key=lambda supplier: supplier.score)[:WORST_SUPPLIERS]
    return Table(
        title=f"Worst suppliers (lowest scores of {len(scores.suppliers)} ranked)",
        columns=WORST_SUPPLIER_COLUMNS,
        rows=list(attribute_rows(worst, WORST_SUPPLIER_COLUMNS)),
        as_of=scores.as_of,
        generated_at=generated_at,
        sheet_name="Suppliers",
    )


def forecast_summary_table(forecast: SalesForecast, *, generated_at: dt.datetime) -> Table:
    """Return the forecast's total over its first days, with the interval and the backtest."""
    points = forecast.points[:FORECAST_SUMMARY_DAYS]
    backtest = forecast.backtest
    tested = f"{backtest.folds} × {backtest.horizon_days} days" if backtest.folds else "Untested"
    rows: list[Row] = []
    if points:
        rows.append(
            (
                points[0].date,
                points[-1].date,
                round(sum(point.forecast for point in points), 2),
                round(sum(point.lower for point in points), 2),
                round(sum(point.upper for point in points), 2),
                backtest.smape,
                f"{tested}. {backtest.note}" if backtest.note else tested,
            )
        )
    return Table(
        title=(
            f"AdventureWorks internet revenue, next {len(points)} days "
            "(forecast and 80% interval, sums of the daily figures)"
        ),
        columns=FORECAST_SUMMARY_COLUMNS,
        rows=rows,
        as_of=forecast.as_of,
        generated_at=generated_at,
        sheet_name="Outlook",
    )


def reorder_excerpt(recommendations: ReorderRecommendations) -> Excerpt:
    """Return the reorder rows worth acting on (critical, high) and the count of the rest."""
    actionable = [item for item in recommendations.items if item.urgency in ACTIONABLE]
    rest = len(recommendations.items) - len(actionable)
    return Excerpt(
        rows=list(attribute_rows(actionable, RECOMMENDATION_COLUMNS)),
        rest=(
            f"Listed: the {len(actionable):,} items at critical or high urgency. "
            f"And {rest:,} more items at normal or no urgency: see the XLSX's "
            "Reorder recommendations sheet."
        ),
    )
