"""Stock events on the real write store: opened once per crossing, resolved on recovery."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from otelbi.settings import Settings
from otelbi.store.engine import create_store_engine
from otelbi.store.migrate import upgrade_to_head
from otelbi.store.tables import wwi_business_events
from otelbi.wwi.reorder import StockPosition
from otelbi.wwi.stock_events import (
    OVERSTOCK_FACTOR,
    EventType,
    breaches,
    detect_events,
    recent_events,
)

T0 = dt.datetime(2026, 11, 28, 10, 30, tzinfo=dt.UTC)


@pytest.fixture(params=["postgresql", "sqlite"])
def store(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[sa.Engine]:
    if request.param == "postgresql":
        monkeypatch.setenv("POSTGRES_URL", request.getfixturevalue("postgres_url"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    engine = create_store_engine(Settings(env_file=None))
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


def _position(on_hand: int, item: int = 7) -> StockPosition:
    return StockPosition(
        wwi_stock_item_id=item,
        stock_item=f"item {item}",
        on_hand=on_hand,
        reorder_level=20,
        target_level=40,
        lead_time_days=14,
        quantity_per_outer=12,
        last_cost_price=Decimal("2.50"),
        issued_qty=0,
        open_po_qty=0,
    )


@pytest.mark.parametrize(
    ("on_hand", "expected"),
    [
        (0, {EventType.STOCKOUT, EventType.BELOW_REORDER_LEVEL}),
        (19, {EventType.BELOW_REORDER_LEVEL}),
        (20, set()),
        (40 * OVERSTOCK_FACTOR, set()),
        (40 * OVERSTOCK_FACTOR + 1, {EventType.OVERSTOCK}),
    ],
)
def test_thresholds(on_hand: int, expected: set[EventType]) -> None:
    assert set(breaches(_position(on_hand))) == expected


def test_an_event_opens_once_and_resolves_when_stock_recovers(store: sa.Engine) -> None:
    first = detect_events(store, [_position(5), _position(30, item=8)], now=T0, execution_id=1)
    assert (first.opened, first.resolved) == (1, 0)
    again = detect_events(store, [_position(3)], now=T0 + dt.timedelta(hours=1), execution_id=2)
    assert (again.opened, again.resolved) == (0, 0)
    (event,) = recent_events(store, limit=10, open_only=True).items
    assert (event.event_type, event.wwi_stock_item_id, event.observed, event.threshold) == (
        EventType.BELOW_REORDER_LEVEL,
        7,
        5.0,
        20.0,
    )
    back = detect_events(store, [_position(25)], now=T0 + dt.timedelta(hours=2), execution_id=3)
    assert (back.opened, back.resolved) == (0, 1)
    assert recent_events(store, limit=10, open_only=True).items == []
    newest, oldest = recent_events(store, limit=10).items
    assert newest.event_type is EventType.RECOVERED
    assert newest.observed == 25.0
    assert oldest.resolved_at is not None
    assert oldest.resolved_at.replace(tzinfo=dt.UTC) == T0 + dt.timedelta(hours=2)


def test_a_new_crossing_after_recovery_opens_a_new_event(store: sa.Engine) -> None:
    for hour, on_hand in enumerate([5, 25, 0]):
        detect_events(
            store, [_position(on_hand)], now=T0 + dt.timedelta(hours=hour), execution_id=None
        )
    open_types = {
        event.event_type for event in recent_events(store, limit=10, open_only=True).items
    }
    assert open_types == {EventType.STOCKOUT, EventType.BELOW_REORDER_LEVEL}
    assert recent_events(store, limit=10, event_type=EventType.BELOW_REORDER_LEVEL).total == 2


def test_the_store_refuses_a_second_open_event_of_a_kind(store: sa.Engine) -> None:
    detect_events(store, [_position(5)], now=T0, execution_id=None)
    row = {
        "event_type": "below_reorder_level",
        "wwi_stock_item_id": 7,
        "stock_item": "item 7",
        "observed": 4.0,
        "threshold": 20.0,
        "detected_at": T0,
    }
    with pytest.raises(sa.exc.IntegrityError), store.begin() as connection:
        connection.execute(wwi_business_events.insert().values(**row))
