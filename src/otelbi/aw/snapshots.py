"""Stored AdventureWorks snapshots: rep scores, product demand and revenue forecasts.

The daily job writes one snapshot per view with `save_*` (one transaction each, every row
stamped with the same `computed_at` and the view's `as_of`); the records endpoints page
through them newest snapshot first, and within a snapshot in rank (or date) order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

import sqlalchemy as sa

from otelbi.aw.product_demand import ProductDemand, ProductDemandList
from otelbi.aw.rep_scores import RepScore, RepScores
from otelbi.paging import Page
from otelbi.store.snapshots import (
    SnapshotStamp,
    insert_snapshot,
    snapshot_page,
    snapshot_stamp,
)
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


def save_rep_scores(store: sa.Engine, execution_id: int | None, scores: RepScores) -> int:
    """Store the reps of `scores` as one snapshot; return the number of rows written."""
    stamp = snapshot_stamp(execution_id, scores.as_of)
    return insert_snapshot(store, aw_rep_scores, [stamp | rep.model_dump() for rep in scores.reps])


def save_product_demand(
    store: sa.Engine, execution_id: int | None, demand: ProductDemandList
) -> int:
    """Store the products of `demand` as one snapshot; return the number of rows written."""
    stamp = snapshot_stamp(execution_id, demand.as_of)
    return insert_snapshot(
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
    stamp = snapshot_stamp(execution_id, as_of) | {"method": method, "window_days": window_days}
    return insert_snapshot(
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


def rep_score_records(store: sa.Engine, *, limit: int, offset: int) -> Page[StoredRepScore]:
    """Return stored rep scores, newest snapshot first and by rank within a snapshot."""
    return snapshot_page(
        store, aw_rep_scores, StoredRepScore, aw_rep_scores.c.rank, limit=limit, offset=offset
    )


def product_demand_records(
    store: sa.Engine, *, limit: int, offset: int
) -> Page[StoredProductDemand]:
    """Return stored product demand, newest snapshot first and by rank within a snapshot."""
    return snapshot_page(
        store,
        aw_product_demand,
        StoredProductDemand,
        aw_product_demand.c.rank,
        limit=limit,
        offset=offset,
    )


def forecast_records(store: sa.Engine, *, limit: int, offset: int) -> Page[StoredForecast]:
    """Return stored forecasts, newest snapshot first and by date within a snapshot."""
    return snapshot_page(
        store,
        aw_forecasts,
        StoredForecast,
        aw_forecasts.c.forecast_date,
        limit=limit,
        offset=offset,
    )
