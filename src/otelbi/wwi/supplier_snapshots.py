"""Stored supplier-score snapshots (table wwi_supplier_scores): written by the daily job,
listed newest first."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError

from otelbi.errors import StoreUnavailable
from otelbi.store.tables import wwi_supplier_scores
from otelbi.wwi.supplier_scores import SupplierScore, SupplierScores


class SupplierScoreRecord(SupplierScore):
    """One supplier's score as a snapshot stored it."""

    id: int
    execution_id: int | None
    computed_at: dt.datetime
    as_of: dt.date


class SupplierScoreRecords(BaseModel):
    """A page of stored supplier scores, newest snapshot first."""

    items: list[SupplierScoreRecord]
    limit: int
    offset: int


def save_supplier_scores(store: sa.Engine, execution_id: int, scores: SupplierScores) -> int:
    """Store `scores` as one snapshot (one transaction); return the number of rows written."""
    computed_at = dt.datetime.now(dt.UTC)
    rows = [
        {
            "execution_id": execution_id,
            "computed_at": computed_at,
            "as_of": scores.as_of,
            **supplier.model_dump(),
        }
        for supplier in scores.suppliers
    ]
    if not rows:
        return 0
    try:
        with store.begin() as connection:
            connection.execute(wwi_supplier_scores.insert(), rows)
    except DBAPIError as error:
        raise StoreUnavailable(f"the supplier scores could not be stored: {error.orig}") from error
    return len(rows)


def supplier_score_records(store: sa.Engine, *, limit: int, offset: int) -> SupplierScoreRecords:
    """Return stored supplier scores, newest snapshot first and by rank within one."""
    table = wwi_supplier_scores
    query = (
        sa.select(table)
        .order_by(table.c.computed_at.desc(), table.c.rank, table.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    try:
        with store.connect() as connection:
            rows = connection.execute(query).all()
    except DBAPIError as error:
        raise StoreUnavailable(f"the supplier scores could not be read: {error.orig}") from error
    return SupplierScoreRecords(
        items=[SupplierScoreRecord.model_validate(dict(row._mapping)) for row in rows],
        limit=limit,
        offset=offset,
    )
