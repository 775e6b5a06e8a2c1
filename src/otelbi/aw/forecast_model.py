"""Daily revenue forecast: least squares on a recent window, chosen by an inner backtest.

A candidate model is ordinary least squares, on the last `window` days, of

    y_t = a + b·t + Σ_d c_d·[weekday(t) = d] + Σ_k (s_k·sin(2πk·t/365.25) + r_k·cos(2πk·t/365.25))

with the trend, weekday and yearly terms each on or off, then re-anchored to the recent level:
the forecast is the fitted curve plus the mean residual of the last `anchor` days. Revenue
moves in steps (AdventureWorks: 34k → 55k a day in 2013), and a fit on old days misses them.

Which window, terms and anchor? The one with the lowest sMAPE over an inner rolling backtest
on the training days only (`forecast_backtest.inner_folds`). Its out-of-sample errors there
give the 80% interval (`forecast_backtest.error_band`). The `backtest` block of the answer
repeats the whole procedure on up to three stretches of the newest `horizon_days` days since the
latest level break, each fitted on the days before it, and scores them against the
seasonal-naive forecast (the same weekday one week earlier).

Two guards: history before a level break (`BREAK_RATIO`) is left out, and a history too short
for the inner backtest gets the mean of its last 28 days; `method` says when either applies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np

from otelbi.aw.forecast_backtest import (
    ErrorBand,
    Series,
    coverage_pct,
    error_band,
    inner_folds,
    mape_pct,
    seasonal_naive,
    smape_pct,
)

MIN_HISTORY_DAYS = 14
"""Two weeks: one to fit the fallback on and one to check it against a week-old copy."""
MAX_HORIZON_DAYS = 365
WINDOWS_DAYS: tuple[int | None, ...] = (56, 91, 182, 364, 728, None)
"""Candidate fitting windows; None is all history."""
ANCHORS_DAYS = (0, 3, 7, 14, 28)
"""Candidate re-anchoring spans; 0 keeps the fitted level."""
YEARLY_HARMONICS = (0, 1, 2)
"""Candidate counts of yearly sine/cosine pairs, tried on windows of a year or more."""
DAYS_PER_YEAR = 365.25
FALLBACK_MEAN_DAYS = 28
BREAK_RATIO = 3.0
"""A level break: the mean of the next 28 days is over three times, or under a third of, the
mean of the 28 days before. Steps like 34k → 55k are left to the window and the re-anchoring;
a threefold change (a product line dropped, a shop opened) means the older days describe
another business, so they are not used at all."""
BREAK_SPAN_DAYS = 28
BREAK_MIN_DAYS_AFTER = 7
BACKTEST_FOLDS = 3
"""Stretches the published backtest scores; more steady its figures, slower the first call."""
BACKTEST_MIN_TRAINING_DAYS = 28
"""Fewest days a backtest fold fits on: four of each weekday."""
BACKTEST_MIN_SCORED_DAYS = 7
"""Fewest days a backtest fold is scored on: one of each weekday."""


@dataclass(frozen=True)
class ForecastPoint:
    """One forecast day: the central forecast and its 80% prediction interval."""

    date: dt.date
    forecast: float
    lower: float
    upper: float


@dataclass(frozen=True)
class BacktestSummary:
    """How the procedure did on `folds` stretches of `horizon_days` days, each fitted without
    them; without figures (`folds` 0) when the history is too short, and `note` says so."""

    horizon_days: int
    folds: int
    mape: float | None
    smape: float | None
    baseline_smape: float | None
    coverage_pct: float | None
    note: str | None


@dataclass(frozen=True)
class DailyForecast:
    """The forecast, what was chosen to make it, and how that choice did in a backtest."""

    method: str
    window_days: int
    points: list[ForecastPoint]
    backtest: BacktestSummary


@dataclass(frozen=True)
class CandidateShape:
    """The least-squares part of a candidate: window and terms (the anchor comes after)."""

    window_days: int | None
    trend: bool
    weekday: bool
    harmonics: int


@dataclass(frozen=True)
class Candidate:
    """A candidate model: least-squares shape plus the re-anchoring span."""

    shape: CandidateShape
    anchor_days: int


@dataclass(frozen=True)
class Projection:
    """A forecast with its interval, and the words and window that describe how it was made."""

    forecast: Series
    lower: Series
    upper: Series
    method: str
    window_days: int


def _shapes() -> list[CandidateShape]:
    """Return every least-squares shape the inner backtest tries."""
    return [
        CandidateShape(window, trend, weekday, harmonics)
        for window in WINDOWS_DAYS
        for trend in (False, True)
        for weekday in (False, True)
        for harmonics in YEARLY_HARMONICS
        if harmonics == 0 or window is None or window >= 364
    ]


def _design(days: Series, shape: CandidateShape, harmonics: int, origin: float) -> Series:
    """Return the regressor matrix of `days` (proleptic ordinals) for one shape."""
    columns = [np.ones_like(days)]
    if shape.trend:
        columns.append((days - origin) / DAYS_PER_YEAR)
    if shape.weekday:
        weekday = (days.astype(np.int64) - 1) % 7
        columns.extend((weekday == d).astype(np.float64) for d in range(1, 7))
    for k in range(1, harmonics + 1):
        angle = 2.0 * np.pi * k * days / DAYS_PER_YEAR
        columns.extend((np.sin(angle), np.cos(angle)))
    return np.column_stack(columns)


def _fit_shape(
    history: Series, first_day: int, shape: CandidateShape, horizon_days: int
) -> tuple[Series, Series]:
    """Return the fitted curve's forecast and the in-window residuals, newest last."""
    size = len(history) if shape.window_days is None else min(shape.window_days, len(history))
    # a yearly wave needs a year to be told apart from the trend
    harmonics = shape.harmonics if size >= 364 else 0
    end = float(first_day + len(history))
    fitted_days = np.arange(end - size, end)
    future_days = np.arange(end, end + horizon_days)
    matrix = _design(fitted_days, shape, harmonics, end)
    # normal equations: at most 13 columns, each weekday and the year seen several times, so
    # the Gram matrix is small and well conditioned; far cheaper than an SVD of the window
    coefficients, *_ = np.linalg.lstsq(matrix.T @ matrix, matrix.T @ history[-size:], rcond=None)
    residuals = history[-size:] - matrix @ coefficients
    return _design(future_days, shape, harmonics, end) @ coefficients, residuals


def _anchored(curve: Series, residuals: Series, anchor_days: int) -> Series:
    """Return the fitted curve moved to the mean residual of the last `anchor_days` days."""
    shift = float(residuals[-anchor_days:].mean()) if anchor_days else 0.0
    return np.maximum(curve + shift, 0.0)


def _choose(
    history: Series, first_day: int, horizon_days: int
) -> tuple[Candidate, ErrorBand] | None:
    """Return the candidate with the lowest inner-backtest sMAPE and its error band."""
    folds = inner_folds(len(history), horizon_days)
    if folds is None:
        return None
    candidates = [Candidate(shape, anchor) for shape in _shapes() for anchor in ANCHORS_DAYS]
    forecasts: dict[Candidate, list[Series]] = {candidate: [] for candidate in candidates}
    actuals = [history[cut : cut + folds.horizon_days] for cut in folds.cuts]
    for cut in folds.cuts:
        for shape in _shapes():
            curve, residuals = _fit_shape(history[:cut], first_day, shape, folds.horizon_days)
            for anchor in ANCHORS_DAYS:
                forecasts[Candidate(shape, anchor)].append(_anchored(curve, residuals, anchor))
    scores = {
        candidate: float(
            np.mean([smape_pct(a, f) for a, f in zip(actuals, fold_forecasts, strict=True)])
        )
        for candidate, fold_forecasts in forecasts.items()
    }
    best = min(candidates, key=scores.__getitem__)
    return best, error_band(history, folds, forecasts[best])


def _describe(candidate: Candidate, history_days: int) -> tuple[str, int]:
    """Return the human description of a candidate and the days its fit used."""
    shape = candidate.shape
    window = history_days if shape.window_days is None else min(shape.window_days, history_days)
    terms = ["level"]
    if shape.trend:
        terms.append("trend")
    if shape.weekday:
        terms.append("weekday")
    harmonics = shape.harmonics if window >= 364 else 0
    if harmonics:
        terms.append(f"{harmonics} yearly harmonic{'s' if harmonics > 1 else ''}")
    span = "all" if shape.window_days is None else "the last"
    text = f"least squares: {' + '.join(terms)} on {span} {window} days"
    if candidate.anchor_days:
        text += f", re-anchored to the last {candidate.anchor_days} days"
    return text, window


def _level_break(history: Series) -> int | None:
    """Return the index of the first day after the latest level break, or None if none."""
    span, days = BREAK_SPAN_DAYS, len(history)
    starts = np.arange(span, days - BREAK_MIN_DAYS_AFTER + 1)
    if len(starts) == 0:
        return None
    sums = np.concatenate(([0.0], np.cumsum(history)))
    ends = np.minimum(starts + span, days)
    after = (sums[ends] - sums[starts]) / (ends - starts)
    before = (sums[starts] - sums[starts - span]) / span
    # compare on a log scale; a zero level counts as a hundredth of the other side
    floor = 0.01 * np.maximum(np.maximum(after, before), 1e-9)
    jump = np.abs(np.log(np.maximum(after, floor) / np.maximum(before, floor)))
    breaking = np.flatnonzero(jump > np.log(BREAK_RATIO))
    if len(breaking) == 0:
        return None
    # the latest run of breaking positions; the break is where the jump is sharpest in it
    latest = breaking[-1]
    run_start = latest
    while run_start - 1 in breaking:
        run_start -= 1
    return int(starts[run_start + int(np.argmax(jump[run_start : latest + 1]))])


def _fallback(history: Series, horizon_days: int) -> Projection:
    """Return the mean of the recent days, bounded by their 10th and 90th percentiles."""
    recent = history[-FALLBACK_MEAN_DAYS:]
    level = float(recent.mean())
    low, high = np.quantile(recent, (0.10, 0.90))
    days = len(recent)
    return Projection(
        forecast=np.full(horizon_days, level),
        lower=np.full(horizon_days, min(float(low), level)),
        upper=np.full(horizon_days, max(float(high), level)),
        method=f"mean of the last {days} days (too little history for least squares)",
        window_days=days,
    )


def _project(history: Series, first_day: int, horizon_days: int) -> Projection:
    """Return the forecast of the `horizon_days` days after `history` with its interval."""
    since = _level_break(history)
    note = ""
    if since is not None:
        note = (
            f"; history before the level break on {dt.date.fromordinal(first_day + since)} left out"
        )
        history, first_day = history[since:], first_day + since
    choice = _choose(history, first_day, horizon_days)
    if choice is None:
        projection = _fallback(history, horizon_days)
        return replace(projection, method=projection.method + note)
    candidate, band = choice
    curve, residuals = _fit_shape(history, first_day, candidate.shape, horizon_days)
    forecast = _anchored(curve, residuals, candidate.anchor_days)
    lower, upper = band.bounds(forecast, history)
    method, window = _describe(candidate, len(history))
    return Projection(forecast, lower, upper, method + note, window)


def _backtest(history: Series, first_day: int, horizon_days: int) -> BacktestSummary:
    """Return how the procedure did on the newest days of `history`, fitted without them.

    Only the days since the latest level break are used: a fold that trains before a break and
    is scored after it measures the break, not the method. Up to `BACKTEST_FOLDS` folds, the
    newest ending on the last day, each forecasting the horizon (at least a week; less when
    the days since the break cannot spare it) from the days before it;
    the figures pool every scored day. Too few days since the break for one fold gives a
    summary without figures and a note that says why.
    """
    since = _level_break(history) or 0
    comparable = history[since:]
    held_out = min(
        max(horizon_days, BACKTEST_MIN_SCORED_DAYS),
        (len(comparable) - BACKTEST_MIN_TRAINING_DAYS) // 2,
    )
    if held_out < BACKTEST_MIN_SCORED_DAYS:
        return _no_backtest(horizon_days, len(comparable), first_day + since if since else None)
    folds = [
        (comparable[:cut], comparable[cut : cut + held_out])
        for k in range(BACKTEST_FOLDS)
        if (cut := len(comparable) - held_out * (k + 1)) >= BACKTEST_MIN_TRAINING_DAYS
    ]
    projections = [_project(training, first_day + since, held_out) for training, _ in folds]
    scored = np.concatenate([actual for _, actual in folds])
    forecast = np.concatenate([projection.forecast for projection in projections])
    naive = np.concatenate([seasonal_naive(training, held_out) for training, _ in folds])
    coverage = coverage_pct(
        scored,
        np.concatenate([projection.lower for projection in projections]),
        np.concatenate([projection.upper for projection in projections]),
    )
    return BacktestSummary(
        horizon_days=held_out,
        folds=len(folds),
        mape=mape_pct(scored, forecast),
        smape=smape_pct(scored, forecast),
        baseline_smape=smape_pct(scored, naive),
        coverage_pct=coverage,
        note=(
            f"None of the {len(scored)} backtest days fell inside the 80% interval: "
            "do not rely on the interval."
            if coverage == 0
            else None
        ),
    )


def _no_backtest(horizon_days: int, comparable_days: int, break_day: int | None) -> BacktestSummary:
    """Return the summary of a history too short since its last level break to backtest."""
    since = (
        f"since the level break on {dt.date.fromordinal(break_day)}"
        if break_day is not None
        else "in all"
    )
    needed = BACKTEST_MIN_TRAINING_DAYS + BACKTEST_MIN_SCORED_DAYS
    return BacktestSummary(
        horizon_days=horizon_days,
        folds=0,
        mape=None,
        smape=None,
        baseline_smape=None,
        coverage_pct=None,
        note=(
            f"No backtest: {comparable_days} days of history {since}, and a meaningful "
            f"backtest needs at least {needed}. The forecast and its interval are untested."
        ),
    )


def forecast_daily(history: Series, as_of: dt.date, horizon_days: int) -> DailyForecast:
    """Return the daily forecast of the `horizon_days` days after `as_of`.

    `history[i]` is the value of day `as_of - (len(history) - 1 - i)`: a zero-filled daily
    series ending at `as_of`. Raises ValueError on a horizon outside 1..365, on fewer than
    `MIN_HISTORY_DAYS` days, or on values that are negative or not finite.
    """
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise ValueError(f"horizon_days must be 1..{MAX_HORIZON_DAYS}, got {horizon_days}")
    values = np.asarray(history, dtype=np.float64)
    if values.ndim != 1 or len(values) < MIN_HISTORY_DAYS:
        raise ValueError(
            f"a forecast needs a daily series of at least {MIN_HISTORY_DAYS} days "
            f"(one week to fit, one to check); got {values.size}"
        )
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError("history must hold finite, non-negative daily revenue")
    first_day = as_of.toordinal() - len(values) + 1
    projection = _project(values, first_day, horizon_days)
    points = [
        ForecastPoint(
            date=as_of + dt.timedelta(days=step + 1),
            forecast=float(projection.forecast[step]),
            lower=float(projection.lower[step]),
            upper=float(projection.upper[step]),
        )
        for step in range(horizon_days)
    ]
    return DailyForecast(
        method=projection.method,
        window_days=projection.window_days,
        points=points,
        backtest=_backtest(values, first_day, horizon_days),
    )
