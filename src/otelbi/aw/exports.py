"""AdventureWorks views as downloadable tables: GET /api/aw/export/<view>?format=csv|xlsx|pdf.

Each export takes the same parameters as its view and reads the view through its route
function, so a file always holds exactly what the JSON view answers.
"""

from __future__ import annotations

from fastapi.responses import StreamingResponse

from otelbi.aw.product_demand import ProductDemandList
from otelbi.aw.rep_scores import RepScores
from otelbi.aw.routes import (
    HistoryGrain,
    HorizonDays,
    RankingDays,
    product_demand_query,
    rep_scores_query,
    sales_forecast_query,
    sales_history_query,
)
from otelbi.aw.sales_forecast import ForecastBacktest, SalesForecast
from otelbi.aw.sales_history import Grain, SalesHistory
from otelbi.domain_service.dependencies import StateDep
from otelbi.domain_service.exports import ExportDep, FormatQuery, export_router
from otelbi.domain_service.parameters import DaysBack, TopN
from otelbi.domain_service.views import ViewDep
from otelbi.files.table import Chart, ChartKind, Column, Table, attribute_rows
from otelbi.files.table import ColumnKind as Kind
from otelbi.web.errors import error_responses

router = export_router("/api/aw/export")
NO_DATA = error_responses(404)
"""An export of a view answers 404 when the view would."""

ALL_HISTORY = "all history"

HISTORY_COLUMNS = (
    Column("date", "Date", Kind.DATE),
    Column("internet_revenue", "Internet revenue", Kind.MONEY),
    Column("reseller_revenue", "Reseller revenue", Kind.MONEY),
    Column("revenue", "Revenue", Kind.MONEY),
    Column("orders", "Orders", Kind.INTEGER),
)
FORECAST_COLUMNS = (
    Column("date", "Date", Kind.DATE),
    Column("forecast", "Forecast", Kind.MONEY),
    Column("lower", "Lower (80%)", Kind.MONEY),
    Column("upper", "Upper (80%)", Kind.MONEY),
)
REP_COLUMNS = (
    Column("rank", "Rank", Kind.INTEGER),
    Column("name", "Sales rep"),
    Column("employee_key", "Employee key", Kind.INTEGER),
    Column("title", "Title"),
    Column("territory", "Territory"),
    Column("revenue", "Revenue", Kind.MONEY),
    Column("orders", "Orders", Kind.INTEGER),
    Column("quota", "Quota", Kind.MONEY),
    Column("attainment_pct", "Attainment %", Kind.PERCENT),
    Column("growth_pct", "Growth %", Kind.PERCENT),
    Column("score", "Score", Kind.DECIMAL),
)
PRODUCT_COLUMNS = (
    Column("rank", "Rank", Kind.INTEGER),
    Column("product", "Product"),
    Column("product_alternate_key", "Product key"),
    Column("category", "Category"),
    Column("subcategory", "Subcategory"),
    Column("units", "Units", Kind.INTEGER),
    Column("revenue", "Revenue", Kind.MONEY),
    Column("orders", "Orders", Kind.INTEGER),
    Column("trend_pct", "90-day trend %", Kind.PERCENT),
    Column("demand_score", "Demand score", Kind.DECIMAL),
)


def sales_history_table(history: SalesHistory) -> Table:
    """Return the sales history as a table, charted as a revenue line."""
    return Table(
        title=f"AdventureWorks sales history by {history.grain.value}",
        columns=HISTORY_COLUMNS,
        rows=attribute_rows(history.points, HISTORY_COLUMNS),
        as_of=history.as_of,
        parameters={"days_back": history.days_back, "grain": history.grain.value},
        chart=Chart(ChartKind.LINE, "Revenue", category="date", value="revenue"),
        sheet_name="Sales history",
    )


def sales_forecast_table(forecast: SalesForecast) -> Table:
    """Return the revenue forecast as a table, charted as a line with its 80% interval."""
    return Table(
        title="AdventureWorks daily internet-revenue forecast",
        columns=FORECAST_COLUMNS,
        rows=attribute_rows(forecast.points, FORECAST_COLUMNS),
        as_of=forecast.as_of,
        parameters={"horizon_days": len(forecast.points)},
        details={
            "series": forecast.series,
            "method": forecast.method,
            "window_days": forecast.window_days,
            **_backtest_details(forecast.backtest),
        },
        chart=Chart(
            ChartKind.LINE,
            "Forecast with 80% interval",
            category="date",
            value="forecast",
            lower="lower",
            upper="upper",
        ),
        sheet_name="Forecast",
    )


def _backtest_details(backtest: ForecastBacktest) -> dict[str, object]:
    """Return the backtest's figures as labelled details, and its note when it has one."""
    figures: dict[str, object] = {}
    if backtest.folds:
        figures = {
            "backtest": f"{backtest.folds} × {backtest.horizon_days} days",
            "backtest sMAPE %": backtest.smape,
            "seasonal-naive sMAPE %": backtest.baseline_smape,
            "interval coverage %": backtest.coverage_pct,
        }
    if backtest.note:
        figures["backtest note"] = backtest.note
    return figures


def rep_scores_table(scores: RepScores, *, top_n: int) -> Table:
    """Return the rep scorecard as a table, charted as bars of the top reps' scores."""
    return Table(
        title="AdventureWorks sales-rep scores",
        columns=REP_COLUMNS,
        rows=attribute_rows(scores.reps, REP_COLUMNS),
        as_of=scores.as_of,
        parameters={"top_n": top_n, "days_back": scores.days_back or ALL_HISTORY},
        chart=Chart(ChartKind.BAR, "Score of the top reps", category="name", value="score"),
        sheet_name="Rep scores",
    )


def product_demand_table(demand: ProductDemandList, *, top_n: int) -> Table:
    """Return the product demand ranking as a table, charted as bars of the top scores."""
    return Table(
        title="AdventureWorks product demand",
        columns=PRODUCT_COLUMNS,
        rows=attribute_rows(demand.products, PRODUCT_COLUMNS),
        as_of=demand.as_of,
        parameters={"top_n": top_n, "days_back": demand.days_back or ALL_HISTORY},
        chart=Chart(
            ChartKind.BAR,
            "Demand score of the top products",
            category="product",
            value="demand_score",
        ),
        sheet_name="Product demand",
    )


@router.get("/sales-history", name="aw.export.sales_history", responses=NO_DATA)
def export_sales_history(
    export: ExportDep,
    state: StateDep,
    view: ViewDep,
    file_format: FormatQuery,
    days_back: DaysBack = None,
    grain: HistoryGrain = Grain.DAY,
) -> StreamingResponse:
    """Download the sales history (same parameters as GET /api/aw/sales/history).

    One row per bucket: internet, reseller and total revenue and orders, charted as a revenue line.

    `format` is `csv`, `xlsx` or `pdf` (a PDF stops at PDF_MAX_ROWS rows and says so). The
    file holds exactly what the view answers for the same parameters, streamed as it is
    written, named `{domain}-{view}-{as_of}.{ext}`; every download leaves an export record and
    an audit row with the file's size and SHA-256.
    """
    history = view.result(sales_history_query(state, days_back, grain))
    return export.download(sales_history_table(history), file_format, view="sales-history")


@router.get("/sales-forecast", name="aw.export.sales_forecast", responses=NO_DATA)
def export_sales_forecast(
    export: ExportDep,
    state: StateDep,
    view: ViewDep,
    file_format: FormatQuery,
    horizon_days: HorizonDays = None,
) -> StreamingResponse:
    """Download the revenue forecast (same parameters as GET /api/aw/sales/forecast).

    One row per forecast day with its 80% interval, and the backtest's figures beside it.

    `format` is `csv`, `xlsx` or `pdf` (a PDF stops at PDF_MAX_ROWS rows and says so). The
    file holds exactly what the view answers for the same parameters, streamed as it is
    written, named `{domain}-{view}-{as_of}.{ext}`; every download leaves an export record and
    an audit row with the file's size and SHA-256.
    """
    forecast = view.result(sales_forecast_query(state, horizon_days))
    return export.download(sales_forecast_table(forecast), file_format, view="sales-forecast")


@router.get("/rep-scores", name="aw.export.rep_scores", responses=NO_DATA)
def export_rep_scores(
    export: ExportDep,
    state: StateDep,
    view: ViewDep,
    file_format: FormatQuery,
    top_n: TopN = None,
    days_back: RankingDays = None,
) -> StreamingResponse:
    """Download the rep scorecard (same parameters as GET /api/aw/reps/scores).

    One row per rep with every figure of the scorecard, charted as bars of the top scores.

    `format` is `csv`, `xlsx` or `pdf` (a PDF stops at PDF_MAX_ROWS rows and says so). The
    file holds exactly what the view answers for the same parameters, streamed as it is
    written, named `{domain}-{view}-{as_of}.{ext}`; every download leaves an export record and
    an audit row with the file's size and SHA-256.
    """
    scores = view.result(rep_scores_query(state, top_n, days_back))
    table = rep_scores_table(scores, top_n=top_n or state.settings.analytics.ranking_default_top_n)
    return export.download(table, file_format, view="rep-scores")


@router.get("/product-demand", name="aw.export.product_demand", responses=NO_DATA)
def export_product_demand(
    export: ExportDep,
    state: StateDep,
    view: ViewDep,
    file_format: FormatQuery,
    top_n: TopN = None,
    days_back: RankingDays = None,
) -> StreamingResponse:
    """Download the product demand ranking (same parameters as GET /api/aw/products/demand).

    One row per product with its units, revenue, trend and score, charted as bars.

    `format` is `csv`, `xlsx` or `pdf` (a PDF stops at PDF_MAX_ROWS rows and says so). The
    file holds exactly what the view answers for the same parameters, streamed as it is
    written, named `{domain}-{view}-{as_of}.{ext}`; every download leaves an export record and
    an audit row with the file's size and SHA-256.
    """
    demand = view.result(product_demand_query(state, top_n, days_back))
    table = product_demand_table(
        demand, top_n=top_n or state.settings.analytics.ranking_default_top_n
    )
    return export.download(table, file_format, view="product-demand")
