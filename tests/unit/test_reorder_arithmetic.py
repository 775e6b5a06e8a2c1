"""The reorder rules on hand-made stock positions: rounding to outers, the urgency
boundaries, the reasons, the sort order, and monotonicity in demand and lead time."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import numpy as np
import pytest

from otelbi.errors import InvalidInput
from otelbi.wwi.reorder import (
    Assumptions,
    StockLevels,
    StockPosition,
    Urgency,
    order_quantities,
    recommend,
    recommend_all,
)
from otelbi.wwi.scenarios import ScenarioRequest, compare

WINDOW = 90


def position(**changes: object) -> StockPosition:
    """Return a well-stocked item (2 a day, 14-day lead time, outers of 12) with `changes`."""
    base = StockPosition(
        wwi_stock_item_id=1,
        stock_item="Tape dispenser (Red)",
        on_hand=1_000,
        reorder_level=20,
        target_level=50,
        lead_time_days=14,
        quantity_per_outer=12,
        last_cost_price=Decimal("2.50"),
        issued_qty=180,
        open_po_qty=0,
    )
    return base._replace(**changes)


def urgency_of(p: StockPosition) -> Urgency:
    return recommend(p, window_days=WINDOW).urgency


@pytest.mark.parametrize(
    ("needed", "per_outer", "expected"),
    [
        (0, 12, 0),
        (-5, 12, 0),
        (0.1, 12, 12),
        (12, 12, 12),
        (12.1, 12, 24),
        (59, 12, 60),
        (7.3, 1, 8),
        (7, 0, 7),  # a missing pack size counts as 1
    ],
)
def test_order_quantity_rounds_up_to_whole_outers(
    needed: float, per_outer: int, expected: int
) -> None:
    quantities = order_quantities(np.array([needed, needed]), np.array([per_outer, 1_000]))
    assert quantities.tolist()[0] == expected


def test_below_reorder_level_is_critical_and_orders_up_to_target_plus_lead_time_demand() -> None:
    item = recommend(position(on_hand=19), window_days=WINDOW)
    assert item.urgency is Urgency.CRITICAL
    assert item.avg_daily_demand == 2.0
    assert item.days_of_cover == 9.5
    assert item.projected_on_hand_at_lead_time == 19 - 2 * 14
    # target 50 + lead-time demand 28 − on hand 19 = 59 → five outers of 12
    assert item.recommended_order_qty == 60
    assert item.order_value == 150.0
    assert item.reason == "on hand 19 ≤ reorder level 20; 9.5 days of cover < 14-day lead time"


def test_on_hand_at_the_reorder_level_is_critical() -> None:
    assert urgency_of(position(on_hand=20, issued_qty=0)) is Urgency.CRITICAL
    assert urgency_of(position(on_hand=21, issued_qty=0)) is Urgency.NORMAL


def test_open_orders_that_cover_the_target_leave_nothing_to_order() -> None:
    item = recommend(position(on_hand=5, open_po_qty=10_000), window_days=WINDOW)
    assert item.urgency is Urgency.CRITICAL
    assert item.recommended_order_qty == 0
    assert item.reason.endswith("; 10,000 on open purchase orders")


@pytest.mark.parametrize(
    ("on_hand", "open_po_qty", "expected"),
    [
        (139, 0, Urgency.CRITICAL),  # 13.9 days of cover < 14, nothing on order
        (140, 0, Urgency.HIGH),  # 14.0 days: not critical; projected 0 ≤ 20
        (100, 1, Urgency.HIGH),  # short of cover, but something is on order
    ],
)
def test_cover_shorter_than_the_lead_time_is_critical_only_with_nothing_on_order(
    on_hand: int, open_po_qty: int, expected: Urgency
) -> None:
    p = position(on_hand=on_hand, open_po_qty=open_po_qty, issued_qty=900)  # 10 a day
    assert urgency_of(p) is expected


@pytest.mark.parametrize(
    ("on_hand", "expected"),
    [
        (48, Urgency.HIGH),  # projected 48 − 28 = 20 = reorder level
        (49, Urgency.NORMAL),  # projected 21: above reorder, below target
        (78, Urgency.NORMAL),  # projected 50 = target level
        (79, Urgency.NONE),  # projected 51 > target level
    ],
)
def test_projection_boundaries(on_hand: int, expected: Urgency) -> None:
    item = recommend(position(on_hand=on_hand), window_days=WINDOW)
    assert item.urgency is expected
    assert (item.recommended_order_qty > 0) is (expected is Urgency.HIGH)


def test_reasons_name_the_deciding_figures() -> None:
    high = recommend(position(on_hand=48), window_days=WINDOW).reason
    assert high == (
        "projected 20 at the 14-day lead time ≤ reorder level 20 "
        "(on hand 48, 0 on open purchase orders, 24 days of cover ≥ 14-day lead time)"
    )
    normal = recommend(position(on_hand=60), window_days=WINDOW).reason
    assert normal == (
        "projected 32 at the 14-day lead time ≤ target level 50 but above reorder level 20: "
        "no order yet"
    )
    idle = recommend(position(issued_qty=0), window_days=WINDOW)
    assert idle.days_of_cover is None
    assert idle.reason == (
        "projected 1,000 at the 14-day lead time > target level 50; no issues in the last 90 days"
    )
    short = recommend(position(on_hand=139, issued_qty=900), window_days=WINDOW).reason
    assert short == "13.9 days of cover < 14-day lead time and nothing on order (on hand 139)"


def test_scenario_changes_demand_and_lead_time_but_never_below_zero_days() -> None:
    p = position(on_hand=100)
    doubled = recommend(p, window_days=WINDOW, assumptions=Assumptions(100, 0))
    assert doubled.avg_daily_demand == 4.0
    no_lead = recommend(p, window_days=WINDOW, assumptions=Assumptions(0, -30))
    assert no_lead.lead_time_days == 0
    assert no_lead.projected_on_hand_at_lead_time == 100


def test_items_are_sorted_by_urgency_then_days_of_cover_with_no_demand_last() -> None:
    levels = StockLevels(
        as_of=dt.date(2016, 5, 31),
        window_days=WINDOW,
        positions=(
            position(wwi_stock_item_id=1),  # none, 500 days of cover
            position(wwi_stock_item_id=2, issued_qty=0),  # none, no demand
            position(wwi_stock_item_id=3, on_hand=60),  # normal
            position(wwi_stock_item_id=4, on_hand=10),  # critical, 5 days
            position(wwi_stock_item_id=5, on_hand=2),  # critical, 1 day
            position(wwi_stock_item_id=6, on_hand=40),  # high
            position(wwi_stock_item_id=7, on_hand=900),  # none, 450 days
        ),
    )
    items = recommend_all(levels).items
    assert [i.wwi_stock_item_id for i in items] == [5, 4, 6, 3, 7, 1, 2]


POSITIONS = [
    position(
        wwi_stock_item_id=n,
        on_hand=on_hand,
        reorder_level=reorder,
        target_level=target,
        issued_qty=issued,
        open_po_qty=open_qty,
        lead_time_days=lead,
        quantity_per_outer=outer,
    )
    for n, (on_hand, (reorder, target), issued, open_qty, lead, outer) in enumerate(
        itertools.product(
            [0, 15, 40, 120, 5_000],
            [(5, 20), (20, 50), (240, 500)],
            [0, 45, 900, 20_000],
            [0, 30, 4_000],
            [2, 14],
            [1, 12],
        )
    )
]
DEMAND_CHANGES = [-90, -50, -10, 0, 10, 50, 100, 500]
LEAD_TIME_CHANGES = [-30, -7, 0, 3, 30, 90]


@pytest.mark.parametrize("lead_time_change", LEAD_TIME_CHANGES)
def test_more_demand_never_lowers_urgency_or_quantity(lead_time_change: int) -> None:
    for p in POSITIONS:
        results = [
            recommend(p, window_days=WINDOW, assumptions=Assumptions(pct, lead_time_change))
            for pct in DEMAND_CHANGES
        ]
        quantities = [r.recommended_order_qty for r in results]
        ranks = [r.urgency.rank for r in results]
        assert quantities == sorted(quantities), p
        assert ranks == sorted(ranks, reverse=True), p


@pytest.mark.parametrize("demand_change", DEMAND_CHANGES)
def test_longer_lead_times_never_lower_urgency_or_quantity(demand_change: int) -> None:
    for p in POSITIONS:
        results = [
            recommend(p, window_days=WINDOW, assumptions=Assumptions(demand_change, days))
            for days in LEAD_TIME_CHANGES
        ]
        quantities = [r.recommended_order_qty for r in results]
        ranks = [r.urgency.rank for r in results]
        assert quantities == sorted(quantities), p
        assert ranks == sorted(ranks, reverse=True), p


def test_quantities_are_whole_outers_and_never_negative() -> None:
    for p in POSITIONS:
        item = recommend(p, window_days=WINDOW, assumptions=Assumptions(50, 7))
        assert item.recommended_order_qty >= 0
        assert item.recommended_order_qty % p.quantity_per_outer == 0


LEVELS = StockLevels(
    as_of=dt.date(2016, 5, 31),
    window_days=WINDOW,
    positions=(
        position(wwi_stock_item_id=1, on_hand=19),  # baseline: 60 to order
        position(wwi_stock_item_id=2, on_hand=60),  # baseline: none to order
        position(wwi_stock_item_id=3),
    ),
)


def test_scenario_summary_compares_with_the_baseline() -> None:
    request = ScenarioRequest(name="busy summer", demand_change_pct=100, lead_time_change_days=0)
    summary, items = compare(LEVELS, request)
    assert summary.baseline.model_dump() == {
        "items_needing_orders": 1,
        "total_order_qty": 60,
        "total_order_value": 150.0,
    }
    # 4 a day: item 1 needs 50 + 56 − 19 = 87 → 96; item 2 projects 60 − 56 = 4 ≤ 20: 46 → 48
    assert summary.scenario.model_dump() == {
        "items_needing_orders": 2,
        "total_order_qty": 144,
        "total_order_value": 360.0,
    }
    assert summary.difference.total_order_qty == 84
    assert {i.wwi_stock_item_id: i.baseline_recommended_order_qty for i in items} == {
        1: 60,
        2: 0,
        3: 0,
    }


def test_scenario_restricted_to_items_and_unknown_ids_named() -> None:
    request = ScenarioRequest(
        name="two", demand_change_pct=0, lead_time_change_days=0, stock_item_ids=[3, 1, 3]
    )
    _, items = compare(LEVELS, request)
    assert sorted(i.wwi_stock_item_id for i in items) == [1, 3]
    unknown = request.model_copy(update={"stock_item_ids": [1, 998, 999]})
    with pytest.raises(InvalidInput, match="998, 999"):
        compare(LEVELS, unknown)


def test_fingerprint_ignores_id_order_and_repeats_but_not_the_changes() -> None:
    first = ScenarioRequest(
        name="x", demand_change_pct=50, lead_time_change_days=0, stock_item_ids=[2, 1]
    )
    same = ScenarioRequest(
        name=" x ", demand_change_pct=50.0, lead_time_change_days=0, stock_item_ids=[1, 2, 2]
    )
    other = first.model_copy(update={"demand_change_pct": 51.0})
    assert first.fingerprint() == same.fingerprint()
    assert first.fingerprint() != other.fingerprint()
