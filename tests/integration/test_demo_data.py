"""Generated warehouses against the real extracts: the statistics the views show.

The real WWI extract holds 218 of its 227 items above ten times their target and its
suppliers fill 99.7-100 % of what is ordered; its Fact.Movement (the receipts) is missing. The
generator keeps the real levels, fill rates and AW sales shapes, and adds on purpose what the
demo needs to show: a spread of supplier on-time records and items in every reorder urgency.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pytest
import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.warehouse.builder import generate_warehouse
from otelbi.warehouse.engines import duckdb_path
from otelbi.wwi.reorder import Assumptions, StockLevels, Urgency, recommend_all
from otelbi.wwi.stock_events import EventType, breaches
from otelbi.wwi.stock_levels import stock_levels
from otelbi.wwi.supplier_scores import supplier_scores
from tests.conftest import AW_EXTRACT, WWI_EXTRACT

SCALE, SEED = 1.0, 7


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a DATA_DIR with AW and WWI warehouses generated at scale 1."""
    directory = tmp_path_factory.mktemp("demo")
    for domain in Domain:
        generate_warehouse(domain, duckdb_path(domain, directory), scale=SCALE, seed=SEED)
    return directory


@pytest.fixture(scope="module")
def wwi(data_dir: Path) -> Iterator[sa.Connection]:
    engine = sa.create_engine(f"duckdb:///{duckdb_path(Domain.WWI, data_dir)}")
    with engine.connect() as connection:
        yield connection
    engine.dispose()


@pytest.fixture(scope="module")
def levels(wwi: sa.Connection) -> StockLevels:
    found = stock_levels(wwi)
    assert found is not None
    return found


def _real_wwi(query: str) -> list[tuple[float, ...]]:
    """Return the rows of `query` over the real WWI CSVs, named as views by file stem."""
    with duckdb.connect() as con:
        for name in ("fact_purchase", "fact_stock_holding"):
            path = WWI_EXTRACT / f"{name}.csv"
            con.execute(f"CREATE VIEW {name} AS FROM read_csv('{path}', delim='|', header=true)")
        return con.execute(query).fetchall()


def test_supplier_scores_spread_out_with_real_fill_rates(wwi: sa.Connection) -> None:
    scores = supplier_scores(wwi)
    assert scores is not None
    values = [s.score for s in scores.suppliers]
    assert Counter(values).most_common(1)[0][1] <= 2  # today: 6 of 7 tie at 100
    assert np.std(values) >= 3.0
    real_fill = _real_wwi(
        'SELECT 100.0 * sum("Received Outers") / sum("Ordered Outers") FROM fact_purchase'
    )[0][0]
    fills = [s.fill_rate_pct for s in scores.suppliers if s.fill_rate_pct is not None]
    assert min(fills) >= real_fill - 5
    assert max(fills) <= 100.0
    on_time = [s.on_time_pct for s in scores.suppliers if s.on_time_pct is not None]
    assert max(on_time) - min(on_time) >= 15.0


def test_every_urgency_is_present_and_critical_items_get_an_order(levels: StockLevels) -> None:
    items = recommend_all(levels).items
    shares = {u: sum(i.urgency is u for i in items) / len(items) for u in Urgency}
    for urgency in (Urgency.CRITICAL, Urgency.HIGH, Urgency.NORMAL):
        assert 0.03 <= shares[urgency] <= 0.25, (urgency, shares)
    assert shares[Urgency.NONE] >= 0.5  # most items stay well stocked, as in the real one
    assert all(i.recommended_order_qty > 0 for i in items if i.urgency is Urgency.CRITICAL)


def test_more_demand_changes_recommendations(levels: StockLevels) -> None:
    baseline = {i.wwi_stock_item_id: i for i in recommend_all(levels).items}
    busier = recommend_all(levels, Assumptions(demand_change_pct=20.0)).items
    changed = [
        i
        for i in busier
        if (i.urgency, i.recommended_order_qty)
        != (
            baseline[i.wwi_stock_item_id].urgency,
            baseline[i.wwi_stock_item_id].recommended_order_qty,
        )
    ]
    assert len(changed) >= 0.05 * len(busier)


def test_stock_event_mix_keeps_the_real_overstock_majority(levels: StockLevels) -> None:
    events = Counter(kind for p in levels.positions for kind in breaches(p))
    ((real_items, real_overstock),) = _real_wwi(
        'SELECT count(*), count(*) FILTER ("Quantity On Hand" > 10 * "Target Stock Level") '
        "FROM fact_stock_holding"
    )
    assert events[EventType.STOCKOUT] >= 1
    assert 0.03 <= events[EventType.BELOW_REORDER_LEVEL] / len(levels.positions) <= 0.15
    overstock_share = events[EventType.OVERSTOCK] / len(levels.positions)
    assert 0.5 * real_overstock / real_items <= overstock_share < real_overstock / real_items
    ((real_reorder, real_target),) = _real_wwi(
        'SELECT median("Reorder Level"), median("Target Stock Level") FROM fact_stock_holding'
    )
    assert 0.5 <= np.median([p.reorder_level for p in levels.positions]) / real_reorder <= 2
    assert 0.5 <= np.median([p.target_level for p in levels.positions]) / real_target <= 2


def _daily_internet_sales(con: duckdb.DuckDBPyConnection, source: str) -> np.ndarray:
    """Return the zero-filled daily internet sales amount of the last 365 days of `source`."""
    rows = con.execute(
        f"SELECT CAST(OrderDate AS DATE) AS day, sum(SalesAmount) FROM {source} GROUP BY 1"
    ).fetchall()
    by_day = {day: float(amount) for day, amount in rows}
    last = max(by_day)
    return np.array([by_day.get(last - np.timedelta64(n, "D").item(), 0.0) for n in range(364)])


def _shape(series: np.ndarray) -> tuple[float, float]:
    """Return (coefficient of variation, weekday amplitude) of a daily series of 52 weeks."""
    weekdays = series.reshape(-1, 7).mean(axis=0)
    return float(series.std() / series.mean()), float(weekdays.std() / weekdays.mean())


def test_aw_daily_sales_vary_like_the_real_ones(data_dir: Path) -> None:
    with duckdb.connect() as con:
        real = _daily_internet_sales(con, f"'{AW_EXTRACT / 'FactInternetSales.parquet'}'")
    with duckdb.connect(str(duckdb_path(Domain.AW, data_dir)), read_only=True) as con:
        generated = _daily_internet_sales(con, "dbo.FactInternetSales")
    (real_cv, real_weekly), (cv, weekly) = _shape(real), _shape(generated)
    assert real_cv / 1.5 <= cv <= real_cv * 1.5
    assert weekly <= 3 * real_weekly + 0.02
