"""The reorder rules run over every item at once in numpy (reorder.py `_outlook`); here each
item's figures are checked against the rules written plainly for one item in Python, on
generated positions and assumptions: the same floats, bit for bit, the same urgency and
order quantity, and the same order of the list."""

from __future__ import annotations

import datetime as dt
import math
import struct
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from otelbi.wwi.reorder import (
    Assumptions,
    ReorderRecommendations,
    StockLevels,
    StockPosition,
    Urgency,
    recommend_all,
)

WINDOW = 90


def _recommend(items: list[StockPosition], a: Assumptions) -> ReorderRecommendations:
    levels = StockLevels(as_of=dt.date(2016, 5, 31), window_days=WINDOW, positions=tuple(items))
    return recommend_all(levels, a)


def _plain(p: StockPosition, a: Assumptions) -> dict[str, object]:
    """The rules for one item, in plain Python (docs/analytics.md)."""
    daily = p.issued_qty * (1 + a.demand_change_pct / 100) / WINDOW
    lead = max(p.lead_time_days + a.lead_time_change_days, 0)
    cover = round(p.on_hand / daily, 1) if daily > 0 else None
    projected = round(p.on_hand + p.open_po_qty - daily * lead, 1)
    if p.on_hand <= p.reorder_level or (p.open_po_qty == 0 and cover is not None and cover < lead):
        urgency = Urgency.CRITICAL
    elif projected <= p.reorder_level:
        urgency = Urgency.HIGH
    elif projected <= p.target_level:
        urgency = Urgency.NORMAL
    else:
        urgency = Urgency.NONE
    outer = max(p.quantity_per_outer, 1)
    needs_order = p.on_hand <= p.reorder_level or projected <= p.reorder_level
    quantity = math.ceil(max(p.target_level - projected, 0.0) / outer) * outer if needs_order else 0
    return {
        "avg_daily_demand": round(daily, 3),
        "lead_time_days": lead,
        "days_of_cover": cover,
        "projected_on_hand_at_lead_time": projected,
        "urgency": urgency,
        "recommended_order_qty": quantity,
    }


def _bits(value: object) -> object:
    """Floats compared by their bits (so -0.0 and 0.0 differ); others as they are."""
    return struct.pack("<d", value) if isinstance(value, float) else value


quantities = st.integers(min_value=0, max_value=50_000)
anywhere = st.builds(
    StockPosition,
    wwi_stock_item_id=st.integers(min_value=1, max_value=10**6),
    stock_item=st.just("Item"),
    on_hand=quantities,
    reorder_level=quantities,
    target_level=quantities,
    lead_time_days=st.integers(min_value=0, max_value=60),
    quantity_per_outer=st.integers(min_value=0, max_value=500),
    last_cost_price=st.decimals(min_value=0, max_value=1_000, places=2).map(Decimal),
    issued_qty=st.integers(min_value=0, max_value=200_000),
    open_po_qty=quantities,
)


@st.composite
def on_a_boundary(draw: st.DrawFn) -> StockPosition:
    """An item whose cover, projection or stock lies on a rule's boundary, or one unit off."""
    daily = draw(st.integers(min_value=0, max_value=50))
    lead = draw(st.integers(min_value=0, max_value=30))
    off = st.integers(min_value=-1, max_value=1)
    on_hand = max(daily * lead + draw(off), 0)
    open_po = draw(st.sampled_from([0, 0, daily, 10]))
    projected = on_hand + open_po - daily * lead
    return StockPosition(
        wwi_stock_item_id=draw(st.integers(min_value=1, max_value=10**6)),
        stock_item="Item",
        on_hand=on_hand,
        reorder_level=max(draw(st.sampled_from([on_hand, projected])) + draw(off), 0),
        target_level=max(projected + draw(off), 0),
        lead_time_days=lead,
        quantity_per_outer=draw(st.sampled_from([0, 1, 12])),
        last_cost_price=Decimal("2.50"),
        issued_qty=daily * WINDOW,
        open_po_qty=open_po,
    )


positions = st.one_of(anywhere, on_a_boundary())
assumptions = st.builds(
    Assumptions,
    demand_change_pct=st.one_of(
        st.just(0.0),
        st.integers(min_value=-100, max_value=500).map(float),
        st.floats(min_value=-100, max_value=500, allow_nan=False),
    ),
    lead_time_change_days=st.one_of(st.just(0), st.integers(min_value=-30, max_value=90)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(positions, min_size=1, max_size=40), assumptions)
def test_every_items_figures_are_those_of_the_rules_for_it_alone(
    items: list[StockPosition], a: Assumptions
) -> None:
    result = _recommend(items, a)
    plain_order = sorted(
        (_plain(p, a) | {"id": p.wwi_stock_item_id} for p in items),
        key=lambda f: (
            list(Urgency).index(f["urgency"]),  # type: ignore[arg-type]
            f["days_of_cover"] is None,
            f["days_of_cover"] or 0.0,
            f["id"],
        ),
    )
    assert [i.wwi_stock_item_id for i in result.items] == [f["id"] for f in plain_order]
    by_id: dict[int, list[dict[str, object]]] = {}
    for item in result.items:
        by_id.setdefault(item.wwi_stock_item_id, []).append(item.model_dump())
    for p in items:
        expected = {k: _bits(v) for k, v in _plain(p, a).items()}
        candidates = [{k: _bits(got[k]) for k in expected} for got in by_id[p.wwi_stock_item_id]]
        assert expected in candidates, (p, a, candidates)


def test_an_item_whose_cover_lies_on_a_half_rounds_as_python_does() -> None:
    # 0.15 days of cover is stored as 0.1499999…: round() gives 0.1, numpy's round 0.2.
    # on_hand / daily = 3 / 20 with 1,800 units issued over 90 days.
    p = StockPosition(1, "Item", 3, 0, 100, 1, 1, Decimal("1.00"), 1_800, 0)
    (item,) = _recommend([p], Assumptions()).items
    assert item.days_of_cover == round(3 / 20, 1) == 0.1
