"""FactSalesQuota: a quota per sales person and period, set from what the person sold."""

from __future__ import annotations

import numpy as np

from otelbi.warehouse import aw_tables
from otelbi.warehouse.generator.aw.columns import MONEY, Columns, money
from otelbi.warehouse.generator.aw.dates import date_keys, days_from_keys, parse_days
from otelbi.warehouse.generator.aw.employees import read_sales_reps
from otelbi.warehouse.generator.aw.run import Run

# One quota per rep and period; a period starts on its DateKey. In 2011 the periods start
# on 07-01 and 09-29, so the calendar quarters read Q3 twice and no Q2, as in the real table.
_QUOTA_DAYS = parse_days(
    "2010-12-29", "2011-03-31", "2011-07-01", "2011-09-29", "2011-12-29", "2012-03-30",
    "2012-06-30", "2012-09-28", "2012-12-28", "2013-03-30", "2013-06-30", "2013-09-29",
)  # fmt: skip
_ATTAINMENT = (0.85, 0.3)  # median of actual / quota, and the spread of its logarithm


def quota_columns(run: Run) -> Columns:
    rng = run.rng(aw_tables.fact_sales_quota)
    reps = read_sales_reps(run)
    sold = run.query(
        "SELECT EmployeeKey AS rep, OrderDateKey AS day_key,"
        " CAST(round(sum(SalesAmount) * 10000) AS BIGINT) AS amount"
        " FROM dbo.FactResellerSales GROUP BY ALL ORDER BY ALL"
    )
    if reps["key"].size == 0:
        raise ValueError("DimEmployee has no sales reps; fill it before FactSalesQuota")
    periods = len(_QUOTA_DAYS)
    actual = np.zeros((len(reps["key"]), periods))
    rep = np.minimum(np.searchsorted(reps["key"], sold["rep"]), len(reps["key"]) - 1)
    period = np.searchsorted(_QUOTA_DAYS, days_from_keys(sold["day_key"]), side="right") - 1
    known = (period >= 0) & (reps["key"][rep] == sold["rep"])
    np.add.at(actual, (rep[known], period[known]), sold["amount"][known] / MONEY)
    # Representatives get quotas from the period they are hired in, managers from the next.
    start = np.where(
        reps["manager"],
        np.searchsorted(_QUOTA_DAYS, reps["hired"], side="left"),
        np.searchsorted(_QUOTA_DAYS, reps["hired"], side="right") - 1,
    ).clip(0, periods - 1)
    period_of, rep_of = np.nonzero(np.arange(periods)[:, None] >= start[None, :])
    achieved = actual[rep_of, period_of]
    attainment = np.exp(rng.normal(np.log(_ATTAINMENT[0]), _ATTAINMENT[1], len(rep_of)))
    thousands = np.where(
        achieved > 0,
        np.maximum(np.rint(achieved / attainment / 1000), 1),
        rng.integers(1, 100, len(rep_of)),
    )
    day = _QUOTA_DAYS[period_of]
    month = day.astype("datetime64[M]").astype(np.int64) % 12 + 1
    return {
        "SalesQuotaKey": np.arange(1, len(rep_of) + 1),
        "EmployeeKey": reps["key"][rep_of],
        "DateKey": date_keys(day),
        "CalendarYear": day.astype("datetime64[Y]").astype(np.int64) + 1970,
        "CalendarQuarter": (month - 1) // 3 + 1,
        "SalesAmountQuota": money(thousands * 1000),
        "Date": day,
    }
