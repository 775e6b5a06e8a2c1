"""Stored analytics snapshots: the rows a job writes per view and the pages the records
endpoints read back.

A snapshot is written in one transaction, every row stamped with the same `computed_at`
(now, UTC), the view's `as_of` and the job execution that wrote it; pages are newest
snapshot first, then in the view's own order within a snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError

from otelbi.errors import StoreUnavailable
from otelbi.paging import ItemT, Page
from otelbi.utc import UtcDateTime


class SnapshotStamp(BaseModel):
    """The columns every stored snapshot row starts with."""

    id: int
    execution_id: int | None
    computed_at: UtcDateTime
    as_of: dt.date


def snapshot_stamp(execution_id: int | None, as_of: dt.date) -> dict[str, Any]:
    """Return the columns shared by every row of a snapshot written now."""
    return {"execution_id": execution_id, "computed_at": dt.datetime.now(dt.UTC), "as_of": as_of}


def insert_snapshot(store: sa.Engine, table: sa.Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert a snapshot's rows in one transaction; return how many were written."""
    if not rows:
        return 0
    try:
        with store.begin() as connection:
            connection.execute(table.insert(), list(rows))
    except DBAPIError as error:
        raise StoreUnavailable(
            f"the {table.name} snapshot could not be written: {error.orig}"
        ) from error
    return len(rows)


def snapshot_page(
    store: sa.Engine,
    table: sa.Table,
    item: type[ItemT],
    within_snapshot: sa.ColumnElement[Any],
    *,
    limit: int,
    offset: int,
) -> Page[ItemT]:
    """Return one page of `table`: newest snapshot first, then `within_snapshot` order."""
    query = (
        sa.select(table)
        .order_by(table.c.computed_at.desc(), within_snapshot, table.c.id)
        .limit(limit)
        .offset(offset)
    )
    try:
        with store.connect() as connection:
            rows = connection.execute(query).all()
            total = connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    except DBAPIError as error:
        raise StoreUnavailable(
            f"the {table.name} snapshots could not be read: {error.orig}"
        ) from error
    return Page[item](  # type: ignore[valid-type]
        items=[item.model_validate(dict(row._mapping)) for row in rows],
        limit=limit,
        offset=offset,
        total=total,
    )
