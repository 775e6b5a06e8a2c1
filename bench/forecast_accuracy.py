"""Forecast accuracy on the real AdventureWorks daily internet revenue: the product vs baselines.

Rolling origin: 11 origins every 30 days from 2013-02-03 to 2013-11-30, each forecasting the
30 days from its origin while seeing only the days before it. (The data stops selling bikes on
2013-12-29, which no model can foresee, so no fold reaches past 2013-12-29.)

Prints pooled sMAPE, MAE, MASE and 80% interval coverage for the product's model
(`otelbi.aw.forecast_model.forecast_daily`) and three baselines, and exits 1 when the product
misses the bar: sMAPE ≤ 21%, MASE ≤ 1.05, coverage between 75% and 85%.

    .venv/bin/python bench/forecast_accuracy.py [path/to/adventureworks-dw]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt

from otelbi.aw.forecast_model import forecast_daily

Series = npt.NDArray[np.float64]
Forecaster = Callable[[Series, dt.date], tuple[Series, Series, Series]]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = PROJECT_ROOT.parent / "shared" / "data" / "adventureworks-dw"
HORIZON_DAYS = 30
ORIGINS = [dt.date(2013, 2, 3) + dt.timedelta(days=30 * k) for k in range(11)]
BAR_SMAPE, BAR_MASE, BAR_COVERAGE = 21.0, 1.05, (75.0, 85.0)
INTERVAL_QUANTILES = (0.10, 0.90)


def daily_revenue(data_dir: Path) -> tuple[dt.date, Series]:
    """Return the first order day and the zero-filled daily Σ SalesAmount of internet sales."""
    parquet = data_dir / "FactInternetSales.parquet"
    rows = duckdb.execute(
        "SELECT CAST(OrderDate AS DATE) AS d, sum(SalesAmount) AS revenue "
        "FROM read_parquet(?) GROUP BY d ORDER BY d",
        [str(parquet)],
    ).fetchall()
    first, last = rows[0][0], rows[-1][0]
    revenue = np.zeros((last - first).days + 1)
    for day, amount in rows:
        revenue[(day - first).days] = float(amount)
    return first, revenue


@dataclass
class ProductModel:
    """The product's forecast, called as the API calls it; remembers what it chose per origin."""

    chosen: list[str] = field(default_factory=list)

    def __call__(self, history: Series, origin: dt.date) -> tuple[Series, Series, Series]:
        """Return the product's forecast and 80% interval for the days from `origin`."""
        result = forecast_daily(history, origin - dt.timedelta(days=1), HORIZON_DAYS)
        self.chosen.append(f"{origin}  {result.method}")
        return (
            np.array([p.forecast for p in result.points]),
            np.array([p.lower for p in result.points]),
            np.array([p.upper for p in result.points]),
        )


def _with_residual_band(forecast: Series, residuals: Series) -> tuple[Series, Series, Series]:
    """Return the forecast bounded by the 10th/90th percentiles of in-sample residuals."""
    low, high = np.quantile(residuals, INTERVAL_QUANTILES)
    return forecast, np.maximum(forecast + low, 0.0), forecast + high


def seasonal_naive_7(history: Series, origin: dt.date) -> tuple[Series, Series, Series]:
    """Return last week repeated; band from the last year's y_t − y_(t−7)."""
    recent = history[-364:]
    return _with_residual_band(np.resize(history[-7:], HORIZON_DAYS), recent[7:] - recent[:-7])


def mean_28(history: Series, origin: dt.date) -> tuple[Series, Series, Series]:
    """Return the mean of the last 28 days; band from those days' deviations from it."""
    recent = history[-28:]
    return _with_residual_band(np.full(HORIZON_DAYS, recent.mean()), recent - recent.mean())


def linear_trend(history: Series, origin: dt.date) -> tuple[Series, Series, Series]:
    """Return the least-squares line through all history; band from its residuals."""
    days = np.arange(len(history), dtype=np.float64)
    slope, intercept = np.polyfit(days, history, 1)
    future = np.arange(len(history), len(history) + HORIZON_DAYS)
    forecast = np.maximum(intercept + slope * future, 0.0)
    return _with_residual_band(forecast, history - (intercept + slope * days))


@dataclass
class Score:
    """Pooled per-point figures of one model over all folds."""

    smape: list[Series] = field(default_factory=list)
    absolute: list[Series] = field(default_factory=list)
    scaled: list[Series] = field(default_factory=list)
    inside: list[npt.NDArray[np.bool_]] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, actual: Series, training: Series, bands: tuple[Series, Series, Series]) -> None:
        """Record one fold's 30 points."""
        forecast, lower, upper = bands
        total = np.abs(actual) + np.abs(forecast)
        error = np.abs(actual - forecast)
        self.smape.append(np.divide(200 * error, total, out=np.zeros_like(total), where=total > 0))
        self.absolute.append(error)
        self.scaled.append(error / np.mean(np.abs(training[7:] - training[:-7])))
        self.inside.append((actual >= lower) & (actual <= upper))

    def figures(self) -> tuple[float, float, float, float]:
        """Return pooled sMAPE %, MAE, MASE and coverage %."""
        return (
            float(np.concatenate(self.smape).mean()),
            float(np.concatenate(self.absolute).mean()),
            float(np.concatenate(self.scaled).mean()),
            float(100 * np.concatenate(self.inside).mean()),
        )


def main() -> int:
    """Run the folds, print the table and return 0 when the product meets the bar, else 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA)
    data_dir = parser.parse_args().data_dir
    first, revenue = daily_revenue(data_dir)
    product = ProductModel()
    models: dict[str, Forecaster] = {
        "product (forecast_daily)": product,
        "seasonal naive 7": seasonal_naive_7,
        "mean of last 28 days": mean_28,
        "linear trend, all history": linear_trend,
    }
    scores = {name: Score() for name in models}
    for origin in ORIGINS:
        cut = (origin - first).days
        training, actual = revenue[:cut], revenue[cut : cut + HORIZON_DAYS]
        for name, model in models.items():
            started = time.perf_counter()
            bands = model(training, origin)
            scores[name].seconds += time.perf_counter() - started
            scores[name].add(actual, training, bands)

    points = len(ORIGINS) * HORIZON_DAYS
    print(f"AdventureWorks daily internet revenue (Σ SalesAmount by OrderDate), {data_dir}")
    print(
        f"{len(ORIGINS)} origins {ORIGINS[0]} … {ORIGINS[-1]} every 30 days, horizon "
        f"{HORIZON_DAYS} days, {points} pooled points; each fit sees only days before its origin"
    )
    print("sMAPE = mean 200·|y−ŷ|/(|y|+|ŷ|); MAE = mean |y−ŷ|;")
    print("MASE  = mean of |y−ŷ| ÷ s, s = the fold's in-sample seasonal-naive-7 one-step MAE")
    print("        (mean |y_t − y_(t−7)| over all the fold's training days), pooled over points;")
    print("coverage = share of actuals inside the 80% interval (baselines: 10th/90th percentiles")
    print("        of their in-sample residuals)\n")
    print(f"{'model':<28}{'sMAPE %':>9}{'MAE':>10}{'MASE':>8}{'coverage %':>12}{'s/call':>9}")
    for name, score in scores.items():
        smape, mae, mase, coverage = score.figures()
        seconds = score.seconds / len(ORIGINS)
        print(f"{name:<28}{smape:>9.2f}{mae:>10.0f}{mase:>8.3f}{coverage:>12.1f}{seconds:>9.3f}")
    print("\nproduct model chosen at each origin:")
    for line in product.chosen:
        print(f"  {line}")

    smape, _, mase, coverage = scores["product (forecast_daily)"].figures()
    low, high = BAR_COVERAGE
    checks = {
        f"sMAPE {smape:.2f} ≤ {BAR_SMAPE}": smape <= BAR_SMAPE,
        f"MASE {mase:.3f} ≤ {BAR_MASE}": mase <= BAR_MASE,
        f"coverage {coverage:.1f} within {low}–{high}": low <= coverage <= high,
    }
    verdicts = [f"{text} {'ok' if ok else 'MISSED'}" for text, ok in checks.items()]
    print("\nbar: " + "; ".join(verdicts))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
