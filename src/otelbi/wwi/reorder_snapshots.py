"""Stored reorder recommendations: the hourly job's snapshots in wwi_reorder_recommendations,
and the page of them GET /api/wwi/records/reorder-recommendations answers with.
"""

from __future__ import annotations

import sqlalchemy as sa

from otelbi.paging import Page
from otelbi.store.snapshots import (
    SnapshotStamp,
    insert_snapshot,
    snapshot_page,
    snapshot_stamp,
)
from otelbi.store.tables import wwi_reorder_recommendations
from otelbi.wwi.reorder import ReorderFigures, ReorderRecommendations

_FIGURES = set(ReorderFigures.model_fields)


class ReorderRecommendationRecord(ReorderFigures, SnapshotStamp):
    """One item's recommendation as a snapshot stored it."""


ReorderRecommendationRecords = Page[ReorderRecommendationRecord]


def save_recommendations(
    store: sa.Engine, execution_id: int, recommendations: ReorderRecommendations
) -> int:
    """Store every item's recommendation as one snapshot (one transaction); return the rows."""
    stamp = snapshot_stamp(execution_id, recommendations.as_of)
    return insert_snapshot(
        store,
        wwi_reorder_recommendations,
        [stamp | item.model_dump(include=_FIGURES, mode="json") for item in recommendations.items],
    )


def reorder_recommendation_records(
    store: sa.Engine, *, limit: int, offset: int
) -> ReorderRecommendationRecords:
    """Return one page of stored rows: newest snapshot first, each in the order it was saved."""
    return snapshot_page(
        store,
        wwi_reorder_recommendations,
        ReorderRecommendationRecord,
        wwi_reorder_recommendations.c.id,
        limit=limit,
        offset=offset,
    )
