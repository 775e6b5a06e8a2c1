"""How much happens on which day: the trading days' share of activity, and counts that
follow `scale`.
"""

from __future__ import annotations

import numpy as np

from otelbi.warehouse.generator.wwi.columns import F64, Moments
from otelbi.warehouse.generator.wwi.timeline import CUTOFF_DAY, FIRST_DAY, weekday


def trading_days() -> tuple[Moments, F64]:
    """Return the days with activity and their share of it (weekdays, a quieter Saturday)."""
    days = np.arange(FIRST_DAY, CUTOFF_DAY + 1, dtype="datetime64[D]")
    by_weekday = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.4, 0.0])
    years = (days - FIRST_DAY).astype(np.float64) / 365.25
    weight = by_weekday[weekday(days)] * (1.0 + 0.07 * years)
    return days, weight / weight.sum()


def scaled(count_at_scale_1: int, scale: float, least: int) -> int:
    return max(round(count_at_scale_1 * scale), least)
