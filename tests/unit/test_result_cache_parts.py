"""The result cache's parts on their own: one computation for concurrent misses, the data
version's freshness interval against a real DuckDB file that changes, the in-memory store's
bound."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from otelbi.cache.data_version import DataVersion
from otelbi.cache.results import Computed, Lookup, ResultCache, result_key
from otelbi.cache.stores import MemoryStore
from otelbi.domains import Domain
from otelbi.warehouse.catalog import Statement
from otelbi.warehouse.fingerprint import fingerprint_query

sales = sa.Table(
    "sales", sa.MetaData(), sa.Column("day", sa.Integer), sa.Column("amount", sa.Integer)
)
# Not declared in the catalog: the product's statement list must not hold a test's.
FINGERPRINT = Statement(
    "test.cache.fingerprint",
    Domain.AW,
    fingerprint_query({sales: (sa.func.max(sales.c.day), sa.func.sum(sales.c.amount))}),
)


def test_concurrent_misses_of_one_key_compute_it_once() -> None:
    cache = ResultCache(MemoryStore(1 << 20))
    computed = 0
    started = threading.Barrier(20)

    def compute() -> Computed:
        nonlocal computed
        computed += 1
        time.sleep(0.3)  # long enough for every other caller to arrive meanwhile
        return Computed(b'{"n": 1}', keep=True)

    lookups: list[Lookup] = []

    def call() -> None:
        started.wait()
        payload, lookup = cache.get_or_compute("k", compute)
        assert payload == b'{"n": 1}'
        lookups.append(lookup)

    threads = [threading.Thread(target=call) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert computed == 1
    assert sorted(lookups) == sorted([Lookup.MISS] + [Lookup.SHARED] * 19)
    assert cache.get_or_compute("k", compute) == (b'{"n": 1}', Lookup.HIT)


def test_when_the_computing_call_fails_the_waiting_ones_compute_for_themselves() -> None:
    cache = ResultCache(MemoryStore(1 << 20))
    calls = 0
    first_running = threading.Event()

    def compute() -> Computed:
        nonlocal calls
        calls += 1
        if calls == 1:
            first_running.set()
            time.sleep(0.2)
            raise RuntimeError("the warehouse went away")
        return Computed(b"[]", keep=True)

    failure: list[BaseException] = []

    def leader() -> None:
        try:
            cache.get_or_compute("k", compute)
        except RuntimeError as error:
            failure.append(error)

    thread = threading.Thread(target=leader)
    thread.start()
    first_running.wait()
    assert cache.get_or_compute("k", compute) == (b"[]", Lookup.MISS)
    thread.join()
    assert [str(e) for e in failure] == ["the warehouse went away"]


def test_a_result_read_across_a_version_change_is_handed_back_but_not_kept() -> None:
    cache = ResultCache(MemoryStore(1 << 20))
    assert cache.get_or_compute("k", lambda: Computed(b"1", keep=False)) == (b"1", Lookup.MISS)
    assert cache.get_or_compute("k", lambda: Computed(b"2", keep=True)) == (b"2", Lookup.MISS)
    assert cache.get_or_compute("k", lambda: Computed(b"3", keep=True)) == (b"2", Lookup.HIT)


def test_nothing_to_show_is_never_kept() -> None:
    cache = ResultCache(MemoryStore(1 << 20))
    assert cache.get_or_compute("k", lambda: Computed(None, keep=True)) == (None, Lookup.MISS)
    assert cache.get_or_compute("k", lambda: Computed(b"{}", keep=True)) == (b"{}", Lookup.MISS)


def test_keys_differ_by_view_version_and_each_parameter_but_not_their_order() -> None:
    base = result_key("aw", "aw.sales.kpis", "v1", {"a": 1, "b": None})
    assert base == result_key("aw", "aw.sales.kpis", "v1", {"b": None, "a": 1})
    assert base != result_key("aw", "aw.sales.history", "v1", {"a": 1, "b": None})
    assert base != result_key("aw", "aw.sales.kpis", "v2", {"a": 1, "b": None})
    assert base != result_key("aw", "aw.sales.kpis", "v1", {"a": 2, "b": None})
    assert base != result_key("aw", "aw.sales.kpis", "v1", {"a": 1, "b": 0})


def test_the_memory_store_drops_the_least_recently_used_beyond_its_size() -> None:
    store = MemoryStore(max_bytes=10)
    store.put("a", b"12345")
    store.put("b", b"12345")
    assert store.get("a") == b"12345"  # a is now the most recently used
    store.put("c", b"12345")
    assert (store.get("a"), store.get("b"), store.get("c")) == (b"12345", None, b"12345")
    store.put("huge", b"x" * 11)  # larger than the whole store: not kept, nothing evicted
    assert store.get("huge") is None
    assert store.get("c") == b"12345"


class _WritableWarehouse:
    """A DuckDB file the test writes to, read through the same engine the version uses."""

    def __init__(self, path: Path) -> None:
        self._engine = sa.create_engine(f"duckdb:///{path}")
        with self._engine.begin() as connection:
            sales.create(connection)
            connection.execute(sales.insert(), [{"day": 1, "amount": 10}])

    def engine(self) -> sa.Engine:
        return self._engine

    @contextmanager
    def connect(self) -> Iterator[sa.Connection]:
        with self._engine.connect() as connection:
            yield connection

    def add_sale(self, day: int, amount: int) -> None:
        with self._engine.begin() as connection:
            connection.execute(sales.insert(), [{"day": day, "amount": amount}])


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[_WritableWarehouse]:
    source = _WritableWarehouse(tmp_path / "w.duckdb")
    yield source
    source.engine().dispose()


def test_new_data_shows_after_the_freshness_interval_and_not_before(
    warehouse: _WritableWarehouse,
) -> None:
    now = [1000.0]
    version = DataVersion(FINGERPRINT, warehouse, freshness_seconds=60, clock=lambda: now[0])
    first = version.current().version
    warehouse.add_sale(day=2, amount=5)
    now[0] += 59.9
    assert version.current().version == first  # within the interval: not looked at again
    now[0] += 0.2
    second = version.current().version
    assert second != first
    now[0] += 61
    assert version.current().version == second  # looked again: unchanged data, same version


def test_a_job_run_makes_the_next_call_look_again(warehouse: _WritableWarehouse) -> None:
    version = DataVersion(FINGERPRINT, warehouse, freshness_seconds=3600, clock=lambda: 0.0)
    first = version.current().version
    warehouse.add_sale(day=1, amount=1)  # no new day: only the total changes
    assert version.current().version == first
    version.expire()
    assert version.current().version != first


def test_a_reread_reads_the_version_within_the_interval(warehouse: _WritableWarehouse) -> None:
    version = DataVersion(FINGERPRINT, warehouse, freshness_seconds=3600, clock=lambda: 0.0)
    first = version.current().version
    warehouse.add_sale(day=3, amount=2)
    assert version.current().version == first
    assert version.current(reread=True).version != first
