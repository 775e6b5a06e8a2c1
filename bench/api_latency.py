"""What a dashboard tile costs end to end, against the SQL it runs.

For each scale and store, two real `otelbi serve` processes run side by side on copies of the
same generated warehouses: one with the result cache switched off (every call runs its SQL),
one with it on (after one warm-up call every call is a hit). For each of the eight
Overview/AW/WWI views the bench interleaves, round after round: one call to each server, and
one run of the view's own statements in this process on the same DuckDB file (through the
read-only guard, as the product runs them), timing only the statements: each executed and
its rows fetched, as `Statement.rows` does. Interleaving keeps the machine's noise on all
three alike; the figures are medians.

Prints per view: the statements' p50 ("SQL"), the uncached call's p50 through the gateway
and its bound (1.3 x SQL + 5 ms), the cached call's p50 (bound 5 ms), each marked ok or
OVER. Interleaved, each cached call follows other work that leaves the CPU caches cold; so the
cached server is then also measured alone ("alone": the eight views round after round, as a
dashboard served from the cache calls them, nothing else between). Every call's audit row
is written before its answer leaves, so they are included.

    .venv/bin/python bench/api_latency.py                       # scales 1 and 10, both stores
    .venv/bin/python bench/api_latency.py --scales 1 --store sqlite --rounds 30
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
import sqlalchemy as sa
from served import serve

from otelbi.aw.product_demand import product_demand
from otelbi.aw.rep_scores import rep_scores
from otelbi.aw.sales_forecast import sales_forecast
from otelbi.aw.sales_history import Grain, sales_history
from otelbi.aw.sales_kpis import sales_kpis as aw_sales_kpis
from otelbi.domains import Domain
from otelbi.settings import WarehouseSettings
from otelbi.warehouse.builder import generate_warehouse
from otelbi.warehouse.catalog import Statement
from otelbi.warehouse.engines import create_warehouse_engine, duckdb_path
from otelbi.wwi.sales_kpis import sales_kpis as wwi_sales_kpis
from otelbi.wwi.stock_levels import reorder_recommendations
from otelbi.wwi.supplier_scores import supplier_scores


@dataclass(frozen=True)
class View:
    """One dashboard tile: its path and its analytics run on a connection."""

    path: str
    domain: Domain
    run: Callable[[sa.Connection], Any]


VIEWS = (
    View("/api/aw/sales/kpis", Domain.AW, lambda c: aw_sales_kpis(c, days_back=365)),
    View("/api/wwi/sales/kpis", Domain.WWI, lambda c: wwi_sales_kpis(c, days_back=365)),
    View(
        "/api/aw/sales/history?grain=week",
        Domain.AW,
        lambda c: sales_history(c, days_back=365, grain=Grain.WEEK),
    ),
    View("/api/aw/sales/forecast", Domain.AW, lambda c: sales_forecast(c, horizon_days=30)),
    View("/api/aw/reps/scores", Domain.AW, lambda c: rep_scores(c, top_n=10, days_back=None)),
    View(
        "/api/aw/products/demand",
        Domain.AW,
        lambda c: product_demand(c, top_n=10, days_back=None),
    ),
    View("/api/wwi/stock/recommendations", Domain.WWI, reorder_recommendations),
    View("/api/wwi/suppliers/scores", Domain.WWI, lambda c: supplier_scores(c, top_n=10)),
)


class StatementClock:
    """Adds up the time of every statement the views run in this process, as `Statement.rows`
    runs it: executing it and fetching its rows.

    Fetching counts: DuckDB runs a query's last stage while its rows are fetched (the AW KPI
    windows: 6.9 ms to execute, 0.5 ms more for their six rows), and a client of bare DuckDB
    gets its rows the same way. It is also how bench/warehouse_sql.py times a statement.
    """

    def __init__(self) -> None:
        self.seconds = 0.0

    @contextmanager
    def installed(self) -> Iterator[None]:
        """Time every `Statement.rows` call in this process until the block ends."""
        original = Statement.rows

        def rows(statement: Statement, connection: sa.Connection, **parameters: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(statement, connection, **parameters)
            finally:
                self.seconds += time.perf_counter() - started

        with mock.patch.object(Statement, "rows", rows):
            yield


@contextmanager
def _engines(data_dir: Path) -> Iterator[dict[Domain, sa.Engine]]:
    settings = WarehouseSettings(_env_file=None, data_dir=data_dir)
    engines = {domain: create_warehouse_engine(domain, settings) for domain in Domain}
    try:
        yield engines
    finally:
        for engine in engines.values():
            engine.dispose()


def _timed_get(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed * 1000


def _measure(store: str, source: Path, work_dir: Path, rounds: int) -> None:
    uncached_dir, cached_dir = work_dir / f"{store}-off", work_dir / f"{store}-on"
    for target in (uncached_dir, cached_dir):
        shutil.copytree(source, target)
    sql: dict[str, list[float]] = {v.path: [] for v in VIEWS}
    uncached: dict[str, list[float]] = {v.path: [] for v in VIEWS}
    cached: dict[str, list[float]] = {v.path: [] for v in VIEWS}
    cached_alone: dict[str, list[float]] = {v.path: [] for v in VIEWS}
    with ExitStack() as stack:
        off = stack.enter_context(
            serve(store, uncached_dir, work_dir, RESULT_CACHE_ENABLED="false")
        )
        on = stack.enter_context(serve(store, cached_dir, work_dir))
        engines = stack.enter_context(_engines(source))
        clock = StatementClock()
        stack.enter_context(clock.installed())
        connections = {d: stack.enter_context(e.connect()) for d, e in engines.items()}
        off_client = stack.enter_context(httpx.Client(base_url=off.url, timeout=120))
        on_client = stack.enter_context(httpx.Client(base_url=on.url, timeout=120))
        for view in VIEWS:  # warm-up: connections, compiled statements, the cached entry
            for _ in range(2):
                _timed_get(off_client, view.path)
                _timed_get(on_client, view.path)
                view.run(connections[view.domain])
        for _ in range(rounds):
            for view in VIEWS:
                clock.seconds = 0.0
                view.run(connections[view.domain])
                sql[view.path].append(clock.seconds * 1000)
                uncached[view.path].append(_timed_get(off_client, view.path))
                cached[view.path].append(_timed_get(on_client, view.path))
        for _ in range(rounds):  # a dashboard served from the cache: nothing else between
            for view in VIEWS:
                cached_alone[view.path].append(_timed_get(on_client, view.path))
    print(
        f"{'view':<34}{'SQL':>8}{'uncached':>10}{'bound':>8}{'':>6}{'cached':>8}{'':>6}"
        f"{'alone':>7}{'':>6}   ({store}, p50 ms of {rounds} rounds)"
    )
    for view in VIEWS:
        own = statistics.median(sql[view.path])
        through = statistics.median(uncached[view.path])
        hit = statistics.median(cached[view.path])
        alone = statistics.median(cached_alone[view.path])
        bound = 1.3 * own + 5
        print(
            f"{view.path:<34}{own:>8.1f}{through:>10.1f}{bound:>8.1f}"
            f"{'ok' if through <= bound else 'OVER':>6}{hit:>8.1f}{'ok' if hit <= 5 else 'OVER':>6}"
            f"{alone:>7.1f}{'ok' if alone <= 5 else 'OVER':>6}"
        )


def main() -> None:
    """Measure each scale and store asked for and print one table per pair."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10", help="comma-separated generator scales")
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    stores = ["sqlite", "postgresql"] if args.store == "both" else [args.store]
    with tempfile.TemporaryDirectory(prefix="otelbi-latency-") as temporary:
        for scale in (float(s) for s in args.scales.split(",")):
            work_dir = Path(temporary) / f"scale-{scale:g}"
            source = work_dir / "generated"
            for domain in Domain:
                generate_warehouse(domain, duckdb_path(domain, source), scale=scale, seed=7)
            print(f"\nscale {scale:g}")
            for store in stores:
                _measure(store, source, work_dir, args.rounds)


if __name__ == "__main__":
    main()
