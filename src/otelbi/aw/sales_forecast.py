"""GET /api/aw/sales/forecast: the daily internet-revenue forecast.

Internet sales arrive nearly every day, so they make a daily series worth forecasting;
reseller sales come in monthly batches and are not part of it. The series is the sum of
FactInternetSales.SalesAmount per order day, summed in the warehouse (one grouped scan of
that fact alone), zero-filled from the first internet sale to `as_of` (the last sales date);
the model is in `forecast_model`.
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import sqlalchemy as sa
from pydantic import BaseModel, Field

from otelbi.aw.forecast_model import BacktestSummary, DailyForecast, forecast_daily
from otelbi.aw.sales_kpis import AS_OF, CHANNELS, date_key, date_of_key
from otelbi.domains import Domain
from otelbi.errors import InvalidInput
from otelbi.telemetry import traced_view
from otelbi.warehouse.catalog import declare

HISTORY_YEARS = 10
"""How far back the series reaches; the model itself picks the window it fits on."""

SERIES = "internet_revenue"
_EPOCH = dt.date(1970, 1, 1)
"""Day 0 of the series' day numbers (`_day_numbers`)."""
FITTED_FORECASTS_KEPT = 32
"""Fitted forecasts kept in memory (a few kB each): one per series, as_of and horizon."""


_internet = CHANNELS["internet"]
INTERNET_DAILY_REVENUE = declare(
    "aw.sales.internet_daily_revenue",
    Domain.AW,
    sa.select(
        _internet.c.OrderDateKey.label("date_key"),
        # A float: the series is float64, and DuckDB hands doubles over faster than decimals.
        sa.cast(sa.func.sum(_internet.c.SalesAmount), sa.Double).label("internet_revenue"),
    )
    .where(_internet.c.OrderDateKey.between(sa.bindparam("start_key"), sa.bindparam("end_key")))
    .group_by(_internet.c.OrderDateKey),
)
"""Internet revenue per order day between two date keys (days without sales have no row)."""


class ForecastPointOut(BaseModel):
    """One forecast day with its 80% prediction interval, in currency units to the cent."""

    date: dt.date
    forecast: float
    lower: float
    upper: float


class ForecastBacktest(BaseModel):
    """The model against seasonal-naive-7 on `folds` stretches of `horizon_days` days before
    `as_of`, all since the latest level break; no figures (`folds` 0) when the history since
    the break is too short, and then `note` says so. Percentages to one decimal."""

    horizon_days: int
    folds: int
    mape: float | None
    smape: float | None
    baseline_smape: float | None
    coverage_pct: float | None
    note: str | None = Field(
        description="Why the figures are missing or what they warn of, in a sentence."
    )


class SalesForecast(BaseModel):
    """GET /api/aw/sales/forecast."""

    as_of: dt.date
    series: str
    method: str
    window_days: int
    points: list[ForecastPointOut]
    backtest: ForecastBacktest


def internet_revenue_series(connection: sa.Connection) -> tuple[dt.date, np.ndarray] | None:
    """Return `as_of` and the zero-filled daily internet revenue up to it (None if no sales)."""
    as_of_key = AS_OF.rows(connection)[0].as_of_key
    if as_of_key is None:
        return None
    as_of = date_of_key(as_of_key)
    rows = INTERNET_DAILY_REVENUE.rows(
        connection, start_key=date_key(_years_before(as_of, HISTORY_YEARS)), end_key=as_of_key
    )
    # Unpacked as tuples: reading each Row's columns by name costs nine times as much (0.9
    # against 0.1 ms for the 1,127 days of the generated scale-1 warehouse).
    date_keys, sums = zip(*rows, strict=True) if rows else ((), ())
    days = _day_numbers(np.array(date_keys, dtype=np.int64))
    revenue = np.nan_to_num(np.array(sums, dtype=np.float64), nan=0.0)  # a NULL sum: no sales
    selling = revenue > 0
    if not selling.any():
        return None
    first = int(days[selling].min())
    series = np.zeros((as_of - _EPOCH).days - first + 1, dtype=np.float64)
    kept = days >= first
    series[days[kept] - first] = revenue[kept]
    return as_of, series


def _day_numbers(date_keys: np.ndarray) -> np.ndarray:
    """Return the days since 1970-01-01 of yyyymmdd date keys."""
    months = (date_keys // 10000 - 1970) * 12 + date_keys // 100 % 100 - 1
    first_days = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    day_numbers: np.ndarray = first_days + date_keys % 100 - 1
    return day_numbers


def _years_before(day: dt.date, years: int) -> dt.date:
    """Return the same calendar day `years` earlier (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@functools.lru_cache(maxsize=FITTED_FORECASTS_KEPT)
def fitted_forecast(series: bytes, as_of: dt.date, horizon_days: int) -> DailyForecast:
    """Return `forecast_daily` of the daily series held in `series` (float64 bytes).

    Choosing and fitting the model (rolling backtests of every candidate) is most of a
    forecast call, and its result depends on nothing but these arguments: it is computed once
    per series, as_of and horizon. Keyed by the series' own values, a changed warehouse is a
    new key by construction — nothing here can be stale.
    """
    return forecast_daily(np.frombuffer(series, dtype=np.float64), as_of, horizon_days)


@traced_view(Domain.AW, "sales_forecast", rows=lambda forecast: len(forecast.points))
def sales_forecast(connection: sa.Connection, *, horizon_days: int) -> SalesForecast | None:
    """Return the forecast of the `horizon_days` days after `as_of`, or None without sales."""
    found = internet_revenue_series(connection)
    if found is None:
        return None
    as_of, series = found
    try:
        forecast = fitted_forecast(series.tobytes(), as_of, horizon_days)
    except ValueError as error:
        raise InvalidInput(str(error)) from error
    return SalesForecast(
        as_of=as_of,
        series=SERIES,
        method=forecast.method,
        window_days=forecast.window_days,
        points=[
            ForecastPointOut(
                date=point.date,
                forecast=round(point.forecast, 2),
                lower=round(point.lower, 2),
                upper=round(point.upper, 2),
            )
            for point in forecast.points
        ],
        backtest=_published(forecast.backtest),
    )


def _published(backtest: BacktestSummary) -> ForecastBacktest:
    """Return the backtest as published: percentages to one decimal."""
    return ForecastBacktest(
        horizon_days=backtest.horizon_days,
        folds=backtest.folds,
        mape=_percent(backtest.mape),
        smape=_percent(backtest.smape),
        baseline_smape=_percent(backtest.baseline_smape),
        coverage_pct=_percent(backtest.coverage_pct),
        note=backtest.note,
    )


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
