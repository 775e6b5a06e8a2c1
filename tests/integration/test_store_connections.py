"""The PostgreSQL store's pooled connections: one the server ended is replaced before it is
used, and a live one is used without a ping round trip first. The audit writer's held
connection alike, and it is given back or closed when it should be."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from otelbi.settings import Settings
from otelbi.store import audit
from otelbi.store.audit_verify import verify_chain
from otelbi.store.engine import create_store_engine
from otelbi.store.migrate import upgrade_to_head


@pytest.fixture
def store(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, tmp_path: Path
) -> Iterator[sa.Engine]:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    engine = create_store_engine(Settings(env_file=None))
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


def _sessions(postgres_url: str) -> int:
    """Return how many sessions the database has, other than the one asking."""
    database = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (database,)
        ).fetchone()
    assert row is not None
    return int(row[0])


def _checkouts(engine: sa.Engine) -> list[object]:
    """Return a list that grows by one at each checkout from the engine's pool."""
    checkouts: list[object] = []
    sa.event.listen(engine, "checkout", lambda *args: checkouts.append(args))
    return checkouts


def _end_every_session(postgres_url: str) -> None:
    """End the database's sessions as a server restart would, and wait until they are gone."""
    database = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
        assert ended, "no pooled session to end: the test proves nothing"
    _wait_until_no_session(postgres_url, "the sessions did not end")


def _wait_until_no_session(postgres_url: str, failure: str) -> None:
    """Wait up to 10 s until the database has no session; fail with `failure` if it still has."""
    deadline = time.monotonic() + 10
    while _sessions(postgres_url):
        assert time.monotonic() < deadline, failure
        time.sleep(0.01)


def _entry(number: int) -> audit.AuditEntry:
    return audit.AuditEntry(
        actor="ada", domain="aw", action="test", resource="/", outcome="ok", duration_ms=number
    )


def test_a_live_connection_is_used_without_a_ping(
    store: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings: list[object] = []
    ping = store.dialect.do_ping
    monkeypatch.setattr(store.dialect, "do_ping", lambda c: pings.append(c) or ping(c))
    ids = [audit.append(store, _entry(number)) for number in range(5)]
    assert (ids, pings) == ([1, 2, 3, 4, 5], [])


def test_connections_the_server_ended_are_replaced_before_they_are_used(
    store: sa.Engine, postgres_url: str
) -> None:
    with store.connect() as first, store.connect() as second:  # two pooled connections
        first.execute(sa.text("SELECT 1"))
        second.execute(sa.text("SELECT 1"))
    _end_every_session(postgres_url)
    ids = [audit.append(store, _entry(number)) for number in range(3)]
    with store.connect() as first, store.connect() as second:
        assert first.execute(sa.text("SELECT 1")).scalar_one() == 1
        assert second.execute(sa.text("SELECT 1")).scalar_one() == 1
    assert ids == [1, 2, 3]


def test_a_writer_appending_alone_keeps_one_connection(store: sa.Engine) -> None:
    audit.append(store, _entry(0))  # locked: finds the head where nobody left it
    audit.append(store, _entry(1))  # locked: finds it where this writer left it, so alone
    checkouts = _checkouts(store)
    ids = [audit.append(store, _entry(number)) for number in range(2, 7)]
    assert ids == [3, 4, 5, 6, 7]
    assert len(checkouts) == 1, "each one-statement append checked a connection out"
    assert store.pool.checkedout() == 1  # type: ignore[attr-defined]


_APPEND_IN_A_PROCESS = """
from otelbi.settings import Settings
from otelbi.store import audit
from otelbi.store.engine import create_store_engine
engine = create_store_engine(Settings(env_file=None))
entry = audit.AuditEntry(actor="bob", domain="wwi", action="test", resource="/", outcome="ok",
                         duration_ms=0.0)
print(audit.append(engine, entry))
"""


def _append_from_another_process() -> int:
    """Append one row from a process of its own (POSTGRES_URL as the test set it)."""
    done = subprocess.run(
        [sys.executable, "-c", _APPEND_IN_A_PROCESS], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def test_the_held_connection_is_given_back_when_another_process_appends(
    store: sa.Engine,
) -> None:
    for number in range(3):
        audit.append(store, _entry(number))
    assert store.pool.checkedout() == 1  # type: ignore[attr-defined]
    assert _append_from_another_process() == 4
    assert audit.append(store, _entry(4)) == 5  # found the head moved: the locked path
    assert store.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_engines_of_one_store_in_a_process_append_one_after_the_other_unlocked(
    store: sa.Engine,
) -> None:
    # All-in-one, the gateway and each embedded service have an engine of their own: a
    # view of one domain after a view of the other must not find the head "moved".
    other = create_store_engine(Settings(env_file=None))
    try:
        audit.append(store, _entry(0))  # locked: finds the head where nobody left it
        audit.append(other, _entry(1))  # locked: finds it where this process left it
        checkouts = _checkouts(store), _checkouts(other)
        ids = [audit.append(engine, _entry(n)) for n in range(2, 8) for engine in (store, other)]
        assert ids == list(range(3, 15))
        assert [len(c) for c in checkouts] == [1, 1], "the engines' appends took the lock"
    finally:
        other.dispose()
    report = verify_chain(store)
    assert (report.ok, report.rows_checked) == (True, 14)


def test_a_held_connection_the_server_ended_is_replaced_before_it_is_used(
    store: sa.Engine, postgres_url: str
) -> None:
    for number in range(3):
        audit.append(store, _entry(number))
    _end_every_session(postgres_url)
    assert [audit.append(store, _entry(number)) for number in range(3, 6)] == [4, 5, 6]


def test_disposing_the_engine_closes_the_held_connection(
    store: sa.Engine, postgres_url: str
) -> None:
    for number in range(3):
        audit.append(store, _entry(number))
    assert _sessions(postgres_url) == 1
    store.dispose()
    _wait_until_no_session(postgres_url, "the held connection stayed open")
    assert audit.append(store, _entry(3)) == 4  # and the writer goes on with a new pool


def test_a_pool_of_one_is_not_held(store: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORE_POOL_SIZE", "1")
    monkeypatch.setenv("STORE_POOL_TIMEOUT_SECONDS", "1")
    single = create_store_engine(Settings(env_file=None))
    try:
        ids = [audit.append(single, _entry(number)) for number in range(4)]
        assert ids == [1, 2, 3, 4]
        assert single.pool.checkedout() == 0  # type: ignore[attr-defined]
        with single.connect() as reader:  # would time out if the writer held the only one
            assert reader.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one() == 4
    finally:
        single.dispose()
