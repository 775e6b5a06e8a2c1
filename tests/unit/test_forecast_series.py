"""The forecast's daily series: date keys turned into day numbers in one pass (numpy), and
ten years back from any last sales date, 29 February included."""

from __future__ import annotations

import datetime as dt

import numpy as np

from otelbi.aw.sales_forecast import _day_numbers, _years_before
from otelbi.aw.sales_kpis import date_key

EPOCH = dt.date(1970, 1, 1)


def test_day_numbers_match_the_calendar_on_every_day_of_three_centuries() -> None:
    days = [dt.date(1900, 1, 1) + dt.timedelta(days=n) for n in range(365 * 300 + 73)]
    keys = np.array([date_key(day) for day in days], dtype=np.int64)
    assert _day_numbers(keys).tolist() == [(day - EPOCH).days for day in days]


def test_ten_years_before_a_leap_day_is_the_28th() -> None:
    assert _years_before(dt.date(2024, 2, 29), 10) == dt.date(2014, 2, 28)
    assert _years_before(dt.date(2024, 2, 29), 4) == dt.date(2020, 2, 29)
    assert _years_before(dt.date(2014, 1, 28), 10) == dt.date(2004, 1, 28)
