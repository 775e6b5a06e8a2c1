"""The sales forecast through the gateway: shape, honest intervals, bounds, and the daily
job that stores it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from otelbi.aw import forecast_model
from otelbi.aw import sales_forecast as sales_forecast_module
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from tests.conftest import AW_EXTRACT
from tests.integration.job_runs import run_job_to_end


@pytest.fixture
def client(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, real_aw_warehouse: Path
) -> Iterator[TestClient]:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(real_aw_warehouse))
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as test_client:
        yield test_client


@pytest.mark.parametrize("horizon", [1, 30, 90])
def test_forecast_points_follow_as_of_with_intervals(client: TestClient, horizon: int) -> None:
    response = client.get("/api/aw/sales/forecast", params={"horizon_days": horizon})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["as_of"] == "2014-01-28"
    assert body["series"] == "internet_revenue"
    assert body["method"]
    assert body["window_days"] >= 1
    points = body["points"]
    assert len(points) == horizon
    as_of = dt.date.fromisoformat(body["as_of"])
    assert [p["date"] for p in points] == [
        (as_of + dt.timedelta(days=i + 1)).isoformat() for i in range(horizon)
    ]
    for point in points:
        assert 0 <= point["lower"] <= point["forecast"] <= point["upper"]
        assert all(point[key] == round(point[key], 2) for key in ("lower", "forecast", "upper"))


def test_the_backtest_says_the_31_days_since_the_bikes_stopped_are_too_few(
    client: TestClient,
) -> None:
    """The extract's last 30 days follow the level break of 2013-12-29 (bikes stop selling): a
    backtest trained before it would score the break, so there is none, and the answer says so."""
    backtest = client.get("/api/aw/sales/forecast", params={"horizon_days": 30}).json()["backtest"]

    assert backtest["folds"] == 0
    assert [backtest[key] for key in ("smape", "baseline_smape", "mape", "coverage_pct")] == [
        None
    ] * 4
    assert "31 days of history since the level break on 2013-12-29" in backtest["note"]


def test_forecast_level_matches_the_recent_internet_revenue(client: TestClient) -> None:
    """After bikes stop selling (2013-12-29) the honest level is the January 2014 one."""
    with duckdb.connect() as con:
        recent = con.execute(
            "SELECT sum(SalesAmount) / 28 "
            f"FROM read_parquet('{AW_EXTRACT}/FactInternetSales.parquet') "
            "WHERE OrderDate >= DATE '2014-01-01'"
        ).fetchone()
    assert recent is not None
    points = client.get("/api/aw/sales/forecast", params={"horizon_days": 7}).json()["points"]
    mean = sum(p["forecast"] for p in points) / len(points)
    assert mean == pytest.approx(float(recent[0]), rel=0.5)


@pytest.mark.parametrize("horizon", ["0", "366", "x"])
def test_out_of_range_horizon_is_422(client: TestClient, horizon: str) -> None:
    response = client.get("/api/aw/sales/forecast", params={"horizon_days": horizon})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"


def test_forecast_job_stores_the_points(client: TestClient) -> None:
    execution = run_job_to_end(client, "aw", "aw.daily.forecast")
    assert execution["status"] == "succeeded", execution
    assert execution["rows_written"] == 30
    assert execution["details"]["as_of"] == "2014-01-28"
    stored = client.get("/api/aw/records/forecasts", params={"limit": 100}).json()["items"]
    assert len(stored) == 30
    assert stored[0]["forecast_date"] == "2014-01-29"
    assert {item["execution_id"] for item in stored} == {execution["id"]}
    view = client.get("/api/aw/sales/forecast").json()
    assert [round(p["forecast"], 2) for p in view["points"]] == [
        round(item["forecast"], 2) for item in stored
    ]


def test_the_model_is_fitted_once_per_series_and_horizon(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    fits: list[int] = []
    real = forecast_model.forecast_daily

    def counting(*args: object) -> object:
        fits.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(sales_forecast_module, "forecast_daily", counting)
    sales_forecast_module.fitted_forecast.cache_clear()
    first = client.get("/api/aw/sales/forecast", params={"horizon_days": 30})
    again = client.get("/api/aw/sales/forecast", params={"horizon_days": 30})
    other = client.get("/api/aw/sales/forecast", params={"horizon_days": 31})
    assert first.status_code == again.status_code == other.status_code == 200
    assert first.json() == again.json()  # the same forecast, not re-fitted
    assert len(fits) == 2  # horizons 30 and 31
    assert len(other.json()["points"]) == 31
