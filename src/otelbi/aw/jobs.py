"""The scheduled jobs of aw-service (schedules in docs/jobs.md)."""

from __future__ import annotations

from otelbi.aw.product_demand import product_demand
from otelbi.aw.quality_checks import AW_QUALITY
from otelbi.aw.rep_scores import rep_scores
from otelbi.aw.sales_forecast import sales_forecast
from otelbi.aw.snapshots import save_forecast, save_product_demand, save_rep_scores
from otelbi.domains import Domain
from otelbi.errors import NotFound
from otelbi.jobs.definitions import JobContext, JobDefinition, JobOutcome
from otelbi.quality.job import quality_job

ALL_RANKED = 1000
"""A snapshot keeps every rep and product, not only the top N a view shows."""


def store_forecast(context: JobContext) -> JobOutcome:
    """Store today's internet-revenue forecast."""
    with context.warehouse().connect() as connection:
        forecast = sales_forecast(
            connection, horizon_days=context.settings.analytics.forecast_horizon_days
        )
    if forecast is None:
        raise NotFound("the AdventureWorks warehouse holds no sales to forecast")
    rows = save_forecast(
        context.store,
        context.execution_id,
        forecast.points,
        as_of=forecast.as_of,
        method=forecast.method,
        window_days=forecast.window_days,
    )
    return JobOutcome(
        rows_written=rows,
        details={
            "as_of": forecast.as_of.isoformat(),
            "method": forecast.method,
            "backtest": forecast.backtest.model_dump(),
        },
    )


def store_scores(context: JobContext) -> JobOutcome:
    """Store today's rep-score and product-demand snapshots."""
    with context.warehouse().connect() as connection:
        reps = rep_scores(connection, top_n=ALL_RANKED, days_back=None)
        products = product_demand(connection, top_n=ALL_RANKED, days_back=None)
    if reps is None or products is None:
        raise NotFound("the AdventureWorks warehouse holds no sales to score")
    rows = save_rep_scores(context.store, context.execution_id, reps)
    rows += save_product_demand(context.store, context.execution_id, products)
    return JobOutcome(
        rows_written=rows,
        details={
            "as_of": reps.as_of.isoformat(),
            "reps": len(reps.reps),
            "products": len(products.products),
        },
    )


JOBS: tuple[JobDefinition, ...] = (
    JobDefinition(
        "aw.daily.forecast",
        Domain.AW.service_name,
        "0 2 * * *",
        "daily internet-revenue forecast",
        store_forecast,
        recompute_on_data_change=True,
    ),
    JobDefinition(
        "aw.daily.scores",
        Domain.AW.service_name,
        "30 2 * * *",
        "sales-rep scores and product demand snapshots",
        store_scores,
        recompute_on_data_change=True,
    ),
    JobDefinition(
        "aw.daily.data_quality",
        Domain.AW.service_name,
        "0 3 * * *",
        "AdventureWorks data-quality checks",
        quality_job(AW_QUALITY),
    ),
)
