"""The timeline of the generated history: its bounds (first day, cut-off, last load) and day
arithmetic.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from otelbi.warehouse.generator.wwi.columns import I64, Moments

FIRST_DAY = np.datetime64("2013-01-01", "D")
CUTOFF_DAY = np.datetime64("2016-05-31", "D")
LAST_CALENDAR_DAY = np.datetime64("2016-12-31", "D")
START = np.datetime64("2013-01-01T00:00", "us")
LAST_LOAD = np.datetime64("2016-05-31T23:00", "us")
END_OF_TIME = np.datetime64("9999-12-31T23:59:59.999999", "us")
MINUTE = np.timedelta64(1, "m")


def weekday(days: Moments) -> I64:
    """Return Monday=0 .. Sunday=6."""
    return np.asarray((days.astype("datetime64[D]").astype(np.int64) + 3) % 7, dtype=np.int64)


def later(days: Moments, offset: npt.ArrayLike) -> Moments:
    """Return the days `offset` days later."""
    shifted = days.astype("datetime64[D]") + np.asarray(offset, dtype=np.int64).astype("m8[D]")
    return np.asarray(shifted, dtype="datetime64[D]")


def open_day(days: Moments) -> Moments:
    """Return the day itself, or Monday when it is a Sunday (nobody works on Sundays)."""
    return later(days, weekday(days) == 6)


def next_weekday(days: Moments, day_of_week: int) -> Moments:
    """Return the first day on or after each day that falls on `day_of_week` (Monday=0)."""
    return later(days, (day_of_week - weekday(days)) % 7)


def noon(days: Moments) -> Moments:
    return days.astype("datetime64[D]").astype("datetime64[us]") + np.timedelta64(12, "h")
