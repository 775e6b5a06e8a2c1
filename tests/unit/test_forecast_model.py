"""The daily revenue forecast on seeded synthetic series and on the real AdventureWorks data."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt
import pytest

from otelbi.aw.forecast_model import DailyForecast, forecast_daily

Series = npt.NDArray[np.float64]

AS_OF = dt.date(2024, 6, 30)
AW_EXTRACT = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "adventureworks-dw"
WEEK_OLD = np.array([0.85, 0.90, 0.95, 1.00, 1.05, 1.15, 1.10])  # Monday … Sunday
WEEK_NEW = WEEK_OLD[::-1]


def _weekdays(days: int, horizon: int) -> npt.NDArray[np.int64]:
    first = AS_OF - dt.timedelta(days=days - 1)
    return np.array([(first + dt.timedelta(days=i)).weekday() for i in range(days + horizon)])


def _shifted_series(
    seed: int, *, new_rhythm: bool, days: int = 730, shift_days_ago: int = 150, horizon: int = 30
) -> tuple[Series, Series]:
    """Return (history ending at AS_OF, true expected values of the next `horizon` days).

    Revenue steps from 34k to 55k a day `shift_days_ago` days before AS_OF, with 10% noise.
    """
    rng = np.random.default_rng(seed)
    weekday = _weekdays(days, horizon)
    old = WEEK_OLD[weekday] * 34_000
    new = (WEEK_NEW if new_rhythm else WEEK_OLD)[weekday] * 55_000
    expected = np.where(np.arange(days + horizon) < days - shift_days_ago, old, new)
    observed = np.maximum(expected * (1 + 0.1 * rng.standard_normal(days + horizon)), 0.0)
    return observed[:days], expected[days:]


def _all_history_fit(history: Series, horizon: int) -> Series:
    """Least squares of level + trend + weekday on all days: what the model must not do."""
    days = len(history)
    weekday = _weekdays(days, horizon)
    t = np.arange(days + horizon, dtype=np.float64)
    columns = [np.ones(days + horizon), t] + [(weekday == d).astype(float) for d in range(1, 7)]
    design = np.column_stack(columns)
    coefficients, *_ = np.linalg.lstsq(design[:days], history, rcond=None)
    return np.asarray(design[days:] @ coefficients, dtype=np.float64)


def _arrays(result: DailyForecast) -> tuple[Series, Series, Series]:
    return (
        np.array([p.forecast for p in result.points]),
        np.array([p.lower for p in result.points]),
        np.array([p.upper for p in result.points]),
    )


def _error_pct(forecast: Series, expected: Series) -> float:
    return float(100 * np.mean(np.abs(forecast - expected) / expected))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_after_a_shift_to_a_new_weekly_rhythm_the_window_leaves_out_the_old_days(
    seed: int,
) -> None:
    history, expected = _shifted_series(seed, new_rhythm=True)

    result = forecast_daily(history, AS_OF, 30)

    assert result.window_days <= 150, result.method
    forecast, _, _ = _arrays(result)
    model_error = _error_pct(forecast, expected)
    assert model_error < 6
    assert model_error < _error_pct(_all_history_fit(history, 30), expected) / 2


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_after_a_plain_level_shift_the_forecast_sits_at_the_new_level(seed: int) -> None:
    history, expected = _shifted_series(seed, new_rhythm=False)

    forecast, _, _ = _arrays(forecast_daily(history, AS_OF, 30))

    assert abs(forecast.mean() / expected.mean() - 1) < 0.05
    assert _error_pct(forecast, expected) < _error_pct(_all_history_fit(history, 30), expected)


def test_points_are_the_days_after_as_of() -> None:
    history, _ = _shifted_series(3, new_rhythm=False)

    result = forecast_daily(history, AS_OF, 45)

    assert [p.date for p in result.points] == [AS_OF + dt.timedelta(days=k) for k in range(1, 46)]


def test_intervals_hold_the_forecast_and_nothing_is_negative() -> None:
    rng = np.random.default_rng(4)
    # a business fading towards zero: a trend would run below zero within the horizon
    fading = np.maximum(np.linspace(20_000, 500, 400) * (1 + 0.3 * rng.standard_normal(400)), 0)
    history, _ = _shifted_series(5, new_rhythm=True)

    for series in (fading, history):
        forecast, lower, upper = _arrays(forecast_daily(series, AS_OF, 90))
        assert np.all(lower >= 0)
        assert np.all(lower <= forecast)
        assert np.all(forecast <= upper)
        assert np.any(lower < upper)


def test_intervals_cover_about_four_days_in_five() -> None:
    inside = []
    for seed in range(6):
        history, expected = _shifted_series(10 + seed, new_rhythm=False, days=760)
        rng = np.random.default_rng(100 + seed)
        actual = expected * (1 + 0.1 * rng.standard_normal(len(expected)))
        _, lower, upper = _arrays(forecast_daily(history, AS_OF, 30))
        inside.append((actual >= lower) & (actual <= upper))

    assert 65 <= 100 * np.concatenate(inside).mean() <= 95


def test_backtest_block_scores_the_last_days_against_seasonal_naive() -> None:
    history, _ = _shifted_series(6, new_rhythm=True)

    backtest = forecast_daily(history, AS_OF, 30).backtest

    assert (backtest.folds, backtest.horizon_days) == (3, 30)
    assert backtest.mape is not None
    assert backtest.smape is not None
    assert backtest.baseline_smape is not None
    assert 0 < backtest.smape < backtest.baseline_smape
    assert backtest.coverage_pct is not None
    assert 0 <= backtest.coverage_pct <= 100


def test_backtest_mape_is_none_when_a_held_out_day_sold_nothing() -> None:
    history, _ = _shifted_series(7, new_rhythm=False)
    history[-3] = 0.0

    backtest = forecast_daily(history, AS_OF, 30).backtest

    assert backtest.mape is None
    assert backtest.smape is not None
    assert math.isfinite(backtest.smape)


def test_a_short_history_falls_back_to_the_recent_mean_and_says_so() -> None:
    history = np.random.default_rng(8).uniform(10_000, 20_000, 20)

    result = forecast_daily(history, AS_OF, 7)

    assert result.method.startswith("mean of the last 20 days")
    assert "too little history" in result.method
    assert result.window_days == 20
    assert [p.forecast for p in result.points] == pytest.approx([history.mean()] * 7)
    assert result.backtest.folds == 0
    assert result.backtest.smape is None
    assert result.backtest.note is not None
    assert "20 days of history in all" in result.backtest.note


def test_history_before_a_threefold_level_break_is_left_out() -> None:
    rng = np.random.default_rng(9)
    history = np.concatenate([rng.normal(60_000, 9_000, 700), rng.normal(1_600, 300, 30)])

    result = forecast_daily(history, AS_OF, 30)

    assert "level break on 2024-06-01" in result.method
    forecast, _, upper = _arrays(result)
    assert forecast.mean() == pytest.approx(1_600, rel=0.1)
    assert upper.max() < 5_000


def test_the_backtest_scores_only_days_after_the_latest_level_break() -> None:
    """A fold trained on the old level and scored on the new would score the break itself."""
    rng = np.random.default_rng(10)
    weekday = np.resize([1.0, 1.1, 0.9, 1.0, 1.2, 0.7, 0.6], 400)
    history = np.concatenate([rng.normal(60_000, 3_000, 250), rng.normal(9_000, 450, 150)])
    history *= weekday

    backtest = forecast_daily(history, AS_OF, 30).backtest

    assert backtest.folds == 3
    assert backtest.horizon_days == 30
    assert backtest.smape is not None
    assert backtest.smape < 15
    assert backtest.coverage_pct is not None
    assert backtest.coverage_pct > 50
    assert backtest.note is None


def test_a_backtest_whose_interval_caught_no_day_says_so() -> None:
    """Steady for a year, then a new level every week, each 30% above the last: every fold
    is scored on a level it has not seen, outside any interval learnt before it."""
    steady = np.full(365, 10_000.0) + np.resize([0.0, 50.0, -50.0], 365)
    history = np.concatenate([steady, *(np.full(7, 10_000 * 1.3**week) for week in (1, 2, 3))])

    backtest = forecast_daily(history, AS_OF, 7).backtest

    assert (backtest.folds, backtest.coverage_pct) == (3, 0)
    assert backtest.note is not None
    assert "None of the 21 backtest days fell inside the 80% interval" in backtest.note


def test_no_history_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="at least 14 days"):
        forecast_daily(np.array([]), AS_OF, 30)


@pytest.mark.parametrize("horizon", [0, 366])
def test_a_horizon_outside_1_to_365_is_refused(horizon: int) -> None:
    history, _ = _shifted_series(0, new_rhythm=False)

    with pytest.raises(ValueError, match=r"1\.\.365"):
        forecast_daily(history, AS_OF, horizon)


@pytest.mark.parametrize("horizon", [1, 365])
def test_the_horizon_ends_are_served(horizon: int) -> None:
    history, _ = _shifted_series(0, new_rhythm=False)

    result = forecast_daily(history, AS_OF, horizon)

    assert len(result.points) == horizon
    assert result.backtest.folds >= 1
    # each fold forecasts the horizon, at least a week and at most half the days it may use
    assert 7 <= result.backtest.horizon_days <= max(horizon, 7)


def _aw_daily_revenue() -> tuple[dt.date, Series]:
    rows = duckdb.execute(
        "SELECT CAST(OrderDate AS DATE) AS d, sum(SalesAmount) FROM read_parquet(?) "
        "GROUP BY d ORDER BY d",
        [str(AW_EXTRACT / "FactInternetSales.parquet")],
    ).fetchall()
    first, last = rows[0][0], rows[-1][0]
    revenue = np.zeros((last - first).days + 1)
    for day, amount in rows:
        revenue[(day - first).days] = float(amount)
    return last, revenue


@pytest.mark.parametrize("days_before_last_sale", [30, 60])
def test_real_adventureworks_revenue_gets_a_filled_backtest(days_before_last_sale: int) -> None:
    last_sale, revenue = _aw_daily_revenue()
    as_of = last_sale - dt.timedelta(days=days_before_last_sale)
    history = revenue[: len(revenue) - days_before_last_sale]

    result = forecast_daily(history, as_of, 30)

    assert len(result.points) == 30
    assert result.points[0].date == as_of + dt.timedelta(days=1)
    assert (result.backtest.folds, result.backtest.horizon_days) == (3, 30)
    assert result.backtest.smape is not None
    assert result.backtest.baseline_smape is not None
    assert result.backtest.smape < result.backtest.baseline_smape
    assert result.backtest.coverage_pct is not None
    assert result.backtest.coverage_pct >= 50
    assert all(0 <= p.lower <= p.forecast <= p.upper for p in result.points)
