"""Reorder recommendations from stock positions: the arithmetic and the response models.

Pure: no warehouse, no store. The baseline view, the hourly snapshot and the what-if
scenarios all call `recommend_all`, so a scenario differs from the baseline only by its
`Assumptions`. Every rule is monotone in demand and in lead time: more demand or a longer
lead time never lowers the urgency or the recommended quantity (docs/analytics.md).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from pydantic import BaseModel, TypeAdapter


class Urgency(StrEnum):
    """How soon an item needs ordering, most urgent first."""

    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"
    NONE = "none"

    @property
    def rank(self) -> int:
        """Return 0 for critical … 3 for none (the sort order)."""
        return _RANKS[self]


_RANKS = {urgency: rank for rank, urgency in enumerate(Urgency)}


class StockPosition(NamedTuple):
    """One stock item's stock, supply terms and recent issues, as read from the warehouse.

    A named tuple: the view builds one per stock item on every call, three times faster
    than a frozen dataclass.
    """

    wwi_stock_item_id: int
    stock_item: str
    on_hand: int
    reorder_level: int
    target_level: int
    lead_time_days: int
    quantity_per_outer: int
    last_cost_price: Decimal
    issued_qty: int  # units issued over the demand window
    open_po_qty: int  # units on unfinalized purchase lines


@dataclass(frozen=True)
class StockLevels:
    """Every stock item's position at `as_of`, with demand over `window_days` ending then."""

    as_of: dt.date
    window_days: int
    positions: tuple[StockPosition, ...]


@dataclass(frozen=True)
class Assumptions:
    """What a scenario changes: demand by a percentage, lead times by a number of days."""

    demand_change_pct: float = 0.0
    lead_time_change_days: int = 0


BASELINE = Assumptions()


class ReorderFigures(BaseModel):
    """The figures of one item's recommendation that the hourly snapshot stores."""

    wwi_stock_item_id: int
    stock_item: str
    on_hand: int
    reorder_level: int
    target_level: int
    lead_time_days: int
    avg_daily_demand: float
    days_of_cover: float | None
    projected_on_hand_at_lead_time: float
    recommended_order_qty: int
    open_po_qty: int
    urgency: Urgency
    reason: str


class ReorderRecommendation(ReorderFigures):
    """One item's recommendation, with the pack size and the order's value at last cost."""

    quantity_per_outer: int
    last_cost_price: float
    order_value: float


class ReorderRecommendations(BaseModel):
    """GET /api/wwi/stock/recommendations: items sorted by urgency, then days of cover."""

    as_of: dt.date
    demand_window_days: int
    items: list[ReorderRecommendation]


def _n(value: float) -> str:
    """Return a figure as the reasons print it: integers whole, others to one decimal (the
    figures are finite)."""
    whole = int(value)
    return f"{whole:,}" if whole == value else f"{value:,.1f}"


class _Outlook(NamedTuple):
    """An item's demand and stock over its lead time, under one set of assumptions."""

    daily_demand: float
    lead_time_days: int
    days_of_cover: float | None
    projected: float  # on hand + open purchase orders − lead-time demand


def _outlook(p: StockPosition, window_days: int, assumptions: Assumptions) -> _Outlook:
    # Rounded to one decimal before the rules compare them, so that the reason shows exactly
    # the figures that decided.
    daily = p.issued_qty * (1 + assumptions.demand_change_pct / 100) / window_days
    lead = max(p.lead_time_days + assumptions.lead_time_change_days, 0)
    return _Outlook(
        daily,
        lead,
        round(p.on_hand / daily, 1) if daily > 0 else None,
        round(p.on_hand + p.open_po_qty - daily * lead, 1),
    )


def _urgency(p: StockPosition, o: _Outlook) -> Urgency:
    cover = o.days_of_cover
    nothing_on_order = p.open_po_qty == 0
    if p.on_hand <= p.reorder_level or (
        nothing_on_order and cover is not None and cover < o.lead_time_days
    ):
        return Urgency.CRITICAL
    if o.projected <= p.reorder_level:
        return Urgency.HIGH
    if o.projected <= p.target_level:
        return Urgency.NORMAL
    return Urgency.NONE


def _reason(p: StockPosition, o: _Outlook, urgency: Urgency, window_days: int) -> str:
    # Each urgency's sentence builds only the phrases it shows (this runs for every item on
    # every call of the view and of each what-if scenario).
    lead = o.lead_time_days
    if urgency is Urgency.CRITICAL:
        cover = _cover_text(o, window_days)
        if p.on_hand > p.reorder_level:
            return f"{cover} and nothing on order (on hand {_n(p.on_hand)})"
        reason = f"on hand {_n(p.on_hand)} ≤ reorder level {_n(p.reorder_level)}; {cover}"
        return f"{reason}; {_on_order(p)}" if p.open_po_qty else reason
    at_lead_time = f"projected {_n(o.projected)} at the {lead}-day lead time"
    if urgency is Urgency.HIGH:
        return (
            f"{at_lead_time} ≤ reorder level {_n(p.reorder_level)} "
            f"(on hand {_n(p.on_hand)}, {_on_order(p)}, {_cover_text(o, window_days)})"
        )
    if p.open_po_qty:
        at_lead_time += f" (with {_on_order(p)})"
    if urgency is Urgency.NORMAL:
        return (
            f"{at_lead_time} ≤ target level {_n(p.target_level)} but above reorder level "
            f"{_n(p.reorder_level)}: no order yet"
        )
    return f"{at_lead_time} > target level {_n(p.target_level)}; {_cover_text(o, window_days)}"


def _cover_text(o: _Outlook, window_days: int) -> str:
    cover, lead = o.days_of_cover, o.lead_time_days
    if cover is None:
        return f"no issues in the last {window_days} days"
    return f"{_n(cover)} days of cover {'<' if cover < lead else '≥'} {lead}-day lead time"


def _on_order(p: StockPosition) -> str:
    return f"{_n(p.open_po_qty)} on open purchase orders"


def order_quantity(*, needed: float, quantity_per_outer: int) -> int:
    """Return `needed` units rounded up to whole outers (0 when nothing is needed)."""
    outer = max(quantity_per_outer, 1)
    return math.ceil(max(needed, 0.0) / outer) * outer


def recommend(
    position: StockPosition, *, window_days: int, assumptions: Assumptions = BASELINE
) -> ReorderRecommendation:
    """Return the recommendation for one item under `assumptions`.

    Open purchase orders count as arriving within the lead time.
    """
    return ReorderRecommendation.model_validate(_figures(position, window_days, assumptions))


def _figures(p: StockPosition, window_days: int, assumptions: Assumptions) -> dict[str, Any]:
    """Return the fields of `p`'s recommendation (`recommend`), not yet validated."""
    o = _outlook(p, window_days, assumptions)
    urgency = _urgency(p, o)
    needs_order = p.on_hand <= p.reorder_level or o.projected <= p.reorder_level
    # Up to target at the end of the lead time: target + lead-time demand − (on hand + open).
    quantity = (
        order_quantity(needed=p.target_level - o.projected, quantity_per_outer=p.quantity_per_outer)
        if needs_order
        else 0
    )
    return {
        "wwi_stock_item_id": p.wwi_stock_item_id,
        "stock_item": p.stock_item,
        "on_hand": p.on_hand,
        "reorder_level": p.reorder_level,
        "target_level": p.target_level,
        "lead_time_days": o.lead_time_days,
        "avg_daily_demand": round(o.daily_demand, 3),
        "days_of_cover": o.days_of_cover,
        "projected_on_hand_at_lead_time": o.projected,
        "recommended_order_qty": quantity,
        "open_po_qty": p.open_po_qty,
        "urgency": urgency,
        "reason": _reason(p, o, urgency, window_days),
        "quantity_per_outer": p.quantity_per_outer,
        "last_cost_price": float(p.last_cost_price),
        "order_value": float(round(quantity * p.last_cost_price, 2)) if quantity else 0.0,
    }


def sort_key(item: ReorderFigures) -> tuple[int, bool, float, int]:
    """Return the order of the list: urgency, then days of cover (no demand last), then id."""
    cover = item.days_of_cover
    return (item.urgency.rank, cover is None, cover or 0.0, item.wwi_stock_item_id)


_RECOMMENDATIONS = TypeAdapter(list[ReorderRecommendation])
"""Validates a whole list at once: half the time of one model at a time."""


def recommend_all(
    levels: StockLevels, assumptions: Assumptions = BASELINE
) -> ReorderRecommendations:
    """Return every item's recommendation under `assumptions`, most urgent first."""
    items = _RECOMMENDATIONS.validate_python(
        [_figures(position, levels.window_days, assumptions) for position in levels.positions]
    )
    return ReorderRecommendations(
        as_of=levels.as_of,
        demand_window_days=levels.window_days,
        items=sorted(items, key=sort_key),
    )
