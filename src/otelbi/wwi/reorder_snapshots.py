"""Stored reorder recommendations: the hourly job's snapshots in wwi_reorder_recommendations,
and the page of them GET /api/wwi/records/reorder-recommendations answers with.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError

from otelbi.errors import StoreUnavailable
from otelbi.store.tables import wwi_reorder_recommendations as snapshots_table
from otelbi.wwi.reorder import ReorderFigures, ReorderRecommendations

_FIGURES = set(ReorderFigures.model_fields)


class ReorderRecommendationRecord(ReorderFigures):
    """One item's recommendation as a snapshot stored it."""

    id: int
    execution_id: int | None
    computed_at: dt.datetime
    as_of: dt.date


class ReorderRecommendationRecords(BaseModel):
    """One page of stored recommendations, newest snapshot first."""

    items: list[ReorderRecommendationRecord]
    limit: int
    offset: int


def save_recommendations(
    store: sa.Engine, execution_id: int, recommendations: ReorderRecommendations
) -> int:
    """Store every item's recommendation as one snapshot (one transaction); return the rows.

    All rows of a snapshot share `computed_at` (now, UTC) and the recommendations' `as_of`.
    """
    computed_at = dt.datetime.now(dt.UTC)
    rows = [
        {
            "execution_id": execution_id,
            "computed_at": computed_at,
            "as_of": recommendations.as_of,
            **item.model_dump(include=_FIGURES, mode="json"),
        }
        for item in recommendations.items
    ]
    if not rows:
        return 0
    try:
        with store.begin() as connection:
            connection.execute(snapshots_table.insert(), rows)
    except DBAPIError as error:
        raise StoreUnavailable(
            f"the reorder recommendations could not be stored: {error.orig}"
        ) from error
    return len(rows)


def reorder_recommendation_records(
    store: sa.Engine, *, limit: int, offset: int
) -> ReorderRecommendationRecords:
    """Return one page of stored rows: newest snapshot first, each in the order it was saved."""
    query = (
        sa.select(snapshots_table)
        .order_by(snapshots_table.c.computed_at.desc(), snapshots_table.c.id)
        .limit(limit)
        .offset(offset)
    )
    try:
        with store.connect() as connection:
            rows = connection.execute(query).all()
    except DBAPIError as error:
        raise StoreUnavailable(
            f"the stored reorder recommendations could not be read: {error.orig}"
        ) from error
    items = [ReorderRecommendationRecord.model_validate(dict(row._mapping)) for row in rows]
    return ReorderRecommendationRecords(items=items, limit=limit, offset=offset)
