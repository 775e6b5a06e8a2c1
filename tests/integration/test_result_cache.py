"""The result cache against real parts: generated DuckDB warehouses swapped under the running
product, the real Redis server shared by two replicas, a Redis that is not there.

What must hold: a repeated view call is answered from the cache with the same bytes and still
audited (result_cache: hit); a changed warehouse is never served from entries of the old data,
while a copy holding the same data keeps them; replicas on one Redis share entries; a Redis
that does not answer costs the cache, not the call.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import duckdb
import pytest
import redis
import sqlalchemy as sa
from fastapi.testclient import TestClient

from otelbi.aw.service import create_app as create_aw_app
from otelbi.cache.stores import REDIS_REST_SECONDS
from otelbi.domains import GATEWAY_SERVICE_NAME, Domain
from otelbi.gateway.app import create_gateway_app
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.telemetry.providers import disabled_telemetry
from otelbi.warehouse.builder import generate_warehouse
from otelbi.warehouse.engines import duckdb_path
from otelbi.warehouse.live import RETRY_SECONDS
from otelbi.wwi.service import create_app as create_wwi_app
from tests.integration.test_split_mode import free_port

REDIS_URL = "redis://127.0.0.1:6379/0"
KPIS = "/api/aw/sales/kpis"


@pytest.fixture
def data_dir(tmp_path: Path, generated_warehouses: Path) -> Path:
    """A DATA_DIR of its own (the test replaces files in it)."""
    target = tmp_path / "data"
    shutil.copytree(generated_warehouses / "warehouse", target / "warehouse")
    return target


def _serve(monkeypatch: pytest.MonkeyPatch, data_dir: Path, **settings: str) -> TestClient:
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None)))


def _audited_lookups(data_dir: Path) -> list[tuple[str, str | None]]:
    engine = sa.create_engine(f"sqlite:///{data_dir / 'otelbi.sqlite'}")
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT action, parameters FROM audit_log ORDER BY id")
            ).all()
    finally:
        engine.dispose()
    return [(row.action, json.loads(row.parameters).get("result_cache")) for row in rows]


def _with_a_new_day_of_sales(source: Path, target: Path) -> None:
    """Write to `target` a copy of `source` with one more internet sale, a day after the last."""
    shutil.copy(source, target)
    with duckdb.connect(str(target)) as connection:
        connection.execute(
            """
            INSERT INTO dbo.FactInternetSales
            SELECT * REPLACE (
                CAST(strftime(strptime(CAST(OrderDateKey AS VARCHAR), '%Y%m%d')
                     + INTERVAL 1 DAY, '%Y%m%d') AS INTEGER) AS OrderDateKey,
                'SO-NEW-DAY' AS SalesOrderNumber
            )
            FROM dbo.FactInternetSales
            ORDER BY OrderDateKey DESC
            LIMIT 1
            """
        )


def test_a_repeated_call_is_a_hit_with_the_same_bytes_and_still_audited(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    with _serve(monkeypatch, data_dir) as client:
        first = client.get(KPIS, params={"days_back": 90})
        second = client.get(KPIS, params={"days_back": 90})
        # The default window applied: no days_back and days_back=365 are one entry.
        default = client.get(KPIS)
        explicit = client.get(KPIS, params={"days_back": 365})
        other_view = client.get("/api/aw/sales/history", params={"days_back": 90})
    assert [r.status_code for r in (first, second, default, explicit, other_view)] == [200] * 5
    assert second.content == first.content
    assert explicit.content == default.content != first.content
    assert first.headers["content-type"] == "application/json"
    assert _audited_lookups(data_dir) == [
        ("aw.sales.kpis", "miss"),
        ("aw.sales.kpis", "hit"),
        ("aw.sales.kpis", "miss"),
        ("aw.sales.kpis", "hit"),
        ("aw.sales.history", "miss"),
    ]


def test_a_changed_warehouse_swapped_in_is_served_at_once_and_an_identical_copy_keeps_entries(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, tmp_path: Path
) -> None:
    warehouse = duckdb_path(Domain.AW, data_dir)
    identical, changed = tmp_path / "identical.duckdb", tmp_path / "changed.duckdb"
    shutil.copy(warehouse, identical)
    _with_a_new_day_of_sales(warehouse, changed)
    # A long freshness interval: only the file's replacement can make the product look again.
    with _serve(monkeypatch, data_dir, RESULT_CACHE_FRESHNESS_SECONDS="3600") as client:
        before = client.get(KPIS)
        identical.replace(warehouse)  # same data, another file: same data version
        after_identical = client.get(KPIS)
        changed.replace(warehouse)
        after_change = client.get(KPIS)
        again = client.get(KPIS)
    assert after_identical.content == before.content
    as_of = dt.date.fromisoformat(before.json()["as_of"])
    assert dt.date.fromisoformat(after_change.json()["as_of"]) == as_of + dt.timedelta(days=1)
    assert again.content == after_change.content
    assert [lookup for _, lookup in _audited_lookups(data_dir)] == ["miss", "hit", "miss", "hit"]


def test_a_removed_warehouse_answers_503_naming_it_and_a_restored_one_serves_again(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, tmp_path: Path
) -> None:
    warehouse = duckdb_path(Domain.AW, data_dir)
    kept = tmp_path / "kept.duckdb"
    with _serve(monkeypatch, data_dir) as client:
        assert client.get(KPIS).status_code == 200
        warehouse.replace(kept)
        gone = client.get(KPIS)
        health = client.get("/api/health").json()
        kept.replace(warehouse)
        back = client.get(KPIS)
    assert gone.status_code == 503
    assert str(warehouse) in gone.json()["detail"]
    assert "gone" in health["checks"]["aw_warehouse"]
    assert back.status_code == 200


def test_two_replicas_on_one_redis_share_entries(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A warehouse nobody else generated: its data version, so its keys, are this test's own.
    replicas = [tmp_path / "a", tmp_path / "b"]
    seed = uuid.uuid4().int % 10**6
    generate_warehouse(Domain.AW, duckdb_path(Domain.AW, replicas[0]), scale=0.02, seed=seed)
    shutil.copytree(replicas[0] / "warehouse", replicas[1] / "warehouse")
    with _serve(monkeypatch, replicas[0], REDIS_URL=REDIS_URL) as first:
        computed = first.get(KPIS)
    with _serve(monkeypatch, replicas[1], REDIS_URL=REDIS_URL) as second:
        shared = second.get(KPIS)
    assert computed.status_code == shared.status_code == 200
    assert shared.content == computed.content
    assert _audited_lookups(replicas[0]) == [("aw.sales.kpis", "miss")]
    assert _audited_lookups(replicas[1]) == [("aw.sales.kpis", "hit")]


def test_a_redis_that_is_not_there_costs_the_cache_not_the_call(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with _serve(monkeypatch, data_dir, REDIS_URL="redis://127.0.0.1:1/0") as client:
        answers = [client.get(KPIS) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].content == answers[2].content
    assert [lookup for _, lookup in _audited_lookups(data_dir)] == ["miss"] * 3
    assert "the result cache's Redis failed" in caplog.text


def test_switched_off_every_call_runs_its_sql(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    with _serve(monkeypatch, data_dir, RESULT_CACHE_ENABLED="false") as client:
        assert [client.get(KPIS).status_code for _ in range(2)] == [200, 200]
    assert [lookup for _, lookup in _audited_lookups(data_dir)] == ["off", "off"]


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[str, Callable[[], None], Callable[[], None]]]:
    """A Redis server of the test's own (so it can be stopped): its URL, stop and start."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed: the result cache's tests need it")
    port = free_port()
    process: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        process.append(
            subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(tmp_path)],
                stdout=subprocess.DEVNULL,
            )
        )  # fmt: skip
        client = redis.Redis(port=port)
        for _ in range(100):
            with suppress(redis.ConnectionError):
                client.ping()
                return
            time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop() -> None:
        process[-1].terminate()
        process[-1].wait(timeout=10)

    start()
    try:
        yield f"redis://127.0.0.1:{port}/0", stop, start
    finally:
        if process[-1].poll() is None:
            stop()


def test_a_redis_that_goes_away_and_comes_back_costs_only_the_cache(
    monkeypatch: pytest.MonkeyPatch,
    data_dir: Path,
    own_redis: tuple[str, Callable[[], None], Callable[[], None]],
) -> None:
    url, stop, start = own_redis
    with _serve(monkeypatch, data_dir, REDIS_URL=url) as client:
        filled = [client.get(KPIS) for _ in range(2)]
        stop()
        without = [client.get(KPIS) for _ in range(2)]
        start()  # empty again: the server kept nothing on disk
        time.sleep(REDIS_REST_SECONDS + 0.5)  # the cache leaves a failed Redis alone this long
        back = [client.get(KPIS) for _ in range(2)]
    answers = [*filled, *without, *back]
    assert [a.status_code for a in answers] == [200] * 6
    assert len({a.content for a in answers}) == 1
    assert [lookup for _, lookup in _audited_lookups(data_dir)] == [
        "miss", "hit", "miss", "miss", "miss", "hit",
    ]  # fmt: skip


def test_a_warehouse_that_appears_after_a_start_without_it_is_served(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, tmp_path: Path
) -> None:
    warehouse = duckdb_path(Domain.AW, data_dir)
    aside = tmp_path / "aside.duckdb"
    warehouse.replace(aside)
    with _serve(monkeypatch, data_dir) as client:
        before = client.get(KPIS)
        ready_before = client.get("/readyz")
        aside.replace(warehouse)  # e.g. `otelbi warehouse generate aw` run after the start
        after = client.get(KPIS)
        health = client.get("/api/health").json()
    assert before.status_code == 503
    assert "otelbi warehouse generate aw" in before.json()["detail"]
    assert ready_before.status_code == 503
    assert after.status_code == 200
    assert health["checks"]["aw_warehouse"] == "ok"


def test_a_refresh_checks_the_data_version_and_still_answers_from_the_cache(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    """The web app's Refresh sends `Cache-Control: no-cache` (through the gateway): the
    service reads the warehouse's data version again, then answers from its cache."""
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    settings = Settings(env_file=None)
    aw = create_aw_app(settings, disabled_telemetry(Domain.AW.service_name))
    wwi = create_wwi_app(settings, disabled_telemetry(Domain.WWI.service_name))
    gateway = create_gateway_app(
        settings, disabled_telemetry(GATEWAY_SERVICE_NAME), {Domain.AW: aw, Domain.WWI: wwi}
    )
    statements: list[str] = []
    with TestClient(gateway) as client:
        client.get(KPIS).raise_for_status()
        engine = aw.state.service.warehouse.engine()  # type: ignore[attr-defined]
        sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        client.get(KPIS).raise_for_status()
        plain = len(statements)
        refreshed = client.get(KPIS, headers={"Cache-Control": "no-cache"})
    assert refreshed.status_code == 200
    assert plain == 0  # a hit runs no SQL
    assert len(statements) == 1  # the refresh: the fingerprint, and nothing else
    assert "count(*)" in statements[0].lower()
    assert [lookup for _, lookup in _audited_lookups(data_dir)] == ["miss", "hit", "hit"]


def test_a_warehouse_truncated_in_place_answers_503_until_it_is_whole_again(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    warehouse = duckdb_path(Domain.AW, data_dir)
    content = warehouse.read_bytes()
    with _serve(monkeypatch, data_dir) as client:
        assert client.get(KPIS).status_code == 200
        with warehouse.open("r+b") as file:  # the same file, cut short under the product
            file.truncate(4096)
        broken = client.get(KPIS)
        health = client.get("/api/health")
        warehouse.write_bytes(content)  # whole again, still the same inode
        time.sleep(RETRY_SECONDS + 0.2)  # a file that would not open is tried once a second
        mended = client.get(KPIS)
    assert broken.status_code == 503
    assert str(warehouse) in broken.json()["detail"]
    assert health.status_code == 503
    assert mended.status_code == 200
