"""The sales-KPI shape both domains answer with, and the arithmetic shared between them.

A window is the `days` days ending at `as_of` (the last sales date in the warehouse); the
previous window is the same span one calendar year earlier. Each block holds revenue,
orders, average order value, units, gross margin and margin %; `change_pct` is the
relative change from the previous block, null where the previous value is zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True)
class KpiWindows:
    """The current and the previous (a year earlier) date windows."""

    as_of: dt.date
    days: int

    @property
    def current_start(self) -> dt.date:
        """Return the first day of the current window."""
        return self.as_of - dt.timedelta(days=self.days - 1)

    @property
    def previous_end(self) -> dt.date:
        """Return the last day of the previous window: `as_of` one calendar year earlier."""
        try:
            return self.as_of.replace(year=self.as_of.year - 1)
        except ValueError:  # 29 February
            return self.as_of.replace(year=self.as_of.year - 1, day=28)

    @property
    def previous_start(self) -> dt.date:
        """Return the first day of the previous window."""
        return self.previous_end - dt.timedelta(days=self.days - 1)


class KpiBlock(BaseModel):
    """Sales figures of one window."""

    revenue: float
    orders: int
    average_order_value: float | None
    units: int
    gross_margin: float
    gross_margin_pct: float | None

    @classmethod
    def from_sums(
        cls, *, revenue: Decimal | float, orders: int, units: int, gross_margin: Decimal | float
    ) -> KpiBlock:
        """Return the block for summed revenue, order count, units and gross margin."""
        revenue_f = float(revenue)
        margin_f = float(gross_margin)
        return cls(
            revenue=round(revenue_f, 2),
            orders=int(orders),
            average_order_value=round(revenue_f / orders, 2) if orders else None,
            units=int(units),
            gross_margin=round(margin_f, 2),
            gross_margin_pct=round(100 * margin_f / revenue_f, 2) if revenue_f else None,
        )

    @classmethod
    def from_totals(cls, row: Any) -> KpiBlock:
        """Return the block for a warehouse row of revenue, orders, units and gross_margin sums."""
        return cls.from_sums(
            revenue=row.revenue or 0,
            orders=row.orders,
            units=row.units or 0,
            gross_margin=row.gross_margin or 0,
        )


EMPTY_BLOCK = KpiBlock.from_sums(revenue=0, orders=0, units=0, gross_margin=0)


class KpiComparison(BaseModel):
    """A window's block, the previous year's, and the relative change in percent."""

    total: KpiBlock
    previous: KpiBlock
    change_pct: dict[str, float | None]

    @classmethod
    def of(cls, current: KpiBlock, previous: KpiBlock) -> KpiComparison:
        """Return the comparison of `current` with `previous`."""
        return cls(total=current, previous=previous, change_pct=change_pct(current, previous))


def change_pct(current: KpiBlock, previous: KpiBlock) -> dict[str, float | None]:
    """Return 100 × (current − previous) ÷ |previous| per field; None where previous is 0."""
    changes: dict[str, float | None] = {}
    for field in KpiBlock.model_fields:
        now, before = getattr(current, field), getattr(previous, field)
        if now is None or not before:
            changes[field] = None
        else:
            changes[field] = round(100 * (now - before) / abs(before), 2)
    return changes


class SalesKpis(KpiComparison):
    """GET /api/<domain>/sales/kpis."""

    as_of: dt.date
    window_days: int


class AwSalesKpis(SalesKpis):
    """AdventureWorks KPIs with the internet and reseller channels side by side."""

    channels: dict[str, KpiComparison]
