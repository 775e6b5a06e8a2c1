"""Stored AdventureWorks snapshots: rep scores, product demand and revenue forecasts.

The daily job writes one snapshot per view with `save_*` (one transaction each, every row
stamped with the same `computed_at` and the view's `as_of`); the records endpoints page
through them newest snapshot first, and within a snapshot in rank (or date) order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Generic, Protocol, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError

from otelbi.aw.product_demand import ProductDemand, ProductDemandList
from otelbi.aw.rep_scores import RepScore, RepScores
from otelbi.errors import StoreUnavailable
from otelbi.store.tables import aw_forecasts, aw_product_demand, aw_rep_scores


class ForecastPoint(Protocol):
    """One forecast day, as the forecast model produces it."""

    @property
    def date(self) -> dt.date: ...
    @property
    def forecast(self) -> float | Decimal: ...
    @property
    def lower(self) -> float | Decimal: ...
    @property
    def upper(self) -> float | Decimal: ...


class SnapshotStamp(BaseModel):
    """The columns every stored snapshot row starts with."""

    id: int
    execution_id: int | None
    computed_at: dt.datetime
    as_of: dt.date


class StoredRepScore(RepScore, SnapshotStamp):
    """A rep-score row of a stored snapshot."""


class StoredProductDemand(ProductDemand, SnapshotStamp):
    """A product-demand row of a stored snapshot."""


class StoredForecast(SnapshotStamp):
    """A forecast day of a stored snapshot."""

    method: str
    window_days: int
    forecast_date: dt.date
    forecast: float
    lower: float
    upper: float


ItemT = TypeVar("ItemT", bound=BaseModel)


class RecordPage(BaseModel, Generic[ItemT]):
    """GET /api/aw/records/*: one page of stored rows, newest snapshot first."""

    items: list[ItemT]
    limit: int
    offset: int


def _insert(store: sa.Engine, table: sa.Table, rows: list[dict[str, Any]]) -> int:
    """Insert `rows` into `table` in one transaction; return how many were written."""
    if not rows:
        return 0
    try:
        with store.begin() as connection:
            connection.execute(table.insert(), rows)
    except DBAPIError as error:
        raise StoreUnavailable(
            f"the {table.name} snapshot could not be written: {error.orig}"
        ) from error
    return len(rows)


def _stamp(execution_id: int | None, as_of: dt.date) -> dict[str, Any]:
    return {"execution_id": execution_id, "computed_at": dt.datetime.now(dt.UTC), "as_of": as_of}


def save_rep_scores(store: sa.Engine, execution_id: int | None, scores: RepScores) -> int:
    """Store the reps of `scores` as one snapshot; return the number of rows written."""
    stamp = _stamp(execution_id, scores.as_of)
    return _insert(store, aw_rep_scores, [stamp | rep.model_dump() for rep in scores.reps])


def save_product_demand(
    store: sa.Engine, execution_id: int | None, demand: ProductDemandList
) -> int:
    """Store the products of `demand` as one snapshot; return the number of rows written."""
    stamp = _stamp(execution_id, demand.as_of)
    return _insert(
        store, aw_product_demand, [stamp | product.model_dump() for product in demand.products]
    )


def save_forecast(
    store: sa.Engine,
    execution_id: int | None,
    forecast_points: Sequence[ForecastPoint],
    *,
    as_of: dt.date,
    method: str,
    window_days: int,
) -> int:
    """Store `forecast_points` as one forecast snapshot; return the number of rows written."""
    stamp = _stamp(execution_id, as_of) | {"method": method, "window_days": window_days}
    return _insert(
        store,
        aw_forecasts,
        [
            stamp
            | {
                "forecast_date": point.date,
                "forecast": point.forecast,
                "lower": point.lower,
                "upper": point.upper,
            }
            for point in forecast_points
        ],
    )


def _newest_first(
    store: sa.Engine,
    table: sa.Table,
    within_snapshot: sa.ColumnElement[Any],
    *,
    limit: int,
    offset: int,
) -> list[dict[str, Any]]:
    """Return one page of `table`'s rows: newest snapshot first, then `within_snapshot`."""
    query = (
        sa.select(table)
        .order_by(table.c.computed_at.desc(), within_snapshot, table.c.id)
        .limit(limit)
        .offset(offset)
    )
    try:
        with store.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]
    except DBAPIError as error:
        raise StoreUnavailable(
            f"the {table.name} snapshots could not be read: {error.orig}"
        ) from error


def rep_score_records(store: sa.Engine, *, limit: int, offset: int) -> RecordPage[StoredRepScore]:
    """Return stored rep scores, newest snapshot first and by rank within a snapshot."""
    rows = _newest_first(store, aw_rep_scores, aw_rep_scores.c.rank, limit=limit, offset=offset)
    return RecordPage[StoredRepScore](
        items=[StoredRepScore.model_validate(row) for row in rows], limit=limit, offset=offset
    )


def product_demand_records(
    store: sa.Engine, *, limit: int, offset: int
) -> RecordPage[StoredProductDemand]:
    """Return stored product demand, newest snapshot first and by rank within a snapshot."""
    rows = _newest_first(
        store, aw_product_demand, aw_product_demand.c.rank, limit=limit, offset=offset
    )
    return RecordPage[StoredProductDemand](
        items=[StoredProductDemand.model_validate(row) for row in rows], limit=limit, offset=offset
    )


def forecast_records(store: sa.Engine, *, limit: int, offset: int) -> RecordPage[StoredForecast]:
    """Return stored forecasts, newest snapshot first and by date within a snapshot."""
    rows = _newest_first(
        store, aw_forecasts, aw_forecasts.c.forecast_date, limit=limit, offset=offset
    )
    return RecordPage[StoredForecast](
        items=[StoredForecast.model_validate(row) for row in rows], limit=limit, offset=offset
    )
