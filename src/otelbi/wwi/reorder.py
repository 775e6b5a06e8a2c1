"""Reorder recommendations from stock positions: the arithmetic and the response models.

Pure: no warehouse, no store. The baseline view, the hourly snapshot and the what-if
scenarios all call `recommend_all`, so a scenario differs from the baseline only by its
`Assumptions`. Every rule is monotone in demand and in lead time: more demand or a longer
lead time never lowers the urgency or the recommended quantity (docs/analytics.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, TypeAdapter

from otelbi.python_rounding import rounded


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
    """Every item's demand, stock and order over its lead time under one set of assumptions:
    one list a figure, in the list's order (`order`)."""

    order: list[int]
    """The positions' indexes in the list's order: urgency, then days of cover (no demand
    last), then id."""
    avg_daily_demand: list[float]  # to 3 decimals
    lead_time_days: list[int]
    days_of_cover: list[float | None]
    projected: list[float]  # on hand + open purchase orders − lead-time demand
    urgency: list[Urgency]
    order_qty: list[int]


def _outlook(
    positions: Sequence[StockPosition], window_days: int, assumptions: Assumptions
) -> _Outlook:
    """Return every item's outlook, urgency and order quantity, computed for all at once.

    Each figure is what Python's float arithmetic and `round` give for the item alone: the
    same operations in the same order, and `rounded` (python_rounding.py) for `round`.
    """
    columns = dict(zip(StockPosition._fields, zip(*positions, strict=True), strict=True))

    def integers(name: str) -> npt.NDArray[np.int64]:
        return np.array(columns[name], dtype=np.int64)

    on_hand, open_po = integers("on_hand"), integers("open_po_qty")
    reorder_level, target_level = integers("reorder_level"), integers("target_level")
    daily = integers("issued_qty") * (1 + assumptions.demand_change_pct / 100) / window_days
    lead = np.maximum(integers("lead_time_days") + assumptions.lead_time_change_days, 0)
    demanded = daily > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        cover_or_nan = np.where(demanded, on_hand / daily, np.nan)
    # Rounded to one decimal before the rules compare them, so that the reason shows exactly
    # the figures that decided.
    cover = np.array(rounded(cover_or_nan, 1))
    projected = np.array(rounded(on_hand + open_po - daily * lead, 1))
    below_reorder_level = on_hand <= reorder_level
    critical = below_reorder_level | ((open_po == 0) & demanded & (cover < lead))
    high = ~critical & (projected <= reorder_level)
    normal = ~critical & ~high & (projected <= target_level)
    urgency_ranks = np.select(
        [critical, high, normal],
        [Urgency.CRITICAL.rank, Urgency.HIGH.rank, Urgency.NORMAL.rank],
        default=Urgency.NONE.rank,
    )
    # Up to target at the end of the lead time: target + lead-time demand − (on hand + open),
    # for an item at or below its reorder level now or then.
    quantity = np.where(
        below_reorder_level | (projected <= reorder_level),
        order_quantities(target_level - projected, integers("quantity_per_outer")),
        0,
    )
    # lexsort's last key sorts first; it is stable, as `sorted` is.
    order = np.lexsort(
        (integers("wwi_stock_item_id"), np.where(demanded, cover, 0.0), ~demanded, urgency_ranks)
    )
    urgencies = tuple(Urgency)  # by rank
    return _Outlook(
        order=order.tolist(),
        avg_daily_demand=rounded(daily[order], 3),
        lead_time_days=lead[order].tolist(),
        days_of_cover=[
            c if d else None
            for c, d in zip(cover[order].tolist(), demanded[order].tolist(), strict=True)
        ],
        projected=projected[order].tolist(),
        urgency=[urgencies[rank] for rank in urgency_ranks[order].tolist()],
        order_qty=quantity[order].tolist(),
    )


def _reason(
    p: StockPosition,
    *,
    lead: int,
    cover: float | None,
    projected: float,
    urgency: Urgency,
    window_days: int,
) -> str:
    # Each urgency's sentence builds only the phrases it shows (this runs for every item on
    # every call of the view and of each what-if scenario).
    if urgency is Urgency.CRITICAL:
        cover_text = _cover_text(cover, lead, window_days)
        if p.on_hand > p.reorder_level:
            return f"{cover_text} and nothing on order (on hand {_n(p.on_hand)})"
        reason = f"on hand {_n(p.on_hand)} ≤ reorder level {_n(p.reorder_level)}; {cover_text}"
        return f"{reason}; {_on_order(p)}" if p.open_po_qty else reason
    at_lead_time = f"projected {_n(projected)} at the {lead}-day lead time"
    if urgency is Urgency.HIGH:
        return (
            f"{at_lead_time} ≤ reorder level {_n(p.reorder_level)} "
            f"(on hand {_n(p.on_hand)}, {_on_order(p)}, {_cover_text(cover, lead, window_days)})"
        )
    if p.open_po_qty:
        at_lead_time += f" (with {_on_order(p)})"
    if urgency is Urgency.NORMAL:
        return (
            f"{at_lead_time} ≤ target level {_n(p.target_level)} but above reorder level "
            f"{_n(p.reorder_level)}: no order yet"
        )
    return (
        f"{at_lead_time} > target level {_n(p.target_level)}; "
        f"{_cover_text(cover, lead, window_days)}"
    )


def _cover_text(cover: float | None, lead: int, window_days: int) -> str:
    if cover is None:
        return f"no issues in the last {window_days} days"
    return f"{_n(cover)} days of cover {'<' if cover < lead else '≥'} {lead}-day lead time"


def _on_order(p: StockPosition) -> str:
    return f"{_n(p.open_po_qty)} on open purchase orders"


def order_quantities(
    needed: npt.NDArray[np.float64], quantity_per_outer: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Return each `needed` number of units rounded up to whole outers (0 where nothing is
    needed; a pack size under 1 counts as 1)."""
    outer = np.maximum(quantity_per_outer, 1)
    quantities: npt.NDArray[np.int64] = np.ceil(np.maximum(needed, 0.0) / outer).astype(np.int64)
    return quantities * outer


def recommend(
    position: StockPosition, *, window_days: int, assumptions: Assumptions = BASELINE
) -> ReorderRecommendation:
    """Return the recommendation for one item under `assumptions`.

    Open purchase orders count as arriving within the lead time.
    """
    return ReorderRecommendation.model_validate(_figures([position], window_days, assumptions)[0])


def _figures(
    positions: Sequence[StockPosition], window_days: int, assumptions: Assumptions
) -> list[dict[str, Any]]:
    """Return the fields of each position's recommendation (`recommend`), not yet validated,
    most urgent first."""
    if not positions:
        return []
    o = _outlook(positions, window_days, assumptions)
    return [
        {
            "wwi_stock_item_id": p.wwi_stock_item_id,
            "stock_item": p.stock_item,
            "on_hand": p.on_hand,
            "reorder_level": p.reorder_level,
            "target_level": p.target_level,
            "lead_time_days": lead,
            "avg_daily_demand": daily,
            "days_of_cover": cover,
            "projected_on_hand_at_lead_time": projected,
            "recommended_order_qty": quantity,
            "open_po_qty": p.open_po_qty,
            "urgency": urgency,
            "reason": _reason(
                p,
                lead=lead,
                cover=cover,
                projected=projected,
                urgency=urgency,
                window_days=window_days,
            ),
            "quantity_per_outer": p.quantity_per_outer,
            "last_cost_price": float(p.last_cost_price),
            "order_value": float(round(quantity * p.last_cost_price, 2)) if quantity else 0.0,
        }
        for p, lead, daily, cover, projected, urgency, quantity in zip(
            [positions[index] for index in o.order],
            o.lead_time_days,
            o.avg_daily_demand,
            o.days_of_cover,
            o.projected,
            o.urgency,
            o.order_qty,
            strict=True,
        )
    ]


_RECOMMENDATIONS = TypeAdapter(list[ReorderRecommendation])
"""Validates a whole list at once: half the time of one model at a time."""


def recommend_all(
    levels: StockLevels, assumptions: Assumptions = BASELINE
) -> ReorderRecommendations:
    """Return every item's recommendation under `assumptions`, most urgent first."""
    items = _RECOMMENDATIONS.validate_python(
        _figures(levels.positions, levels.window_days, assumptions)
    )
    return ReorderRecommendations(
        as_of=levels.as_of, demand_window_days=levels.window_days, items=items
    )
