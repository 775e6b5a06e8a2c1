"""Stock-level business events: opened when an item crosses a threshold, resolved when it
comes back, never two open events of one type for one item.

Thresholds (per stock item, on the current Stock Holding):
- `stockout`: on hand ≤ 0;
- `below_reorder_level`: on hand < reorder level;
- `overstock`: on hand > OVERSTOCK_FACTOR × target stock level.
When an open event's condition no longer holds, the event gets `resolved_at` and a
`recovered` event (observed = on hand now, threshold = the one crossed back) is recorded,
already resolved. A partial unique index on open (item, type) pairs keeps a concurrent run
from opening a duplicate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, IntegrityError

from otelbi.domains import Domain
from otelbi.errors import StoreUnavailable
from otelbi.paging import Page
from otelbi.store.tables import wwi_business_events
from otelbi.telemetry import traced_view
from otelbi.utc import UtcDateTime
from otelbi.wwi.reorder import StockPosition

OVERSTOCK_FACTOR = 10


class EventType(StrEnum):
    """Kinds of stock-level events."""

    BELOW_REORDER_LEVEL = "below_reorder_level"
    STOCKOUT = "stockout"
    OVERSTOCK = "overstock"
    RECOVERED = "recovered"


def breaches(position: StockPosition) -> dict[EventType, float]:
    """Return the thresholds `position` is past now, by event type."""
    crossed: dict[EventType, float] = {}
    if position.on_hand <= 0:
        crossed[EventType.STOCKOUT] = 0.0
    if position.on_hand < position.reorder_level:
        crossed[EventType.BELOW_REORDER_LEVEL] = float(position.reorder_level)
    overstock = OVERSTOCK_FACTOR * position.target_level
    if position.target_level > 0 and position.on_hand > overstock:
        crossed[EventType.OVERSTOCK] = float(overstock)
    return crossed


@dataclass(frozen=True)
class EventChanges:
    """What one detection run changed."""

    opened: int
    resolved: int

    @property
    def rows_written(self) -> int:
        """Return the rows inserted or updated (a resolution writes two)."""
        return self.opened + 2 * self.resolved


@traced_view(Domain.WWI, "detect_events", rows=lambda changes: changes.rows_written)
def detect_events(
    store: sa.Engine,
    positions: Iterable[StockPosition],
    *,
    now: dt.datetime,
    execution_id: int | None,
) -> EventChanges:
    """Open events for new breaches and resolve those that no longer hold; return the counts."""
    events = wwi_business_events.c
    opened = resolved = 0
    try:
        with store.begin() as connection:
            open_events: dict[int, dict[EventType, Any]] = {}
            for row in connection.execute(
                sa.select(wwi_business_events).where(events.resolved_at.is_(None))
            ):
                open_events.setdefault(row.wwi_stock_item_id, {})[EventType(row.event_type)] = row
            for position in positions:
                item_id = position.wwi_stock_item_id
                already_open = open_events.get(item_id, {})
                crossed = breaches(position)
                for event_type, threshold in crossed.items():
                    if event_type not in already_open:
                        opened += _open(
                            connection, position, event_type, threshold, now, execution_id
                        )
                for event_type, row in already_open.items():
                    if event_type in crossed:
                        continue
                    connection.execute(
                        wwi_business_events.update()
                        .where(events.id == row.id)
                        .values(resolved_at=now)
                    )
                    connection.execute(
                        wwi_business_events.insert().values(
                            event_type=EventType.RECOVERED.value,
                            wwi_stock_item_id=item_id,
                            stock_item=position.stock_item,
                            observed=position.on_hand,
                            threshold=row.threshold,
                            detected_at=now,
                            resolved_at=now,
                            execution_id=execution_id,
                        )
                    )
                    resolved += 1
    except DBAPIError as error:
        raise StoreUnavailable(f"stock events could not be written: {error.orig}") from error
    return EventChanges(opened=opened, resolved=resolved)


def _open(
    connection: sa.Connection,
    position: StockPosition,
    event_type: EventType,
    threshold: float,
    now: dt.datetime,
    execution_id: int | None,
) -> int:
    insert = wwi_business_events.insert().values(
        event_type=event_type.value,
        wwi_stock_item_id=position.wwi_stock_item_id,
        stock_item=position.stock_item,
        observed=position.on_hand,
        threshold=threshold,
        detected_at=now,
        resolved_at=None,
        execution_id=execution_id,
    )
    # A concurrent run may have opened the same event a moment ago: the index says no twice.
    try:
        with connection.begin_nested():
            connection.execute(insert)
    except IntegrityError:
        return 0
    return 1


class BusinessEvent(BaseModel):
    """GET /api/wwi/events item."""

    id: int
    event_type: EventType
    wwi_stock_item_id: int
    stock_item: str
    observed: float
    threshold: float
    detected_at: UtcDateTime
    resolved_at: UtcDateTime | None


def recent_events(
    store: sa.Engine,
    *,
    limit: int,
    offset: int = 0,
    open_only: bool = False,
    event_type: EventType | None = None,
) -> Page[BusinessEvent]:
    """Return one page of events, newest first, and how many match in all."""
    events = wwi_business_events.c
    matching: sa.Select[Any] = sa.select(wwi_business_events)
    if open_only:
        matching = matching.where(events.resolved_at.is_(None))
    if event_type is not None:
        matching = matching.where(events.event_type == event_type.value)
    query = (
        matching.order_by(events.detected_at.desc(), events.id.desc()).limit(limit).offset(offset)
    )
    try:
        with store.connect() as connection:
            items = [
                BusinessEvent.model_validate(row._mapping) for row in connection.execute(query)
            ]
            total = connection.execute(
                sa.select(sa.func.count()).select_from(matching.subquery())
            ).scalar_one()
    except DBAPIError as error:
        raise StoreUnavailable(f"stock events could not be read: {error.orig}") from error
    return Page[BusinessEvent](items=items, limit=limit, offset=offset, total=total)
