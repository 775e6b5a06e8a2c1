"""The scheduled jobs of wwi-service (schedules in docs/jobs.md)."""

from __future__ import annotations

import datetime as dt

from otelbi.domains import Domain
from otelbi.errors import NotFound
from otelbi.jobs.definitions import JobContext, JobDefinition, JobOutcome
from otelbi.quality.job import quality_job
from otelbi.wwi.quality_checks import WWI_QUALITY
from otelbi.wwi.reorder_snapshots import save_recommendations
from otelbi.wwi.stock_events import detect_events
from otelbi.wwi.stock_levels import reorder_recommendations, stock_levels
from otelbi.wwi.supplier_scores import supplier_scores
from otelbi.wwi.supplier_snapshots import save_supplier_scores

NO_MOVEMENTS = "the WideWorldImporters warehouse holds no stock movements"


def store_reorder_recommendations(context: JobContext) -> JobOutcome:
    """Store this hour's reorder recommendations for every held item."""
    with context.warehouse().connect() as connection:
        recommendations = reorder_recommendations(connection)
    if recommendations is None:
        raise NotFound(NO_MOVEMENTS)
    rows = save_recommendations(context.store, context.execution_id, recommendations)
    by_urgency: dict[str, int] = {}
    for item in recommendations.items:
        by_urgency[item.urgency.value] = by_urgency.get(item.urgency.value, 0) + 1
    return JobOutcome(
        rows_written=rows,
        details={"as_of": recommendations.as_of.isoformat(), "by_urgency": by_urgency},
    )


def detect_stock_events(context: JobContext) -> JobOutcome:
    """Open events for items past a stock threshold and resolve those back within it."""
    with context.warehouse().connect() as connection:
        levels = stock_levels(connection)
    if levels is None:
        raise NotFound(NO_MOVEMENTS)
    changes = detect_events(
        context.store,
        levels.positions,
        now=dt.datetime.now(dt.UTC),
        execution_id=context.execution_id,
    )
    return JobOutcome(
        rows_written=changes.rows_written,
        details={
            "as_of": levels.as_of.isoformat(),
            "items": len(levels.positions),
            "opened": changes.opened,
            "resolved": changes.resolved,
        },
    )


def store_supplier_scores(context: JobContext) -> JobOutcome:
    """Store today's supplier scores."""
    with context.warehouse().connect() as connection:
        scores = supplier_scores(connection)
    if scores is None:
        raise NotFound("the WideWorldImporters warehouse holds no purchases")
    rows = save_supplier_scores(context.store, context.execution_id, scores)
    return JobOutcome(
        rows_written=rows,
        details={"as_of": scores.as_of.isoformat(), "suppliers": len(scores.suppliers)},
    )


JOBS: tuple[JobDefinition, ...] = (
    JobDefinition(
        "wwi.hourly.reorder",
        Domain.WWI.service_name,
        "0 * * * *",
        "reorder recommendations snapshot",
        store_reorder_recommendations,
        recompute_on_data_change=True,
    ),
    JobDefinition(
        "wwi.hourly.events",
        Domain.WWI.service_name,
        "30 * * * *",
        "stock-level business events",
        detect_stock_events,
        recompute_on_data_change=True,
    ),
    JobDefinition(
        "wwi.daily.supplier_scores",
        Domain.WWI.service_name,
        "30 3 * * *",
        "supplier scores snapshot",
        store_supplier_scores,
        recompute_on_data_change=True,
    ),
    JobDefinition(
        "wwi.daily.data_quality",
        Domain.WWI.service_name,
        "0 4 * * *",
        "WideWorldImporters data-quality checks",
        quality_job(WWI_QUALITY),
    ),
)
