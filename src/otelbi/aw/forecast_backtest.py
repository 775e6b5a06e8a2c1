"""Rolling-origin backtests on a daily series: fold positions, accuracy figures, error bands.

Nothing here knows the forecast model; it is handed forecasts and actuals. The model
(`otelbi.aw.forecast_model`) uses it twice: inside, to choose its window and terms on the
training days only, and outside, for the `backtest` block that a user reads.

- sMAPE = mean of 200·|y − ŷ| ÷ (|y| + |ŷ|) over the days, 0 on a day where both are 0.
- MAPE = mean of 100·|y − ŷ| ÷ |y|; undefined (None) when any actual is 0.
- coverage = share of actual days inside [lower, upper], in percent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Series = npt.NDArray[np.float64]

INNER_FOLDS = 6
"""Forecast origins of the inner backtest; more reach further back into older regimes."""
FOLD_HORIZON_FLOOR_DAYS = 14
"""Shortest fold: a 1-day forecast is still judged on two weeks, so its band has errors to use."""
FOLD_TRAINING_FLOOR_DAYS = 91
"""Fewest days a fold may train on: one quarter, so every weekday is seen thirteen times."""
INTERVAL_QUANTILES = (0.10, 0.90)
"""The 80% prediction interval: 10th and 90th percentiles of the out-of-sample errors."""
BAND_STEP_RADIUS_DAYS = 7
"""The band of a forecast step pools the errors of the steps up to a week either side of it."""
LEVEL_DAYS = 28
"""The recent days whose mean floors the scale of the errors (see `error_scale`)."""


@dataclass(frozen=True)
class InnerFolds:
    """Where the inner backtest cuts a history: train on `history[:cut]`, test what follows."""

    horizon_days: int
    cuts: tuple[int, ...]


def inner_folds(history_days: int, horizon_days: int) -> InnerFolds | None:
    """Return the folds of an inner backtest on `history_days` days, or None if too short.

    Each fold forecasts `horizon_days` days (at least `FOLD_HORIZON_FLOOR_DAYS`; fewer when the
    history cannot spare them, so a fold always keeps `FOLD_TRAINING_FLOOR_DAYS` to train on);
    the newest fold ends on the last day and the others step back by one horizon, or less when
    the history is short.
    """
    spare = history_days - FOLD_TRAINING_FLOOR_DAYS
    fold_horizon = min(max(horizon_days, FOLD_HORIZON_FLOOR_DAYS), spare // 2)
    if fold_horizon < FOLD_HORIZON_FLOOR_DAYS:
        return None
    step = max(1, min(fold_horizon, (spare - fold_horizon) // (INNER_FOLDS - 1)))
    cuts = tuple(history_days - fold_horizon - j * step for j in range(INNER_FOLDS))
    return InnerFolds(horizon_days=fold_horizon, cuts=cuts)


def smape_pct(actual: Series, forecast: Series) -> float:
    """Return the symmetric mean absolute percentage error, 0–200."""
    total = np.abs(actual) + np.abs(forecast)
    ratio = np.divide(np.abs(actual - forecast), total, out=np.zeros_like(total), where=total > 0)
    return float(200.0 * ratio.mean())


def mape_pct(actual: Series, forecast: Series) -> float | None:
    """Return the mean absolute percentage error, or None when an actual is 0."""
    if np.any(actual == 0):
        return None
    return float(100.0 * np.mean(np.abs(actual - forecast) / np.abs(actual)))


def coverage_pct(actual: Series, lower: Series, upper: Series) -> float:
    """Return the percentage of actual days that fall inside [lower, upper]."""
    return float(100.0 * np.mean((actual >= lower) & (actual <= upper)))


def seasonal_naive(history: Series, horizon_days: int, period: int = 7) -> Series:
    """Return the forecast that repeats the last `period` days (the benchmark to beat)."""
    last = history[-period:]
    return np.resize(last, horizon_days).astype(np.float64)


@dataclass(frozen=True)
class ErrorBand:
    """Relative errors that bound the forecast by step: ŷ_k + level × (low_k, high_k).

    `level` is `error_scale`; steps past the end of the arrays use the last entry.
    """

    low: Series
    high: Series

    def bounds(self, forecast: Series, history: Series) -> tuple[Series, Series]:
        """Return the lower and upper bounds around `forecast` of `history`, never below 0."""
        steps = np.minimum(np.arange(len(forecast)), len(self.low) - 1)
        level = error_scale(history, forecast)
        lower = np.clip(forecast + self.low[steps] * level, 0.0, forecast)
        upper = np.maximum(forecast + self.high[steps] * level, forecast)
        return lower, upper


def error_scale(history: Series, forecast: Series) -> float:
    """Return the level that errors are measured in: the mean forecast, with a floor.

    The floor, half the mean of the last `LEVEL_DAYS` days of `history`, keeps the band open
    when a falling trend takes the forecast down to zero.
    """
    floor = 0.5 * float(history[-LEVEL_DAYS:].mean())
    return max(float(forecast.mean()), floor, 1e-9)


def error_band(history: Series, folds: InnerFolds, forecasts: list[Series]) -> ErrorBand:
    """Return the 80% band of the out-of-sample errors of `forecasts`, one per fold, by step.

    Each fold's errors are divided by that fold's level (`error_scale`), so a band learnt at
    20k a day applies at 50k. Step k takes the 10th and 90th percentiles of the errors of steps
    k ± `BAND_STEP_RADIUS_DAYS` in all folds (errors grow with the horizon). Folds come newest
    first; the band is widened by the ratio of the newest half's mean absolute error to that
    of all folds when it exceeds 1: after a level shift, recent errors describe the next days.
    """
    scaled = np.array(
        [
            (history[cut : cut + folds.horizon_days] - forecast)
            / error_scale(history[:cut], forecast)
            for cut, forecast in zip(folds.cuts, forecasts, strict=True)
        ]
    )
    steps = scaled.shape[1]
    low = np.empty(steps)
    high = np.empty(steps)
    for step in range(steps):
        near = scaled[:, max(0, step - BAND_STEP_RADIUS_DAYS) : step + BAND_STEP_RADIUS_DAYS + 1]
        low[step], high[step] = np.quantile(near, INTERVAL_QUANTILES)
    newest = np.abs(scaled[: max(1, len(scaled) // 2)]).mean()
    widen = max(1.0, float(newest) / max(float(np.abs(scaled).mean()), 1e-12))
    return ErrorBand(low=np.minimum(low, 0.0) * widen, high=np.maximum(high, 0.0) * widen)
