"""Stored supplier-score snapshots (table wwi_supplier_scores): written by the daily job,
listed newest first."""

from __future__ import annotations

import sqlalchemy as sa

from otelbi.paging import Page
from otelbi.store.snapshots import (
    SnapshotStamp,
    insert_snapshot,
    snapshot_page,
    snapshot_stamp,
)
from otelbi.store.tables import wwi_supplier_scores
from otelbi.wwi.supplier_scores import SupplierScore, SupplierScores


class SupplierScoreRecord(SupplierScore, SnapshotStamp):
    """One supplier's score as a snapshot stored it."""


SupplierScoreRecords = Page[SupplierScoreRecord]


def save_supplier_scores(store: sa.Engine, execution_id: int, scores: SupplierScores) -> int:
    """Store `scores` as one snapshot (one transaction); return the number of rows written."""
    stamp = snapshot_stamp(execution_id, scores.as_of)
    return insert_snapshot(
        store, wwi_supplier_scores, [stamp | supplier.model_dump() for supplier in scores.suppliers]
    )


def supplier_score_records(store: sa.Engine, *, limit: int, offset: int) -> SupplierScoreRecords:
    """Return stored supplier scores, newest snapshot first and by rank within one."""
    return snapshot_page(
        store,
        wwi_supplier_scores,
        SupplierScoreRecord,
        wwi_supplier_scores.c.rank,
        limit=limit,
        offset=offset,
    )
